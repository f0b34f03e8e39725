/* logsum.h: the offline maillog summary behind `relaytop --log FILE`:
 * delivery outcomes by status and by relay, top deferral and bounce
 * reasons, message count and time span. Memory is bounded (fixed-size
 * tables, counted overflow), so it does not grow with the file. */
#ifndef RELAYTOP_LOGSUM_H
#define RELAYTOP_LOGSUM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "event.h"

#define LOGSUM_RELAYS_MAX	1024	/* distinct relays kept */
#define LOGSUM_REASONS_MAX	2048	/* distinct reasons kept, per table */
#define LOGSUM_KEY_MAX		192	/* bytes kept of a relay or reason */
#define LOGSUM_QIDS_MAX		(1u << 15)	/* exact message-id count cap */

/* One row: a relay (counts per status) or a reason (counts in n[0]). */
struct logsum_entry {
	uint64_t hash;
	uint64_t n[ST_MAX];	/* relays: by status; ST_NONE = other status */
	uint16_t klen;
	char	key[LOGSUM_KEY_MAX];	/* raw bytes; sanitise to print */
};

/* Open-addressing table; when full, new keys count in other[]. */
struct logsum_table {
	struct logsum_entry *v;
	size_t	cap;		/* slots, a power of two */
	size_t	used, max;	/* max: entries allowed (cap / 2) */
	uint64_t other[ST_MAX];
};

/* Distinct queue ids: exact (a set of 64-bit hashes, up to
 * LOGSUM_QIDS_MAX), then a HyperLogLog estimate (built from the set when
 * it overflows, about 1% error). recent[] skips repeats cheaply. */
#define LOGSUM_HLL_BITS		14
#define LOGSUM_QIDS_RECENT	256
struct logsum_qids {
	uint64_t *set;		/* 0 = empty slot */
	size_t	cap, used;
	int	overflow;
	uint64_t recent[LOGSUM_QIDS_RECENT];
	uint8_t	hll[1 << LOGSUM_HLL_BITS];
};

struct logsum {
	uint64_t lines;			/* all lines read */
	uint64_t status[ST_MAX];	/* status= lines; [ST_NONE] other */
	uint64_t deliveries;		/* all status= lines */
	uint64_t connect_fail, relay_denied, loops, warnings;
	uint64_t refused;		/* NOQUEUE rejects, every reason */
	uint64_t handoffs;		/* sent on to a loopback smtpd: not
					 * counted in status[] (event.h) */
	time_t	first, last;		/* min/max timestamp, 0 = none */
	struct logsum_table relays;	/* delivery lines with relay= */
	struct logsum_table deferred;	/* normalised deferral reasons */
	struct logsum_table bounced;	/* normalised bounce/expiry reasons */
	struct logsum_qids qids;
	struct logsum_qids handed;	/* "queued as" ids of the hand-offs */
	int	year_hint;
};

/* Allocates the tables (about 2.5 MB, touched lazily) plus the qid set,
 * grown on demand up to LOGSUM_QIDS_MAX * 2 * 8 bytes (512 KB, so it
 * stays in cache). Returns 0
 * or -1 (ENOMEM). */
int	logsum_init(struct logsum *s, int year_hint);
void	logsum_free(struct logsum *s);

/* Counts one parsed Postfix line. */
void	logsum_add_event(struct logsum *s, const struct mail_event *ev);

/* Feeds buf[0..len): every line (the last one may lack its newline).
 * Lines that cannot matter to the summary are skipped by a cheap test
 * before the full parse. */
void	logsum_feed(struct logsum *s, const char *buf, size_t len);

/* Adds src into dst (tables, qid sets, counters, span). 0 or -1. */
int	logsum_merge(struct logsum *dst, const struct logsum *src);

/* Summarises a file: mmap (or read() for pipes), split into nthreads
 * parts at newlines (nthreads <= 0: one per online CPU, at most 8).
 * Returns 0, or -1 with errno set (open/read failure, ENOMEM). */
int	logsum_file(const char *path, int nthreads, struct logsum *out);

/* Messages: distinct queue ids seen on cleanup "message-id=" or qmgr
 * "from=" lines, less those that a hand-off made (a content filter's
 * re-injection is the same message). *exact is 1 when counted exactly, 0
 * for the estimate. */
uint64_t logsum_messages(const struct logsum *s, int *exact);

/* Pointers to the used entries of t, sorted by total count (descending),
 * then key; at most max. Returns how many. */
size_t	logsum_top(const struct logsum_table *t,
	    const struct logsum_entry **out, size_t max);
uint64_t logsum_entry_total(const struct logsum_entry *e);

/* Groups reasons: "<addr>" becomes "<>", a run of 5+ letters/digits that
 * holds a digit (queue ids, hex, session numbers) becomes "*"; SMTP codes,
 * DSNs, IPv4 addresses stay. Cut to dstlen-1.
 * Returns the length (dst is NUL-terminated when dstlen > 0). */
size_t	logsum_reason_normalise(char *dst, size_t dstlen, const char *src,
	    size_t n);

/* Output. Text for people; JSON (see mode-log.c for the schema). */
void	logsum_print_text(const struct logsum *s, const char *path,
	    FILE *fp);
int	logsum_print_json(const struct logsum *s, const char *path,
	    FILE *fp);

#endif
