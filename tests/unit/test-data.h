/* test-data.h: reads a file under tests/data (TEST_DATA, set by the
 * Makefile) whole and NUL-terminated, for unit tests, and counts strings
 * in it as grep does. Include after
 * <cmocka.h>; the caller frees. */
#ifndef RELAYTOP_TEST_DATA_H
#define RELAYTOP_TEST_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline char *
test_data_slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* How many times needle occurs in buf (overlaps too): grep's count. */
static inline size_t
test_count_str(const char *buf, const char *needle)
{
	size_t n = 0;

	for (; (buf = strstr(buf, needle)) != NULL; buf++)
		n++;
	return n;
}

#endif
