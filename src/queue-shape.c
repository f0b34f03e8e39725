/* queue-shape.c: the qshape-style table of deferred mail (domain x age
 * bucket, per host and merged) and the normalised top deferral reasons.
 * Hash tables keep adding 100,000 messages linear; nothing here does I/O. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue-id.h"
#include "queue-msg.h"
#include "queue-shape.h"

const unsigned qshape_bucket_min[QSHAPE_BUCKETS - 1] = {
	5, 10, 20, 40, 80, 160, 320, 640, 1280
};

static const char *const bucket_names[QSHAPE_BUCKETS] = {
	"5", "10", "20", "40", "80", "160", "320", "640", "1280", "1280+"
};

int
qshape_bucket(time_t age_s)
{
	time_t min = age_s > 0 ? age_s / 60 : 0;
	int i;

	for (i = 0; i < QSHAPE_BUCKETS - 1; i++)
		if (min < (time_t)qshape_bucket_min[i])
			return i;
	return QSHAPE_BUCKETS - 1;
}

const char *
qshape_bucket_name(int i)
{
	return i >= 0 && i < QSHAPE_BUCKETS ? bucket_names[i] : "?";
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Doubles an open-addressing index of *hcap slots over n keys whose key i
 * is keyof(base, i). Returns 0, -1 on ENOMEM. */
static int
index_grow(size_t **hash, size_t *hcap, size_t n, const void *base,
    const char *(*keyof)(const void *, size_t))
{
	size_t cap = *hcap ? *hcap * 2 : 64, i, j, *nh;

	nh = calloc(cap, sizeof *nh);
	if (nh == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		j = (size_t)str_hash(keyof(base, i)) & (cap - 1);
		while (nh[j] != 0)
			j = (j + 1) & (cap - 1);
		nh[j] = i + 1;
	}
	free(*hash);
	*hash = nh;
	*hcap = cap;
	return 0;
}

/* The slot of key in the index (holding 0 when absent). */
static size_t *
index_find(size_t *hash, size_t hcap, const char *key, const void *base,
    const char *(*keyof)(const void *, size_t))
{
	size_t j = (size_t)str_hash(key) & (hcap - 1);

	while (hash[j] != 0 && strcmp(keyof(base, hash[j] - 1), key) != 0)
		j = (j + 1) & (hcap - 1);
	return &hash[j];
}

static const char *
row_key(const void *base, size_t i)
{
	return ((const struct qshape_row *)base)[i].domain;
}

static const char *
reason_key(const void *base, size_t i)
{
	return ((const struct qshape_reason *)base)[i].text;
}

/* A growing array of elements of size esz found by a string key (the
 * caller copies its array's fields in and, after keyed_get, back out). */
struct keyed {
	void	*v;
	size_t	n, cap, esz;
	size_t	*hash, hcap;
	const char *(*keyof)(const void *, size_t);
};

/* The element whose key is key, added zeroed (*added = 1) when new; NULL
 * on ENOMEM. */
static void *
keyed_get(struct keyed *k, const char *key, int *added)
{
	size_t *slot, cap;
	char *nv;

	*added = 0;
	if ((k->n + 1) * 2 > k->hcap &&
	    index_grow(&k->hash, &k->hcap, k->n, k->v, k->keyof) != 0)
		return NULL;
	slot = index_find(k->hash, k->hcap, key, k->v, k->keyof);
	if (*slot != 0)
		return (char *)k->v + (*slot - 1) * k->esz;
	if (k->n == k->cap) {
		cap = k->cap ? k->cap * 2 : 16;
		nv = realloc(k->v, cap * k->esz);
		if (nv == NULL)
			return NULL;
		k->v = nv;
		k->cap = cap;
	}
	nv = (char *)k->v + k->n * k->esz;
	memset(nv, 0, k->esz);
	*slot = ++k->n;
	*added = 1;
	return nv;
}

/* The row of domain in t, added when new; NULL on ENOMEM. */
static struct qshape_row *
table_row(struct qshape_table *t, const char *domain)
{
	struct keyed k = { t->rows, t->n, t->cap, sizeof *t->rows, t->hash,
	    t->hcap, row_key };
	struct qshape_row *r;
	int added;

	r = keyed_get(&k, domain, &added);
	t->rows = k.v;
	t->n = k.n;
	t->cap = k.cap;
	t->hash = k.hash;
	t->hcap = k.hcap;
	if (r != NULL && added)
		memcpy(r->domain, domain, strlen(domain) + 1);
	return r;
}

/* The reason text, added when new; NULL on ENOMEM (a reason whose host
 * counts could not be allocated keeps host NULL and is never counted). */
static struct qshape_reason *
reason_slot(struct qshape *s, const char *text)
{
	struct keyed k = { s->reasons, s->nreasons, s->rcap,
	    sizeof *s->reasons, s->rhash, s->rhcap, reason_key };
	struct qshape_reason *r;
	int added;

	r = keyed_get(&k, text, &added);
	s->reasons = k.v;
	s->nreasons = k.n;
	s->rcap = k.cap;
	s->rhash = k.hash;
	s->rhcap = k.hcap;
	if (r == NULL)
		return NULL;
	if (added) {
		memcpy(r->text, text, strlen(text) + 1);
		r->host = calloc((size_t)s->nhosts, sizeof *r->host);
	}
	return r->host != NULL ? r : NULL;
}

int
qshape_init(struct qshape *s, int nhosts)
{
	memset(s, 0, sizeof *s);
	if (nhosts < 1)
		nhosts = 1;
	s->host = calloc((size_t)nhosts, sizeof *s->host);
	if (s->host == NULL)
		return -1;
	s->nhosts = nhosts;
	return 0;
}

static void
table_free(struct qshape_table *t)
{
	free(t->rows);
	free(t->hash);
}

void
qshape_free(struct qshape *s)
{
	size_t i;

	table_free(&s->merged);
	for (i = 0; s->host != NULL && i < (size_t)s->nhosts; i++)
		table_free(&s->host[i]);
	free(s->host);
	for (i = 0; i < s->nreasons; i++)
		free(s->reasons[i].host);
	free(s->reasons);
	free(s->rhash);
	memset(s, 0, sizeof *s);
}

void
qshape_domain(const char *addr, char *out)
{
	const char *d = addr != NULL ? queue_addr_domain(addr) : "";
	size_t i;

	for (i = 0; d[i] != '\0' && i < QSHAPE_DOMAIN_MAX - 1; i++)
		out[i] = (char)tolower((unsigned char)d[i]);
	out[i] = '\0';
}

static void
row_count(struct qshape_row *r, int b)
{
	r->total++;
	r->b[b]++;
}

int
qshape_add(struct qshape *s, int host, time_t arrival, time_t now,
    const char *const *addr, const char *const *reason, size_t nrcpt)
{
	char dom[QSHAPE_DOMAIN_MAX];
	char text[QSHAPE_REASON_MAX];
	struct qshape_row *rm, *rh;
	struct qshape_reason *rs;
	size_t i;
	int b = qshape_bucket(now - arrival), rc = 0;

	if (host < 0 || host >= s->nhosts)
		return -1;
	s->messages++;
	row_count(&s->merged.all, b);
	row_count(&s->host[host].all, b);
	for (i = 0; i < nrcpt; i++) {
		qshape_domain(addr[i], dom);
		rm = table_row(&s->merged, dom);
		if (rm == NULL)
			return -1;
		/* once per distinct domain of this message */
		if (rm->stamp == s->messages)
			continue;
		rm->stamp = s->messages;
		if ((rh = table_row(&s->host[host], dom)) == NULL)
			return -1;
		row_count(rm, b);
		row_count(rh, b);
	}
	for (i = 0; reason != NULL && i < nrcpt; i++) {
		if (reason[i] == NULL || reason[i][0] == '\0')
			continue;
		qshape_reason_norm(reason[i], text, sizeof text);
		if ((rs = reason_slot(s, text)) == NULL) {
			rc = -1;
			break;
		}
		rs->total++;
		rs->host[host]++;
	}
	return rc;
}

int
qshape_add_lists(struct qshape *s, const struct queue_list *const *lists,
    size_t nlists, int host_only, time_t now)
{
	const char *addr[QMSG_RCPT_KEEP], *why[QMSG_RCPT_KEEP];
	const struct queue_msg *m;
	size_t h, i, k, n;
	int rc = 0;

	for (h = 0; h < nlists && h < (size_t)s->nhosts && rc == 0; h++) {
		if (lists[h] == NULL || (host_only >= 0 &&
		    (size_t)host_only != h))
			continue;
		for (i = 0; i < lists[h]->n && rc == 0; i++) {
			m = &lists[h]->v[i];
			if (m->queue != Q_DEFERRED)
				continue;
			n = m->nrcpt < QMSG_RCPT_KEEP ? m->nrcpt :
			    QMSG_RCPT_KEEP;
			for (k = 0; k < n; k++) {
				addr[k] = m->rcpt[k].addr;
				why[k] = m->rcpt[k].reason;
			}
			rc = qshape_add(s, (int)h, m->arrival, now, addr, why,
			    n);
		}
	}
	qshape_finish(s);
	return rc;
}

/* Most first, then by key. */
static int
most_first(unsigned ta, unsigned tb, const char *ka, const char *kb)
{
	if (ta != tb)
		return ta < tb ? 1 : -1;
	return strcmp(ka, kb);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct qshape_row *a = pa, *b = pb;

	return most_first(a->total, b->total, a->domain, b->domain);
}

static int
reason_cmp(const void *pa, const void *pb)
{
	const struct qshape_reason *a = pa, *b = pb;

	return most_first(a->total, b->total, a->text, b->text);
}

/* Sorting moves rows: the indexes are dropped (no add after finish). */
static void
table_finish(struct qshape_table *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof *t->rows, row_cmp);
	free(t->hash);
	t->hash = NULL;
	t->hcap = 0;
}

void
qshape_finish(struct qshape *s)
{
	int i;

	table_finish(&s->merged);
	for (i = 0; i < s->nhosts; i++)
		table_finish(&s->host[i]);
	if (s->nreasons > 1)
		qsort(s->reasons, s->nreasons, sizeof *s->reasons, reason_cmp);
	free(s->rhash);
	s->rhash = NULL;
	s->rhcap = 0;
}

/* 1 when p[0..n) is hex digits with at least one decimal digit. */
static int
is_hexnum(const char *p, size_t n)
{
	size_t i;
	int digit = 0;

	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return 0;
		digit |= isdigit((unsigned char)p[i]) != 0;
	}
	return digit;
}

static int
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

char *
qshape_reason_norm(const char *in, char *out, size_t outlen)
{
	const char *p = in, *e;
	size_t o = 0, n, k;
	int space = 0;

#define PUT(c)	do { if (o + 1 < outlen) out[o++] = (c); } while (0)
	if (outlen == 0)
		return out;
	while (p != NULL && *p != '\0' && o + 1 < outlen) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = o > 0;
			p++;
			continue;
		}
		if (space)
			PUT(' ');
		space = 0;
		if (!is_alnum(*p)) {
			PUT(*p);
			p++;
			continue;
		}
		for (e = p; is_alnum(*e); e++)
			;
		n = (size_t)(e - p);
		if (queue_id_valid(p, n) || is_hexnum(p, n)) {
			PUT('#');
			p = e;
			continue;
		}
		for (k = 0; k < n; k++) {
			if (p[k] >= '0' && p[k] <= '9') {
				if (k == 0 || !(p[k - 1] >= '0' &&
				    p[k - 1] <= '9'))
					PUT('#');
			} else
				PUT(p[k]);
		}
		p = e;
	}
#undef PUT
	out[o] = '\0';
	return out;
}
