/* ssh-knownhosts.c: the session's host key check. The key the server shows
 * is judged against the user's and the global known_hosts file by OpenSSH
 * 9.2's rules (kh-*.c) before any credential is sent: changed, revoked or
 * CA-only keys refuse loudly; accept-new appends a new key and says so. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "actions.h"
#include "knownhosts.h"
#include "ssh-internal.h"

static void (*notice_fn)(void *, const char *);
static void *notice_arg;

void
knownhosts_set_notice(void (*fn)(void *, const char *), void *arg)
{
	notice_fn = fn;
	notice_arg = arg;
}

static void
notice(const char *line)
{
	if (notice_fn != NULL)
		notice_fn(notice_arg, line);
	else
		fprintf(stderr, "relaytop: %s\n", line);
}

void
sshc_notice(const char *line)
{
	notice(line);
}

/* The scan over the files; NULL when out of memory. */
static struct kh_scan *
scan_files(const char *const *files, size_t n, const char *host, int port,
    const unsigned char *key, size_t keylen, struct kh_verdict *v)
{
	struct kh_scan *s = malloc(sizeof(*s));
	size_t i;

	if (s == NULL) {
		snprintf(v->err, sizeof(v->err), "out of memory");
		return NULL;
	}
	if (kh_scan_init(s, host, port, key, keylen) < 0) {
		snprintf(v->err, sizeof(v->err), key ? "the host key is not a "
		    "well-formed key of a type OpenSSH accepts" :
		    "host name too long");
		free(s);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (files[i] == NULL || files[i][0] == '\0')
			continue;
		if (kh_scan_file(s, files[i], v->err, sizeof(v->err)) < 0) {
			free(s);
			return NULL;
		}
	}
	return s;
}

enum kh_result
knownhosts_check(const char *const *files, size_t n, const char *host,
    int port, const unsigned char *key, size_t keylen, struct kh_verdict *v)
{
	struct kh_scan *s;
	struct kh_key k;

	memset(v, 0, sizeof(*v));
	v->result = KH_FAILURE;
	snprintf(v->type, sizeof(v->type), "%s", kh_key_type_name(
	    kh_key_from_blob(key, keylen, &k) == 0 ? k.type : -1));
	if ((s = scan_files(files, n, host, port, key, keylen, v)) == NULL)
		return v->result;
	v->result = kh_scan_result(s, v->where, sizeof(v->where));
	free(s);
	return v->result;
}

void
knownhosts_types(const char *const *files, size_t n, const char *host,
    int port, char *out, size_t outlen)
{
	struct kh_verdict v;
	struct kh_scan *s;

	if (outlen)
		out[0] = '\0';
	if ((s = scan_files(files, n, host, port, NULL, 0, &v)) == NULL)
		return;
	kh_scan_types(s, out, outlen);
	free(s);
}

int
knownhosts_append(const char *path, const char *host, int port,
    const unsigned char *key, size_t keylen, char *err, size_t errlen)
{
	char name[KH_NAME_MAX], *line, last = '\n';
	size_t cap = keylen * 4 / 3 + KH_NAME_MAX + 128;
	struct kh_key k;
	int fd, n;

	if (kh_host_name(host, port, name, sizeof(name)) < 0 ||
	    kh_key_from_blob(key, keylen, &k) < 0 ||
	    (line = malloc(cap)) == NULL) {
		snprintf(err, errlen, "cannot format a known_hosts line for %s",
		    host);
		return -1;
	}
	n = snprintf(line, cap, "%s %s ", name, kh_key_type_name(k.type));
	if (n < 0 || kh_b64_encode(key, keylen, 1, line + n, cap - (size_t)n)
	    < 0) {
		free(line);
		snprintf(err, errlen, "cannot format a known_hosts line for %s",
		    host);
		return -1;
	}
	n = (int)strlen(line);
	n += snprintf(line + n, cap - (size_t)n, " added-by-relaytop\n");
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		free(line);
		return -1;
	}
	/* Never glue our line onto an unterminated last line. */
	if (lseek(fd, -1, SEEK_END) >= 0 && read(fd, &last, 1) == 1 &&
	    last != '\n' && write(fd, "\n", 1) != 1)
		last = 0;
	if (write(fd, line, (size_t)n) != n) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		close(fd);
		free(line);
		return -1;
	}
	free(line);
	close(fd);
	return 0;
}

void
knownhosts_fingerprint(const unsigned char *key, size_t keylen, char *out,
    size_t outlen)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int n;

	SHA256(key, keylen, md);
	n = snprintf(out, outlen, "SHA256:");
	if (n < 0 || (size_t)n >= outlen || kh_b64_encode(md, sizeof(md), 0,
	    out + n, outlen - (size_t)n) < 0)
		snprintf(out, outlen, "?");
}

void
sshc_hostkey_prefer(struct sshc *c)
{
	static const char all[] = "ssh-ed25519,ecdsa-sha2-nistp256,"
	    "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa";
	const char *files[2] = { c->cfg->known_hosts,
	    c->cfg->global_known_hosts };
	char known[256], pref[512];

	knownhosts_types(files, 2, c->cfg->address, c->cfg->port, known,
	    sizeof(known));
	if (!known[0])
		return;
	/* Known types first so the server shows the key we can check;
	 * libssh2 ignores the repeats and the types it does not know. */
	snprintf(pref, sizeof(pref), "%s,%s", known, all);
	libssh2_session_method_pref(c->s, LIBSSH2_METHOD_HOSTKEY, pref);
}

/* accept-new: append, then say so on screen and in the action log. */
static int
accept_new(struct sshc *c, const unsigned char *key, size_t len,
    const struct kh_verdict *v, const char *fp, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	char err[CFG_PATH_MAX + 128], name[KH_NAME_MAX], what[KH_NAME_MAX + 64];
	char msg[2 * CFG_PATH_MAX + 2 * KH_NAME_MAX + 256];

	if (knownhosts_append(cfg->known_hosts, cfg->address, cfg->port, key,
	    len, err, sizeof(err)) < 0) {
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): accept-new:"
		    " %s", cfg->name, cfg->address, err);
		return -1;
	}
	if (kh_host_name(cfg->address, cfg->port, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "%s", cfg->address);
	snprintf(what, sizeof(what), "%s %s", name, v->type);
	snprintf(err, sizeof(err), "added %s to %s", fp, cfg->known_hosts);
	snprintf(msg, sizeof(msg), "%s (%s): accept-new: added %s %s %s to %s%s",
	    cfg->name, cfg->address, name, v->type, fp, cfg->known_hosts,
	    action_log_append(cfg->name, "accept-new", what, err) == 0 ? "" :
	    " (the action log could not be written)");
	notice(msg);
	return 0;
}

int
sshc_hostkey_verify(struct sshc *c, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	const char *files[2] = { cfg->known_hosts, cfg->global_known_hosts };
	const unsigned char *key;
	struct kh_verdict v;
	char fp[64];
	size_t len = 0;
	int type = 0;

	key = (const unsigned char *)libssh2_session_hostkey(c->s, &len,
	    &type);
	if (!key) {
		sshc_fail(c, SSHE_HANDSHAKE, now_ms, "%s: no host key: %s",
		    cfg->name, sshc_lasterr(c));
		return -1;
	}
	knownhosts_fingerprint(key, len, fp, sizeof(fp));
	switch (knownhosts_check(files, 2, cfg->address, cfg->port, key, len,
	    &v)) {
	case KH_MATCH:
		return 0;
	case KH_REVOKED:
		sshc_fail(c, SSHE_HOSTKEY_CHANGED, now_ms, "HOST KEY REVOKED for "
		    "%s (%s): the %s key %s it offers is marked @revoked (%s); "
		    "refusing", cfg->name, cfg->address, v.type, fp, v.where);
		return -1;
	case KH_MISMATCH:
		sshc_fail(c, SSHE_HOSTKEY_CHANGED, now_ms, "HOST KEY CHANGED for "
		    "%s (%s): possible man-in-the-middle; refusing. Fix "
		    "known_hosts if the change is expected. (%s now offers %s "
		    "%s; known: %s)", cfg->name, cfg->address, cfg->address,
		    v.type, fp, v.where);
		return -1;
	case KH_CA_ONLY:
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): refusing: "
		    "only a @cert-authority line names this host (%s) and "
		    "libssh2 1.10 cannot check host certificates; add its %s "
		    "key %s as a plain line after checking it", cfg->name,
		    cfg->address, v.where, v.type, fp);
		return -1;
	case KH_FAILURE:
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): %s; "
		    "refusing", cfg->name, cfg->address, v.err);
		return -1;
	case KH_NOTFOUND:
		break;
	}
	if (cfg->hostkey_policy != HOSTKEY_ACCEPT_NEW) {
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): host key "
		    "not in %s%s%s (%s %s); refusing. Add it after checking "
		    "the fingerprint, or use accept-new", cfg->name,
		    cfg->address, cfg->known_hosts,
		    cfg->global_known_hosts[0] ? " nor " : "",
		    cfg->global_known_hosts, v.type, fp);
		return -1;
	}
	return accept_new(c, key, len, &v, fp, now_ms);
}
