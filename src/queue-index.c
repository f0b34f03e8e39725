/* queue-index.c: the queue view's sorted, filtered index over every host's
 * message list, and the tags (a hash set of host + id + arrival, so a tag
 * follows its message through a new listing and never lands on a reused
 * short id). */
#include <stdlib.h>
#include <string.h>

#include "queue-index.h"

void
qidx_init(struct queue_index *x)
{
	memset(x, 0, sizeof *x);
	x->host = -1;
	x->need_sort = x->need_filter = 1;
}

void
qidx_free(struct queue_index *x)
{
	free(x->all);
	free(x->v);
	free(x->tags);
	qidx_init(x);
}

void
qidx_set_lists(struct queue_index *x, const struct queue_list *const *lists,
    size_t nlists, int complete)
{
	x->lists = lists;
	x->nlists = nlists;
	x->need_sort = 1;
	x->need_prune |= complete;
}

void
qidx_set_scope(struct queue_index *x, int host)
{
	if (host != x->host)
		x->need_sort = 1;
	x->host = host;
}

void
qidx_set_sort(struct queue_index *x, enum qidx_sort s, int rev)
{
	if (s != x->sort || rev != x->rev)
		x->need_sort = 1;
	x->sort = s;
	x->rev = rev;
}

void
qidx_set_filter(struct queue_index *x, const struct queue_match *qm)
{
	x->filter = qm;
	x->need_filter = 1;
}

static const struct queue_msg *
ref_msg(const struct queue_index *x, const struct qref *r)
{
	const struct queue_list *l;

	if (r->host >= x->nlists || (l = x->lists[r->host]) == NULL ||
	    r->pos >= l->n)
		return NULL;
	return &l->v[r->pos];
}

static int
ref_cmp(const void *pa, const void *pb)
{
	const struct qref *a = pa, *b = pb;

	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	if (a->k2 != b->k2)
		return a->k2 < b->k2 ? -1 : 1;
	if (a->host != b->host)
		return a->host < b->host ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void
ref_keys(struct qref *r, const struct queue_msg *m, enum qidx_sort s)
{
	switch (s) {
	case QIDX_SIZE:
		r->k1 = m->size > INT64_MAX ? INT64_MIN : -(int64_t)m->size;
		r->k2 = (int64_t)m->arrival;
		break;
	case QIDX_HOST:
		r->k1 = r->host;
		r->k2 = (int64_t)m->arrival;
		break;
	default:
		r->k1 = (int64_t)m->arrival;
		r->k2 = 0;
		break;
	}
}

static int
grow(void **p, size_t *cap, size_t want, size_t esz)
{
	void *np;

	if (want <= *cap)
		return 0;
	np = realloc(*p, want * esz);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = want;
	return 0;
}

static int
build_sorted(struct queue_index *x)
{
	const struct queue_list *l;
	size_t h, i, total = 0;
	struct qref *r, t;

	for (h = 0; h < x->nlists; h++)
		if ((l = x->lists[h]) != NULL &&
		    (x->host < 0 || (size_t)x->host == h))
			total += l->n;
	if (grow((void **)&x->all, &x->allcap, total, sizeof *x->all) != 0)
		return -1;
	x->nall = 0;
	for (h = 0; h < x->nlists; h++) {
		if ((l = x->lists[h]) == NULL ||
		    (x->host >= 0 && (size_t)x->host != h))
			continue;
		for (i = 0; i < l->n; i++) {
			r = &x->all[x->nall++];
			r->host = (uint32_t)h;
			r->pos = (uint32_t)i;
			ref_keys(r, &l->v[i], x->sort);
		}
	}
	if (x->nall > 1)
		qsort(x->all, x->nall, sizeof *x->all, ref_cmp);
	for (i = 0; x->rev && i < x->nall / 2; i++) {
		t = x->all[i];
		x->all[i] = x->all[x->nall - 1 - i];
		x->all[x->nall - 1 - i] = t;
	}
	x->sorts++;
	return 0;
}

static int
build_shown(struct queue_index *x)
{
	const struct queue_msg *m;
	size_t i;

	if (grow((void **)&x->v, &x->vcap, x->nall, sizeof *x->v) != 0)
		return -1;
	x->n = 0;
	for (i = 0; i < x->nall; i++) {
		m = ref_msg(x, &x->all[i]);
		if (m != NULL && (x->filter == NULL || queue_match(x->filter,
		    m)))
			x->v[x->n++] = (uint32_t)i;
	}
	x->filters++;
	return 0;
}

/* --- the tag set ---------------------------------------------------------- */

static size_t
key_hash(int host, time_t arrival, const char *id)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)host;

	h = (h ^ (uint64_t)arrival) * 1099511628211ULL;
	while (*id != '\0')
		h = (h ^ (unsigned char)*id++) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of m's key in a set of cap slots (cap a power of two): its own
 * or the free one where it would go. */
static struct qkey *
set_slot(struct qkey *set, size_t cap, int host, time_t arrival,
    const char *id)
{
	size_t j = key_hash(host, arrival, id) & (cap - 1);

	while (set[j].id[0] != '\0' && (set[j].host != host ||
	    set[j].arrival != arrival || strcmp(set[j].id, id) != 0))
		j = (j + 1) & (cap - 1);
	return &set[j];
}

static int
set_rehash(struct queue_index *x, size_t cap)
{
	struct qkey *ns, *old = x->tags;
	size_t i, oc = x->tcap;

	ns = calloc(cap, sizeof *ns);
	if (ns == NULL)
		return -1;
	for (i = 0; i < oc; i++) {
		if (old[i].id[0] == '\0')
			continue;
		*set_slot(ns, cap, old[i].host, old[i].arrival, old[i].id) =
		    old[i];
	}
	free(old);
	x->tags = ns;
	x->tcap = cap;
	return 0;
}

static int
set_has(const struct queue_index *x, int host, const struct queue_msg *m)
{
	if (x->ntags == 0)
		return 0;
	return set_slot(x->tags, x->tcap, host, m->arrival, m->id)->id[0] !=
	    '\0';
}

/* Adds (on) or removes m's key. Removal re-inserts the run after the hole
 * (linear probing). */
static int
set_put(struct queue_index *x, int host, const struct queue_msg *m, int on)
{
	struct qkey *k, moved;
	size_t j;

	if (on) {
		if ((x->ntags + 1) * 2 > x->tcap &&
		    set_rehash(x, x->tcap ? x->tcap * 2 : 256) != 0)
			return -1;
		k = set_slot(x->tags, x->tcap, host, m->arrival, m->id);
		if (k->id[0] == '\0') {
			k->host = host;
			k->arrival = m->arrival;
			memcpy(k->id, m->id, sizeof k->id);
			x->ntags++;
		}
		return 0;
	}
	if (x->ntags == 0)
		return 0;
	k = set_slot(x->tags, x->tcap, host, m->arrival, m->id);
	if (k->id[0] == '\0')
		return 0;
	k->id[0] = '\0';
	x->ntags--;
	j = (size_t)(k - x->tags);
	for (j = (j + 1) & (x->tcap - 1); x->tags[j].id[0] != '\0';
	    j = (j + 1) & (x->tcap - 1)) {
		moved = x->tags[j];
		x->tags[j].id[0] = '\0';
		*set_slot(x->tags, x->tcap, moved.host, moved.arrival,
		    moved.id) = moved;
	}
	return 0;
}

/* Keeps only the tags of messages still listed. */
static int
prune_tags(struct queue_index *x)
{
	struct qkey *old = x->tags;
	size_t oc = x->tcap, h, i;
	const struct queue_list *l;
	int rc = 0;

	if (x->ntags == 0)
		return 0;
	x->tags = NULL;
	x->tcap = x->ntags = 0;
	for (h = 0; h < x->nlists && rc == 0; h++) {
		if ((l = x->lists[h]) == NULL)
			continue;
		for (i = 0; i < l->n && rc == 0; i++)
			if (set_slot(old, oc, (int)h, l->v[i].arrival,
			    l->v[i].id)->id[0] != '\0')
				rc = set_put(x, (int)h, &l->v[i], 1);
	}
	free(old);
	return rc;
}

int
qidx_update(struct queue_index *x)
{
	int rc = 0;

	if (x->need_prune)
		rc |= prune_tags(x);
	x->need_prune = 0;
	if (x->need_sort) {
		rc |= build_sorted(x);
		x->need_filter = 1;
	}
	x->need_sort = 0;
	if (x->need_filter && rc == 0)
		rc |= build_shown(x);
	x->need_filter = 0;
	if (rc != 0)
		x->n = x->nall = 0;
	return rc;
}

const struct queue_msg *
qidx_msg(const struct queue_index *x, size_t i, int *host)
{
	const struct qref *r;

	if (i >= x->n)
		return NULL;
	r = &x->all[x->v[i]];
	if (host != NULL)
		*host = (int)r->host;
	return ref_msg(x, r);
}

int
qidx_tagged(const struct queue_index *x, size_t i)
{
	const struct queue_msg *m;
	int host;

	m = qidx_msg(x, i, &host);
	return m != NULL && set_has(x, host, m);
}

int
qidx_tag(struct queue_index *x, size_t i, int on)
{
	const struct queue_msg *m;
	int host;

	if ((m = qidx_msg(x, i, &host)) == NULL)
		return 0;
	if (on < 0)
		on = !set_has(x, host, m);
	return set_put(x, host, m, on);
}

int
qidx_tag_shown(struct queue_index *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (qidx_tag(x, i, 1) != 0)
			return -1;
	return 0;
}

void
qidx_untag_all(struct queue_index *x)
{
	free(x->tags);
	x->tags = NULL;
	x->tcap = x->ntags = 0;
}

size_t
qidx_ntagged(const struct queue_index *x, int *nhosts)
{
	unsigned char *seen;
	size_t i;
	int nh = 0;

	if (nhosts == NULL)
		return x->ntags;
	seen = calloc(x->nlists + 1, 1);
	for (i = 0; seen != NULL && i < x->tcap; i++) {
		if (x->tags[i].id[0] == '\0' || x->tags[i].host < 0 ||
		    (size_t)x->tags[i].host >= x->nlists)
			continue;
		nh += !seen[x->tags[i].host];
		seen[x->tags[i].host] = 1;
	}
	free(seen);
	*nhosts = nh;
	return x->ntags;
}

size_t
qidx_tagged_keys(const struct queue_index *x, struct qkey *out, size_t max)
{
	const struct queue_list *l;
	size_t h, i, n = 0;

	for (h = 0; h < x->nlists && x->ntags > 0; h++) {
		if ((l = x->lists[h]) == NULL)
			continue;
		for (i = 0; i < l->n && n < max; i++) {
			if (!set_has(x, (int)h, &l->v[i]))
				continue;
			out[n].host = (int)h;
			out[n].arrival = l->v[i].arrival;
			memcpy(out[n].id, l->v[i].id, sizeof out[n].id);
			n++;
		}
	}
	return n;
}
