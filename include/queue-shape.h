/* queue-shape.h: a qshape-style picture of the deferred mail: messages by
 * next-hop (recipient) domain and age bucket, per host and merged, and the
 * top deferral reasons, normalised (numbers, queue ids, addresses and hex
 * replaced by '#') with counts per host. Pure functions over messages the
 * caller hands in; no I/O, no curses. */
#ifndef RELAYTOP_QUEUE_SHAPE_H
#define RELAYTOP_QUEUE_SHAPE_H

#include <stddef.h>
#include <time.h>

/* qshape's columns: age under 5, 10, 20, 40, 80, 160, 320, 640, 1280
 * minutes, and 1280 minutes or more ("1280+"). */
#define QSHAPE_BUCKETS		10
#define QSHAPE_DOMAIN_MAX	256	/* a domain and its NUL */
#define QSHAPE_REASON_MAX	160	/* a normalised reason and its NUL */

/* The upper bound (minutes, exclusive) of bucket i < QSHAPE_BUCKETS - 1. */
extern const unsigned qshape_bucket_min[QSHAPE_BUCKETS - 1];

/* The bucket of a message age_s seconds old (negative ages count as 0). */
int	qshape_bucket(time_t age_s);

/* The header word of bucket i: "5" ... "1280", "1280+". */
const char *qshape_bucket_name(int i);

/* One line of the table: a domain (lower case, "" for a recipient without
 * '@'), how many messages have a recipient there, by bucket. A message
 * counts once per distinct domain of its recipients (as qshape does). */
struct qshape_row {
	char	domain[QSHAPE_DOMAIN_MAX];
	unsigned total;
	unsigned b[QSHAPE_BUCKETS];
	unsigned stamp;			/* internal: last message counted */
};

struct qshape_table {
	struct qshape_row *rows;	/* after qshape_finish: most first */
	size_t	n, cap;
	struct qshape_row all;		/* every message once ("TOTAL") */
	size_t	*hash;			/* open addressing: row index + 1 */
	size_t	hcap;
};

/* A normalised deferral reason: recipients deferred with it, in all and
 * per host (host[0..nhosts)). */
struct qshape_reason {
	char	text[QSHAPE_REASON_MAX];
	unsigned total;
	unsigned *host;
};

struct qshape {
	int	nhosts;
	struct qshape_table merged;
	struct qshape_table *host;	/* nhosts tables */
	struct qshape_reason *reasons;	/* after qshape_finish: most first */
	size_t	nreasons, rcap;
	size_t	*rhash;
	size_t	rhcap;
	unsigned messages;		/* messages added */
};

/* Sets up an empty shape for hosts 0..nhosts-1. Returns 0, -1 on ENOMEM
 * (s is then safe to qshape_free). */
int	qshape_init(struct qshape *s, int nhosts);
void	qshape_free(struct qshape *s);

/* Adds one deferred message of host (0 <= host < nhosts; else ignored,
 * returns -1) that arrived at `arrival`, with nrcpt recipients: addr[i]
 * its address and reason[i] its delay reason (NULL or "": none; counted
 * once per recipient under its normalised text). Returns 0, -1 on ENOMEM
 * (what was added so far stays). Borrows nothing. */
int	qshape_add(struct qshape *s, int host, time_t arrival, time_t now,
	    const char *const *addr, const char *const *reason, size_t nrcpt);

/* Adds the deferred messages of every list (lists[h] is host h's; NULL
 * skipped; host_only >= 0: that host's only), then qshape_finish. Returns
 * 0, -1 on ENOMEM. */
struct queue_list;
int	qshape_add_lists(struct qshape *s,
	    const struct queue_list *const *lists, size_t nlists, int host_only,
	    time_t now);

/* Sorts every table's rows (total down, then domain) and the reasons
 * (total down, then text). Call once after the last qshape_add. */
void	qshape_finish(struct qshape *s);

/* Normalises a deferral reason into out (always NUL-terminated when
 * outlen > 0): a run of letters and digits that is a queue id, or hex
 * digits with at least one decimal digit, becomes '#'; in any other run,
 * each run of digits becomes '#' (so 172.16.1.11 is #.#.#.#, 4.7.1 is
 * #.#.#); runs of white space become one space, leading and trailing
 * space go. Bytes of 0x80 and above pass unchanged (the text is already
 * sanitised). Returns out. */
char	*qshape_reason_norm(const char *in, char *out, size_t outlen);

/* The lower-cased domain of addr (after its last '@'; "" when none) into
 * out of QSHAPE_DOMAIN_MAX bytes. */
void	qshape_domain(const char *addr, char *out);

#endif
