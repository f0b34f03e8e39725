/* test-sanitize.c: sanitize_copy/dup/is_clean on nasty inputs: terminal
 * escape sequences (7- and 8-bit), invalid and overlong UTF-8, surrogates,
 * truncated sequences, NUL bytes, tiny buffers and a megabyte line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "sanitize.h"

/* Sanitises n bytes into a large buffer and compares with want. */
static void
expect(const char *in, size_t n, const char *want)
{
	char out[256];
	size_t len = sanitize_copy(out, sizeof(out), in, n);

	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(sanitize_is_clean(out, len), 1);
}

#define EXPECT(lit, want) expect((lit), sizeof(lit) - 1, (want))

static void
test_plain(void **state)
{
	EXPECT("hello world", "hello world");
	EXPECT("", "");
	EXPECT("relay=172.16.1.11[172.16.1.11]:25 status=sent",
	    "relay=172.16.1.11[172.16.1.11]:25 status=sent");
	assert_int_equal(sanitize_is_clean("abc ~", 5), 1);
}

static void
test_controls(void **state)
{
	EXPECT("a\tb", "a b");
	EXPECT("a\rb\nc", "a?b?c");
	EXPECT("\x01\x07\x08\x7f", "????");
	EXPECT("a\0b", "a?b");
	assert_int_equal(sanitize_is_clean("a\tb", 3), 0);
	assert_int_equal(sanitize_is_clean("a\0b", 3), 0);
	assert_int_equal(sanitize_is_clean("\x7f", 1), 0);
}

static void
test_escape_sequences(void **state)
{
	/* OSC title set, terminated by BEL and by ST. */
	EXPECT("\x1b]0;pwned\x07ok", "?]0;pwned?ok");
	EXPECT("\x1b]0;pwned\x1b\\ok", "?]0;pwned?\\ok");
	/* CSI colour and cursor movement. */
	EXPECT("\x1b[31mred\x1b[0m\x1b[2J\x1b[H", "?[31mred?[0m?[2J?[H");
	/* 8-bit CSI and OSC, as raw bytes and as UTF-8 encoded C1. */
	EXPECT("\x9b" "31m", "?31m");
	EXPECT("\x9d" "0;x\x9c", "?0;x?");
	EXPECT("\xc2\x9b" "31m", "??31m");
	EXPECT("\xc2\x85", "??");		/* NEL */
	EXPECT("\xc2\xa0", "\xc2\xa0");		/* NBSP is printable */
	/* DCS and a lone ESC at the end. */
	EXPECT("\x1bP1$r\x1b\\", "?P1$r?\\");
	EXPECT("x\x1b", "x?");
}

static void
test_invalid_utf8(void **state)
{
	EXPECT("\xc0\x80", "??");		/* overlong NUL */
	EXPECT("\xc1\xbf", "??");
	EXPECT("\xe0\x80\xaf", "???");		/* overlong '/' */
	EXPECT("\xf0\x80\x80\xaf", "????");
	EXPECT("\xed\xa0\x80", "???");		/* surrogate U+D800 */
	EXPECT("\xed\xbf\xbf", "???");
	EXPECT("\xf4\x90\x80\x80", "????");	/* U+110000 */
	EXPECT("\xf5\x80\x80\x80", "????");
	EXPECT("\xff\xfe", "??");
	EXPECT("\x80\xbf", "??");		/* stray continuations */
	EXPECT("\xe2\x82" "A", "??A");		/* truncated then ASCII */
	EXPECT("ab\xe2\x82", "ab??");		/* truncated at the end */
	EXPECT("\xf0\x9f\x98", "???");
}

static void
test_valid_utf8(void **state)
{
	EXPECT("caf\xc3\xa9", "caf\xc3\xa9");
	EXPECT("\xe2\x82\xac", "\xe2\x82\xac");
	EXPECT("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	EXPECT("\xef\xbf\xbd", "\xef\xbf\xbd");
	EXPECT("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
	EXPECT("\xed\x9f\xbf", "\xed\x9f\xbf");		/* U+D7FF */
	/* Japanese, as in the seed document. */
	EXPECT("\xe4\xb8\xad\xe7\xb6\x99", "\xe4\xb8\xad\xe7\xb6\x99");
}

static void
test_small_buffer(void **state)
{
	char out[8];
	const char *euro = "ab\xe2\x82\xac" "cd";

	/* Room for 4 bytes: the euro sign (3) does not fit after "ab". */
	memset(out, 'X', sizeof(out));
	assert_int_equal(sanitize_copy(out, 5, euro, strlen(euro)), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(sanitize_copy(out, 6, euro, strlen(euro)), 5);
	assert_string_equal(out, "ab\xe2\x82\xac");
	assert_int_equal(sanitize_copy(out, 1, euro, strlen(euro)), 0);
	assert_string_equal(out, "");
	/* dstlen 0 writes nothing. */
	out[0] = 'Z';
	assert_int_equal(sanitize_copy(out, 0, euro, strlen(euro)), 0);
	assert_int_equal(out[0], 'Z');
	/* A 4-byte sequence never split. */
	assert_int_equal(sanitize_copy(out, 4, "\xf0\x9f\x98\x80", 4), 0);
	assert_string_equal(out, "");
	/* n is honoured: bytes past it are not read. */
	assert_int_equal(sanitize_copy(out, sizeof(out), "abcdef", 3), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(sanitize_copy(out, sizeof(out), NULL, 0), 0);
}

static void
test_dup(void **state)
{
	char *p = sanitize_dup("\x1b[1mx\xc0\x80", 7);

	assert_non_null(p);
	assert_string_equal(p, "?[1mx??");
	free(p);
	p = sanitize_dup("", 0);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
}

/* Reference: decodes one code point the slow, obvious way. Returns the
 * sequence length when s[0..n) starts a printable character, else 0. */
static size_t
ref_len(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len, k;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f ? 1 : 0;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000))
		return 0;	/* overlong */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

static size_t
ref_sanitize(char *dst, const unsigned char *s, size_t n)
{
	size_t i = 0, o = 0, len;

	while (i < n) {
		if (s[i] == '\t') {
			dst[o++] = ' ';
			i++;
		} else if ((len = ref_len(s + i, n - i)) == 0) {
			dst[o++] = '?';
			i++;
		} else {
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
		}
	}
	dst[o] = '\0';
	return o;
}

/* Invisible characters that reorder or hide text become a visible U+FFFD
 * ('?' for the 2-byte U+061C); their neighbours are kept. */
static void
test_invisible(void **state)
{
	static const char *const bad[] = {
		"\xd8\x9c",			/* U+061C arabic letter mark */
		"\xe1\xa0\x8e",		/* U+180E */
		"\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d",
		"\xe2\x80\x8e", "\xe2\x80\x8f",	/* U+200B-200F */
		"\xe2\x80\xa8", "\xe2\x80\xa9",	/* U+2028/9 */
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac",
		"\xe2\x80\xad", "\xe2\x80\xae",	/* U+202A-202E */
		"\xe2\x81\xa0", "\xe2\x81\xa4",	/* U+2060, U+2064 */
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9",			/* U+2066-2069 */
		"\xe2\x81\xaf",			/* U+206F */
		"\xef\xbb\xbf",			/* U+FEFF */
		"\xef\xbf\xb9", "\xef\xbf\xbb",	/* U+FFF9, U+FFFB */
		"\xf3\xa0\x80\x81", "\xf3\xa0\x81\xbf",	/* tags */
		"\xf3\xa0\x84\x80",		/* U+E0100 */
	};
	/* neighbours of the invisible ones stay as they are */
	static const char *const good[] = {
		"\xe2\x80\x8a",			/* U+200A hair space */
		"\xe2\x80\x90", "\xe2\x80\xa6",	/* U+2010, U+2026 */
		"\xe2\x80\xaf",			/* U+202F */
		"\xe2\x81\x9f", "\xe2\x81\xb0",	/* U+205F, U+2070 */
		"\xef\xbb\xbe", "\xef\xbf\xbc",	/* U+FEFE, U+FFFC */
		"\xef\xbf\xbd",			/* U+FFFD itself */
		"\xd8\x9b", "\xe1\xa0\x8d",	/* U+061B, U+180D */
		"\xf3\x9f\xbf\xbf", "\xf3\xa1\x80\x80",
	};
	char in[64], out[64], want[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		n = (size_t)snprintf(in, sizeof(in), "a%sb", bad[i]);
		snprintf(want, sizeof(want), "a%sb", strlen(bad[i]) == 2 ?
		    "?" : "\xef\xbf\xbd");
		expect(in, n, want);
		assert_int_equal(sanitize_is_clean(in, n), 0);
	}
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		n = (size_t)snprintf(in, sizeof(in), "a%sb", good[i]);
		expect(in, n, in);
		assert_int_equal(sanitize_is_clean(in, n), 1);
	}
	/* the reordering attack: "deferred (...)" shown reversed */
	EXPECT("status=\xe2\x80\xae" "deirrefed\xe2\x80\xac ok",
	    "status=\xef\xbf\xbd" "deirrefed\xef\xbf\xbd ok");
	/* a tag at the very end of a tight buffer: mark or nothing */
	n = sanitize_copy(out, 5, "ab\xf3\xa0\x80\x81", 6);
	assert_int_equal(n, 2);
	n = sanitize_copy(out, 7, "ab\xf3\xa0\x80\x81", 6);
	assert_string_equal(out, "ab\xef\xbf\xbd");
	assert_int_equal(n, 5);
}

/* Mostly printable text with sprinkled specials (exercises the 8-byte fast
 * path at every alignment), compared with the reference. */
static void
test_reference(void **state)
{
	static const char *specials[] = { "\x1b", "\t", "\x7f", "\xc3\xa9",
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc0", "\x9b", "\xed\xa0",
		"\0", "\n", "\xc2\x85", "\xf4\x90\x80\x80" };
	unsigned char in[300];
	char out[400], ref[400];
	unsigned seed = 99;
	int round;
	size_t n, len, k;

	for (round = 0; round < 50000; round++) {
		n = 0;
		while (n < 250) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 16 == 0) {
				const char *sp = specials[(seed >> 20) %
				    (sizeof(specials) / sizeof(specials[0]))];
				size_t sl = sp[0] == '\0' ? 1 : strlen(sp);

				memcpy(in + n, sp, sl);
				n += sl;
			} else
				in[n++] = (unsigned char)(0x20 + (seed >> 18) % 95);
		}
		n -= (size_t)(round % 7);	/* cut, maybe mid-sequence */
		len = sanitize_copy(out, sizeof(out), (const char *)in, n);
		assert_int_equal(ref_sanitize(ref, in, n), len);
		assert_string_equal(out, ref);
		assert_int_equal(sanitize_is_clean(out, len), 1);
		assert_int_equal(sanitize_is_clean((const char *)in, n),
		    len == n && memcmp(in, out, n) == 0 &&
		    memchr(in, '\t', n) == NULL);
		/* Small destinations: a prefix of the whole, never split. */
		for (k = 1; k < 40; k += 3) {
			size_t m = sanitize_copy(out, k, (const char *)in, n);

			assert_true(m < k);
			assert_memory_equal(out, ref, m);
			assert_int_equal(sanitize_is_clean(out, m), 1);
		}
	}
}

/* Random bytes: output is always clean, never longer than the input. */
static void
test_random(void **state)
{
	unsigned char in[512];
	char out[600];
	unsigned seed = 12345;
	int round;
	size_t i, len;

	for (round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 512);

		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Bias to bytes that matter: high, ESC, controls. */
			in[i] = (unsigned char)(seed >> 16);
			if ((seed >> 8) % 4 == 0)
				in[i] |= 0x80;
		}
		len = sanitize_copy(out, sizeof(out), (const char *)in, n);
		assert_true(len <= n);
		assert_int_equal(strlen(out), len);
		assert_int_equal(sanitize_is_clean(out, len), 1);
		/* Clean input round-trips unchanged. */
		if (sanitize_is_clean((const char *)in, n)) {
			assert_int_equal(len, n);
			assert_memory_equal(out, in, n);
		}
	}
}

/* A megabyte line with escapes sprinkled through it, and a speed bound. */
static void
test_megabyte(void **state)
{
	size_t n = 1 << 20, i, len;
	char *in = malloc(n), *out;
	struct timespec t0, t1;
	double ms;
	int k;

	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	for (i = 0; i + 8 < n; i += 4096) {
		memcpy(in + i, "\x1b[2J", 4);
		memcpy(in + i + 4, "\xc3\xa9", 2);
	}
	in[n - 1] = '\xe2';	/* truncated at the very end */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < 10; k++) {
		out = sanitize_dup(in, n);
		assert_non_null(out);
		len = strlen(out);
		assert_int_equal(len, n);
		if (k < 9)
			free(out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(out[0], '?');
	assert_int_equal(out[n - 1], '?');
	assert_memory_equal(out + 4, "\xc3\xa9", 2);
	assert_int_equal(sanitize_is_clean(out, len), 1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* 10 MiB in well under a second even on a slow, busy machine. */
	assert_true(ms < 1000.0);
	free(out);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_invisible),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_megabyte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
