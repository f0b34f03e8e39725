/* metrics-int.h: the metrics writer's insides, shared by src/metrics-*.c
 * only: the buffered writer, one family's HELP and TYPE, one sample. */
#ifndef RELAYTOP_METRICS_INT_H
#define RELAYTOP_METRICS_INT_H

#include "metrics.h"

/* The writer: lines are gathered in buf and written in big pieces (500
 * hosts make ~25,000 samples: one stdio call a character or a label cost
 * more than everything else). The series of the edges and findings are
 * labelled once per write (to, dup, count below). */
struct mw {
	FILE	*out;
	enum metrics_format fmt;
	char	*buf;
	size_t	n, cap;		/* bytes in buf, its size */
	const char **to;	/* per edge: its "to" label */
	unsigned char *dup;	/* per edge: an earlier edge has its labels */
	unsigned *count;	/* per finding: its series' value, 0 not first */
};

/* "# HELP"/"# TYPE" of one family; a counter's family name has no _total
 * in OpenMetrics (its samples keep it). */
void	mw_family(struct mw *w, const char *name, const char *type,
	    const char *help);
/* One sample: name{k1="v1",...} value. labels: key, value pairs, NULL
 * ended; values escaped and cut to 128 bytes. */
void	mw_sample(struct mw *w, const char *name,
	    const char *const *labels, double v);
/* Host i's name, "" when i names none. */
const char *mw_host(const struct model *m, int i);

/* The chain's families (metrics-chain.c): the edges' "to" labels and
 * duplicates, the findings' counts, into w (0, -1 ENOMEM; the caller frees
 * w->to, dup, count); then the edges' and the findings' samples. */
int	metrics_chain_labels(struct mw *w, const struct model *m,
	    const struct topology *t, const struct findings *f);
void	metrics_write_edges(struct mw *w, const struct model *m,
	    const struct topology *t);
void	metrics_write_findings(struct mw *w, const struct model *m,
	    const struct findings *f);

#endif
