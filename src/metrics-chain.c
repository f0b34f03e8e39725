/* metrics-chain.c: the chain's metric families: each edge's state, its
 * newest outcome's time and whether a fallback carries the mail, and the
 * doctor's findings counted per rule, severity and first host. Series
 * with equal labels are written once (a scrape refuses a series given
 * twice). */
#include <stdlib.h>
#include <string.h>

#include "metrics-int.h"
#include "shard.h"

static const char *
kind_name(enum edge_kind k)
{
	return k == EDGE_PRIMARY ? "primary" : k == EDGE_FALLBACK ?
	    "fallback" : "onward";
}

/* The edge's "to": the watched host, else a peer of another shard, else
 * the target as configured or logged. */
static const char *
edge_to(const struct model *m, const struct edge *e)
{
	const char *name = shard_edge_to(m, e);

	return name != NULL ? name : e->target.host;
}

/* An edge's or a finding's labels, with its place, for sorting: equal
 * labels end up side by side, the first given first. */
struct lkey {
	const char *id, *to;	/* finding: id, first host; edge: "", to */
	int	a, b;		/* finding: severity; edge: from, kind */
	size_t	i;
};

static int
lkey_cmp(const void *x, const void *y)
{
	const struct lkey *p = x, *q = y;
	int r;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	if ((r = strcmp(p->id, q->id)) != 0 || (r = strcmp(p->to, q->to)) != 0)
		return r;
	return p->i < q->i ? -1 : p->i > q->i;
}

static int
lkey_same(const struct lkey *p, const struct lkey *q)
{
	return p->a == q->a && p->b == q->b && strcmp(p->id, q->id) == 0 &&
	    strcmp(p->to, q->to) == 0;
}

/* Sorts k[0..n) and gives each run of equal labels to its first: run(arg,
 * first's place, run length, each place of the run). */
static void
lkey_runs(struct lkey *k, size_t n, void (*run)(struct mw *, size_t,
    size_t, size_t), struct mw *w)
{
	size_t i, j, r;

	qsort(k, n, sizeof(*k), lkey_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && lkey_same(&k[i], &k[j]); j++)
			;
		for (r = i; r < j; r++)
			run(w, k[i].i, j - i, k[r].i);
	}
}

/* An edge whose labels an earlier edge has is a duplicate (a scrape
 * refuses a series given twice). */
static void
edge_run(struct mw *w, size_t first, size_t len, size_t i)
{
	(void)len;
	w->dup[i] = i != first;
}

/* A finding's series counts the findings of its rule, severity and first
 * host; written at the first of them. */
static void
finding_run(struct mw *w, size_t first, size_t len, size_t i)
{
	w->count[i] = i == first ? (unsigned)len : 0;
}

/* The edges' "to" labels and duplicates, the findings' counts. Returns 0,
 * -1 on ENOMEM. */
int
metrics_chain_labels(struct mw *w, const struct model *m,
    const struct topology *t, const struct findings *f)
{
	size_t i, ne = t != NULL ? t->n : 0, nf = f != NULL ? f->n : 0;
	struct lkey *k = malloc((ne > nf ? ne : nf) * sizeof(*k) + 1);

	w->to = malloc(ne * sizeof(*w->to) + 1);
	w->dup = malloc(ne + 1);
	w->count = malloc(nf * sizeof(*w->count) + 1);
	if (k == NULL || w->to == NULL || w->dup == NULL || w->count == NULL) {
		free(k);
		return -1;
	}
	for (i = 0; i < ne; i++) {
		w->to[i] = edge_to(m, &t->v[i]);
		k[i] = (struct lkey){ "", w->to[i], t->v[i].from,
		    (int)t->v[i].kind, i };
	}
	lkey_runs(k, ne, edge_run, w);
	for (i = 0; i < nf; i++) {
		const struct finding *x = &f->v[i];

		k[i] = (struct lkey){ x->id, x->nhosts > 0 ?
		    mw_host(m, x->hosts[0]) : "", (int)x->sev, 0, i };
	}
	lkey_runs(k, nf, finding_run, w);
	free(k);
	return 0;
}

/* A fallback edge carries mail when its newest outcome is "sent" and no
 * primary edge of the same origin delivered since. */
static int
fallback_carrying(const struct topology *t, const struct edge *fb)
{
	size_t j;

	if (fb->kind != EDGE_FALLBACK || fb->state != EDGE_SENT ||
	    fb->last == 0)
		return 0;
	for (j = 0; j < t->n; j++)
		if (t->v[j].from == fb->from && t->v[j].kind == EDGE_PRIMARY &&
		    t->v[j].state == EDGE_SENT && t->v[j].last >= fb->last)
			return 0;
	return 1;
}

void
metrics_write_edges(struct mw *w, const struct model *m,
    const struct topology *t)
{
	static const enum edge_state states[] = { EDGE_UNKNOWN, EDGE_SENT,
		EDGE_DEFERRED, EDGE_REFUSED, EDGE_BOUNCED };
	size_t i, s, n = t != NULL ? t->n : 0;

	mw_family(w, "relaytop_edge_state", "gauge",
	    "The newest outcome the sending host logged on an edge of the "
	    "chain (kind: primary relayhost, fallback relay or onward), one "
	    "series per state: 1 for the edge's state.");
	for (i = 0; i < n; i++)
		for (s = 0; s < sizeof(states) / sizeof(states[0]) &&
		    !w->dup[i]; s++) {
			const struct edge *e = &t->v[i];
			const char *l[] = { "from", mw_host(m, e->from), "to",
			    w->to[i], "kind", kind_name(e->kind), "state",
			    edge_state_name(states[s]), NULL };

			mw_sample(w, "relaytop_edge_state", l,
			    e->state == states[s]);
		}
	mw_family(w, "relaytop_edge_last_outcome_timestamp_seconds", "gauge",
	    "When the edge's newest outcome was logged (Unix time); absent "
	    "before one.");
	for (i = 0; i < n; i++) {
		const struct edge *e = &t->v[i];
		const char *l[] = { "from", mw_host(m, e->from), "to",
		    w->to[i], "kind", kind_name(e->kind), NULL };

		if (e->last != 0 && !w->dup[i])
			mw_sample(w,
			    "relaytop_edge_last_outcome_timestamp_seconds", l,
			    (double)e->last);
	}
	mw_family(w, "relaytop_fallback_carrying_mail", "gauge",
	    "1 when the origin's mail goes through its fallback relay: the "
	    "fallback edge's newest outcome is sent and the primary has "
	    "delivered nothing since.");
	for (i = 0; i < n; i++) {
		const struct edge *e = &t->v[i];
		const char *l[] = { "from", mw_host(m, e->from), "to",
		    w->to[i], NULL };

		if (e->kind == EDGE_FALLBACK && !w->dup[i])
			mw_sample(w, "relaytop_fallback_carrying_mail", l,
			    fallback_carrying(t, e));
	}
}

void
metrics_write_findings(struct mw *w, const struct model *m,
    const struct findings *f)
{
	size_t i, n = f != NULL ? f->n : 0;

	mw_family(w, "relaytop_doctor_findings", "gauge",
	    "Findings of the relay doctor (relaytop --check) now, per rule, "
	    "severity and first host named.");
	for (i = 0; i < n; i++) {
		const struct finding *x = &f->v[i];
		const char *host = x->nhosts > 0 ? mw_host(m, x->hosts[0]) : "";
		const char *l[] = { "rule", x->id, "severity",
		    severity_name(x->sev), "host", host, NULL };

		if (w->count[i] > 0)	/* else counted with the first */
			mw_sample(w, "relaytop_doctor_findings", l,
			    w->count[i]);
	}
}
