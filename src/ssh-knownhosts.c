/* ssh-knownhosts.c: host keys against an OpenSSH known_hosts file (plain,
 * [host]:port and hashed |1| entries) with libssh2_knownhost_*. A changed
 * key refuses loudly before any credential is sent; accept-new appends. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssh-internal.h"

static const struct {
	int	hostkey;	/* LIBSSH2_HOSTKEY_TYPE_* */
	int	kh;		/* LIBSSH2_KNOWNHOST_KEY_* */
	const char *name;
} key_types[] = {		/* our preference order */
	{ 6, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519" },
	{ 3, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256" },
	{ 4, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384" },
	{ 5, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521" },
	{ 1, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
};
#define NTYPES	(sizeof(key_types) / sizeof(key_types[0]))

static int
kh_bit(int hostkey_type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (key_types[i].hostkey == hostkey_type)
			return key_types[i].kh;
	return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
}

static const char *
type_name(int hostkey_type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (key_types[i].hostkey == hostkey_type)
			return key_types[i].name;
	return "unknown-key-type";
}

/* The name an entry carries: "host" on port 22, "[host]:port" otherwise. */
static void
entry_name(char *buf, size_t len, const char *host, int port)
{
	if (port == 22 || port <= 0)
		snprintf(buf, len, "%s", host);
	else
		snprintf(buf, len, "[%s]:%d", host, port);
}

/* Loads path line by line: one line libssh2 cannot parse (a @cert-authority
 * marker, an unknown key type) must not hide the entries after it, as
 * libssh2_knownhost_readfile would. A missing file is an empty one. */
static int
kh_load(LIBSSH2_KNOWNHOSTS *kh, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[0] == '#' || line[0] == '\n' || line[0] == '@')
			continue;
		(void)libssh2_knownhost_readline(kh, line, (size_t)n,
		    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	}
	free(line);
	fclose(f);
	return 0;
}

static LIBSSH2_SESSION *
kh_open(LIBSSH2_KNOWNHOSTS **kh)
{
	LIBSSH2_SESSION *s;

	libssh2_init(0);
	s = libssh2_session_init();
	*kh = s ? libssh2_knownhost_init(s) : NULL;
	if (s && !*kh) {
		libssh2_session_free(s);
		s = NULL;
	}
	return s;
}

static void
kh_close(LIBSSH2_SESSION *s, LIBSSH2_KNOWNHOSTS *kh)
{
	libssh2_knownhost_free(kh);
	libssh2_session_free(s);
}

enum kh_result
knownhosts_check(const char *path, const char *host, int port,
    const unsigned char *key, size_t keylen, int keytype, char *err,
    size_t errlen)
{
	LIBSSH2_KNOWNHOSTS *kh;
	LIBSSH2_SESSION *s;
	char name[CFG_ADDR_MAX + 16];
	int rc, bit = kh_bit(keytype);

	if (err && errlen)
		err[0] = '\0';
	if (bit == LIBSSH2_KNOWNHOST_KEY_UNKNOWN) {
		snprintf(err, errlen, "unsupported host key type %d", keytype);
		return KH_FAILURE;
	}
	if (!(s = kh_open(&kh))) {
		snprintf(err, errlen, "out of memory");
		return KH_FAILURE;
	}
	if (kh_load(kh, path, err, errlen) < 0) {
		kh_close(s, kh);
		return KH_FAILURE;
	}
	entry_name(name, sizeof(name), host, port);
	rc = libssh2_knownhost_check(kh, name, (const char *)key, keylen,
	    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bit,
	    NULL);
	kh_close(s, kh);
	switch (rc) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		return KH_MATCH;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		return KH_MISMATCH;
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		return KH_NOTFOUND;
	}
	snprintf(err, errlen, "known_hosts check failed for %s", name);
	return KH_FAILURE;
}

void
knownhosts_types(const char *path, const char *host, int port, char *out,
    size_t outlen)
{
	LIBSSH2_KNOWNHOSTS *kh;
	LIBSSH2_SESSION *s;
	char name[CFG_ADDR_MAX + 16], err[256];
	size_t i, used = 0;
	int rc;

	if (outlen)
		out[0] = '\0';
	if (!(s = kh_open(&kh)))
		return;
	if (kh_load(kh, path, err, sizeof(err)) == 0) {
		entry_name(name, sizeof(name), host, port);
		/* A key no entry can hold: MISMATCH means "an entry of this
		 * type exists for the host", which works for hashed names. */
		for (i = 0; i < NTYPES; i++) {
			rc = libssh2_knownhost_check(kh, name, "\x01", 1,
			    LIBSSH2_KNOWNHOST_TYPE_PLAIN |
			    LIBSSH2_KNOWNHOST_KEYENC_RAW | key_types[i].kh,
			    NULL);
			if (rc != LIBSSH2_KNOWNHOST_CHECK_MISMATCH &&
			    rc != LIBSSH2_KNOWNHOST_CHECK_MATCH)
				continue;
			if (used + strlen(key_types[i].name) + 2 > outlen)
				break;
			used += (size_t)snprintf(out + used, outlen - used,
			    "%s%s", used ? "," : "", key_types[i].name);
		}
	}
	kh_close(s, kh);
}

int
knownhosts_append(const char *path, const char *host, int port,
    const unsigned char *key, size_t keylen, int keytype, char *err,
    size_t errlen)
{
	LIBSSH2_KNOWNHOSTS *kh;
	LIBSSH2_SESSION *s;
	struct libssh2_knownhost *entry = NULL;
	char name[CFG_ADDR_MAX + 16], line[8192], last = '\n';
	static const char comment[] = "added-by-relaytop";
	size_t n = 0;
	int fd, rc, bit = kh_bit(keytype);

	if (!(s = kh_open(&kh))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	entry_name(name, sizeof(name), host, port);
	rc = libssh2_knownhost_addc(kh, name, NULL, (const char *)key, keylen,
	    comment, sizeof(comment) - 1, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
	    LIBSSH2_KNOWNHOST_KEYENC_RAW | bit, &entry);
	if (rc == 0)
		rc = libssh2_knownhost_writeline(kh, entry, line,
		    sizeof(line) - 1, &n, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	kh_close(s, kh);
	if (rc != 0 || n == 0) {
		snprintf(err, errlen, "cannot format a known_hosts line for %s",
		    name);
		return -1;
	}
	if (line[n - 1] != '\n')
		line[n++] = '\n';
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	/* Never glue our line onto an unterminated last line. */
	if (lseek(fd, -1, SEEK_END) >= 0 && read(fd, &last, 1) == 1 &&
	    last != '\n' && write(fd, "\n", 1) != 1)
		last = 0;
	if (write(fd, line, n) != (ssize_t)n) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void
b64(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n && o + 5 < outlen; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = t[(v >> 18) & 63];
		out[o++] = t[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = t[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = t[v & 63];
	}
	out[o] = '\0';	/* OpenSSH prints SHA256 fingerprints unpadded */
}

void
sshc_hostkey_prefer(struct sshc *c)
{
	static const char all[] = "ssh-ed25519,ecdsa-sha2-nistp256,"
	    "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa";
	char known[256], pref[512];

	knownhosts_types(c->cfg->known_hosts, c->cfg->address, c->cfg->port,
	    known, sizeof(known));
	if (!known[0])
		return;
	/* Known types first so the server shows the key we can check;
	 * libssh2 ignores the repeats. */
	snprintf(pref, sizeof(pref), "%s,%s", known, all);
	libssh2_session_method_pref(c->s, LIBSSH2_METHOD_HOSTKEY, pref);
}

int
sshc_hostkey_verify(struct sshc *c, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	const unsigned char *hash;
	const char *key;
	char fp[64] = "?", err[256], known[256];
	size_t len = 0;
	int type = 0;

	key = libssh2_session_hostkey(c->s, &len, &type);
	if (!key) {
		sshc_fail(c, SSHE_HANDSHAKE, now_ms, "%s: no host key: %s",
		    cfg->name, sshc_lasterr(c));
		return -1;
	}
	hash = (const unsigned char *)libssh2_hostkey_hash(c->s,
	    LIBSSH2_HOSTKEY_HASH_SHA256);
	if (hash)
		b64(hash, 32, fp, sizeof(fp));
	switch (knownhosts_check(cfg->known_hosts, cfg->address, cfg->port,
	    (const unsigned char *)key, len, type, err, sizeof(err))) {
	case KH_MATCH:
		return 0;
	case KH_MISMATCH:
		sshc_fail(c, SSHE_HOSTKEY_CHANGED, now_ms, "HOST KEY CHANGED for "
		    "%s (%s): possible man-in-the-middle; refusing. Fix "
		    "known_hosts if the change is expected. (%s now offers %s "
		    "SHA256:%s; file %s)", cfg->name, cfg->address,
		    cfg->address, type_name(type), fp, cfg->known_hosts);
		return -1;
	case KH_FAILURE:
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): %s; "
		    "refusing", cfg->name, cfg->address, err);
		return -1;
	case KH_NOTFOUND:
		break;
	}
	knownhosts_types(cfg->known_hosts, cfg->address, cfg->port, known,
	    sizeof(known));
	if (known[0]) {
		sshc_fail(c, SSHE_HOSTKEY_CHANGED, now_ms, "HOST KEY CHANGED for "
		    "%s (%s): possible man-in-the-middle; refusing. Fix "
		    "known_hosts if the change is expected. (known: %s; host "
		    "offers %s SHA256:%s)", cfg->name, cfg->address, known,
		    type_name(type), fp);
		return -1;
	}
	if (cfg->hostkey_policy != HOSTKEY_ACCEPT_NEW) {
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): host key "
		    "not in %s (%s SHA256:%s); refusing. Add it after checking "
		    "the fingerprint, or use accept-new", cfg->name,
		    cfg->address, cfg->known_hosts, type_name(type), fp);
		return -1;
	}
	if (knownhosts_append(cfg->known_hosts, cfg->address, cfg->port,
	    (const unsigned char *)key, len, type, err, sizeof(err)) < 0) {
		sshc_fail(c, SSHE_HOSTKEY_UNKNOWN, now_ms, "%s (%s): accept-new:"
		    " %s", cfg->name, cfg->address, err);
		return -1;
	}
	return 0;
}
