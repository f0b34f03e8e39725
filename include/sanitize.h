/* sanitize.h: make untrusted remote text safe for a terminal and for JSON.
 * Output is valid UTF-8 with no C0/C1 control character, no DEL and no
 * escape sequence; each bad byte becomes '?', each control char '?' (tab
 * becomes a space). Invisible characters that reorder or hide text (bidi
 * overrides, embeddings, isolates and marks, zero-width and other format
 * characters, U+2028/9, tags) become a visible U+FFFD ('?' for the 2-byte
 * U+061C), so the output is never longer than the input. Always
 * NUL-terminates when dstlen > 0. */
#ifndef RELAYTOP_SANITIZE_H
#define RELAYTOP_SANITIZE_H

#include <stddef.h>

/* Writes at most dstlen-1 bytes plus NUL; never splits a UTF-8 sequence.
 * Returns the length written. */
size_t	sanitize_copy(char *dst, size_t dstlen, const char *src, size_t n);

/* The code point of the valid, printable multi-byte UTF-8 sequence at
 * s[0..n) in *cp, and its length (2..4); 0 when s[0] is ASCII or does not
 * start one (the same rules as sanitize_copy, C1 controls refused). */
size_t	sanitize_utf8_next(const char *s, size_t n, unsigned *cp);

/* Heap copy of the sanitised text (caller frees); NULL only on ENOMEM. */
char	*sanitize_dup(const char *src, size_t n);

/* 1 when s[0..n) is already safe (valid UTF-8, no control characters). */
int	sanitize_is_clean(const char *s, size_t n);

#endif
