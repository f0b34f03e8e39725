/* test-serve-gzip.c: gzip for /metrics (serve-gzip.c): a table of
 * Accept-Encoding values, the ones clients send (Prometheus, curl
 * --compressed, browsers) and broken or hostile ones, each either taking
 * gzip or getting the plain body; and serve_gzip's output inflates (zlib,
 * gzip wrapper) to exactly its input, empty and large alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "serve.h"

static const struct {
	const char *h;
	int	gz;
} ae[] = {
	/* what scrapers and browsers send */
	{ "gzip", 1 },				/* Prometheus */
	{ "deflate, gzip, br, zstd", 1 },	/* curl --compressed */
	{ "gzip, deflate, br", 1 },		/* browsers */
	{ "gzip,deflate", 1 },
	/* weights */
	{ "gzip;q=0", 0 },
	{ "gzip;q=0.0", 0 },
	{ "gzip;q=0.000", 0 },
	{ "gzip;q=0.001", 1 },
	{ "gzip;q=1", 1 },
	{ "gzip;q=1.", 1 },
	{ "gzip;q=1.000", 1 },
	{ "gzip; q=0.5", 1 },
	{ "gzip ;Q=0.5", 1 },
	{ "deflate, gzip;q=0.5", 1 },
	{ "gzip;q=0.5, identity", 0 },		/* identity weighs more */
	{ "gzip;q=0.5, identity;q=0.5", 1 },
	{ "identity;q=0, gzip;q=0.1", 1 },
	{ "gzip;q=0, gzip", 1 },		/* named twice: the best */
	/* identity and other codings alone */
	{ "identity", 0 },
	{ "deflate", 0 },
	{ "br, zstd", 0 },
	{ "gzipx", 0 },
	{ "gzi", 0 },
	{ "", 0 },
	{ " ", 0 },
	/* "*" and case */
	{ "*", 1 },
	{ "*;q=0", 0 },
	{ "*;q=0, gzip", 1 },			/* named beats "*" */
	{ "gzip;q=0, *", 0 },
	{ "identity, *;q=0.5", 0 },
	{ "GZIP", 1 },
	{ "GZip", 1 },
	{ "x-gzip", 1 },
	{ "X-GZIP;q=0.3", 1 },
	/* empty list elements */
	{ ",gzip", 1 },
	{ "gzip,,", 1 },
	{ " , ,gzip , ", 1 },
	/* malformed: plain */
	{ "gzip;q=2", 0 },
	{ "gzip;q=1.5", 0 },
	{ "gzip;q=1.001", 0 },
	{ "gzip;q=0.1234", 0 },
	{ "gzip;q=.5", 0 },
	{ "gzip;q=", 0 },
	{ "gzip;q", 0 },
	{ "gzip;q =0.5", 0 },
	{ "gzip;", 0 },
	{ "gzip;;q=1", 0 },
	{ "gzip;level=1", 0 },
	{ "gzip;q=0.5x", 0 },
	{ "gzip;q=-1", 0 },
	{ "gzip deflate", 0 },
	{ "\"gzip\"", 0 },
	{ "gzip/1", 0 },
	{ "gz\xc3\xa9p, gzip", 0 },
	{ "gzip\r\n", 0 },
	{ "gzip\x01", 0 },
	{ ";q=1, gzip", 0 },
};

/* Every row of the table; a long header (past SERVE_AE_MAX) is not read,
 * one just under it is. */
static void
test_accept_table(void **state)
{
	char *h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ae) / sizeof(ae[0]); i++)
		if (serve_gzip_accepted(ae[i].h) != ae[i].gz)
			fail_msg("Accept-Encoding '%s': %s, want %s", ae[i].h,
			    ae[i].gz ? "plain" : "gzip",
			    ae[i].gz ? "gzip" : "plain");
	assert_int_equal(serve_gzip_accepted(NULL), 0);
	assert_non_null(h = malloc(SERVE_AE_MAX + 2));
	memset(h, ' ', SERVE_AE_MAX + 1);
	memcpy(h + SERVE_AE_MAX - 4, "gzip", 4);
	h[SERVE_AE_MAX] = '\0';
	assert_int_equal(serve_gzip_accepted(h), 1);
	h[SERVE_AE_MAX] = ' ';
	h[SERVE_AE_MAX + 1] = '\0';
	assert_int_equal(serve_gzip_accepted(h), 0);
	free(h);
}

/* in[0..len) through serve_gzip and back through zlib's inflate: the
 * same bytes, and a gzip member (1f 8b). */
static void
roundtrip(const char *in, size_t len)
{
	z_stream z;
	char *gz, *back;
	size_t gzlen;

	assert_int_equal(serve_gzip(in, len, SERVE_GZIP_LEVEL, &gz, &gzlen),
	    0);
	assert_true(gzlen >= 18);
	assert_int_equal((unsigned char)gz[0], 0x1f);
	assert_int_equal((unsigned char)gz[1], 0x8b);
	assert_non_null(back = malloc(len + 1));
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (unsigned)gzlen;
	z.next_out = (unsigned char *)back;
	z.avail_out = (unsigned)len + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, len);
	assert_int_equal(z.avail_in, 0);
	inflateEnd(&z);
	assert_memory_equal(back, in, len);
	free(back);
	free(gz);
}

static void
test_gzip_roundtrip(void **state)
{
	char *big, line[80];
	size_t i, n = 3 << 20;

	(void)state;
	roundtrip("", 0);
	roundtrip("relaytop_host_up{host=\"origin-a\"} 1\n", 36);
	/* 3 MiB of metrics-like lines with varying numbers */
	assert_non_null(big = malloc(n));
	for (i = 0; i + 64 <= n; i += 64) {
		snprintf(line, sizeof(line), "relaytop_queue_size{host=\"h%06zu"
		    "\"} %-27zu\n", i / 64, i * 2654435761u % 100003);
		memcpy(big + i, line, 64);
	}
	memset(big + i, 'x', n - i);
	roundtrip(big, n);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_table),
		cmocka_unit_test(test_gzip_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
