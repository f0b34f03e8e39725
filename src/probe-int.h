/* probe-int.h: the inside of struct probe, shared by the probe's files
 * (src/probe.c: running and taking a refresh; probe-log-take.c: the log
 * sections (probe-journal.c: of the journal); probe-queue.c: when to read the queue and its sections). Not a
 * public contract. */
#ifndef RELAYTOP_PROBE_INT_H
#define RELAYTOP_PROBE_INT_H

#include <stdint.h>

#include "probe.h"

#define PROBE_MAX_OUT	(16u * 1024 * 1024)

struct probe {
	struct model *m;
	struct host *h;
	int	running;
	unsigned runs;
	char	token[PROBE_TOKEN_LEN + 1];
	char	stamp[256];		/* main.cf/master.cf (+ TLS/SASL files) stamp */
	struct log_cursor cur;
	struct journal_pos journal;	/* where the journal read stands */
	char	journal_stamp[64];	/* its file's stamp at that read */
	int64_t	journal_read_ms;	/* when (clock_ms) */
	char	master[64];		/* "PID STAMP" of master last seen up */
	int	queue_text;		/* postqueue -j did not work */
	char	*resident;		/* the resident command, built once */
	/* the last request sent to the resident, as probe_request_key */
	char	*last_key;
	size_t	last_key_len;
	int	resident_off;		/* 1: the host cannot keep one */
	int	resident_fails;		/* failed starts in a row */
	int	asked;			/* this run went to the resident */
	int	queue_asked;		/* this run reads the queue */
	int	queue_known;		/* the model holds a queue reading */
	int64_t	queue_at;		/* when it was read (clock_ms) */
	int	queue_early_ms;		/* the timed read this much early */
	int	queue_cost_ms;		/* how long its queue step took */
	unsigned events_since_queue;	/* log events seen since */
	int64_t	full_at;		/* when a full answer last came (clock_ms) */
	int	full_after_ms;		/* the next full run this long after it */
};

/* A resident that failed to start this often: run the script per refresh. */
#define PROBE_RESIDENT_TRIES	3
/* The queue is read again no sooner than this many times its last cost. */
#define PROBE_QUEUE_COST_FACTOR	5
#define PROBE_QUEUE_EXTRA_MAX_MS	120000

/* What one run found wrong, gathered then given to the model at once. */
struct findings_acc {
	unsigned bits;
	char	msg[256];
};

void	probe_problem(struct findings_acc *f, unsigned bit, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* 1 when a step's stderr says sudo -n wanted a password. */
int	probe_sudo_wants_password(const struct probe_section *s);

/* probe-timing.c: "probe failed: timed out in step X (cmd) after N s;
 * steps began at (s): ..." from a timed-out run's partial output. */
void	probe_timeout_msg(char *buf, size_t n, const char *token,
	    const struct sshc_result *r);

/* probe-timing.c: how long the run's queue step took on the host (ms from
 * its first queue header to its last step line, as the bytes arrived), or
 * -1 when the marks do not tell. */
int	probe_queue_step_ms(const struct sshc_result *r,
	    const struct probe_output *o);

/* probe-log-take.c: the log sections of one run; path gets the log read. */
void	probe_take_log(struct probe *p, const struct probe_output *o,
	    struct findings_acc *f, char *path, size_t plen);

/* probe-queue.c: the queue sections (1 when a reading was taken). */
int	probe_take_queue(struct probe *p, const struct probe_output *o,
	    struct findings_acc *f, int running);

#endif
