/* queue.h: the Postfix queue summed up from `postqueue -j` (JSON lines,
 * Postfix 3.1+, parsed with jansson) or `postqueue -p` text. */
#ifndef RELAYTOP_QUEUE_H
#define RELAYTOP_QUEUE_H

#include <stddef.h>
#include <time.h>

enum queue_name { Q_ACTIVE = 0, Q_DEFERRED, Q_HOLD, Q_INCOMING, Q_MAILDROP,
	Q_MAX };

#define QUEUE_TOP_REASONS	5
#define QUEUE_REASON_MAX	256

struct queue_reason {
	char	text[QUEUE_REASON_MAX];	/* sanitised delay_reason */
	unsigned count;
};

struct queue_summary {
	unsigned count[Q_MAX];
	time_t	oldest[Q_MAX];		/* arrival_time of the oldest; 0 none */
	unsigned long long bytes;	/* total message_size */
	struct queue_reason top[QUEUE_TOP_REASONS];	/* most common first */
	size_t	ntop;
	unsigned malformed;		/* lines that did not parse */
};

/* Parses postqueue -j output (one JSON object per line). Bounded; a bad line
 * counts in malformed and is skipped. Returns 0, or -1 when the input is not
 * postqueue -j output at all (message in err). Details (both parsers):
 * *q is reset first; top[] counts each recipient's delay_reason (identical
 * sanitised texts grouped, ties alphabetical, 64 distinct texts tallied);
 * a line over 8 MB, a record without queue_name/queue_id or with an
 * unknown queue name is malformed; -1 only when no line was a record. */
int	queue_parse_json(const char *buf, size_t len, struct queue_summary *q,
	    char *err, size_t errlen);

/* Parses postqueue -p text ("Mail queue is empty", or the table with
 * '*' active and '!' hold markers and "(reason)" lines). Unmarked entries
 * count as Q_DEFERRED (mailq does not tell incoming/maildrop apart); a
 * "(reason)" counts once per recipient line under it; arrival dates take
 * the year of now (the year before when more than a day ahead), local
 * time. Returns 0, or -1 when no line looked like postqueue -p output. */
int	queue_parse_text(const char *buf, size_t len, time_t now,
	    struct queue_summary *q, char *err, size_t errlen);

const char *queue_name_str(enum queue_name qn);
/* The queue named s ("deferred"...) in *qn: 0, or -1 when none. */
int	queue_name_of(const char *s, enum queue_name *qn);

#endif
