/* fuzz-sanitize.c: libFuzzer harness for sanitize.h. Whatever the input,
 * the output is clean, no longer than the input, NUL-terminated, and a
 * smaller buffer gets a prefix of it that ends on a character boundary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = malloc(size + 1), *dup, small[17];
	size_t len, m, k;

	if (out == NULL)
		return 0;
	len = sanitize_copy(out, size + 1, (const char *)data, size);
	if (len > size || out[len] != '\0' || strlen(out) != len ||
	    !sanitize_is_clean(out, len))
		abort();
	if (sanitize_is_clean((const char *)data, size) &&
	    (len != size || memcmp(out, data, size) != 0))
		abort();
	if ((dup = sanitize_dup((const char *)data, size)) == NULL ||
	    strcmp(dup, out) != 0)
		abort();
	free(dup);
	for (k = 1; k <= sizeof(small); k += 5) {
		m = sanitize_copy(small, k, (const char *)data, size);
		if (m >= k || memcmp(small, out, m) != 0 ||
		    !sanitize_is_clean(small, m))
			abort();
	}
	free(out);
	return 0;
}
