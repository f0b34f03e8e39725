/* logsum-table.c: the bounded tables of the log summary: relays and
 * reasons (open addressing, fixed size, overflow counted as "other") and
 * the distinct queue-id counter (exact hash set plus HyperLogLog). */
#include <stdlib.h>
#include <string.h>

#include "logsum.h"
#include "logsum-int.h"

uint64_t
logsum_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;
	size_t i = 0;

	/* Eight bytes a step (keys are 10-200 bytes), then the tail. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	/* splitmix64 finaliser: good high bits for the HyperLogLog. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

int
logsum_table_init(struct logsum_table *t, size_t max)
{
	memset(t, 0, sizeof *t);
	t->cap = 1;
	while (t->cap < max * 2)
		t->cap <<= 1;
	t->max = max;
	t->v = calloc(t->cap, sizeof *t->v);
	return t->v == NULL ? -1 : 0;
}

void
logsum_table_free(struct logsum_table *t)
{
	free(t->v);
	t->v = NULL;
	t->cap = t->used = 0;
}

/* The entry for key (created when there is room), or NULL when full. */
struct logsum_entry *
logsum_table_get(struct logsum_table *t, const char *key, size_t n,
    uint64_t h)
{
	size_t i, mask = t->cap - 1;
	struct logsum_entry *e;

	if (n > LOGSUM_KEY_MAX)
		n = LOGSUM_KEY_MAX;
	if (h == 0)
		h = 1;
	for (i = (size_t)h & mask;; i = (i + 1) & mask) {
		e = &t->v[i];
		if (e->hash == 0)
			break;
		if (e->hash == h && e->klen == n && memcmp(e->key, key, n) == 0)
			return e;
	}
	if (t->used >= t->max)
		return NULL;
	e->hash = h;
	e->klen = (uint16_t)n;
	memcpy(e->key, key, n);
	t->used++;
	return e;
}

void
logsum_table_add(struct logsum_table *t, const char *key, size_t n, int st,
    uint64_t count)
{
	struct logsum_entry *e;

	if (n > LOGSUM_KEY_MAX)
		n = LOGSUM_KEY_MAX;
	e = logsum_table_get(t, key, n, logsum_hash(key, n));
	if (e != NULL)
		e->n[st] += count;
	else
		t->other[st] += count;
}

void
logsum_table_merge(struct logsum_table *dst, const struct logsum_table *src)
{
	size_t i;
	int st;

	for (i = 0; i < src->cap; i++) {
		const struct logsum_entry *e = &src->v[i];
		struct logsum_entry *d;

		if (e->hash == 0)
			continue;
		d = logsum_table_get(dst, e->key, e->klen, e->hash);
		for (st = 0; st < ST_MAX; st++) {
			if (d != NULL)
				d->n[st] += e->n[st];
			else
				dst->other[st] += e->n[st];
		}
	}
	for (st = 0; st < ST_MAX; st++)
		dst->other[st] += src->other[st];
}

uint64_t
logsum_entry_total(const struct logsum_entry *e)
{
	uint64_t t = 0;
	int st;

	for (st = 0; st < ST_MAX; st++)
		t += e->n[st];
	return t;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct logsum_entry *x = *(const struct logsum_entry *const *)a;
	const struct logsum_entry *y = *(const struct logsum_entry *const *)b;
	uint64_t tx = logsum_entry_total(x), ty = logsum_entry_total(y);
	size_t n;
	int c;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	n = x->klen < y->klen ? x->klen : y->klen;
	c = memcmp(x->key, y->key, n);
	if (c != 0)
		return c;
	return (int)x->klen - (int)y->klen;
}

size_t
logsum_top(const struct logsum_table *t, const struct logsum_entry **out,
    size_t max)
{
	const struct logsum_entry **all;
	size_t i, n = 0;

	if (t->used == 0 || max == 0)
		return 0;
	all = malloc(t->used * sizeof *all);
	if (all == NULL)
		return 0;
	for (i = 0; i < t->cap; i++)
		if (t->v[i].hash != 0)
			all[n++] = &t->v[i];
	qsort(all, n, sizeof *all, entry_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

/* Distinct queue ids. */

static int
qids_grow(struct logsum_qids *q)
{
	size_t ncap = q->cap ? q->cap * 2 : 4096, i, j;
	uint64_t *nv = calloc(ncap, sizeof *nv);

	if (nv == NULL)
		return -1;
	for (i = 0; i < q->cap; i++) {
		if (q->set[i] == 0)
			continue;
		for (j = (size_t)q->set[i] & (ncap - 1); nv[j] != 0;
		    j = (j + 1) & (ncap - 1))
			;
		nv[j] = q->set[i];
	}
	free(q->set);
	q->set = nv;
	q->cap = ncap;
	return 0;
}

static void
hll_add(struct logsum_qids *q, uint64_t h)
{
	unsigned idx = (unsigned)(h >> (64 - LOGSUM_HLL_BITS));
	uint64_t w = (h << LOGSUM_HLL_BITS) | (1ULL << (LOGSUM_HLL_BITS - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(w) + 1);

	if (rank > q->hll[idx])
		q->hll[idx] = rank;
}

/* The exact set is full: from now on only the HyperLogLog counts. It is
 * built from the set here, so it costs nothing while counting is exact. */
static void
qids_overflow(struct logsum_qids *q)
{
	size_t i;

	for (i = 0; i < q->cap; i++)
		if (q->set[i] != 0)
			hll_add(q, q->set[i]);
	q->overflow = 1;
	free(q->set);
	q->set = NULL;
	q->cap = q->used = 0;
}

void
logsum_qids_add_hash(struct logsum_qids *q, uint64_t h)
{
	size_t j;

	if (h == 0)
		h = 1;
	/* message-id= and from= of one queue id come close together. */
	if (q->recent[h & (LOGSUM_QIDS_RECENT - 1)] == h)
		return;
	q->recent[h & (LOGSUM_QIDS_RECENT - 1)] = h;
	if (q->overflow) {
		hll_add(q, h);
		return;
	}
	if (q->used + 1 > q->cap / 2) {
		if (q->used >= LOGSUM_QIDS_MAX || qids_grow(q) < 0) {
			qids_overflow(q);
			hll_add(q, h);
			return;
		}
	}
	for (j = (size_t)h & (q->cap - 1); q->set[j] != 0;
	    j = (j + 1) & (q->cap - 1))
		if (q->set[j] == h)
			return;
	q->set[j] = h;
	q->used++;
}

void
logsum_qids_merge(struct logsum_qids *dst, const struct logsum_qids *src)
{
	size_t i;

	if (src->overflow && !dst->overflow)
		qids_overflow(dst);
	for (i = 0; i < src->cap; i++)
		if (src->set[i] != 0)
			logsum_qids_add_hash(dst, src->set[i]);
	if (src->overflow)
		for (i = 0; i < (1u << LOGSUM_HLL_BITS); i++)
			if (src->hll[i] > dst->hll[i])
				dst->hll[i] = src->hll[i];
}

uint64_t
logsum_qids_count(const struct logsum_qids *q, int *exact)
{
	const double m = 1 << LOGSUM_HLL_BITS;
	double sum = 0, est;
	unsigned i, zeros = 0;

	if (!q->overflow) {
		*exact = 1;
		return q->used;
	}
	*exact = 0;
	for (i = 0; i < (1u << LOGSUM_HLL_BITS); i++) {
		sum += 1.0 / (double)(1ULL << q->hll[i]);
		zeros += q->hll[i] == 0;
	}
	est = (0.7213 / (1 + 1.079 / m)) * m * m / sum;
	if (est <= 2.5 * m && zeros > 0)
		est = m * __builtin_log(m / zeros);
	return (uint64_t)(est + 0.5);
}

static int
qids_has(const struct logsum_qids *q, uint64_t h)
{
	size_t j;

	if (q->cap == 0)
		return 0;
	for (j = (size_t)h & (q->cap - 1); q->set[j] != 0;
	    j = (j + 1) & (q->cap - 1))
		if (q->set[j] == h)
			return 1;
	return 0;
}

uint64_t
logsum_qids_common(const struct logsum_qids *q, const struct logsum_qids *sub)
{
	uint64_t n = 0;
	size_t i;
	int exact;

	if (q->overflow || sub->overflow)
		return logsum_qids_count(sub, &exact);
	for (i = 0; i < sub->cap; i++)
		if (sub->set[i] != 0 && qids_has(q, sub->set[i]))
			n++;
	return n;
}

void
logsum_qids_free(struct logsum_qids *q)
{
	free(q->set);
	q->set = NULL;
	q->cap = q->used = 0;
}
