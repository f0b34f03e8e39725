/* parse-queue-summary.c: reads what the host-side awk program
 * (src/remote/queue-summary.awk) printed about `postqueue -j` into a struct
 * queue_summary; strict, bounded, the bytes are remote. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-fields.h"
#include "parse-postqueue-int.h"
#include "queue-summary.h"

#define SUM_DIGITS_MAX	26	/* "bytes": awk prints the exact sum */

struct sum_state {
	struct queue_summary *q;
	struct queue_tally *t;
	char	*dec;			/* QUEUE_SUMMARY_LINE_MAX bytes */
	unsigned seen_q, seen_bytes, seen_bad;
	int	rc;
};

static int	fail(char *, size_t, unsigned, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

static int
fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(err, errlen, "queue summary: line %u: %s", line, what);
	else
		snprintf(err, errlen, "queue summary: %s", what);
	return -1;
}

/* Decimal digits only, no leading zero, value <= max; 0 or -1. */
static int
num_parse(const char *p, size_t n, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (n == 0 || n > 20 || (n > 1 && p[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)p[i] - '0';

		if (d > 9 || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* The byte total: exact decimal, kept modulo 2^64 as the C sum is. */
static int
sum_parse(const char *p, size_t n, unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (n == 0 || n > SUM_DIGITS_MAX || (n > 1 && p[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (unsigned)(p[i] - '0');
	}
	*v = x;
	return 0;
}

static int
hex4(const char *p, const char *end, unsigned *v)
{
	unsigned x = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* JSON string body -> bytes (out holds n bytes: decoding never grows).
 * Stops at a bad or cut escape; returns the decoded length. */
static size_t
json_unescape(const char *p, size_t n, char *out)
{
	const char *end = p + n;
	size_t o = 0;
	unsigned u, lo;

	while (p < end) {
		if (*p != '\\') {
			out[o++] = *p++;
			continue;
		}
		if (end - p < 2)
			break;
		switch (p[1]) {
		case '"': case '\\': case '/':
			out[o++] = p[1]; p += 2; continue;
		case 'b': out[o++] = '\b'; p += 2; continue;
		case 'f': out[o++] = '\f'; p += 2; continue;
		case 'n': out[o++] = '\n'; p += 2; continue;
		case 'r': out[o++] = '\r'; p += 2; continue;
		case 't': out[o++] = '\t'; p += 2; continue;
		case 'u': break;
		default: return o;
		}
		if (hex4(p + 2, end, &u) < 0)
			break;
		p += 6;
		if (u >= 0xdc00 && u <= 0xdfff)
			break;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
			    hex4(p + 2, end, &lo) < 0 || lo < 0xdc00 ||
			    lo > 0xdfff)
				break;
			p += 6;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		}
		if (u < 0x80)
			out[o++] = (char)u;
		else if (u < 0x800) {
			out[o++] = (char)(0xc0 | (u >> 6));
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			out[o++] = (char)(0xe0 | (u >> 12));
			out[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | (u >> 18));
			out[o++] = (char)(0x80 | ((u >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		}
	}
	return o;
}

/* Splits off the next field at the first space: its length; *more says
 * whether a space followed (the rest is at *p). */
static size_t
field(const char **p, const char *end, const char **f, int *more)
{
	const char *s = *p, *sp = memchr(s, ' ', (size_t)(end - s));

	*f = s;
	*more = sp != NULL;
	*p = sp != NULL ? sp + 1 : end;
	return (size_t)((sp != NULL ? sp : end) - s);
}

/* "q NAME COUNT OLDEST" after the keyword. */
static int
sum_queue(struct sum_state *st, const char *p, const char *end, unsigned ln,
    char *err, size_t errlen)
{
	const char *a, *b, *c;
	size_t na, nb, nc;
	unsigned long long v, w;
	int i, more;

	na = field(&p, end, &a, &more);
	for (i = 0; i < Q_MAX; i++) {
		const char *name = queue_name_str((enum queue_name)i);

		if (strlen(name) == na && memcmp(name, a, na) == 0)
			break;
	}
	if (i == Q_MAX)
		return fail(err, errlen, ln, "unknown queue name");
	if (st->seen_q & (1u << i))
		return fail(err, errlen, ln, "queue %s repeated",
		    queue_name_str((enum queue_name)i));
	nb = more ? field(&p, end, &b, &more) : 0;
	nc = more ? field(&p, end, &c, &more) : 0;
	if (nb == 0 || nc == 0 || more ||
	    num_parse(b, nb, 0xffffffffu, &v) < 0 ||
	    num_parse(c, nc, 0x7fffffffffffffffULL, &w) < 0)
		return fail(err, errlen, ln, "bad queue line");
	st->seen_q |= 1u << i;
	st->q->count[i] = (unsigned)v;
	st->q->oldest[i] = w ? pf_time_clamp((time_t)w) : 0;
	return 0;
}

/* One line without its '\n'; 0 or -1 (err set). */
static int
sum_line(struct sum_state *st, const char *p, const char *end, unsigned ln,
    char *err, size_t errlen)
{
	struct queue_summary *q = st->q;
	const char *kw, *a;
	size_t nkw, na, nd;
	unsigned long long v;
	int more;

	if (st->rc >= 0)
		return fail(err, errlen, ln, "data after the rc line");
	nkw = field(&p, end, &kw, &more);
	if (!more)
		return fail(err, errlen, ln, "unknown line");
	if (nkw == 1 && kw[0] == 'q')
		return sum_queue(st, p, end, ln, err, errlen);
	na = field(&p, end, &a, &more);
	if (nkw == 1 && kw[0] == 'r') {
		if (!more || p == end ||
		    num_parse(a, na, 0xffffffffu, &v) < 0 || v == 0)
			return fail(err, errlen, ln, "bad reason line");
		if (st->t->n >= QUEUE_TALLY_MAX)
			return fail(err, errlen, ln, "more than %d reasons",
			    QUEUE_TALLY_MAX);
		nd = json_unescape(p, (size_t)(end - p), st->dec);
		queue_tally_add_n(st->t, st->dec, nd, (unsigned)v);
		return 0;
	}
	if (nkw == 5 && memcmp(kw, "bytes", 5) == 0) {
		if (st->seen_bytes++ || more || sum_parse(a, na, &v) < 0)
			return fail(err, errlen, ln, "bad bytes line");
		q->bytes = v;
		return 0;
	}
	if (nkw == 3 && memcmp(kw, "bad", 3) == 0) {
		if (st->seen_bad++ || more ||
		    num_parse(a, na, 0xffffffffu, &v) < 0)
			return fail(err, errlen, ln, "bad malformed-count line");
		q->malformed = (unsigned)v;
		return 0;
	}
	if (nkw == 2 && memcmp(kw, "rc", 2) == 0) {
		if (more || num_parse(a, na, 255, &v) < 0)
			return fail(err, errlen, ln, "bad rc line");
		st->rc = (int)v;
		return 0;
	}
	return fail(err, errlen, ln, "unknown line");
}

int
queue_parse_summary(const char *buf, size_t len, struct queue_summary *q,
    int *pq_rc, char *err, size_t errlen)
{
	struct sum_state st;
	const char *p = buf, *end = buf + len, *nl;
	unsigned ln = 0, total = 0;
	int i, ret = -1;

	memset(q, 0, sizeof *q);
	*pq_rc = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (len > QUEUE_SUMMARY_MAX)
		return fail(err, errlen, 0, "over %u bytes", QUEUE_SUMMARY_MAX);
	memset(&st, 0, sizeof st);
	st.q = q;
	st.rc = -1;
	st.t = calloc(1, sizeof *st.t);
	st.dec = malloc(QUEUE_SUMMARY_LINE_MAX);
	if (st.t == NULL || st.dec == NULL) {
		fail(err, errlen, 0, "out of memory");
		goto out;
	}
	while (p < end) {
		ln++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			fail(err, errlen, ln, "cut short (no newline)");
			goto out;
		}
		if (nl - p >= QUEUE_SUMMARY_LINE_MAX) {
			fail(err, errlen, ln, "line too long");
			goto out;
		}
		if (sum_line(&st, p, nl, ln, err, errlen) < 0)
			goto out;
		p = nl + 1;
	}
	if (st.rc < 0) {
		fail(err, errlen, 0, "no rc line (output cut short)");
		goto out;
	}
	if (st.seen_q != (1u << Q_MAX) - 1 || !st.seen_bytes || !st.seen_bad) {
		fail(err, errlen, 0, "incomplete (q/bytes/bad lines missing)");
		goto out;
	}
	*pq_rc = st.rc;
	queue_tally_top(st.t, q);
	for (i = 0; i < Q_MAX; i++)
		total += q->count[i];
	if (total == 0 && q->malformed > 0) {
		fail(err, errlen, 0, "not postqueue -j output (%u bad lines)",
		    q->malformed);
		goto out;
	}
	ret = 0;
out:
	free(st.t);
	free(st.dec);
	return ret;
}
