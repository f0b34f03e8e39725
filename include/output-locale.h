/* output-locale.h: text for stdout and stderr as the user's locale can
 * show it. relaytop's text is UTF-8 (remote text sanitised, a few symbols);
 * a terminal in a non-UTF-8 locale would read bytes 0x80-0x9F of it as C1
 * controls, so there everything outside ASCII is written as ASCII. */
#ifndef RELAYTOP_OUTPUT_LOCALE_H
#define RELAYTOP_OUTPUT_LOCALE_H

#include <stddef.h>
#include <stdio.h>

/* 1 when the locale of the environment (LC_ALL, LC_CTYPE, LANG, read as
 * setlocale(LC_CTYPE, "") would, without changing the program's own
 * locale) has the UTF-8 codeset. Decided at the first call. */
int	out_locale_utf8(void);

/* Tests: 1 or 0 decides, -1 asks the environment again. */
void	out_locale_force(int utf8);

/* Copies src (UTF-8, normally sanitised) into dst as the locale shows it:
 * unchanged in a UTF-8 locale; otherwise ASCII bytes stay, arrows, box
 * lines, dashes, quotes, the ellipsis and U+FFFD get ASCII stand-ins
 * ("->", "-", "...", "?"), any other character becomes "<U+XXXX>" and an
 * invalid byte '?'. Never cuts a character or a stand-in; NUL-terminates
 * when len > 0. Returns the length written. */
size_t	out_locale_copy(char *dst, size_t len, const char *src);

/* fprintf(f, ...) through out_locale_copy. Returns the bytes written, or
 * -1 (write error, or no memory in a non-UTF-8 locale). */
int	out_printf(FILE *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
