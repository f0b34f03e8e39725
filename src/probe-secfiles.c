/* probe-secfiles.c: parses the probe's secfiles section (the password
 * maps' mtimes, the first map's keys, the server certificate's end date,
 * Cyrus mechanisms and plugins) into a struct host_sec. Remote text: each
 * line is bounded, numbers are checked, text is sanitised and cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostsec.h"
#include "sanitize.h"

#define LINE_MAX_LEN	1024

/* A decimal of at most 18 digits, or "-" (-1). 0, or -1 not a number. */
static int
mtime_of(const char *s, size_t n, long long *v)
{
	char buf[20];

	if (n == 1 && s[0] == '-') {
		*v = -1;
		return 0;
	}
	if (n == 0 || n > 18)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strspn(buf, "0123456789") != n)
		return -1;
	*v = strtoll(buf, NULL, 10);
	return 0;
}

/* The next space-separated word of [*p, e), advanced past it. */
static size_t
word(const char **p, const char *e, const char **w)
{
	const char *s = *p, *q;

	while (s < e && *s == ' ')
		s++;
	for (q = s; q < e && *q != ' '; q++)
		;
	*w = s;
	*p = q;
	return (size_t)(q - s);
}

static void
text_of(char *dst, size_t len, const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	sanitize_copy(dst, len, s, (size_t)(e - s));
}

static int
is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

static void
take_map(struct host_sec *s, const char *p, const char *e)
{
	struct hostsec_map *m;
	const char *w[4];
	size_t n[4];
	int i;

	if (s->nmap >= HOSTSEC_MAPS)
		return;
	m = &s->map[s->nmap];
	for (i = 0; i < 4; i++)
		n[i] = word(&p, e, &w[i]);
	if (n[0] == 0 || n[0] >= sizeof(m->type) || n[1] == 0 ||
	    n[1] >= sizeof(m->path) || w[1][0] != '/' ||
	    mtime_of(w[2], n[2], &m->src_mtime) != 0 ||
	    mtime_of(w[3], n[3], &m->db_mtime) != 0)
		return;
	sanitize_copy(m->type, sizeof(m->type), w[0], n[0]);
	sanitize_copy(m->path, sizeof(m->path), w[1], n[1]);
	s->nmap++;
}

/* "rc=N via=V PATH" */
static void
take_keys(struct host_sec *s, const char *p, const char *e)
{
	const char *w;
	size_t n = word(&p, e, &w);

	s->keys = is(w, n, "rc=0") ? HSK_READ : HSK_UNREADABLE;
	n = word(&p, e, &w);
	if (n > 4 && n - 4 < sizeof(s->keys_via) && memcmp(w, "via=", 4) == 0)
		sanitize_copy(s->keys_via, sizeof(s->keys_via), w + 4, n - 4);
}

static void
take_key(struct host_sec *s, const char *p, const char *e)
{
	size_t n = (size_t)(e - p), i;

	if (s->keys != HSK_READ || s->nkeys >= HOSTSEC_KEYS || n == 0 ||
	    n >= HOSTSEC_KEY_MAX || p[0] == '#')
		return;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] > '~')
			return;
	memcpy(s->key[s->nkeys], p, n);
	s->key[s->nkeys][n] = '\0';
	s->nkeys++;
}

static void
take_cert(struct host_sec *s, const char *p, const char *e)
{
	const char *w;
	size_t n = word(&p, e, &w);
	char t[64];

	s->cert = 0;
	while (p < e && *p == ' ')
		p++;
	if (is(w, n, "0") && (size_t)(e - p) > 9 &&
	    memcmp(p, "notAfter=", 9) == 0) {
		text_of(t, sizeof(t), p + 9, e);
		if (hostsec_parse_time(t, &s->cert_end) == 0) {
			s->cert = 1;
			return;
		}
	}
	text_of(s->cert_err, sizeof(s->cert_err), p, e);
}

static void
take_line(struct host_sec *s, const char *p, const char *e)
{
	const char *w;
	size_t n = word(&p, e, &w);

	if (p < e && *p == ' ')
		p++;
	if (is(w, n, "map"))
		take_map(s, p, e);
	else if (is(w, n, "keys") && s->keys == HSK_NONE)
		take_keys(s, p, e);
	else if (is(w, n, "key"))
		take_key(s, p, e);
	else if (is(w, n, "err") && s->keys == HSK_UNREADABLE &&
	    s->keys_err[0] == '\0')
		text_of(s->keys_err, sizeof(s->keys_err), p, e);
	else if (is(w, n, "cert"))
		take_cert(s, p, e);
	else if (is(w, n, "mechs"))
		text_of(s->mechs, sizeof(s->mechs), p, e);
	else if (is(w, n, "plugins")) {
		s->plugins_known = 1;
		text_of(s->plugins, sizeof(s->plugins), p, e);
	} else if (is(w, n, "sasloffer")) {
		long long v;

		if (mtime_of(p, (size_t)(e - p), &v) == 0 && v >= 0 &&
		    v < 1000)
			s->sasl_offer = (int)v;
	}
}

int
hostsec_parse(const char *body, size_t len, struct host_sec *s)
{
	const char *p = body, *end = body + len;

	memset(s, 0, sizeof(*s));
	s->cert = -1;
	s->sasl_offer = -1;
	s->valid = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		if (e - p <= LINE_MAX_LEN)
			take_line(s, p, e);
		p = e + 1;
	}
	return 0;
}

int
hostsec_parse_time(const char *text, time_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4], zone[4];
	int d, hh, mm, ss, y, i;
	struct tm tm;

	/* "Dec 20 12:00:00 2026 GMT" (the day padded with a space) */
	if (sscanf(text, "%3s %d %d:%d:%d %d %3s", mon, &d, &hh, &mm, &ss, &y,
	    zone) != 7 || strcmp(zone, "GMT") != 0 || d < 1 || d > 31 ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 ||
	    y < 1970 || y > 9999)
		return -1;
	for (i = 0; i < 12; i++)
		if (strncmp(months + 3 * i, mon, 3) == 0)
			break;
	if (i == 12 || strlen(mon) != 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = i;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}
