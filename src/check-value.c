/* check-value.c: reading a host's Postfix settings the way Postfix does for
 * the doctor's rules: $name expansion (with the 3.x conditional forms), list
 * splitting, loopback-only interfaces and mynetworks match lists. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"
#include "topology.h"

#define EXPAND_DEPTH	8

const char *
chk_raw(const struct host *h, const char *name)
{
	size_t i;

	if (!h->settings_valid)
		return NULL;
	for (i = 0; i < h->settings.n; i++)
		if (strcmp(h->settings.v[i].name, name) == 0)
			return h->settings.v[i].value ? h->settings.v[i].value
			    : "";
	return NULL;
}

const char *
chk_val(const struct host *h, const char *name)
{
	const char *v = chk_raw(h, name);

	return v != NULL ? v : "";
}

int
chk_yes(const char *v)
{
	return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0;
}

/* Values assumed for names the probe does not fetch but defaults refer to
 * (documented in assets/check-format.md). compatibility_level: Debian 12's
 * main.cf sets 3.6; below 1 the relay rules come out the same anyway. */
static const char *
assumed(const char *name)
{
	static const char *const tab[][2] = {
		{ "compatibility_level", "3.6" },
		{ "fallback_relay", "" },
		{ "multi_instance_name", "" },
		{ "smtpd_recipient_restrictions", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(tab[i][0], name) == 0)
			return tab[i][1];
	return NULL;
}

static const char *
raw_or_assumed(const struct host *h, const char *name)
{
	const char *v = chk_raw(h, name);

	return v != NULL || !h->settings_valid ? v : assumed(name);
}

struct out {
	char	*p;
	size_t	len, n;
	int	bad;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->bad || o->n + n >= o->len) {
		o->bad = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

/* Index just past the '}' matching the '{' at s[i], or 0 when none. */
static size_t
brace_end(const char *s, size_t n, size_t i)
{
	int depth = 0;

	for (; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i + 1;
	}
	return 0;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i;
}

static int expand(const struct host *h, const char *s, size_t n,
    struct out *o, int depth);

/* Expands s[0..n) into a fresh buffer. */
static char *
expand_dup(const struct host *h, const char *s, size_t n, int depth)
{
	char *buf = malloc(CHECK_EXPAND_MAX);
	struct out o = { buf, CHECK_EXPAND_MAX, 0, 0 };

	if (buf == NULL)
		return NULL;
	buf[0] = '\0';
	if (expand(h, s, n, &o, depth) != 0 || o.bad) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Compatibility levels "3.6" vs "1": numeric, part by part. */
static int
level_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b,
		    10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((*a && !isdigit((unsigned char)*a)) ||
		    (*b && !isdigit((unsigned char)*b)))
			break;
	}
	return 0;
}

static int
relation(const char *a, const char *op, size_t opn, const char *b)
{
	int c, lvl = opn > 5 && memcmp(op + opn - 5, "level", 5) == 0;
	char *ea, *eb;
	long x, y;

	if (lvl) {
		opn -= 5;
		c = level_cmp(a, b);
	} else {
		x = strtol(a, &ea, 10);
		y = strtol(b, &eb, 10);
		if (*a && *b && *ea == '\0' && *eb == '\0')
			c = x < y ? -1 : x > y;
		else
			c = strcmp(a, b);
	}
	if (opn == 2 && memcmp(op, "==", 2) == 0)
		return c == 0;
	if (opn == 2 && memcmp(op, "!=", 2) == 0)
		return c != 0;
	if (opn == 1 && op[0] == '<')
		return c < 0;
	if (opn == 2 && memcmp(op, "<=", 2) == 0)
		return c <= 0;
	if (opn == 1 && op[0] == '>')
		return c > 0;
	if (opn == 2 && memcmp(op, ">=", 2) == 0)
		return c >= 0;
	return -1;
}

/* ${{a} op {b} ? {x} : {y}}: s[i] is the first '{' after "${". */
static size_t
expand_relational(const struct host *h, const char *s, size_t n, size_t i,
    struct out *o, int depth)
{
	size_t a0 = i, a1, b0, b1, x0, x1, y0, y1, op0, opn, end;
	char *a, *b;
	int r;

	if ((a1 = brace_end(s, n, a0)) == 0)
		return 0;
	op0 = skip_ws(s, n, a1);
	for (i = op0; i < n && !isspace((unsigned char)s[i]) && s[i] != '{';
	    i++)
		;
	opn = i - op0;
	b0 = skip_ws(s, n, i);
	if (b0 >= n || s[b0] != '{' || (b1 = brace_end(s, n, b0)) == 0)
		return 0;
	i = skip_ws(s, n, b1);
	if (i >= n || s[i] != '?')
		return 0;
	x0 = skip_ws(s, n, i + 1);
	if (x0 >= n || s[x0] != '{' || (x1 = brace_end(s, n, x0)) == 0)
		return 0;
	i = skip_ws(s, n, x1);
	if (i >= n || s[i] != ':')
		return 0;
	y0 = skip_ws(s, n, i + 1);
	if (y0 >= n || s[y0] != '{' || (y1 = brace_end(s, n, y0)) == 0)
		return 0;
	end = skip_ws(s, n, y1);
	if (end >= n || s[end] != '}')
		return 0;
	a = expand_dup(h, s + a0 + 1, a1 - a0 - 2, depth + 1);
	b = expand_dup(h, s + b0 + 1, b1 - b0 - 2, depth + 1);
	r = a && b ? relation(a, s + op0, opn, b) : -1;
	free(a);
	free(b);
	if (r < 0)
		return 0;
	if (r)
		r = expand(h, s + x0 + 1, x1 - x0 - 2, o, depth + 1);
	else
		r = expand(h, s + y0 + 1, y1 - y0 - 2, o, depth + 1);
	return r == 0 ? end + 1 : 0;
}

/* Body of a ${name?..} / ${name:..} branch: "{text}" or bare text. */
static int
branch(const char *s, size_t n, size_t i, size_t *b0, size_t *b1,
    size_t *next)
{
	size_t e;

	if (i < n && s[i] == '{') {
		if ((e = brace_end(s, n, i)) == 0)
			return -1;
		*b0 = i + 1;
		*b1 = e - 1;
		*next = skip_ws(s, n, e);
		return 0;
	}
	*b0 = i;
	for (e = i; e < n && s[e] != '}'; e++)
		;
	*b1 = e;
	*next = e;
	return 0;
}

static int
lookup(const struct host *h, const char *name, size_t nn, struct out *o,
    int depth, int *empty)
{
	char key[PC_NAME_MAX];
	const char *v;

	if (nn == 0 || nn >= sizeof(key))
		return -1;
	memcpy(key, name, nn);
	key[nn] = '\0';
	if ((v = raw_or_assumed(h, key)) == NULL)
		return -1;
	if (o == NULL) {
		char *e = expand_dup(h, v, strlen(v), depth + 1);

		if (e == NULL)
			return -1;
		*empty = e[0] == '\0';
		free(e);
		return 0;
	}
	return expand(h, v, strlen(v), o, depth + 1);
}

static int
expand(const struct host *h, const char *s, size_t n, struct out *o,
    int depth)
{
	size_t i = 0, j, k;

	if (depth > EXPAND_DEPTH)
		return -1;
	while (i < n) {
		const char *d = memchr(s + i, '$', n - i);

		if (d == NULL) {
			put(o, s + i, n - i);
			break;
		}
		put(o, s + i, (size_t)(d - s) - i);
		i = (size_t)(d - s) + 1;
		if (i < n && s[i] == '$') {
			put(o, "$", 1);
			i++;
			continue;
		}
		if (i < n && (s[i] == '{' || s[i] == '(')) {
			char close = s[i] == '{' ? '}' : ')';

			j = i + 1;
			if (close == '}' && j < n && s[j] == '{') {
				k = expand_relational(h, s, n, j, o, depth);
				if (k == 0)
					return -1;
				i = k;
				continue;
			}
			for (k = j; k < n && (isalnum((unsigned char)s[k]) ||
			    s[k] == '_'); k++)
				;
			if (k >= n)
				return -1;
			if (s[k] == close) {
				if (lookup(h, s + j, k - j, o, depth, NULL))
					return -1;
				i = k + 1;
			} else if (close == '}' && (s[k] == '?' ||
			    s[k] == ':')) {
				size_t x0, x1, y0 = 0, y1 = 0, nx;
				int empty, use;

				if (lookup(h, s + j, k - j, NULL, depth,
				    &empty) != 0 ||
				    branch(s, n, k + 1, &x0, &x1, &nx) != 0)
					return -1;
				use = s[k] == '?' ? !empty : empty;
				if (s[k] == '?' && nx < n && s[nx] == ':') {
					nx = skip_ws(s, n, nx + 1);
					if (branch(s, n, nx, &y0, &y1, &nx))
						return -1;
				}
				nx = skip_ws(s, n, nx);
				if (nx >= n || s[nx] != '}')
					return -1;
				if (use && expand(h, s + x0, x1 - x0, o,
				    depth + 1) != 0)
					return -1;
				if (!use && y1 > y0 && expand(h, s + y0,
				    y1 - y0, o, depth + 1) != 0)
					return -1;
				i = nx + 1;
			} else {
				return -1;
			}
			continue;
		}
		for (k = i; k < n && (isalnum((unsigned char)s[k]) ||
		    s[k] == '_'); k++)
			;
		if (k == i)
			return -1;
		if (lookup(h, s + i, k - i, o, depth, NULL) != 0)
			return -1;
		i = k;
	}
	return o->bad ? -1 : 0;
}

int
chk_expand(const struct host *h, const char *value, char *buf, size_t len)
{
	struct out o = { buf, len, 0, 0 };

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (expand(h, value, strlen(value), &o, 0) != 0 || o.bad) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
chk_setting(const struct host *h, const char *name, char *buf, size_t len)
{
	const char *v = raw_or_assumed(h, name);

	if (v == NULL) {
		if (len)
			buf[0] = '\0';
		return -1;
	}
	return chk_expand(h, v, buf, len);
}

int
chk_loopback_only(const char *ifaces)
{
	const char *cur = ifaces, *it;
	size_t n;
	int any = 0;

	while (postconf_list_next(&cur, &it, &n)) {
		struct cidr c;

		any = 1;
		if ((n == 13 && strncasecmp(it, "loopback-only", 13) == 0) ||
		    (n == 9 && strncasecmp(it, "localhost", 9) == 0))
			continue;
		if (cidr_parse_addr(it, n, &c) == 0 && cidr_is_loopback(&c))
			continue;
		return 0;
	}
	/* empty inet_interfaces is not valid Postfix; "all" is the default */
	return any;
}

int
chk_netlist_match(const char *list, const struct cidr *addr)
{
	const char *cur = list, *it;
	size_t n;
	int unknown = 0;

	while (postconf_list_next(&cur, &it, &n)) {
		int neg = 0;
		struct cidr net;

		if (n > 0 && it[0] == '!') {
			neg = 1;
			it++;
			n--;
		}
		if (cidr_parse(it, n, &net) != 0) {
			/* tables, files, names: Postfix may match there */
			unknown = 1;
			continue;
		}
		if (cidr_contains(&net, addr))
			return unknown ? -1 : !neg;
	}
	return unknown ? -1 : 0;
}

int
chk_host_cidr(const struct host *h, struct cidr *out)
{
	const char *a;

	if (h->cfg == NULL)
		return -1;
	a = h->cfg->address;
	return cidr_parse_addr(a, strlen(a), out);
}

static unsigned
fam_of(int family)
{
	return family == 4 ? CHK_FAM4 : family == 6 ? CHK_FAM6 : 0;
}

unsigned
chk_families(const struct host *h)
{
	char v[CHECK_EXPAND_MAX];
	const char *cur = v, *it;
	size_t n;
	unsigned f = 0;

	if (chk_setting(h, "inet_protocols", v, sizeof(v)) != 0)
		return CHK_FAM4 | CHK_FAM6;
	while (postconf_list_next(&cur, &it, &n)) {
		if (n == 3 && strncasecmp(it, "all", 3) == 0)
			f |= CHK_FAM4 | CHK_FAM6;
		else if (n == 4 && strncasecmp(it, "ipv4", 4) == 0)
			f |= CHK_FAM4;
		else if (n == 4 && strncasecmp(it, "ipv6", 4) == 0)
			f |= CHK_FAM6;
		else
			return CHK_FAM4 | CHK_FAM6;	/* not Postfix's: unknown */
	}
	return f ? f : CHK_FAM4 | CHK_FAM6;
}

unsigned
chk_listen_families(const struct host *h)
{
	char v[CHECK_EXPAND_MAX];
	const char *cur = v, *it;
	size_t n;
	unsigned f = 0, fam = chk_families(h);
	struct cidr a;

	if (chk_setting(h, "inet_interfaces", v, sizeof(v)) != 0)
		return fam;
	while (postconf_list_next(&cur, &it, &n)) {
		if (cidr_parse_addr(it, n, &a) != 0)
			return fam;	/* all, loopback-only, names */
		f |= fam_of(a.family);
	}
	return f ? fam & f : fam;
}

unsigned
chk_target_families(const struct relay_target *t)
{
	struct cidr a;

	if (cidr_parse_addr(t->host, strlen(t->host), &a) == 0)
		return fam_of(a.family);
	return CHK_FAM4 | CHK_FAM6;
}

const char *
chk_family_name(unsigned fam)
{
	switch (fam & (CHK_FAM4 | CHK_FAM6)) {
	case CHK_FAM4:
		return "IPv4";
	case CHK_FAM6:
		return "IPv6";
	case CHK_FAM4 | CHK_FAM6:
		return "IPv4 or IPv6";
	}
	return "none";
}
