/* kh-base64.c: the base64 of known_hosts lines: decoding as OpenSSH's
 * b64_pton (padding required, spare bits zero, white space skipped) and
 * encoding, with or without the '=' padding (fingerprints go without). */
#include <stddef.h>

#include "knownhosts.h"

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
kh_b64_encode(const unsigned char *p, size_t n, int pad, char *out,
    size_t outlen)
{
	size_t i, o = 0, need = (n + 2) / 3 * 4;
	unsigned v;

	if (need >= outlen)
		return -1;
	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = b64_chars[(v >> 18) & 63];
		out[o++] = b64_chars[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = b64_chars[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (i + 2 < n)
			out[o++] = b64_chars[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return (int)o;
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

int
kh_b64_decode(const char *s, size_t len, unsigned char *out, size_t outlen)
{
	size_t i, o = 0;
	int n = 0, v, pads = 0;
	unsigned acc = 0;

	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;	/* b64_pton skips white space anywhere */
		if (s[i] == '=') {
			/* "x=" after two, or "=" after three of a group */
			if (n < 2 || pads == 2 || (pads == 1 && n != 3))
				return -1;
			pads++;
			acc <<= 6;
			n++;
		} else {
			if (pads || (v = b64_value(s[i])) < 0)
				return -1;
			acc = (acc << 6) | (unsigned)v;
			n++;
		}
		if (n < 4)
			continue;
		/* the bits a padded group does not use must be zero */
		if ((pads == 1 && (acc & 0xff)) ||
		    (pads == 2 && (acc & 0xffff)))
			return -1;
		if (o + (size_t)(3 - pads) > outlen)
			return -1;
		out[o++] = (unsigned char)(acc >> 16);
		if (pads < 2)
			out[o++] = (unsigned char)(acc >> 8);
		if (pads < 1)
			out[o++] = (unsigned char)acc;
		acc = 0;
		n = 0;
		if (pads)
			break;
	}
	/* after padding only white space may follow; no partial group */
	for (i++; pads && i < len; i++)
		if (!is_space(s[i]))
			return -1;
	return n == 0 ? (int)o : -1;
}
