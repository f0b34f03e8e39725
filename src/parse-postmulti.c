/* parse-postmulti.c: `postmulti -l` lines (plus the syslog_name the probe
 * adds) into the instances a host runs besides its default one. Remote
 * text: every field is checked against an allowlist before it is kept. */
#include <string.h>

#include "postmulti.h"
#include "shquote.h"

#define BLANKS	" \t"
#define NAME_CH	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* The next blank-separated field of [*p, e) into buf; 0, or -1 when there
 * is none or it does not fit. */
static int
field(const char **p, const char *e, char *buf, size_t len)
{
	const char *s = *p, *t;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	t = s;
	while (t < e && *t != ' ' && *t != '\t')
		t++;
	*p = t;
	if (t == s || (size_t)(t - s) >= len)
		return -1;
	memcpy(buf, s, (size_t)(t - s));
	buf[t - s] = '\0';
	return 0;
}

static int
only(const char *s, const char *allowed)
{
	return s[0] != '\0' && strspn(s, allowed) == strlen(s);
}

static int
line_parse(const char *p, const char *e, struct host_instance *in)
{
	char group[64], en[8];

	memset(in, 0, sizeof(*in));
	if (field(&p, e, in->name, sizeof(in->name)) != 0 ||
	    field(&p, e, group, sizeof(group)) != 0 ||
	    field(&p, e, en, sizeof(en)) != 0 ||
	    field(&p, e, in->config_dir, sizeof(in->config_dir)) != 0)
		return -1;
	if (strcmp(in->name, "-") == 0 || !only(in->name, NAME_CH) ||
	    !valid_path(in->config_dir) ||
	    (strcmp(en, "y") != 0 && strcmp(en, "n") != 0))
		return -1;
	in->enabled = en[0] == 'y';
	if (field(&p, e, in->syslog_name, sizeof(in->syslog_name)) != 0)
		strcpy(in->syslog_name, in->name);
	else if (!only(in->syslog_name, NAME_CH "/"))
		return -1;
	return 0;
}

int
postmulti_parse(const char *text, size_t len, struct host_instance *v,
    int max)
{
	const char *p = text, *e = text + len;
	int n = 0;

	if (max > 0)
		memset(v, 0, (size_t)max * sizeof(*v));
	while (p < e && n < max) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;

		if (le > p && le[-1] == '\r')
			le--;
		if (line_parse(p, le, &v[n]) == 0)
			n++;
		else
			memset(&v[n], 0, sizeof(v[n]));
		p = nl ? nl + 1 : e;
	}
	return n;
}
