/* bench-metrics-body.c: the bench-metrics driver's /metrics body: one
 * render timed, the body gzipped at three levels (size and CPU), the body
 * and the doctor's findings written out for a comparison between builds,
 * and the findings' rules counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-metrics.h"
#include "bench-time.h"
#include "check.h"
#include "metrics.h"
#include "serve.h"

/* One /metrics body into a memory stream; its length in *len. */
double
bm_render(struct watch *w, time_t now, size_t *len)
{
	char *body = NULL;
	FILE *fp;
	double t0 = cpu_ms();

	fp = open_memstream(&body, len);
	if (fp == NULL || metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS) != 0)
		exit(2);
	fclose(fp);
	free(body);
	return cpu_ms() - t0;
}

/* The body gzipped (serve_gzip) at zlib levels 1, 6 and 9: its bytes and
 * the CPU of one compression (median of reps), as a gzip scrape's first
 * request for a body pays it (serve-cache.c); SERVE_GZIP_LEVEL's as
 * gzip_bytes, gzip_median_cpu_ms. */
int
bm_gzip_bench(struct watch *w, time_t now, int reps)
{
	static const int lv[] = { 1, 6, 9 };
	char *body = NULL, *z;
	size_t len = 0, zlen = 0;
	double *v = calloc((size_t)reps, sizeof(*v)), t0;
	FILE *fp;
	int i, r;

	if (v == NULL || (fp = open_memstream(&body, &len)) == NULL ||
	    metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS) != 0 || fclose(fp))
		return -1;
	for (i = 0; i < (int)(sizeof(lv) / sizeof(lv[0])); i++) {
		for (r = 0; r < reps; r++) {
			t0 = cpu_ms();
			if (serve_gzip(body, len, lv[i], &z, &zlen) != 0)
				return -1;
			v[r] = cpu_ms() - t0;
			free(z);
		}
		printf("gzip_l%d_bytes=%zu\ngzip_l%d_median_cpu_ms=%.2f\n",
		    lv[i], zlen, lv[i], bm_median(v, reps));
		if (lv[i] == SERVE_GZIP_LEVEL)
			printf("gzip_bytes=%zu\ngzip_median_cpu_ms=%.2f\n",
			    zlen, bm_median(v, reps));
	}
	free(body);
	free(v);
	return 0;
}

/* The body into path, the doctor's findings as --check prints them into
 * path.check. */
int
bm_dump(struct watch *w, time_t now, const char *path)
{
	char p2[4096];
	FILE *fp = fopen(path, "w"), *fc;

	snprintf(p2, sizeof(p2), "%s.check", path);
	if (fp == NULL || (fc = fopen(p2, "w")) == NULL)
		return -1;
	metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS);
	check_print_text(fc, watch_model(w), watch_findings(w), 0);
	fclose(fc);
	return fclose(fp);
}

/* "finding_ids=rule:count ..." of the doctor's findings. */
void
bm_finding_ids(const struct findings *f)
{
	size_t i, j;

	fputs("finding_ids=", stdout);
	for (i = 0; i < f->n; i++) {
		size_t c = 0;

		for (j = 0; j < i && strcmp(f->v[j].id, f->v[i].id) != 0; j++)
			;
		if (j < i)
			continue;
		for (j = i; j < f->n; j++)
			c += strcmp(f->v[j].id, f->v[i].id) == 0;
		printf("%s%s:%zu", i ? " " : "", f->v[i].id, c);
	}
	putchar('\n');
}
