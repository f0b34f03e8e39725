/* config.c: parses hosts.ini text into an inventory with libinih. Our own line
 * reader counts lines (Debian's inih 55 gives handlers none), refuses control
 * bytes and overlong lines, and reads [section] headers itself so empty and
 * duplicate hosts are seen; then [defaults], `ssh -G` (ssh-config.h, when
 * ssh_config asks) and built-in defaults fill each host, and `jump` (or
 * ssh's ProxyJump) is resolved and checked for loops. */
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-keys-int.h"
#include "config.h"
#include "sanitize.h"
#include "shquote.h"
#include "ssh-config.h"

#define SECTION_NAME_MAX 49	/* inih keeps 50 bytes of a section name */
#define CUR_NONE	-1
#define CUR_DEFAULTS	-2

struct section {
	struct host_config h;
	unsigned mask;			/* keys set in this section */
	int	key_line[K_MAX];
	char	*proxyjump;		/* ssh's ProxyJump when it gives jump */
};

struct parse {
	const char *file;		/* name used in messages */
	const char *p, *end;
	int	line;
	int	at_line_start;
	struct section defaults;
	int	have_defaults;
	struct section *v;
	size_t	n, cap;
	int	cur;			/* host index, CUR_NONE, CUR_DEFAULTS */
	char	cur_name[SECTION_NAME_MAX + 1];
	int	read_only;
	enum sshg_mode ssh_mode;	/* [defaults] ssh_config */
	char	ssh_path[CFG_PATH_MAX];
	int	failed;
	char	*err;
	size_t	errlen;
	struct cfg_env env;
};

static void fail_at(struct parse *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fail_at(struct parse *ps, int line, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = 1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ps->err == NULL || ps->errlen == 0)
		return;
	if (line > 0)
		snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->file, line,
		    what);
	else
		snprintf(ps->err, ps->errlen, "%s: %s", ps->file, what);
}

/* Sanitised, shortened copy of untrusted text for a message. */
static const char *
shown(const char *s, size_t n, char *buf, size_t len)
{
	sanitize_copy(buf, len, s, n);
	return buf;
}

static struct section *
current(struct parse *ps)
{
	if (ps->cur == CUR_DEFAULTS)
		return &ps->defaults;
	if (ps->cur >= 0)
		return &ps->v[ps->cur];
	return NULL;
}

static int
host_index(const struct parse *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].h.name, name) == 0)
			return (int)i;
	return -1;
}

/* A "[name]" line (s at '[', eol at the line's end): opens a section. */
static int
section_open(struct parse *ps, const char *s, const char *eol)
{
	const char *rb = memchr(s, ']', (size_t)(eol - s)), *t;
	char name[SECTION_NAME_MAX + 1], buf[80];
	size_t len;
	struct section *sec;

	if (rb == NULL) {
		fail_at(ps, ps->line, "section header without ']'");
		return -1;
	}
	for (t = rb + 1; t < eol && (*t == ' ' || *t == '\t' || *t == '\r');)
		t++;
	if (t < eol && *t != ';' && *t != '#') {
		fail_at(ps, ps->line, "text after section header");
		return -1;
	}
	len = (size_t)(rb - s - 1);
	if (len == 0 || len > SECTION_NAME_MAX) {
		fail_at(ps, ps->line, "bad host name '[%s]' (1..49 of "
		    "[A-Za-z0-9._-])", shown(s + 1, len, buf, 60));
		return -1;
	}
	memcpy(name, s + 1, len);
	name[len] = '\0';
	if (strcmp(name, "defaults") == 0) {
		if (ps->have_defaults) {
			fail_at(ps, ps->line, "duplicate section [defaults] "
			    "(first at line %d)", ps->defaults.h.line);
			return -1;
		}
		ps->have_defaults = 1;
		ps->defaults.h.line = ps->line;
		ps->cur = CUR_DEFAULTS;
		strcpy(ps->cur_name, name);
		return 0;
	}
	if (!valid_host_name(name) || strcmp(name, "all") == 0) {
		fail_at(ps, ps->line, "bad host name '[%s]' (%s)",
		    shown(name, len, buf, 60), strcmp(name, "all") == 0 ?
		    "'all' is reserved" : "1..49 of [A-Za-z0-9._-]");
		return -1;
	}
	if (host_index(ps, name) >= 0) {
		fail_at(ps, ps->line, "duplicate host [%s] (first at line %d)",
		    name, ps->v[host_index(ps, name)].h.line);
		return -1;
	}
	if (ps->n >= CFG_MAX_HOSTS) {
		fail_at(ps, ps->line, "too many hosts (at most 1000)");
		return -1;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct section *v = realloc(ps->v, cap * sizeof(*v));

		if (v == NULL) {
			fail_at(ps, 0, "out of memory");
			return -1;
		}
		ps->v = v;
		ps->cap = cap;
	}
	sec = &ps->v[ps->n];
	memset(sec, 0, sizeof(*sec));
	strcpy(sec->h.name, name);
	sec->h.line = ps->line;
	sec->h.jump_index = -1;
	ps->cur = (int)ps->n++;
	strcpy(ps->cur_name, name);
	return 0;
}

/* Checks the physical line starting at ps->p before inih sees it. */
static int
line_check(struct parse *ps)
{
	const char *eol = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	const char *s = ps->p;
	size_t len, i;

	if (eol == NULL)
		eol = ps->end;
	len = (size_t)(eol - s);
	if (len > CFG_MAX_LINE) {
		fail_at(ps, ps->line, "line too long (at most 4000 bytes)");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && !(c == '\r' && i == len - 1)) ||
		    c == 0x7f) {
			fail_at(ps, ps->line, "control character in line");
			return -1;
		}
	}
	if (ps->line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < eol && (*s == ' ' || *s == '\t'))
		s++;
	if (s < eol && *s == '[')
		return section_open(ps, s, eol);
	return 0;
}

/* fgets-style reader for ini_parse_stream: hands inih one line (or a piece
 * of a long one) and counts physical lines. */
static char *
reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	size_t room, n = 0;

	if (ps->failed || ps->p >= ps->end || num < 2)
		return NULL;
	if (ps->at_line_start) {
		ps->line++;
		if (line_check(ps) != 0)
			return NULL;
	}
	room = (size_t)num - 1;
	while (n < room && ps->p < ps->end) {
		str[n] = *ps->p++;
		if (str[n++] == '\n')
			break;
	}
	str[n] = '\0';
	ps->at_line_start = str[n - 1] == '\n' || ps->p >= ps->end;
	return str;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	struct section *sec = current(ps);
	char what[400], buf[80];
	int key;

	if (ps->failed)
		return 0;
	if (sec == NULL || section[0] == '\0') {
		fail_at(ps, ps->line, "key '%s' outside a section",
		    shown(name, strlen(name), buf, 60));
		return 0;
	}
	if (strcmp(section, ps->cur_name) != 0) {
		fail_at(ps, ps->line, "unreadable section header");
		return 0;
	}
	if ((key = cfg_key_lookup(name)) < 0) {
		fail_at(ps, ps->line, "unknown key '%s'",
		    shown(name, strlen(name), buf, 60));
		return 0;
	}
	if (key == K_READ_ONLY && ps->cur != CUR_DEFAULTS) {
		fail_at(ps, ps->line, "read_only is allowed in [defaults] only");
		return 0;
	}
	if (key == K_SSH_CONFIG && ps->cur != CUR_DEFAULTS) {
		fail_at(ps, ps->line, "ssh_config is allowed in [defaults] only");
		return 0;
	}
	if ((key == K_ADDRESS || key == K_ADDRESSES) &&
	    ps->cur == CUR_DEFAULTS) {
		fail_at(ps, ps->line, "%s is not allowed in [defaults]",
		    cfg_key_name(key));
		return 0;
	}
	if (sec->mask & (1u << key)) {
		fail_at(ps, ps->line, "duplicate key '%s' (first at line %d)",
		    name, sec->key_line[key]);
		return 0;
	}
	if (key == K_SSH_CONFIG ? sshg_mode_parse(value, ps->env.home,
	    &ps->ssh_mode, ps->ssh_path, sizeof(ps->ssh_path), what,
	    sizeof(what)) != 0 : cfg_key_set(&sec->h, &ps->read_only, key,
	    value, &ps->env, what, sizeof(what)) != 0) {
		fail_at(ps, ps->line, "%s", what);
		return 0;
	}
	sec->mask |= 1u << key;
	sec->key_line[key] = ps->line;
	return 1;
}

/* Asks ssh -G about a host when ssh_config says so: always for yes or a
 * file, when unset only for a host without address. Returns 1 with *o
 * filled, 0 when ssh is not asked, -1 on error. */
static int
ssh_ask(struct parse *ps, struct section *sec, struct sshg_opts *o)
{
	char what[400];
	int need = ps->ssh_mode == SSHG_YES || ps->ssh_mode == SSHG_FILE ||
	    (ps->ssh_mode == SSHG_UNSET && !(sec->mask & (1u << K_ADDRESS)));

	if (!need)
		return 0;
	if (sshg_query(ps->ssh_mode, ps->ssh_path, sec->h.name, o, what,
	    sizeof(what)) != 0) {
		fail_at(ps, sec->h.line, "[%s]: %s", sec->h.name, what);
		return -1;
	}
	if (!(sec->mask & (1u << K_JUMP)) && !(ps->defaults.mask &
	    (1u << K_JUMP)) && o->proxyjump[0] != '\0' &&
	    strcmp(o->proxyjump, "none") != 0) {
		if ((sec->proxyjump = strdup(o->proxyjump)) == NULL) {
			fail_at(ps, 0, "out of memory");
			return -1;
		}
		sec->key_line[K_JUMP] = sec->h.line;
	}
	return 1;
}

/* Fills every key a host left out from [defaults], else from ssh -G, else
 * built-ins: values in hosts.ini win over ssh's. */
static int
fill_defaults(struct parse *ps)
{
	static struct sshg_opts o;
	char what[300];
	size_t i;
	int k, ssh, r = 0;

	for (i = 0; i < ps->n; i++) {
		struct section *sec = &ps->v[i];

		if ((ssh = ssh_ask(ps, sec, &o)) < 0)
			return -1;
		for (k = 0; k < K_MAX; k++) {
			if (k == K_READ_ONLY || k == K_SSH_CONFIG ||
			    (sec->mask & (1u << k)))
				continue;
			if (ps->defaults.mask & (1u << k)) {
				cfg_key_copy(&sec->h, &ps->defaults.h, k);
				sec->key_line[k] = ps->defaults.key_line[k];
			} else if (ssh && (r = sshg_apply(&sec->h, &o, k,
			    ps->env.home, ps->env.user, what,
			    sizeof(what))) != 0) {
				if (r > 0)
					continue;
				fail_at(ps, sec->h.line, "[%s]: %s",
				    sec->h.name, what);
				return -1;
			} else if (k == K_ADDRESS) {
				fail_at(ps, sec->h.line, "[%s]: missing address"
				    "%s", sec->h.name, ps->ssh_mode == SSHG_NO ?
				    " (ssh_config = no)" : "");
				return -1;
			} else if (cfg_key_default(&sec->h, k, &ps->env, what,
			    sizeof(what)) != 0) {
				fail_at(ps, sec->h.line, "[%s]: %s",
				    sec->h.name, what);
				return -1;
			}
		}
	}
	return 0;
}

/* Maps ssh's ProxyJump of hosts that left jump out onto jump_index, on a
 * copy of the hosts (the mapping reads every host's name and address). */
static int
ssh_jumps(struct parse *ps)
{
	struct host_config *hv = NULL;
	char what[400];
	size_t i;
	int rc = -1;

	for (i = 0; i < ps->n && ps->v[i].proxyjump == NULL; i++)
		;
	if (i == ps->n)
		return 0;
	if ((hv = calloc(ps->n, sizeof(*hv))) == NULL) {
		fail_at(ps, 0, "out of memory");
		return -1;
	}
	for (i = 0; i < ps->n; i++)
		hv[i] = ps->v[i].h;
	for (i = 0; i < ps->n; i++)
		if (ps->v[i].proxyjump != NULL && sshg_jump_last(
		    ps->v[i].proxyjump, hv, ps->n, i, &hv[i].jump_index, what,
		    sizeof(what)) != 0)
			goto out;
	for (i = 0; i < ps->n; i++)
		if (ps->v[i].proxyjump != NULL && sshg_jump_check(
		    ps->v[i].proxyjump, hv, ps->n, i, what, sizeof(what)) != 0)
			goto out;
	for (i = 0; i < ps->n; i++) {
		if (ps->v[i].proxyjump == NULL)
			continue;
		ps->v[i].h.jump_index = hv[i].jump_index;
		strcpy(ps->v[i].h.jump, hv[hv[i].jump_index].name);
	}
	rc = 0;
out:
	if (rc != 0)
		fail_at(ps, ps->v[i].h.line, "%s", what);
	free(hv);
	return rc;
}

/* Resolves `jump` to an index; refuses unknown names, self and loops. */
static int
resolve_jumps(struct parse *ps)
{
	char chain[300];
	size_t i, steps;
	int j, len;

	for (i = 0; i < ps->n; i++) {
		struct host_config *h = &ps->v[i].h;

		if (h->jump[0] == '\0')
			continue;
		if ((j = host_index(ps, h->jump)) < 0) {
			fail_at(ps, ps->v[i].key_line[K_JUMP], "jump '%s' "
			    "names no host in this file", h->jump);
			return -1;
		}
		if (j == (int)i) {
			fail_at(ps, ps->v[i].key_line[K_JUMP], "[%s]: jump to "
			    "itself", h->name);
			return -1;
		}
		h->jump_index = j;
	}
	if (ssh_jumps(ps) != 0)
		return -1;
	for (i = 0; i < ps->n; i++) {
		j = ps->v[i].h.jump_index;
		len = snprintf(chain, sizeof(chain), "%s", ps->v[i].h.name);
		for (steps = 0; j >= 0 && steps < ps->n; steps++) {
			if (len >= 0 && (size_t)len < sizeof(chain))
				len += snprintf(chain + len, sizeof(chain) -
				    (size_t)len, " -> %s", ps->v[j].h.name);
			if (j == (int)i) {
				fail_at(ps, ps->v[i].key_line[K_JUMP],
				    "jump loop: %s", chain);
				return -1;
			}
			j = ps->v[j].h.jump_index;
		}
	}
	return 0;
}

static void
parse_settings(void)
{
	/* Debian's inih 55 makes its limits run-time settings: heap line
	 * buffer that grows to our own line limit, no continuation lines. */
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_initial_alloc = 256;
	ini_max_line = CFG_MAX_LINE + 8;
	ini_allow_multiline = 0;
	ini_allow_no_value = 0;
	ini_stop_on_first_error = 1;
}

int
cfg_parse_buffer(const char *text, size_t len, const char *file,
    struct inventory *inv, char *err, size_t errlen)
{
	struct parse ps;
	int rc, ret = -1;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	ps.file = file;
	ps.p = text;
	ps.end = text + len;
	ps.at_line_start = 1;
	ps.cur = CUR_NONE;
	ps.err = err;
	ps.errlen = errlen;
	ps.defaults.h.jump_index = -1;
	cfg_env_init(&ps.env);
	if (strlen(file) >= sizeof(inv->path)) {
		fail_at(&ps, 0, "file name too long");
		goto out;
	}
	parse_settings();
	rc = ini_parse_stream(reader, &ps, handler, &ps);
	if (ps.failed)
		goto out;
	if (rc > 0) {
		fail_at(&ps, rc, "syntax error (want [host], key = value or "
		    "; comment)");
		goto out;
	}
	if (rc != 0) {
		fail_at(&ps, 0, "cannot parse (out of memory)");
		goto out;
	}
	if (ps.n == 0) {
		fail_at(&ps, 0, "no [host] section");
		goto out;
	}
	if (fill_defaults(&ps) != 0 || resolve_jumps(&ps) != 0)
		goto out;
	if ((inv->hosts = calloc(ps.n, sizeof(*inv->hosts))) == NULL) {
		fail_at(&ps, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < ps.n; i++)
		inv->hosts[i] = ps.v[i].h;
	inv->n = ps.n;
	inv->read_only = ps.read_only;
	strcpy(inv->path, file);
	ret = 0;
out:
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].proxyjump);
	free(ps.v);
	return ret;
}
