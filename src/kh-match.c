/* kh-match.c: does a known_hosts line name this host? OpenSSH 9.2's rules:
 * comma lists of `*`/`?` patterns, `!` negation, lower-case comparison
 * (match.c), and hashed "|1|salt|hash" fields (hostfile.c: HMAC-SHA1 of
 * the name keyed by the salt, here from libcrypto). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "knownhosts.h"

#define SUB_MAX		1024	/* OpenSSH's sub[1024] in match_pattern_list */
#define SHA1_LEN	20

/* Greedy glob with one backtrack point: the same answers as OpenSSH's
 * recursive match_pattern, in O(slen * plen) on any input. */
int
kh_match_pattern(const char *s, size_t slen, const char *pat, size_t plen)
{
	size_t si = 0, pi = 0, star_p = 0, star_s = 0;
	int star = 0;

	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			star = 1;
			star_p = ++pi;
			star_s = si;
		} else if (pi < plen && (pat[pi] == '?' || pat[pi] == s[si])) {
			pi++;
			si++;
		} else if (star) {
			pi = star_p;
			si = ++star_s;
		} else {
			return 0;
		}
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

int
kh_match_list(const char *name, const char *list, size_t len)
{
	char sub[SUB_MAX];
	size_t i = 0, n, nlen = strlen(name);
	int negated, positive = 0;

	while (i < len) {
		negated = list[i] == '!';
		if (negated)
			i++;
		for (n = 0; i < len && n < sizeof(sub) - 1 && list[i] != ','; )
			sub[n++] = (char)tolower((unsigned char)list[i++]);
		if (n >= sizeof(sub) - 1)
			return 0;	/* as OpenSSH: too long, no match */
		if (i < len && list[i] == ',')
			i++;
		if (kh_match_pattern(name, nlen, sub, n)) {
			if (negated)
				return -1;
			positive = 1;
		}
	}
	return positive;
}

int
kh_match_hashed(const char *name, const char *field, size_t len)
{
	unsigned char salt[64], mac[EVP_MAX_MD_SIZE];
	char want[128], b64salt[64], b64mac[64];
	const char *salt_end;
	unsigned maclen = 0;
	int n;

	if (len < 3 || memcmp(field, "|1|", 3) != 0)
		return -1;
	salt_end = memchr(field + 3, '|', len - 3);
	if (salt_end == NULL || salt_end == field + 3 ||
	    salt_end - (field + 3) > 1024)
		return -1;
	n = kh_b64_decode(field + 3, (size_t)(salt_end - (field + 3)), salt,
	    sizeof(salt));
	if (n != SHA1_LEN)
		return -1;
	if (HMAC(EVP_sha1(), salt, n, (const unsigned char *)name,
	    strlen(name), mac, &maclen) == NULL || maclen != SHA1_LEN)
		return -1;
	if (kh_b64_encode(salt, SHA1_LEN, 1, b64salt, sizeof(b64salt)) < 0 ||
	    kh_b64_encode(mac, SHA1_LEN, 1, b64mac, sizeof(b64mac)) < 0)
		return -1;
	n = snprintf(want, sizeof(want), "|1|%s|%s", b64salt, b64mac);
	return n > 0 && (size_t)n == len && memcmp(want, field, len) == 0;
}

int
kh_host_name(const char *host, int port, char *out, size_t outlen)
{
	size_t i;
	int n;

	if (port == 22 || port <= 0)
		n = snprintf(out, outlen, "%s", host);
	else
		n = snprintf(out, outlen, "[%s]:%d", host, port);
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return 0;
}
