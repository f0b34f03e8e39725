/* ssh-config-parse.c: reads the "key value" lines that `ssh -G` prints and
 * keeps the few options relaytop uses (HostName, User, Port, IdentityFile,
 * ProxyJump, ProxyCommand, the known_hosts files, StrictHostKeyChecking,
 * ConnectTimeout). Bounded: the text is local but treated as untrusted. */
#include <stdio.h>
#include <string.h>

#include "parse-fields.h"
#include "ssh-config.h"

#define LINE_MAX_LEN	4000

/* Copies the first n bytes of v into dst[len]; -1 when they do not fit. */
static int
take(char *dst, size_t len, const char *v, size_t n)
{
	if (n >= len)
		return -1;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

/* The first word of a space-separated list. */
static int
take_first(char *dst, size_t len, const char *v, size_t n)
{
	const char *sp = memchr(v, ' ', n);

	return take(dst, len, v, sp != NULL ? (size_t)(sp - v) : n);
}

/* v[n] as a whole number in lo..hi: the core's strict parser on a copy. */
static int
number(const char *v, size_t n, int lo, int hi, int *out)
{
	char b[12];

	if (n == 0 || n >= sizeof(b))
		return -1;
	memcpy(b, v, n);
	b[n] = '\0';
	return pf_int_strict(b, lo, hi, out);
}

static int
is_key(const char *k, size_t kn, const char *name)
{
	return strlen(name) == kn && memcmp(k, name, kn) == 0;
}

/* One line, key k[kn] and value v[vn]. */
static int
line(struct sshg_opts *o, const char *k, size_t kn, const char *v, size_t vn,
    char *what, size_t whatlen)
{
	int rc = 0;

	if (is_key(k, kn, "hostname"))
		rc = take(o->hostname, sizeof(o->hostname), v, vn);
	else if (is_key(k, kn, "user"))
		rc = take(o->user, sizeof(o->user), v, vn);
	else if (is_key(k, kn, "port")) {
		if (number(v, vn, 1, 65535, &o->port) != 0) {
			snprintf(what, whatlen, "bad port in ssh -G output");
			return -1;
		}
	} else if (is_key(k, kn, "identityfile")) {
		if (o->n_identity >= SSHG_IDENT_MAX)
			return 0;	/* ssh tries them in order: keep the first */
		rc = take(o->identity[o->n_identity], CFG_PATH_MAX, v, vn);
		if (rc == 0)
			o->n_identity++;
	} else if (is_key(k, kn, "proxyjump"))
		rc = take(o->proxyjump, sizeof(o->proxyjump), v, vn);
	else if (is_key(k, kn, "proxycommand"))
		rc = take(o->proxycommand, sizeof(o->proxycommand), v, vn);
	else if (is_key(k, kn, "userknownhostsfile"))
		rc = take_first(o->user_known_hosts,
		    sizeof(o->user_known_hosts), v, vn);
	else if (is_key(k, kn, "globalknownhostsfile"))
		rc = take_first(o->global_known_hosts,
		    sizeof(o->global_known_hosts), v, vn);
	else if (is_key(k, kn, "stricthostkeychecking"))
		rc = take(o->strict, sizeof(o->strict), v, vn);
	else if (is_key(k, kn, "connecttimeout")) {
		if (vn == 4 && memcmp(v, "none", 4) == 0)
			o->connect_timeout = 0;
		else if (number(v, vn, 0, 999999, &o->connect_timeout) != 0) {
			snprintf(what, whatlen,
			    "bad connecttimeout in ssh -G output");
			return -1;
		}
	}
	if (rc != 0) {
		snprintf(what, whatlen, "%.*s too long in ssh -G output",
		    (int)kn, k);
		return -1;
	}
	return 0;
}

int
sshg_parse(const char *text, size_t len, struct sshg_opts *o, char *what,
    size_t whatlen)
{
	const char *p = text, *end = text + len, *eol, *sp;
	size_t n, i;

	memset(o, 0, sizeof(*o));
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > LINE_MAX_LEN) {
			snprintf(what, whatlen, "ssh -G output line too long");
			return -1;
		}
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				snprintf(what, whatlen,
				    "control character in ssh -G output");
				return -1;
			}
		}
		sp = memchr(p, ' ', n);
		if (n > 0 && sp != NULL && line(o, p, (size_t)(sp - p), sp + 1,
		    (size_t)(eol - sp - 1), what, whatlen) != 0)
			return -1;
		p = eol + 1;
	}
	if (o->hostname[0] == '\0') {
		snprintf(what, whatlen, "no hostname in ssh -G output");
		return -1;
	}
	return 0;
}
