/* sanitize.c: turns untrusted remote bytes into terminal- and JSON-safe
 * UTF-8. One pass, ASCII fast path through a table; each multi-byte sequence
 * is checked whole (no overlongs, surrogates or > U+10FFFF) and copied whole
 * or replaced byte by byte with '?'; invisible format characters (bidi
 * controls, zero-width, tags) become a visible U+FFFD. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* ASCII map: the byte itself when printable, ' ' for tab, '?' otherwise. */
static const unsigned char ascii_map[128] = {
	'?', '?', '?', '?', '?', '?', '?', '?',
	'?', ' ', '?', '?', '?', '?', '?', '?',
	'?', '?', '?', '?', '?', '?', '?', '?',
	'?', '?', '?', '?', '?', '?', '?', '?',
	' ', '!', '"', '#', '$', '%', '&', '\'',
	'(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7',
	'8', '9', ':', ';', '<', '=', '>', '?',
	'@', 'A', 'B', 'C', 'D', 'E', 'F', 'G',
	'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W',
	'X', 'Y', 'Z', '[', '\\', ']', '^', '_',
	'`', 'a', 'b', 'c', 'd', 'e', 'f', 'g',
	'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
	'x', 'y', 'z', '{', '|', '}', '~', '?',
};

#define ONES	((uint64_t)0x0101010101010101ULL)
#define HIGHS	(ONES * 0x80)

/* 1 when all 8 bytes of w are printable ASCII (0x20..0x7e): no high bit,
 * no byte below 0x20, no 0x7f (word-at-a-time tests, exact for "any"). */
static inline int
word_printable(uint64_t w)
{
	uint64_t below = (w - ONES * 0x20) & ~w & HIGHS;
	uint64_t del = w ^ (ONES * 0x7f);

	del = (del - ONES) & ~del & HIGHS;
	return ((w & HIGHS) | below | del) == 0;
}

/* Length (2..4) of the valid, printable UTF-8 sequence at s[0..n), or 0 when
 * s[0] does not start one (invalid, truncated, overlong, surrogate, beyond
 * U+10FFFF, or a C1 control U+0080..U+009F). s[0] >= 0x80. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		/* U+0080..U+009F are the C1 controls (0xc2 0x80..0x9f). */
		if (c == 0xc2 && s[1] < 0xa0)
			return 0;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && s[1] >= 0xa0)		/* surrogates */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)		/* > U+10FFFF */
			return 0;
		return 4;
	}
	return 0;	/* continuation byte, 0xc0/0xc1, 0xf5..0xff */
}

/* 1 when the valid sequence s[0..len) is a character that is invisible
 * yet changes how the text around it reads: bidi embeddings, overrides,
 * isolates and marks (U+061C, U+200E/F, U+202A-202E, U+2066-2069),
 * zero-width and invisible format characters (U+180E, U+200B-200D,
 * U+2060-2065, U+206A-206F, U+FEFF, U+FFF9-FFFB), the line and paragraph
 * separators U+2028/9, and U+E0000-E0FFF (tags U+E0000-E007F and the
 * rest of that default-ignorable block). */
static int
invisible(const unsigned char *s, size_t len)
{
	unsigned cp;

	switch (s[0]) {
	case 0xd8:
		return s[1] == 0x9c;			/* U+061C */
	case 0xe1:
		return s[1] == 0xa0 && s[2] == 0x8e;	/* U+180E */
	case 0xe2:
		if (s[1] != 0x80 && s[1] != 0x81)
			return 0;
		cp = 0x2000 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return (cp >= 0x200b && cp <= 0x200f) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2060 && cp <= 0x206f);
	case 0xef:
		return (s[1] == 0xbb && s[2] == 0xbf) ||	/* U+FEFF */
		    (s[1] == 0xbf && s[2] >= 0xb9 && s[2] <= 0xbb);
	case 0xf3:
		return len == 4 && s[1] == 0xa0;	/* U+E0000-E0FFF */
	default:
		return 0;
	}
}

/* U+FFFD, no longer than any sequence it replaces but U+061C ('?'). */
static size_t
put_mark(unsigned char *d, size_t len)
{
	if (len < 3) {
		d[0] = '?';
		return 1;
	}
	memcpy(d, "\xef\xbf\xbd", 3);
	return 3;
}

size_t
sanitize_copy(char *dst, size_t dstlen, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	unsigned char *d = (unsigned char *)dst;
	size_t i = 0, o = 0, len, room;

	if (dstlen == 0)
		return 0;
	room = dstlen - 1;
	if (src == NULL)
		n = 0;
	while (i < n && o < room) {
		uint64_t w;

		/* Log text is mostly printable ASCII: copy it 8 bytes at a time. */
		if (s[i] - 0x20u < 0x5fu && n - i >= 8 && room - o >= 8) {
			memcpy(&w, s + i, 8);
			if (word_printable(w)) {
				memcpy(d + o, &w, 8);
				i += 8;
				o += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			d[o++] = ascii_map[s[i++]];
			continue;
		}
		len = utf8_seq_len(s + i, n - i);
		if (len == 0) {
			d[o++] = '?';
			i++;
			continue;
		}
		if (room - o < len)
			break;		/* never split a sequence */
		if (invisible(s + i, len))
			o += put_mark(d + o, len);
		else {
			memcpy(d + o, s + i, len);
			o += len;
		}
		i += len;
	}
	d[o] = '\0';
	return o;
}

size_t
sanitize_utf8_next(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	unsigned c;

	if (n == 0 || u[0] < 0x80 || (len = utf8_seq_len(u, n)) == 0)
		return 0;
	c = u[0] & (0x7fu >> len);
	for (i = 1; i < len; i++)
		c = c << 6 | (u[i] & 0x3fu);
	*cp = c;
	return len;
}

char *
sanitize_dup(const char *src, size_t n)
{
	char *p;

	/* Every input byte yields at most one output byte. */
	if (n == (size_t)-1)
		return NULL;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	sanitize_copy(p, n + 1, src, n);
	return p;
}

int
sanitize_is_clean(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		uint64_t w;

		if (u[i] - 0x20u < 0x5fu && n - i >= 8) {
			memcpy(&w, u + i, 8);
			if (word_printable(w)) {
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {
			if (u[i] < 0x20 || u[i] == 0x7f)
				return 0;	/* tab too: the copy changes it */
			i++;
			continue;
		}
		if ((len = utf8_seq_len(u + i, n - i)) == 0 ||
		    invisible(u + i, len))
			return 0;
		i += len;
	}
	return 1;
}
