/* kh-key.c: public keys in known_hosts: the plain key types OpenSSH 9.2
 * reads (full and short names), each blob checked field by field as its
 * sshkey_from_blob does, and keys compared as sshkey_equal does. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "knownhosts.h"

#define MPINT_MAX	2049	/* SSHBUF_MAX_BIGNUM + 1 */
#define FIELDS_MAX	4

/* fields: s a string, c the curve name, k a 32-byte key, p an
 * uncompressed point of the curve, m an mpint. */
static const struct ktype {
	const char *name, *alias, *alias2, *shortname;
	const char *fields, *curve;
	size_t	point;			/* uncompressed point length */
} types[] = {
	{ "ssh-ed25519", NULL, NULL, "ED25519", "k", NULL, 0 },
	{ "ecdsa-sha2-nistp256", NULL, NULL, NULL, "cp", "nistp256", 65 },
	{ "ecdsa-sha2-nistp384", NULL, NULL, NULL, "cp", "nistp384", 97 },
	{ "ecdsa-sha2-nistp521", NULL, NULL, NULL, "cp", "nistp521", 133 },
	{ "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512", "RSA", "mm", NULL, 0 },
	{ "ssh-dss", NULL, NULL, "DSA", "mmmm", NULL, 0 },
	{ "sk-ssh-ed25519@openssh.com", NULL, NULL, "ED25519-SK", "ks",
	    NULL, 0 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com",
	    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", NULL, "ECDSA-SK",
	    "cps", "nistp256", 65 },
};
#define NTYPES	((int)(sizeof(types) / sizeof(types[0])))

static int
name_is(const char *s, size_t len, const char *want)
{
	return want != NULL && strlen(want) == len && memcmp(s, want, len) == 0;
}

int
kh_key_type_from_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NTYPES; i++) {
		if (name_is(name, len, types[i].name) ||
		    name_is(name, len, types[i].alias) ||
		    name_is(name, len, types[i].alias2))
			return i;
		if (types[i].shortname != NULL &&
		    strlen(types[i].shortname) == len &&
		    strncasecmp(name, types[i].shortname, len) == 0)
			return i;
	}
	return -1;
}

const char *
kh_key_type_name(int type)
{
	return type >= 0 && type < NTYPES ? types[type].name : "unknown";
}

/* One SSH string at *off: its bytes and length; -1 past the end. */
static int
get_string(const unsigned char *p, size_t len, size_t *off,
    const unsigned char **s, size_t *slen)
{
	uint32_t n;

	if (len - *off < 4)
		return -1;
	n = (uint32_t)p[*off] << 24 | (uint32_t)p[*off + 1] << 16 |
	    (uint32_t)p[*off + 2] << 8 | p[*off + 3];
	*off += 4;
	if (n > len - *off)
		return -1;
	*s = p + *off;
	*slen = n;
	*off += n;
	return 0;
}

/* The fields of k's body, mpints without their leading zeros. */
static int
fields(const struct kh_key *k, const unsigned char *f[FIELDS_MAX],
    size_t flen[FIELDS_MAX])
{
	const struct ktype *t = &types[k->type];
	size_t off = k->body, i;

	for (i = 0; t->fields[i]; i++) {
		if (get_string(k->blob, k->len, &off, &f[i], &flen[i]) < 0)
			return -1;
		switch (t->fields[i]) {
		case 'k':
			if (flen[i] != 32)
				return -1;
			break;
		case 'c':
			if (!name_is((const char *)f[i], flen[i], t->curve))
				return -1;
			break;
		case 'p':
			if (flen[i] != t->point || f[i][0] != 0x04)
				return -1;
			break;
		case 'm':
			if (flen[i] > MPINT_MAX || (flen[i] && (f[i][0] & 0x80)))
				return -1;
			while (flen[i] && f[i][0] == 0) {
				f[i]++;
				flen[i]--;
			}
			break;
		default:
			break;
		}
	}
	return off == k->len ? 0 : -1;	/* nothing may follow */
}

/* Bits of a magnitude without leading zeros. */
static size_t
bits(const unsigned char *p, size_t n)
{
	size_t b;
	unsigned v;

	if (n == 0)
		return 0;
	for (b = 0, v = p[0]; v; v >>= 1)
		b++;
	return (n - 1) * 8 + b;
}

int
kh_key_from_blob(const unsigned char *blob, size_t len, struct kh_key *k)
{
	const unsigned char *f[FIELDS_MAX], *tn;
	size_t flen[FIELDS_MAX], tlen, off = 0, nbits;

	k->type = -1;
	k->blob = blob;
	k->len = len;
	if (get_string(blob, len, &off, &tn, &tlen) < 0)
		return -1;
	k->type = kh_key_type_from_name((const char *)tn, tlen);
	k->body = off;
	if (k->type < 0 || fields(k, f, flen) < 0) {
		k->type = -1;
		return -1;
	}
	/* RSA: OpenSSH refuses moduli under 1024 or over 16384 bits */
	if (strcmp(types[k->type].name, "ssh-rsa") == 0) {
		nbits = bits(f[1], flen[1]);
		if (nbits < 1024 || nbits > 16384) {
			k->type = -1;
			return -1;
		}
	}
	return 0;
}

int
kh_key_equal(const struct kh_key *a, const struct kh_key *b)
{
	const unsigned char *fa[FIELDS_MAX], *fb[FIELDS_MAX];
	size_t la[FIELDS_MAX], lb[FIELDS_MAX], i;

	if (a->type < 0 || a->type != b->type || fields(a, fa, la) < 0 ||
	    fields(b, fb, lb) < 0)
		return 0;
	for (i = 0; types[a->type].fields[i]; i++)
		if (la[i] != lb[i] || memcmp(fa[i], fb[i], la[i]) != 0)
			return 0;
	return 1;
}
