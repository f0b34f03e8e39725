/* postconf.h: effective Postfix settings from `postconf NAME...` output,
 * with the names that `postconf -n` lists marked as set in main.cf. */
#ifndef RELAYTOP_POSTCONF_H
#define RELAYTOP_POSTCONF_H

#include <stddef.h>

#define PC_NAME_MAX	64
#define PC_VALUE_MAX	4096
#define PC_MAX		256	/* settings kept per host */

struct pc_setting {
	char	name[PC_NAME_MAX];
	char	*value;		/* heap, sanitised, NUL-terminated */
	int	explicit_set;	/* 1 when listed by postconf -n */
};

struct pc_settings {
	struct pc_setting *v;
	size_t	n;
};

/* Parses "name = value" lines (postconf output; continuation lines starting
 * with white space are joined). Replaces *s. Returns the number of settings,
 * or -1 on malformed input with a message in err (nothing kept). Bounded:
 * at most PC_MAX settings, values cut at PC_VALUE_MAX. Details: blank lines
 * and "postconf: ..." warnings are skipped; names are [A-Za-z0-9_.-/] of
 * fewer than PC_NAME_MAX bytes; a repeated name keeps the last value; any
 * other line is malformed ("postconf output line N: ..." in err), and then
 * *s keeps its old contents. */
int	postconf_parse(const char *buf, size_t len, struct pc_settings *s,
	    char *err, size_t errlen);

/* Marks settings named in `postconf -n` output as explicit. */
void	postconf_mark_explicit(struct pc_settings *s, const char *buf,
	    size_t len);

/* Value of name, or NULL when not present. */
const char *postconf_get(const struct pc_settings *s, const char *name);

void	postconf_free(struct pc_settings *s);

/* The one Postfix list splitter, by Postfix's own rules (mystrtokq):
 * items are separated by commas and/or white space (", \t\r\n"); inside
 * { } (an inline table, a grouped restriction, nested) separators do not
 * split, wherever the brace opens ("inline:{ a=b, c=d }" is one item); an
 * unclosed { runs to the end. From *cur: sets *item and *n (bytes, not
 * NUL-terminated) to the next item, moves *cur past it and returns 1; 0 at
 * the end. *cur must not be NULL. */
int	postconf_list_next(const char **cur, const char **item, size_t *n);

/* The same as a loop: calls fn (may be NULL) for each item of value (NULL:
 * none). Returns the number of items. */
size_t	postconf_list_each(const char *value,
	    void (*fn)(const char *item, size_t n, void *arg), void *arg);

#endif
