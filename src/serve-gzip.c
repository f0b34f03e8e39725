/* serve-gzip.c: gzip for /metrics: whether a request's Accept-Encoding
 * takes gzip (RFC 9110 12.5.3, parsed strictly and bounded: anything odd
 * gets the plain body, which every client takes), and the gzip encoding of
 * a body (zlib, one deflate call into a buffer of deflateBound's size). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ZLIB_CONST 1
#include <zlib.h>

#include "serve.h"

/* RFC 9110 5.6.2's tchar: the bytes of a token. */
static int
tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~",
	    c) != NULL);
}

static const char *
ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A qvalue at *p ("0", "0.5", "1.000": at most three decimals, at most
 * 1) as thousandths in *q; *p moved past it. -1 when it is none. */
static int
qvalue(const char **p, int *q)
{
	const char *s = *p;
	int i, v, scale = 100;

	if (*s != '0' && *s != '1')
		return -1;
	v = (*s++ - '0') * 1000;
	if (*s == '.')
		for (s++, i = 0; i < 3 && *s >= '0' && *s <= '9'; i++, s++) {
			v += (*s - '0') * scale;
			scale /= 10;
		}
	if (v > 1000 || (*s >= '0' && *s <= '9'))
		return -1;
	*p = s;
	*q = v;
	return 0;
}

int
serve_gzip_accepted(const char *h)
{
	const char *p, *tok;
	size_t n;
	int q, gz = -1, star = -1, id = -1;

	if (h == NULL || strnlen(h, SERVE_AE_MAX + 1) > SERVE_AE_MAX)
		return 0;
	for (p = ows(h); *p != '\0'; p = ows(p)) {
		if (*p == ',') {	/* empty list elements are allowed */
			p++;
			continue;
		}
		for (tok = p; tchar((unsigned char)*p); p++)
			;
		if ((n = (size_t)(p - tok)) == 0)
			return 0;
		q = 1000;
		for (p = ows(p); *p == ';'; p = ows(p)) {
			/* a weight is the one parameter a coding takes */
			p = ows(p + 1);
			if ((*p != 'q' && *p != 'Q') || p[1] != '=')
				return 0;
			p += 2;
			if (qvalue(&p, &q) != 0)
				return 0;
		}
		if (*p != ',' && *p != '\0')
			return 0;
		/* a coding named twice: its best weight */
		if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			gz = q > gz ? q : gz;
		else if (n == 1 && *tok == '*')
			star = q > star ? q : star;
		else if (n == 8 && strncasecmp(tok, "identity", 8) == 0)
			id = q > id ? q : id;
	}
	/* "*" stands for gzip when gzip is not named; plain when the client
	 * weighs identity above gzip */
	if (gz < 0)
		gz = star;
	return gz > 0 && gz >= id;
}

int
serve_gzip(const char *in, size_t len, int level, char **out,
    size_t *outlen)
{
	z_stream z;
	char *buf, *small;
	uLong cap;
	int rc;

	*out = NULL;
	*outlen = 0;
	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: the gzip wrapper, not zlib's */
	if (len > UINT_MAX || deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&z, (uLong)len);
	if (cap > UINT_MAX || (buf = malloc(cap)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (const Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	/* deflateBound's room takes it all in one call */
	rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	/* a tenth or so of the bound: give the rest back */
	if ((small = realloc(buf, z.total_out)) != NULL)
		buf = small;
	*out = buf;
	*outlen = z.total_out;
	return 0;
}
