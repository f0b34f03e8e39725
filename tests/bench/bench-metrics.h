/* bench-metrics.h: what the files of the bench-metrics driver share: a
 * growing text buffer, the synthetic hosts' answers (bench-metrics-gen.c),
 * the feed and the median, and each bench mode's entry. */
#ifndef RELAYTOP_BENCH_METRICS_H
#define RELAYTOP_BENCH_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "probe.h"
#include "watch.h"

/* The probe's run token and its random part, as the answers carry them. */
#define TOK	"0123456789abcdef0123456789abcdef"
#define RTOK	"ae0b4ccf654601e8e4e02bd4"

/* A text that grows as bm_put appends; { NULL, 0, 0 } is empty. */
struct buf {
	char	*s;
	size_t	len, cap;
};

/* Appends printf-style text to b (NUL-terminated); exits 2 when out of
 * memory. (bench-metrics-util.c) */
void	bm_put(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Feeds b as one probe answer of run TOK to p (probe_feed). Returns the
 * CPU ms it took. */
double	bm_feed(struct probe *p, const struct buf *b);

/* The median of v[0..n-1] (sorts v in place). */
double	bm_median(double *v, int n);

/* --- the synthetic hosts (bench-metrics-gen.c) ---------------------- */

/* How many of the hosts are relays (h1..hR); main sets it first. */
extern int bm_nrelays;

/* The inventory text of n hosts: h1..hR relays, the rest origins. The
 * caller frees it. */
char	*bm_inventory_text(int n);

/* One message's lines on host i at when (k picks its fate). Returns how
 * many lines it appended to b. */
int	bm_message(struct buf *b, int i, time_t when, unsigned k);

/* About `events` log lines of host i over the hour before now; *k moves
 * on a message each. */
void	bm_log_lines(struct buf *b, int i, int events, time_t now,
	    unsigned *k);

/* Host i's probe answer into b (emptied first): first contact (first = 1)
 * or a steady refresh, carrying log[0..loglen-1] from *off, which moves
 * past it. */
void	bm_answer(struct buf *b, int i, const char *log, size_t loglen,
	    uint64_t *off, int first);

/* The text of the file at path, at most 16 MiB; exits 2 when it cannot
 * be read. The caller frees it. */
char	*bm_slurp(const char *path);

/* --- the body (bench-metrics-body.c) --------------------------------- */

/* Renders one /metrics body of w at now; its length in *len. Returns the
 * CPU ms it took; exits 2 when it fails. */
double	bm_render(struct watch *w, time_t now, size_t *len);

/* The body gzipped at levels 1, 6 and 9 (reps compressions each): prints
 * the gzip_* keys. Returns 0, or -1 on failure. */
int	bm_gzip_bench(struct watch *w, time_t now, int reps);

/* The body into path and the doctor's findings into path.check. Returns
 * 0, or -1 on failure. */
int	bm_dump(struct watch *w, time_t now, const char *path);

/* Prints the finding_ids key: each rule of f with its count. */
void	bm_finding_ids(const struct findings *f);

/* --- the modes with a loop (bench-metrics-serve.c, -turns.c) --------- */

/* BENCH_SERVE: the real server scraped n times by a child while hosts
 * answer once a second (pr, off: each host's probe and log offset; *k as
 * bm_message). Prints the serve_* keys. Returns 0, or -1 on failure. */
int	bm_serve_bench(struct watch *w, struct probe **pr, uint64_t *off,
	    int hosts, int n, unsigned *k);

/* BENCH_TURNS: a loop turn's own cost at `hosts` sessions on the
 * loopback. Prints the turn_* keys. Returns 0, or -1 on failure. */
int	bm_turns_bench(int hosts);

#endif
