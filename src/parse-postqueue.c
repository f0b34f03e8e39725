/* parse-postqueue.c: what the postqueue -j and -p parsers share: queue
 * names, the bounded tally of deferral reasons and error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-postqueue-int.h"
#include "sanitize.h"

const char *
queue_name_str(enum queue_name qn)
{
	static const char *const names[Q_MAX] = { "active", "deferred",
	    "hold", "incoming", "maildrop" };

	return (unsigned)qn < Q_MAX ? names[qn] : "?";
}

int
queue_name_of(const char *s, enum queue_name *qn)
{
	int i;

	for (i = 0; i < Q_MAX; i++)
		if (strcmp(s, queue_name_str((enum queue_name)i)) == 0) {
			*qn = (enum queue_name)i;
			return 0;
		}
	return -1;
}

void
queue_tally_add_n(struct queue_tally *t, const char *p, size_t n,
    unsigned count)
{
	char text[QUEUE_REASON_MAX];
	size_t i;

	sanitize_copy(text, sizeof text, p, n);
	for (i = 0; i < t->n; i++) {
		if (strcmp(t->r[i].text, text) == 0) {
			t->r[i].count += count;
			return;
		}
	}
	if (t->n >= QUEUE_TALLY_MAX)
		return;
	memcpy(t->r[t->n].text, text, sizeof text);
	t->r[t->n].count = count;
	t->n++;
}

void
queue_tally_add(struct queue_tally *t, const char *p, size_t n)
{
	queue_tally_add_n(t, p, n, 1);
}

static int
reason_cmp(const void *a, const void *b)
{
	const struct queue_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

void
queue_tally_top(const struct queue_tally *t, struct queue_summary *q)
{
	struct queue_reason *all;
	size_t n = t->n;

	q->ntop = 0;
	if (n == 0)
		return;
	all = malloc(n * sizeof *all);
	if (all == NULL)
		return;
	memcpy(all, t->r, n * sizeof *all);
	qsort(all, n, sizeof *all, reason_cmp);
	if (n > QUEUE_TOP_REASONS)
		n = QUEUE_TOP_REASONS;
	memcpy(q->top, all, n * sizeof *all);
	q->ntop = n;
	free(all);
}

void
queue_err(char *err, size_t errlen, const char *what, const char *p,
    size_t n)
{
	char clean[81];

	if (err == NULL || errlen == 0)
		return;
	sanitize_copy(clean, sizeof clean, p, n);
	snprintf(err, errlen, "%s: %s", what, clean);
}
