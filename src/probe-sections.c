/* probe-sections.c: splits the probe script's output into sections at the
 * per-run boundary "@@RT-<local token><remote token>". Remote text cannot
 * forge a header without both tokens; every scan is bounded by len. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define RTOKEN_MAX	64

static const char *
find(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0 || hn < nn)
		return NULL;
	for (i = 0; i + nn <= hn; i++) {
		const char *p = memchr(hay + i, needle[0], hn - nn + 1 - i);

		if (p == NULL)
			return NULL;
		i = (size_t)(p - hay);
		if (memcmp(p, needle, nn) == 0)
			return p;
	}
	return NULL;
}

static int
is_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* Parses the header line [p, eol): "NAME ARGS". */
static int
header_parse(const char *p, const char *eol, struct probe_section *s)
{
	const char *sp = memchr(p, ' ', (size_t)(eol - p));
	size_t nn = sp ? (size_t)(sp - p) : (size_t)(eol - p);

	if (nn == 0 || nn >= sizeof(s->name))
		return -1;
	memcpy(s->name, p, nn);
	s->name[nn] = '\0';
	s->args = sp ? sp + 1 : eol;
	s->args_len = sp ? (size_t)(eol - sp - 1) : 0;
	return 0;
}

int
probe_sections_split(const char *text, size_t len, const char *token,
    struct probe_output *out)
{
	char first[96], bound[128];
	const char *p, *end = text + len, *eol, *rtok;
	size_t fn, bn, tn = strlen(token), rn;

	memset(out, 0, sizeof(*out));
	if (tn == 0 || tn > 40)
		return -1;
	fn = (size_t)snprintf(first, sizeof(first), "@@RT-%s begin ", token);
	if (len < fn || memcmp(text, first, fn) != 0)
		return -1;
	rtok = text + fn;
	eol = memchr(rtok, '\n', (size_t)(end - rtok));
	if (eol == NULL)
		return -1;
	rn = (size_t)(eol - rtok);
	if (rn > RTOKEN_MAX || !is_hex(rtok, rn))
		return -1;
	/* a boundary is "\n@@RT-<token><rtoken> " */
	bn = (size_t)snprintf(bound, sizeof(bound), "\n@@RT-%s%.*s ", token,
	    (int)rn, rtok);
	/* the begin line ends in '\n' and the first header follows at once */
	p = eol + 1;
	while (p < end) {
		const char *h = find(p, (size_t)(end - p), bound, bn), *hl;
		struct probe_section *s;

		if (h == NULL)
			break;
		if (out->n > 0) {
			s = &out->v[out->n - 1];
			/* an empty body: the header's own newline starts the
			 * next boundary, which lies before the body pointer */
			s->body_len = h > s->body ? (size_t)(h - s->body) : 0;
		} else if (h != eol + 1) {
			return -1;	/* text before the first header */
		}
		hl = h + bn;
		eol = memchr(hl, '\n', (size_t)(end - hl));
		if (eol == NULL)
			eol = end;
		if (out->n == PROBE_SECTIONS_MAX)
			return -1;
		s = &out->v[out->n];
		if (header_parse(hl, eol, s) != 0)
			return -1;
		out->n++;
		s->body = eol < end ? eol + 1 : end;
		s->body_len = (size_t)(end - s->body);
		if (strcmp(s->name, "end") == 0) {
			out->complete = 1;
			s->body_len = 0;
			break;
		}
		p = eol;
	}
	return 0;
}

const struct probe_section *
probe_section_next(const struct probe_output *o, const char *name, int *i)
{
	int k;

	for (k = *i + 1; k >= 0 && (size_t)k < o->n; k++) {
		if (strcmp(o->v[k].name, name) == 0) {
			*i = k;
			return &o->v[k];
		}
	}
	*i = (int)o->n;
	return NULL;
}

int
probe_section_arg(const struct probe_section *s, const char *key, char *buf,
    size_t len)
{
	size_t kn = strlen(key), i = 0;

	while (i < s->args_len) {
		size_t j = i;

		while (j < s->args_len && s->args[j] != ' ')
			j++;
		if (j - i > kn && memcmp(s->args + i, key, kn) == 0 &&
		    s->args[i + kn] == '=') {
			size_t vn = j - i - kn - 1;

			if (len == 0)
				return 0;
			if (vn >= len)
				vn = len - 1;
			memcpy(buf, s->args + i + kn + 1, vn);
			buf[vn] = '\0';
			return 0;
		}
		i = j + 1;
	}
	return -1;
}

int
probe_section_arg_u64(const struct probe_section *s, const char *key,
    uint64_t *v)
{
	char buf[24], *e;
	unsigned long long x;

	if (probe_section_arg(s, key, buf, sizeof(buf)) != 0 || buf[0] < '0' ||
	    buf[0] > '9')
		return -1;
	x = strtoull(buf, &e, 10);
	if (*e != '\0' || strlen(buf) > 19)
		return -1;
	*v = x;
	return 0;
}

const struct probe_section *
probe_section_step(const struct probe_output *o, int i, const char *name,
    int *rc)
{
	const struct probe_section *s;
	size_t nn = strlen(name);
	uint64_t v;

	if (i < 0 || (size_t)i + 1 >= o->n)
		return NULL;
	s = &o->v[i + 1];
	if (strcmp(s->name, "step") != 0 || s->args_len <= nn ||
	    memcmp(s->args, name, nn) != 0 || s->args[nn] != ' ')
		return NULL;
	*rc = probe_section_arg_u64(s, "rc", &v) == 0 && v < 256 ? (int)v : -1;
	return s;
}

int
probe_section_has(const struct probe_section *s, const char *needle)
{
	size_t nn = strlen(needle), i;

	for (i = 0; s && i + nn <= s->body_len; i++)
		if (memcmp(s->body + i, needle, nn) == 0)
			return 1;
	return 0;
}

void
probe_section_first_line(const struct probe_section *s, char *buf,
    size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	if (s != NULL)
		while (n < s->body_len && s->body[n] != '\n')
			n++;
	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(buf, s->body, n);
	buf[n] = '\0';
}
