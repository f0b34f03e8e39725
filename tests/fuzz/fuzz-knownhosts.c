/* fuzz-knownhosts.c: libFuzzer harness for the known_hosts reader: the
 * input as a known_hosts file for two names and ports and a fixed key (the
 * verdict must agree with what the scan counted), as a key blob, as a host
 * pattern list and as base64 (what decodes must encode back the same). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"

/* ssh-ed25519 blob of tests/data/knownhosts/host_ed25519.pub */
static const char ed_b64[] =
    "AAAAC3NzaC1lZDI1NTE5AAAAINoevd39REI4eo/fk3emv2KjUuBVnEKch9xbvQ6pe9FV";

static struct kh_scan scan;

static void
check_scan(const char *text, size_t len, const char *host, int port,
    const unsigned char *key, size_t keylen)
{
	enum kh_result r;
	char where[64], types[256];

	if (kh_scan_init(&scan, host, port, key, keylen) != 0)
		abort();
	kh_scan_text(&scan, text, len, "fuzz");
	r = kh_scan_result(&scan, where, sizeof(where));
	if ((scan.revoked > 0) != (r == KH_REVOKED) ||
	    (r == KH_MATCH && scan.match == 0) ||
	    (r == KH_MISMATCH && (scan.match || scan.other == 0)) ||
	    (r == KH_CA_ONLY && (scan.match || scan.other || !scan.ca)) ||
	    (r == KH_NOTFOUND && (scan.match || scan.other || scan.ca)))
		abort();
	if (r != KH_NOTFOUND && strncmp(where, "fuzz:", 5) != 0)
		abort();
	kh_scan_types(&scan, types, sizeof(types));
	if ((scan.types == 0) != (types[0] == '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char key[128], out[65536];
	static char enc[90000];
	const char *text = (const char *)data;
	char *copy;
	struct kh_key k;
	size_t i, j;
	int n, keylen;

	keylen = kh_b64_decode(ed_b64, strlen(ed_b64), key, sizeof(key));
	if (keylen <= 0)
		abort();
	check_scan(text, size, "relay1.example.net", 22, key, (size_t)keylen);
	check_scan(text, size, "172.16.1.11", 2222, key, (size_t)keylen);
	if (kh_key_from_blob(data, size, &k) == 0 && !kh_key_equal(&k, &k))
		abort();

	copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	(void)kh_match_list("relay1.example.net", copy, strlen(copy));
	(void)kh_match_hashed("relay1.example.net", copy, strlen(copy));

	/* what decodes encodes back to the same characters, spaces aside */
	n = kh_b64_decode(text, size, out, sizeof(out));
	if (n >= 0) {
		if (kh_b64_encode(out, (size_t)n, 1, enc, sizeof(enc)) < 0)
			abort();
		for (i = 0, j = 0; i < size; i++) {
			if (strchr(" \t\n\v\f\r", text[i]) != NULL &&
			    text[i] != '\0')
				continue;
			if (enc[j++] != text[i])
				abort();
		}
		if (enc[j] != '\0')
			abort();
	}
	free(copy);
	return 0;
}
