/* web-config.c: the --web-config file (TLS key and certificate, basic auth
 * users with bcrypt hashes), the block-YAML subset of Prometheus
 * exporters' web config, read strictly: what is not understood is refused
 * with the file and line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web-config.h"

#define WEB_FILE_MAX	(64 * 1024)

enum block { B_NONE, B_TLS, B_USERS };

static int
fail(char *err, size_t errlen, const char *name, int line, const char *what,
    const char *arg)
{
	snprintf(err, errlen, "%s:%d: %s%s%.60s%s", name, line, what,
	    arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return -1;
}

/* Trims spaces at both ends of [*s, *e) in place. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' ||
	    (*e)[-1] == '\r'))
		(*e)--;
}

/* The value [s, e) unquoted into out; -1 when it does not fit or a quote
 * is not closed. A '#' after a space starts a comment in a plain value. */
static int
value(const char *s, const char *e, char *out, size_t len)
{
	const char *p;
	size_t n;

	trim(&s, &e);
	if (s < e && (*s == '"' || *s == '\'')) {
		if ((p = memchr(s + 1, *s, (size_t)(e - s - 1))) == NULL)
			return -1;
		/* only a comment may follow the closing quote */
		for (e = p + 1; *e == ' ' || *e == '\t'; e++)
			;
		if (*e != '\0' && *e != '#' && *e != '\r' && *e != '\n')
			return -1;
		e = p;
		s++;
	} else {
		for (p = s; p < e; p++)
			if (*p == '#' && (p == s || p[-1] == ' ' ||
			    p[-1] == '\t')) {
				e = p;
				trim(&s, &e);
				break;
			}
	}
	n = (size_t)(e - s);
	if (n >= len)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int
user_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._@-", *s)))
			return 0;
	return 1;
}

static int
bcrypt_ok(const char *h)
{
	return (strncmp(h, "$2a$", 4) == 0 || strncmp(h, "$2b$", 4) == 0 ||
	    strncmp(h, "$2y$", 4) == 0) && strlen(h) == 60;
}

/* One "key: value" line inside a block. */
static int
entry(struct web_config *c, enum block b, const char *k, const char *v,
    const char *name, int line, char *err, size_t errlen)
{
	size_t i;

	if (b == B_TLS) {
		char *dst = strcmp(k, "cert_file") == 0 ? c->cert_file :
		    strcmp(k, "key_file") == 0 ? c->key_file : NULL;

		if (dst == NULL)
			return fail(err, errlen, name, line, "unknown key in "
			    "tls_server_config (cert_file, key_file)", k);
		if (dst[0] != '\0')
			return fail(err, errlen, name, line, "given twice", k);
		if (v[0] == '\0' || strlen(v) >= WEB_PATH_MAX)
			return fail(err, errlen, name, line, "needs a file "
			    "name", k);
		strcpy(dst, v);
		return 0;
	}
	if (!user_name_ok(k) || strlen(k) >= sizeof(c->users[0].name))
		return fail(err, errlen, name, line, "bad user name "
		    "([A-Za-z0-9._@-], under 64 bytes)", k);
	for (i = 0; i < c->nusers; i++)
		if (strcmp(c->users[i].name, k) == 0)
			return fail(err, errlen, name, line, "user given twice",
			    k);
	if (!bcrypt_ok(v))
		return fail(err, errlen, name, line, "the password must be a "
		    "bcrypt hash ($2y$..., as htpasswd -nB makes) for user", k);
	if (c->nusers == WEB_USERS_MAX)
		return fail(err, errlen, name, line, "too many users", NULL);
	strcpy(c->users[c->nusers].name, k);
	strcpy(c->users[c->nusers].hash, v);
	c->nusers++;
	return 0;
}

int
web_config_parse(const char *text, const char *name, struct web_config *c,
    char *err, size_t errlen)
{
	const char *p = text, *nl, *s, *e, *colon;
	enum block b = B_NONE;
	int line = 0, seen_tls = 0, seen_users = 0;
	char key[128], val[WEB_PATH_MAX];

	memset(c, 0, sizeof(*c));
	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		line++;
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		s = p;
		e = nl;
		trim(&s, &e);
		if (s == e || *s == '#')
			continue;
		if (*s == '-' || *s == '{' || *s == '[' || *s == '&' ||
		    *s == '*')
			return fail(err, errlen, name, line, "only "
			    "\"key: value\" lines are read", NULL);
		colon = memchr(s, ':', (size_t)(e - s));
		if (colon == NULL || colon == s || (colon + 1 < e &&
		    colon[1] != ' ' && colon[1] != '\t'))
			return fail(err, errlen, name, line, "not a \"key: "
			    "value\" line", NULL);
		if ((size_t)(colon - s) >= sizeof(key))
			return fail(err, errlen, name, line, "key too long",
			    NULL);
		memcpy(key, s, (size_t)(colon - s));
		key[colon - s] = '\0';
		if (value(colon + 1, e, val, sizeof(val)) != 0)
			return fail(err, errlen, name, line, "bad value for",
			    key);
		if (p == s) {	/* not indented: a top-level key */
			if (val[0] != '\0')
				return fail(err, errlen, name, line, "a block "
				    "key takes no value", key);
			if (strcmp(key, "tls_server_config") == 0 && !seen_tls) {
				b = B_TLS;
				seen_tls = 1;
			} else if (strcmp(key, "basic_auth_users") == 0 &&
			    !seen_users) {
				b = B_USERS;
				seen_users = 1;
			} else
				return fail(err, errlen, name, line,
				    "unknown or repeated key (tls_server_config, "
				    "basic_auth_users)", key);
			continue;
		}
		if (b == B_NONE)
			return fail(err, errlen, name, line, "indented line "
			    "outside a block", NULL);
		if (entry(c, b, key, val, name, line, err, errlen) != 0)
			return -1;
	}
	if ((c->cert_file[0] != '\0') != (c->key_file[0] != '\0'))
		return fail(err, errlen, name, line, "tls_server_config needs "
		    "both cert_file and key_file", NULL);
	return 0;
}

char *
web_file_read(const char *path, size_t max, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		snprintf(err, errlen, "%s: not a regular file of at most %zu "
		    "KiB", path, max / 1024);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size || memchr(buf, '\0', (size_t)n) != NULL) {
		snprintf(err, errlen, "%s: could not read it whole (or it "
		    "holds a NUL byte)", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int
web_config_load(const char *path, struct web_config *c, char *err,
    size_t errlen)
{
	char *buf = web_file_read(path, WEB_FILE_MAX, err, errlen);
	int rc;

	if (buf == NULL)
		return -1;
	rc = web_config_parse(buf, path, c, err, errlen);
	free(buf);
	return rc;
}
