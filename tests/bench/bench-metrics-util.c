/* bench-metrics-util.c: the small parts every file of the bench-metrics
 * driver uses: a growing text buffer, one answer fed through probe_feed
 * (timed), the median of a run of timings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-metrics.h"
#include "bench-time.h"

void
bm_put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (size_t)n + 4096;
		if ((b->s = realloc(b->s, b->cap)) == NULL)
			exit(2);
	}
	b->len += (size_t)n;
}

double
bm_feed(struct probe *p, const struct buf *b)
{
	struct sshc_result r;
	double t0 = cpu_ms();

	memset(&r, 0, sizeof(r));
	r.out = b->s;
	r.out_len = b->len;
	r.err = "";
	r.elapsed_ms = 40;
	probe_feed(p, TOK, &r);
	return cpu_ms() - t0;
}

double
bm_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return v[n / 2];
}
