/* parse-postconf.c: effective Postfix settings from `postconf NAME...`
 * ("name = value" lines, continuation lines joined), the explicit marks
 * from `postconf -n`, lookups, and Postfix list splitting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postconf.h"
#include "sanitize.h"

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	    c == '/';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One input line [p, e) without its newline; returns the next line. */
static const char *
line_end(const char *p, const char *end, const char **e)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	*e = nl != NULL ? nl : end;
	if (*e > p && (*e)[-1] == '\r')
		(*e)--;
	return nl != NULL ? nl + 1 : end;
}

/* "name = value" at [p, e): name span and value start, or -1. */
static int
split_setting(const char *p, const char *e, const char **ne, const char **v)
{
	const char *s = p;

	while (s < e && name_char(*s))
		s++;
	if (s == p || s - p >= PC_NAME_MAX)
		return -1;
	*ne = s;
	while (s < e && is_blank(*s))
		s++;
	if (s >= e || *s != '=')
		return -1;
	s++;
	while (s < e && is_blank(*s))
		s++;
	*v = s;
	return 0;
}

static struct pc_setting *
find(struct pc_settings *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i].name) == n &&
		    memcmp(s->v[i].name, name, n) == 0)
			return &s->v[i];
	return NULL;
}

/* Appends [p, e) (trailing blanks trimmed) to val, a space first when it
 * already holds text. Cuts at PC_VALUE_MAX - 1. */
static void
value_append(char *val, size_t *vn, const char *p, const char *e)
{
	size_t room;

	while (e > p && is_blank(e[-1]))
		e--;
	if (e == p)
		return;
	if (*vn > 0 && *vn < PC_VALUE_MAX - 1)
		val[(*vn)++] = ' ';
	room = PC_VALUE_MAX - 1 - *vn;
	if ((size_t)(e - p) < room)
		room = (size_t)(e - p);
	memcpy(val + *vn, p, room);
	*vn += room;
}

static int
store(struct pc_settings *s, const char *name, size_t nn, const char *val,
    size_t vn)
{
	struct pc_setting *st = find(s, name, nn);
	char *v = sanitize_dup(val, vn);

	if (v == NULL)
		return -1;
	if (st == NULL) {
		if (s->n >= PC_MAX) {
			free(v);
			return 0;	/* bounded: the rest is dropped */
		}
		st = &s->v[s->n++];
		memcpy(st->name, name, nn);
		st->name[nn] = '\0';
		st->explicit_set = 0;
	} else
		free(st->value);
	st->value = v;
	return 0;
}

int
postconf_parse(const char *buf, size_t len, struct pc_settings *s,
    char *err, size_t errlen)
{
	struct pc_settings ns = { NULL, 0 };
	const char *p = buf, *end = buf + len, *e, *next, *ne = NULL, *v;
	const char *name = NULL;
	char *val;
	size_t vn = 0, nn = 0, lineno = 0;
	int open = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	ns.v = calloc(PC_MAX, sizeof *ns.v);
	val = malloc(PC_VALUE_MAX);
	if (ns.v == NULL || val == NULL)
		goto fail_mem;
	while (p < end) {
		next = line_end(p, end, &e);
		lineno++;
		if (e > p && is_blank(*p)) {
			if (open) {	/* continuation of the value */
				while (p < e && is_blank(*p))
					p++;
				value_append(val, &vn, p, e);
			}
			p = next;
			continue;
		}
		if (open && store(&ns, name, nn, val, vn) < 0)
			goto fail_mem;
		open = 0;
		if (e == p || (e - p >= 10 && memcmp(p, "postconf: ", 10) == 0)) {
			p = next;	/* blank line, or a postconf warning */
			continue;
		}
		if (split_setting(p, e, &ne, &v) < 0) {
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "postconf output line %zu: "
				    "not \"name = value\"", lineno);
			goto fail;
		}
		name = p;
		nn = (size_t)(ne - p);
		vn = 0;
		value_append(val, &vn, v, e);
		open = 1;
		p = next;
	}
	if (open && store(&ns, name, nn, val, vn) < 0)
		goto fail_mem;
	free(val);
	/* room for PC_MAX while parsing; kept per host: only what came */
	if (ns.n > 0 && ns.n < PC_MAX) {
		struct pc_setting *sv = realloc(ns.v, ns.n * sizeof(*ns.v));

		if (sv != NULL)
			ns.v = sv;
	}
	postconf_free(s);
	*s = ns;
	return (int)s->n;
fail_mem:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "out of memory");
fail:
	free(val);
	postconf_free(&ns);
	return -1;
}

void
postconf_mark_explicit(struct pc_settings *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *e, *next, *ne, *v;
	struct pc_setting *st;

	while (p < end) {
		next = line_end(p, end, &e);
		if (e > p && !is_blank(*p) && split_setting(p, e, &ne, &v) == 0 &&
		    (st = find(s, p, (size_t)(ne - p))) != NULL)
			st->explicit_set = 1;
		p = next;
	}
}

const char *
postconf_get(const struct pc_settings *s, const char *name)
{
	size_t i;

	if (s == NULL || name == NULL)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return s->v[i].value;
	return NULL;
}

void
postconf_free(struct pc_settings *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].value);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Postfix's CHARS_COMMA_SP. */
#define LIST_SEP	", \t\r\n"

int
postconf_list_next(const char **cur, const char **item, size_t *n)
{
	const char *p = *cur + strspn(*cur, LIST_SEP);
	int depth = 0;

	if (*p == '\0') {
		*cur = p;
		return 0;
	}
	*item = p;
	for (; *p != '\0'; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}' && depth > 0)
			depth--;
		else if (depth == 0 && strchr(LIST_SEP, *p) != NULL)
			break;
	}
	*n = (size_t)(p - *item);
	*cur = p;
	return 1;
}

size_t
postconf_list_each(const char *value,
    void (*fn)(const char *item, size_t n, void *arg), void *arg)
{
	const char *cur = value, *item;
	size_t n, count = 0;

	if (value == NULL)
		return 0;
	while (postconf_list_next(&cur, &item, &n)) {
		if (fn != NULL)
			fn(item, n, arg);
		count++;
	}
	return count;
}
