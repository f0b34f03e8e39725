/* test-queue-id.c: the queue-id recogniser against ids made the way
 * Postfix's own encoder makes them (mail_queue_enter(): "%05X%lX" short,
 * safe_ultostr() long), random and at the boundaries, 100,000 of each
 * form; and near misses: vowels, no separator, a short time part, 3 usec
 * characters, leading zeros, out-of-range fields, lengths. (5 usec
 * characters are 7 seconds characters: an id, as Postfix reads it.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "queue-id.h"

#define RANDOM_IDS	100000

/* Postfix's safe_chars (src/global/safe_ultostr.c). */
static const char safe_chars[] =
    "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

/* safe_ultostr(): val in base, at least pad characters padded with '0'
 * (no padding: 0 gives ""). Appends at b; returns the new end. */
static char *
safe_enc(char *b, uint64_t val, unsigned base, size_t pad)
{
	char tmp[80];
	size_t n = 0;

	while (val != 0) {
		tmp[n++] = safe_chars[val % base];
		val /= base;
	}
	while (n < pad)
		tmp[n++] = '0';
	while (n > 0)
		*b++ = tmp[--n];
	*b = '\0';
	return b;
}

/* mail_queue_enter() with enable_long_queue_ids = yes. */
static void
long_id(char *b, uint64_t sec, uint64_t usec, uint64_t inum)
{
	b = safe_enc(b, sec, 52, 6);
	b = safe_enc(b, usec, 52, 4);
	*b++ = 'z';
	safe_enc(b, inum, 51, 0);
}

/* mail_queue_enter() with enable_long_queue_ids = no. */
static void
short_id(char *b, uint64_t usec, uint64_t inum)
{
	snprintf(b, QUEUE_ID_SIZE, "%05X%llX", (unsigned)usec,
	    (unsigned long long)inum);
}

/* xorshift64*: a fixed seed, so a failure repeats. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* A random value of random bit width, so short and long encodings both
 * come up often. */
static uint64_t
rnd_wide(void)
{
	unsigned bits = (unsigned)(rnd() % 64) + 1;

	return bits == 64 ? rnd() : rnd() & ((1ULL << bits) - 1);
}

/* Recognised alone, and in a log line before ": " (the run ends there). */
static void
assert_id(const char *id)
{
	char line[64];
	size_t n = strlen(id);

	if (!queue_id_valid(id, n))
		fail_msg("not recognised: \"%s\"", id);
	snprintf(line, sizeof(line), "%s: to=<a@b>", id);
	assert_int_equal(queue_id_len(line, line + strlen(line)), n);
}

static void
assert_not_id(const char *s)
{
	char line[64];

	if (queue_id_valid(s, strlen(s)))
		fail_msg("taken for a queue id: \"%s\"", s);
	snprintf(line, sizeof(line), "%s: to=<a@b>", s);
	assert_int_equal(queue_id_len(line, line + strlen(line)), 0);
}

static const uint64_t sec_edges[] = { 0, 1, 51, 52, 140607, 19770609663ULL,
	19770609664ULL, 1767225600, 1800000000, 0xFFFFFFFFULL,
	0x7FFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL };
static const uint64_t usec_edges[] = { 0, 1, 51, 52, 140607, 140608,
	999998, 999999 };
static const uint64_t inum_edges[] = { 0, 1, 50, 51, 52, 2600, 0xFFFFF,
	0x100000, 0xFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL };

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_boundaries(void **state)
{
	char id[QUEUE_ID_SIZE + 8];
	size_t i, j, k;

	for (i = 0; i < N(sec_edges); i++)
		for (j = 0; j < N(usec_edges); j++)
			for (k = 0; k < N(inum_edges); k++) {
				long_id(id, sec_edges[i], usec_edges[j],
				    inum_edges[k]);
				assert_true(strlen(id) <= QUEUE_ID_MAX);
				assert_id(id);
			}
	for (j = 0; j < N(usec_edges); j++)
		for (k = 0; k < N(inum_edges); k++) {
			short_id(id, usec_edges[j], inum_edges[k]);
			assert_id(id);
		}
	/* the longest of each form: QUEUE_ID_MAX and 21 */
	long_id(id, UINT64_MAX, 999999, UINT64_MAX);
	assert_int_equal(strlen(id), QUEUE_ID_MAX);
	short_id(id, 999999, UINT64_MAX);
	assert_int_equal(strlen(id), 21);
}

static void
test_random(void **state)
{
	char id[QUEUE_ID_SIZE + 8];
	int i;

	for (i = 0; i < RANDOM_IDS; i++) {
		/* times around now, and anywhere in 64 bits */
		uint64_t sec = i % 2 ? 1700000000 + rnd() % 400000000 :
		    rnd_wide();

		long_id(id, sec, rnd() % 1000000, rnd_wide());
		assert_id(id);
		short_id(id, rnd() % 1000000, rnd_wide());
		assert_id(id);
	}
}

/* Each position of a long id of today's shape (6 seconds characters) in
 * turn takes each vowel: never an id (a long id has a 'z' left, or, with
 * the 'z' itself replaced, other letters than hex). */
static void
test_vowels(void **state)
{
	static const char vowels[] = "AEIOUaeiou";
	char id[QUEUE_ID_SIZE + 8], bad[QUEUE_ID_SIZE + 8];
	size_t i, v, n;
	int k;

	for (k = 0; k < 2000; k++) {
		long_id(id, 1700000000 + rnd() % 400000000, rnd() % 1000000,
		    1 + rnd() % 100000000);
		n = strlen(id);
		for (i = 0; i < n; i++)
			for (v = 0; v < sizeof(vowels) - 1; v++) {
				memcpy(bad, id, n + 1);
				bad[i] = vowels[v];
				if (strchr(bad, 'z') != NULL ||
				    strpbrk(bad, "GHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy"))
					assert_not_id(bad);
			}
		/* a short id with a lower-case or non-hex letter */
		short_id(id, rnd() % 1000000, 1 + rnd_wide());
		for (i = 0; id[i] != '\0'; i++) {
			memcpy(bad, id, sizeof(bad));
			bad[i] = "aeGou"[i % 5];
			assert_not_id(bad);
		}
	}
	assert_not_id("4jhsvB3zL7z8aV3");	/* the id, a vowel */
}

/* Removes the character at i. */
static void
drop(char *s, size_t i)
{
	memmove(s + i, s + i + 1, strlen(s + i));
}

static void
test_near_misses(void **state)
{
	char id[QUEUE_ID_SIZE + 8], bad[QUEUE_ID_SIZE + 8], *z;
	int k;

	for (k = 0; k < RANDOM_IDS / 10; k++) {
		long_id(id, 1700000000 + rnd() % 400000000, rnd() % 1000000,
		    1 + rnd() % 100000000);
		z = strrchr(id, 'z');
		/* no separator: the time part (10) and inode run together,
		 * any other 'z' is before position 10 */
		memcpy(bad, id, sizeof(bad));
		drop(bad, (size_t)(z - id));
		if (strpbrk(bad, "GHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy"))
			assert_not_id(bad);
		/* a short time part: 5 seconds characters */
		memcpy(bad, id, sizeof(bad));
		drop(bad, rnd() % 6);
		assert_not_id(bad);
		/* 3 microseconds characters */
		memcpy(bad, id, sizeof(bad));
		drop(bad, 6 + rnd() % 4);
		assert_not_id(bad);
		/* the inode padded with '0' (Postfix never pads it) */
		memcpy(bad, id, sizeof(bad));
		memmove(z + 2 - id + bad, z + 1 - id + bad, strlen(z + 1) + 1);
		bad[z + 1 - id] = '0';
		assert_not_id(bad);
	}
	/* 5 microseconds characters read as 7 seconds characters: an id
	 * exactly when those do not start with '0' and the last 4 stay
	 * below 1000000 ("75pm"), as Postfix reads it. */
	assert_id("4dpQ9V30btBz2Mc5");
	assert_not_id("0dpQ9V30btBz2Mc5");
	assert_not_id("4dpQ9V3d75pmz2Mc5");
	/* microseconds of 1000000 and up */
	assert_id("4dpQ9V75plz2Mc5");
	assert_not_id("4dpQ9V75pmz2Mc5");
	assert_not_id("4dpQ9Vzzzzz2Mc5");
	assert_not_id("F4240A");			/* short: usec 1000000 */
	assert_id("F423FA");
	assert_not_id("F423F0A");			/* inode "0A" */
	assert_id("F423F0");				/* inode 0 */
	assert_not_id("12345");				/* no inode */
	assert_not_id("0000012345678901234567");	/* 22 characters */
	assert_not_id("abcdef123");			/* lower-case hex */
	/* seconds: over 64 bits, padded beyond 6 */
	assert_id("2Rbkh2p1XY8H75plz31wvQ2DWVjm0");
	assert_not_id("2Rbkh2p1XY8J75plz31wvQ2DWVjm0");
	assert_not_id("2Rbkh2p1XY8H75plz31wvQ2DWVjm1");
	assert_not_id("2Rbkh2p1XY8H75plz31wvQ2DWVjm01");
	assert_not_id("04dpQ9V3dbtz2Mc5");
	assert_not_id("NOQUEUE");
	assert_not_id("warning");
	assert_not_id("");
}

/* The run ends at the first byte not [0-9A-Za-z]; never reads past end. */
static void
test_bounds(void **state)
{
	const char *line = "4jhsvB3zL7z88V3: removed";
	char big[64];

	/* the relay-c id: 'z' inside the time part */
	assert_int_equal(queue_id_len(line, line + strlen(line)), 15);
	/* end before the separator: its time part, cut, is not one */
	assert_int_equal(queue_id_len(line, line + 10), 0);
	/* a longer alphanumeric run is never an id, even if it starts as one */
	memset(big, 'B', sizeof(big));
	memcpy(big, "761AD7BE4", 9);
	assert_int_equal(queue_id_len(big, big + sizeof(big)), 0);
	assert_int_equal(queue_id_len("761AD7BE4-x", "761AD7BE4-x" + 11), 9);
	assert_false(queue_id_valid(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_vowels),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
