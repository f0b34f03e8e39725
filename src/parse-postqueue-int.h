/* parse-postqueue-int.h: internal helpers shared by the two postqueue parsers
 * (src/parse-postqueue-json.c, src/parse-postqueue-text.c): the bounded
 * tally of deferral reasons behind queue_summary.top. Not a contract. */
#ifndef RELAYTOP_PARSE_POSTQUEUE_INT_H
#define RELAYTOP_PARSE_POSTQUEUE_INT_H

#include <stddef.h>

#include "queue.h"

#define QUEUE_TALLY_MAX	64	/* distinct reasons tallied; more are not */

struct queue_tally {
	struct queue_reason r[QUEUE_TALLY_MAX];
	size_t	n;
};

/* Counts one reason (raw bytes; sanitised and cut to QUEUE_REASON_MAX-1
 * here, identical texts grouped). */
void	queue_tally_add(struct queue_tally *t, const char *p, size_t n);

/* The same, counting the reason count times (queue summaries). */
void	queue_tally_add_n(struct queue_tally *t, const char *p, size_t n,
	    unsigned count);

/* Copies the most common (ties: alphabetical) into q->top / q->ntop. */
void	queue_tally_top(const struct queue_tally *t, struct queue_summary *q);

/* Sets err (when not NULL) to "what: <first bytes of p, sanitised>". */
void	queue_err(char *err, size_t errlen, const char *what, const char *p,
	    size_t n);

#endif
