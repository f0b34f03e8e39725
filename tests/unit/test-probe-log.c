/* test-probe-log.c: the log cursor, pure cases: first contact, append,
 * partial line, copytruncate, rename rotation with and without the old
 * file, overlong line. The script itself, run locally through rotations,
 * is test-probe-script.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probe.h"

#define P	"/var/log/maillog"

static struct log_chunk
chunk(enum chunk_kind k, uint64_t ino, uint64_t start, const char *data,
    uint64_t fsize)
{
	struct log_chunk c;

	memset(&c, 0, sizeof(c));
	c.kind = k;
	c.ino = ino;
	c.start = start;
	c.data = data;
	c.len = strlen(data);
	c.end = start + c.len;
	c.fsize = fsize;
	return c;
}

static void
test_first_contact(void **state)
{
	struct log_cursor cur = { "", 0, 0, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	/* from 0: every complete line, the partial tail stays */
	c = chunk(CHUNK_FIRST, 7, 0, "a\nb\npart", 8);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(skip, 0);
	assert_int_equal(n, 4);
	assert_string_equal(cur.path, P);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.off, 4);
	/* from the middle: the cut first line is dropped */
	memset(&cur, 0, sizeof(cur));
	c = chunk(CHUNK_FIRST, 7, 1000, "ut line\nc\nd\n", 1012);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(skip, 8);
	assert_int_equal(n, 4);
	assert_int_equal(cur.off, 1012);
}

/* First contact just after a rotation: the newest rotation's tail comes
 * first (its cut first line dropped, its end taken whole), the cursor left
 * for the live file's CHUNK_FIRST; once the cursor is on the log, no
 * CHUNK_PREV is taken. */
static void
test_first_after_rotation(void **state)
{
	struct log_cursor cur = { "", 0, 0, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	c = chunk(CHUNK_PREV, 6, 100, "t line\nr1\nr2", 112);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(skip, 7);
	assert_int_equal(n, 5);			/* "r1\nr2": to its end */
	assert_string_equal(cur.path, "");
	c = chunk(CHUNK_PREV, 6, 0, "r0\nr1\npart", 20);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(skip, 0);
	assert_int_equal(n, 6);			/* not at its end: lines only */
	c = chunk(CHUNK_FIRST, 7, 0, "l1\n", 3);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.off, 3);
	c = chunk(CHUNK_PREV, 6, 0, "r0\n", 3);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
	assert_int_equal(n, 0);
	assert_int_equal(cur.off, 3);
}

static void
test_append_and_partial(void **state)
{
	struct log_cursor cur = { P, 7, 4, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	c = chunk(CHUNK_CUR, 7, 4, "part", 8);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cur.off, 4);		/* nothing consumed yet */
	c = chunk(CHUNK_CUR, 7, 4, "partial\nnext\n", 17);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(skip, 0);
	assert_int_equal(n, 13);
	assert_int_equal(cur.off, 17);
	/* a chunk that does not start at the cursor is refused */
	c = chunk(CHUNK_CUR, 7, 10, "x\n", 12);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
	assert_int_equal(cur.off, 17);
	/* nor one of another inode or path */
	c = chunk(CHUNK_CUR, 8, 17, "x\n", 19);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
	c = chunk(CHUNK_CUR, 7, 17, "x\n", 19);
	assert_int_equal(log_cursor_take(&cur, "/var/log/mail.log", &c, 100,
	    &skip, &n), -1);
	/* data longer than end - start is cut to it */
	c = chunk(CHUNK_CUR, 7, 17, "y\nzz\n", 22);
	c.end = 19;
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cur.off, 19);
}

static void
test_copytruncate(void **state)
{
	struct log_cursor cur = { P, 7, 500, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	c = chunk(CHUNK_TRUNC, 7, 0, "fresh\n", 6);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.off, 6);
	c = chunk(CHUNK_TRUNC, 7, 3, "x\n", 6);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
}

static void
test_rotation(void **state)
{
	struct log_cursor cur = { P, 7, 10, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	/* rest of the old inode, read to its end: its last line too */
	c = chunk(CHUNK_OLD, 7, 10, "old1\nold2", 19);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 9);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.off, 19);
	/* then the new file from 0 */
	c = chunk(CHUNK_NEW, 9, 0, "new1\nne", 7);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(cur.ino, 9);
	assert_int_equal(cur.off, 5);
	/* old file bigger than one read: stay on the old inode */
	cur.ino = 7;
	cur.off = 10;
	c = chunk(CHUNK_OLD, 7, 10, "aaaa\nbbbb\ncc", 40);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(cur.ino, 7);
	assert_int_equal(cur.off, 20);
	/* an old chunk of another inode is refused */
	c = chunk(CHUNK_OLD, 5, 20, "x\n", 22);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
	/* old file lost: the new one from 0 */
	c = chunk(CHUNK_NEW, 11, 0, "n\n", 2);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), 0);
	assert_int_equal(cur.ino, 11);
	assert_int_equal(cur.off, 2);
	c = chunk(CHUNK_NEW, 11, 4, "n\n", 6);
	assert_int_equal(log_cursor_take(&cur, P, &c, 100, &skip, &n), -1);
}

static void
test_overlong_line(void **state)
{
	struct log_cursor cur = { P, 7, 0, 0, 0 };
	struct log_chunk c;
	size_t skip, n;

	(void)state;
	c = chunk(CHUNK_CUR, 7, 0, "0123456789", 50);
	assert_int_equal(log_cursor_take(&cur, P, &c, 10, &skip, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(cur.off, 10);
	assert_int_equal(chunk_kind_parse("trunc"), CHUNK_TRUNC);
	assert_int_equal(chunk_kind_parse("x"), CHUNK_KIND_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_contact),
		cmocka_unit_test(test_first_after_rotation),
		cmocka_unit_test(test_append_and_partial),
		cmocka_unit_test(test_copytruncate),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_overlong_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
