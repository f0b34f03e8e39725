/* test-probe-log-rewrite.c: the log cursor's fingerprint of the bytes
 * before it. A file rewritten under the cursor (truncated and written again
 * to the same size, or past it) is read again from 0, never taken from the
 * middle or missed; a file only touched, or appended to, goes on as before;
 * a cursor on a block boundary, or without the bytes, has nothing to
 * compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "probe.h"

#define P	"/var/log/maillog"

/* A chunk as take_chunk makes it: lead (the block's bytes before start),
 * then data read from start. */
static struct log_chunk
chunk(enum chunk_kind k, uint64_t start, const char *lead, const char *data,
    uint64_t fsize)
{
	struct log_chunk c;

	memset(&c, 0, sizeof(c));
	c.kind = k;
	c.ino = 7;
	c.start = start;
	c.lead = lead;
	c.lead_len = strlen(lead);
	c.data = data;
	c.len = strlen(data);
	c.end = start + c.len;
	c.fsize = fsize;
	return c;
}

static const char L1[] = "Dec  7 01:00:00 relay-c postfix/smtp[1]: one\n";
static const char L2[] = "Dec  7 01:00:01 relay-c postfix/smtp[1]: two\n";
static const char L2X[] = "Dec  7 01:00:09 relay-c postfix/smtp[1]: new\n";

static void
test_same_size_rewrite(void **state)
{
	struct log_cursor cur = { "", 0, 0, 0, 0 };
	char both[128], rewritten[128];
	struct log_chunk c;
	size_t skip, n, len;

	(void)state;
	snprintf(both, sizeof(both), "%s%s", L1, L2);
	snprintf(rewritten, sizeof(rewritten), "%s%s", L1, L2X);
	len = strlen(both);
	assert_int_equal(strlen(rewritten), len);
	c = chunk(CHUNK_FIRST, 0, "", both, len);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	assert_int_equal(cur.off, len);
	assert_int_equal(cur.tail_len, len);
	/* only touched: the same bytes come back as the lead, nothing new */
	c = chunk(CHUNK_CUR, len, both, "", len);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cur.off, len);
	/* rewritten in place to the same size: not taken, back to 0 */
	c = chunk(CHUNK_CUR, len, rewritten, "", len);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), -2);
	assert_int_equal(n, 0);
	assert_int_equal(cur.off, 0);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.tail_len, 0);
	/* the next run reads it from 0: both lines, the new one with them */
	c = chunk(CHUNK_CUR, 0, "", rewritten, len);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	assert_int_equal(skip, 0);
	assert_int_equal(n, len);
	assert_memory_equal(c.data + skip + strlen(L1), L2X, strlen(L2X));
	assert_int_equal(cur.off, len);
}

static void
test_regrown_past_cursor(void **state)
{
	struct log_cursor cur = { "", 0, 0, 0, 0 };
	char other[64];
	struct log_chunk c;
	size_t skip, n, k = strlen(L1);

	(void)state;
	c = chunk(CHUNK_FIRST, 0, "", L1, k);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	/* truncated and written again past the old end: the bytes before
	 * the cursor are others, so the tail is not taken as new */
	memset(other, 'x', k - 1);
	other[k - 1] = '\n';
	other[k] = '\0';
	c = chunk(CHUNK_CUR, k, other, L2, k + strlen(L2));
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), -2);
	assert_int_equal(n, 0);
	assert_int_equal(cur.off, 0);
	/* appended to as usual: the lead matches, the new line is taken */
	c = chunk(CHUNK_CUR, 0, "", L1, k);
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	c = chunk(CHUNK_CUR, k, L1, L2, k + strlen(L2));
	assert_int_equal(log_cursor_take(&cur, P, &c, 4096, &skip, &n), 0);
	assert_int_equal(n, strlen(L2));
	assert_int_equal(cur.off, k + strlen(L2));
}

/* The fingerprint covers only the cursor's own block; a lead cut short
 * (the file shrank between the script's stat and its read) is a rewrite. */
static void
test_blocks_and_short_lead(void **state)
{
	static char big[4096 + 64];
	struct log_cursor cur = { "", 0, 0, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[4095] = '\n';		/* a line ends on the block boundary */
	big[4096 + 9] = '\n';		/* and one 10 bytes into the next */
	big[4096 + 10] = '\0';
	c = chunk(CHUNK_FIRST, 0, "", big, 4096 + 10);
	assert_int_equal(log_cursor_take(&cur, P, &c, 8192, &skip, &n), 0);
	assert_int_equal(cur.off, 4096 + 10);
	assert_int_equal(cur.tail_len, 10);	/* [4096, 4106) only */
	c = chunk(CHUNK_CUR, 4096 + 10, "aaaaaaaaa\n", "", 4096 + 10);
	assert_int_equal(log_cursor_take(&cur, P, &c, 8192, &skip, &n), 0);
	c = chunk(CHUNK_CUR, 4096 + 10, "aaaaa", "", 4096 + 10);
	c.lead_len = 5;
	c.start = 4096 + 10;
	assert_int_equal(log_cursor_take(&cur, P, &c, 8192, &skip, &n), -2);
	/* a cursor on a boundary has no bytes before it in its block */
	memset(&cur, 0, sizeof(cur));
	big[4096] = '\0';
	c = chunk(CHUNK_FIRST, 0, "", big, 4096);
	assert_int_equal(log_cursor_take(&cur, P, &c, 8192, &skip, &n), 0);
	assert_int_equal(cur.off, 4096);
	assert_int_equal(cur.tail_len, 0);
	c = chunk(CHUNK_CUR, 4096, "", "b\n", 4098);
	assert_int_equal(log_cursor_take(&cur, P, &c, 8192, &skip, &n), 0);
	assert_int_equal(n, 2);
	/* a first read from the middle fingerprints its lead and data */
	memset(&cur, 0, sizeof(cur));
	c = chunk(CHUNK_FIRST, 1000, "", "ut line\nc\nd\n", 1012);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(cur.off, 1012);
	assert_int_equal(cur.tail_len, 0);	/* no lead: not known */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_size_rewrite),
		cmocka_unit_test(test_regrown_past_cursor),
		cmocka_unit_test(test_blocks_and_short_lead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
