/* fuzz-accept-encoding.c: libFuzzer harness for serve_gzip_accepted (the
 * Accept-Encoding parser of --serve): any header value is read within its
 * bound, answers 0 or 1, and takes gzip only when it names gzip or "*". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

/* 1 when s names "gzip" (any case) or "*" somewhere. */
static int
names_gzip(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '*' || strncasecmp(s, "gzip", 4) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1);
	int r;

	if (h == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';	/* a header value ends at its first NUL */
	r = serve_gzip_accepted(h);
	if ((r != 0 && r != 1) || (r && (strlen(h) > SERVE_AE_MAX ||
	    !names_gzip(h))))
		abort();
	free(h);
	return 0;
}
