/* serve-auth.c: basic auth for --serve against the web config's bcrypt
 * hashes (crypt(3), libxcrypt). bcrypt costs tens of milliseconds of the
 * one loop, so a password that passed is remembered as its SHA-256 and the
 * next scrape with it costs a hash; a changed password is checked again. */
#include <crypt.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "serve-int.h"

int
serve_auth_ok(const struct web_config *c, struct serve_auth_cache *cache,
    const char *user, const char *pass)
{
	static struct crypt_data cd;	/* 32 KiB: not on the stack */
	unsigned char sum[SHA256_DIGEST_LENGTH];
	const char *h;
	size_t i;

	if (user == NULL || pass == NULL)
		return 0;
	for (i = 0; i < c->nusers; i++)
		if (strcmp(c->users[i].name, user) == 0)
			break;
	if (i == c->nusers)
		return 0;
	SHA256((const unsigned char *)pass, strlen(pass), sum);
	if (cache[i].valid && CRYPTO_memcmp(cache[i].sum, sum,
	    sizeof(sum)) == 0)
		return 1;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(pass, c->users[i].hash, &cd);
	if (h == NULL || h[0] == '*' || strlen(h) != strlen(c->users[i].hash) ||
	    CRYPTO_memcmp(h, c->users[i].hash, strlen(h)) != 0)
		return 0;
	memcpy(cache[i].sum, sum, sizeof(sum));
	cache[i].valid = 1;
	return 1;
}
