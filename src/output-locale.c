/* output-locale.c: relaytop's UTF-8 text as the user's locale can show it:
 * as is under a UTF-8 codeset, else ASCII (stand-ins for a few symbols,
 * "<U+XXXX>" for the rest), so no byte 0x80-0x9F reaches a terminal that
 * reads it as a C1 control. */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output-locale.h"
#include "sanitize.h"

static int utf8_cached = -1;

int
out_locale_utf8(void)
{
	locale_t loc;
	const char *cs;

	if (utf8_cached >= 0)
		return utf8_cached;
	utf8_cached = 0;
	/* The environment's locale, without setlocale() on the program's. */
	loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	if (loc != (locale_t)0) {
		cs = nl_langinfo_l(CODESET, loc);
		utf8_cached = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
		    strcasecmp(cs, "utf8") == 0);
		freelocale(loc);
	}
	return utf8_cached;
}

void
out_locale_force(int utf8)
{
	utf8_cached = utf8 < 0 ? -1 : utf8 != 0;
}

/* ASCII stand-ins for the symbols relaytop and Postfix text use. */
static const char *
stand_in(unsigned cp)
{
	static const struct { unsigned cp; const char *s; } map[] = {
		{ 0x00a0, " " }, { 0x2010, "-" }, { 0x2011, "-" },
		{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2018, "'" },
		{ 0x2019, "'" }, { 0x201c, "\"" }, { 0x201d, "\"" },
		{ 0x2022, "*" }, { 0x2026, "..." }, { 0x2190, "<-" },
		{ 0x2192, "->" }, { 0x2500, "-" }, { 0x2502, "|" },
		{ 0x2504, "-" }, { 0x250c, "+" }, { 0x2510, "+" },
		{ 0x2514, "+" }, { 0x2518, "+" }, { 0x251c, "+" },
		{ 0x2524, "+" }, { 0x25b2, "^" }, { 0x25b6, ">" },
		{ 0x25b7, ">" }, { 0x25bc, "v" }, { 0xfffd, "?" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (map[i].cp == cp)
			return map[i].s;
	return NULL;
}

size_t
out_locale_copy(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, n, k, w;
	char esc[16];
	const char *put;
	unsigned cp;

	if (len == 0)
		return 0;
	n = src ? strlen(src) : 0;
	if (out_locale_utf8()) {
		/* never cut a sequence: back up to its first byte */
		w = n < len - 1 ? n : len - 1;
		while (w > 0 && w < n && (s[w] & 0xc0) == 0x80)
			w--;
		memcpy(dst, src, w);
		dst[w] = '\0';
		return w;
	}
	while (i < n) {
		if (s[i] < 0x80) {
			if (o + 1 >= len)
				break;
			dst[o++] = (char)s[i++];
			continue;
		}
		k = sanitize_utf8_next(src + i, n - i, &cp);
		if (k == 0) {
			put = "?";
			k = 1;
		} else if ((put = stand_in(cp)) == NULL) {
			snprintf(esc, sizeof(esc), "<U+%04X>", cp);
			put = esc;
		}
		w = strlen(put);
		if (o + w >= len)
			break;
		memcpy(dst + o, put, w);
		o += w;
		i += k;
	}
	dst[o] = '\0';
	return o;
}

int
out_printf(FILE *f, const char *fmt, ...)
{
	char *raw = NULL, *out = NULL;
	va_list ap, ap2;
	int n;

	va_start(ap, fmt);
	if (out_locale_utf8()) {
		n = vfprintf(f, fmt, ap);
		va_end(ap);
		return n;
	}
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	/* a stand-in or "<U+XXXX>" is at most 4 times its UTF-8 sequence */
	if (n >= 0 && (raw = malloc((size_t)n + 1)) != NULL &&
	    (out = malloc(4 * (size_t)n + 1)) != NULL) {
		vsnprintf(raw, (size_t)n + 1, fmt, ap2);
		n = (int)out_locale_copy(out, 4 * (size_t)n + 1, raw);
		if (fputs(out, f) < 0)
			n = -1;
	} else
		n = -1;
	va_end(ap2);
	va_end(ap);
	free(raw);
	free(out);
	return n;
}
