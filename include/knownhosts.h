/* knownhosts.h: host keys against OpenSSH known_hosts files, by the rules of
 * OpenSSH 9.2 (hostfile.c, match.c): the user file and the global file read
 * together; @revoked refuses; @cert-authority is understood (libssh2 1.10
 * cannot check host certificates, so a host only a CA vouches for is
 * refused); names compared case-insensitively; `*`, `?` and `!` patterns;
 * hashed |1|salt|hash names (HMAC-SHA1, libcrypto); [host]:port off port 22.
 * Keys are raw SSH public key blobs, as the server sends them. */
#ifndef RELAYTOP_KNOWNHOSTS_H
#define RELAYTOP_KNOWNHOSTS_H

#include <stddef.h>

#include "config.h"

#define KH_LINE_MAX	65536	/* longer lines are skipped as invalid */
#define KH_NAME_MAX	(CFG_ADDR_MAX + 16)	/* "[host]:port" */

enum kh_result {
	KH_MATCH = 0,	/* a plain line holds this key (and none revokes it) */
	KH_MISMATCH,	/* lines for the host, none with this key: changed */
	KH_NOTFOUND,	/* no line for the host */
	KH_FAILURE,	/* a file could not be read, or the key is unusable */
	KH_REVOKED,	/* a matching @revoked line names this key */
	KH_CA_ONLY,	/* only @cert-authority lines name the host */
};

struct kh_verdict {
	enum kh_result result;
	char	where[CFG_PATH_MAX + 24];	/* "FILE:LINE" that decided */
	char	type[48];	/* the presented key's type name */
	char	err[CFG_PATH_MAX + 96];	/* KH_FAILURE: why */
};

/* --- kh-base64.c ------------------------------------------------------ */
/* Encodes n bytes into out (NUL-terminated), with '=' padding when pad.
 * Returns the length, or -1 when out is too small. */
int	kh_b64_encode(const unsigned char *p, size_t n, int pad, char *out,
	    size_t outlen);
/* Decodes len characters of padded base64 as OpenSSH's b64_pton does
 * (white space anywhere is skipped) into out. Returns the byte count, or -1
 * on any other bad character, missing or misplaced padding, non-zero spare
 * bits, or when out is too small. */
int	kh_b64_decode(const char *s, size_t len, unsigned char *out,
	    size_t outlen);

/* --- kh-match.c ------------------------------------------------------- */
/* OpenSSH's match_pattern: `*` any run, `?` one character, else exact. */
int	kh_match_pattern(const char *s, size_t slen, const char *pat,
	    size_t plen);
/* A comma-separated list of patterns, `!` negating one, compared lower
 * case: 1 when one matches and no negated one does, -1 when a negated one
 * matches, 0 otherwise (also when a pattern is 1023 bytes or longer). */
int	kh_match_list(const char *name, const char *list, size_t len);
/* A hashed field "|1|salt|hash": 1 when HMAC-SHA1(salt, name) is the
 * hash, 0 when not, -1 when the field is malformed. */
int	kh_match_hashed(const char *name, const char *field, size_t len);
/* name ("host", or "[host]:port" off 22), lower case, into out. Returns
 * 0, or -1 when it does not fit. */
int	kh_host_name(const char *host, int port, char *out, size_t outlen);

/* --- kh-key.c --------------------------------------------------------- */
/* A key read from a line or a blob: its type (an index into the table of
 * types OpenSSH 9.2 reads; -1 none) and where its body starts (after the
 * type string), so keys compare as OpenSSH's sshkey_equal does. */
struct kh_key {
	int	type;
	const unsigned char *blob;
	size_t	len, body;
};
/* Checks a raw blob as OpenSSH's sshkey_from_blob would (known plain type,
 * well-formed fields, nothing after them). Returns 0 and fills *k (which
 * borrows blob), or -1. */
int	kh_key_from_blob(const unsigned char *blob, size_t len,
	    struct kh_key *k);
/* 1 when a and b are the same public key. */
int	kh_key_equal(const struct kh_key *a, const struct kh_key *b);
/* The type's canonical name ("ssh-ed25519"), "unknown" for -1. */
const char *kh_key_type_name(int type);
/* The type for a name as OpenSSH's sshkey_type_from_name reads it (full
 * names, and short names like "ED25519" in any case); -1 when unknown. */
int	kh_key_type_from_name(const char *name, size_t len);

/* --- kh-scan.c -------------------------------------------------------- */
/* What the lines that name one host say about one key. */
struct kh_scan {
	char	name[KH_NAME_MAX];	/* lower-case "host" or "[host]:port" */
	struct kh_key key;		/* presented key; type -1: none */
	int	match, other, revoked, ca;	/* counts of such lines */
	char	at_match[CFG_PATH_MAX + 24], at_other[CFG_PATH_MAX + 24];
	char	at_revoked[CFG_PATH_MAX + 24], at_ca[CFG_PATH_MAX + 24];
	unsigned types;			/* bit per plain type known */
	char	line[KH_LINE_MAX + 1];	/* scratch */
	unsigned char blob[KH_LINE_MAX];	/* scratch */
};
/* Starts a scan for host:port and the key (key NULL: only the types).
 * Returns 0, or -1 when the name does not fit or the key is unusable. */
int	kh_scan_init(struct kh_scan *s, const char *host, int port,
	    const unsigned char *key, size_t keylen);
/* Reads len bytes of known_hosts text; file names it in "where". */
void	kh_scan_text(struct kh_scan *s, const char *text, size_t len,
	    const char *file);
/* Reads the file at path: 0, or -1 with err (a missing file is empty). */
int	kh_scan_file(struct kh_scan *s, const char *path, char *err,
	    size_t errlen);
/* The verdict: REVOKED, then MATCH, MISMATCH, CA_ONLY, NOTFOUND. */
enum kh_result kh_scan_result(const struct kh_scan *s, char *where,
	    size_t wlen);
/* Type names of the plain lines for the host, best first, comma-separated
 * into out ("" when none). */
void	kh_scan_types(const struct kh_scan *s, char *out, size_t outlen);

/* --- ssh-knownhosts.c ------------------------------------------------- */
/* The verdict for key presented by host:port, over files[0..n) (the
 * user's file, then the global one; NULL or "" entries are skipped).
 * Returns v->result. */
enum kh_result knownhosts_check(const char *const *files, size_t n,
	    const char *host, int port, const unsigned char *key,
	    size_t keylen, struct kh_verdict *v);
/* Key types known for host:port over the files, best first, comma-
 * separated into out ("" when none). */
void	knownhosts_types(const char *const *files, size_t n,
	    const char *host, int port, char *out, size_t outlen);
/* Appends "name type base64 added-by-relaytop" for host:port to path,
 * creating it (0600) when missing. Returns 0, or -1 with err. */
int	knownhosts_append(const char *path, const char *host, int port,
	    const unsigned char *key, size_t keylen, char *err, size_t errlen);
/* "SHA256:..." (unpadded base64, as OpenSSH prints it) into out. */
void	knownhosts_fingerprint(const unsigned char *key, size_t keylen,
	    char *out, size_t outlen);
/* Where accept-new says what it added: fn(arg, line). By default (fn
 * NULL) a line on stderr; the console shows it in its message line. */
void	knownhosts_set_notice(void (*fn)(void *, const char *), void *arg);

#endif
