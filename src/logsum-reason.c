/* logsum-reason.c: groups deferral and bounce reasons for the log summary
 * by blanking what varies per message: addresses in <..> and words of 5+
 * letters/digits holding a digit (queue ids, hex tokens, session numbers).
 * Short numbers stay: SMTP codes, DSNs, IPv4 octets, "300 seconds". */
#include <string.h>

#include "logsum.h"

static int
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

size_t
logsum_reason_normalise(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t i = 0, o = 0, j;
	int digit, alpha;

	if (dstlen == 0)
		return 0;
#define PUT(c) do { if (o + 1 < dstlen) dst[o++] = (c); } while (0)
	while (i < n && o + 1 < dstlen) {
		char c = src[i];

		if (c == '<') {
			const char *gt = memchr(src + i, '>', n - i);

			if (gt != NULL && gt - (src + i) <= 320) {
				PUT('<');
				PUT('>');
				i = (size_t)(gt - src) + 1;
				continue;
			}
		}
		if (is_alnum(c)) {
			digit = alpha = 0;
			for (j = i; j < n && is_alnum(src[j]); j++) {
				if (src[j] >= '0' && src[j] <= '9')
					digit = 1;
				else
					alpha = 1;
			}
			if (j - i >= 5 && digit) {
				PUT('*');
			} else {
				for (; i < j; i++)
					PUT(src[i]);
			}
			i = j;
			continue;
		}
		PUT(c);
		i++;
	}
#undef PUT
	dst[o] = '\0';
	return o;
}
