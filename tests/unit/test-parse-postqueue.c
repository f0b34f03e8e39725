/* test-parse-postqueue.c: postqueue -j (jansson) and -p text summaries on
 * real lab output (tests/data/captured/) and hand-made mixes of good,
 * corrupt and truncated records (tests/data/postqueue/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "test-data.h"

#include "queue.h"
#include "sanitize.h"


static int
setup_utc(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
test_json_captured(void **state)
{
	struct queue_summary q;
	char err[128];
	size_t len;
	char *buf = test_data_slurp("captured/origin-a.postqueue-j.deferred.txt", &len);

	assert_int_equal(queue_parse_json(buf, len, &q, err, sizeof err), 0);
	assert_int_equal(q.count[Q_DEFERRED], 2);
	assert_int_equal(q.count[Q_HOLD], 1);
	assert_int_equal(q.count[Q_ACTIVE], 0);
	assert_int_equal(q.bytes, 3 * 323);
	assert_int_equal(q.oldest[Q_DEFERRED], 1795829321);
	assert_int_equal(q.oldest[Q_ACTIVE], 0);
	assert_int_equal(q.malformed, 0);
	assert_int_equal(q.ntop, 1);
	assert_int_equal(q.top[0].count, 3);
	assert_string_equal(q.top[0].text,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	free(buf);
	buf = test_data_slurp("captured/origin-a.postqueue-j.empty.txt", &len);
	assert_int_equal(queue_parse_json(buf, len, &q, err, sizeof err), 0);
	assert_int_equal(q.count[Q_DEFERRED] + q.count[Q_HOLD], 0);
	free(buf);
	assert_string_equal(queue_name_str(Q_HOLD), "hold");
}

static void
test_json_mixed(void **state)
{
	struct queue_summary q;
	char err[128];
	size_t len;
	char *buf = test_data_slurp("postqueue/mixed-j.txt", &len);

	assert_int_equal(queue_parse_json(buf, len, &q, err, sizeof err), 0);
	assert_int_equal(q.count[Q_ACTIVE], 1);
	assert_int_equal(q.count[Q_DEFERRED], 3);
	assert_int_equal(q.count[Q_HOLD], 0);
	assert_int_equal(q.malformed, 3);
	assert_int_equal(q.bytes, 3010);
	assert_int_equal(q.oldest[Q_DEFERRED], 1600000000);
	assert_int_equal(q.oldest[Q_ACTIVE], 1700000100);
	assert_int_equal(q.ntop, 2);
	assert_int_equal(q.top[0].count, 2);
	assert_null(strchr(q.top[0].text, '\x1b'));
	assert_non_null(strstr(q.top[0].text, "greylisted"));
	assert_true(sanitize_is_clean(q.top[0].text, strlen(q.top[0].text)));
	assert_int_equal(q.top[1].count, 1);
	free(buf);

	/* Not postqueue -j at all. */
	assert_int_equal(queue_parse_json("postqueue: fatal: Queue report "
	    "unavailable - mail system is down\n", 62, &q, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "not postqueue -j output"));
}

static void
test_text(void **state)
{
	struct queue_summary q;
	char err[128];
	size_t len, i;
	char *buf = test_data_slurp("captured/origin-a.postqueue-p.deferred.txt", &len);
	time_t now = 1795829400;	/* 2026-11-28 01:30 UTC */

	assert_int_equal(queue_parse_text(buf, len, now, &q, err, sizeof err),
	    0);
	assert_int_equal(q.count[Q_DEFERRED], 2);
	assert_int_equal(q.count[Q_HOLD], 1);
	assert_int_equal(q.bytes, 969);
	assert_int_equal(q.oldest[Q_DEFERRED], 1795829321);
	assert_int_equal(q.malformed, 0);
	assert_int_equal(q.ntop, 1);
	assert_int_equal(q.top[0].count, 3);
	assert_string_equal(q.top[0].text,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	free(buf);

	buf = test_data_slurp("captured/origin-a.postqueue-p.empty.txt", &len);
	assert_int_equal(queue_parse_text(buf, len, now, &q, err, sizeof err),
	    0);
	for (i = 0; i < Q_MAX; i++)
		assert_int_equal(q.count[i], 0);
	free(buf);

	buf = test_data_slurp("postqueue/mixed-p.txt", &len);
	now = 1767657600;	/* 2026-01-06 00:00 UTC */
	assert_int_equal(queue_parse_text(buf, len, now, &q, err, sizeof err),
	    0);
	assert_int_equal(q.count[Q_ACTIVE], 1);
	assert_int_equal(q.count[Q_DEFERRED], 1);
	assert_int_equal(q.count[Q_HOLD], 1);
	assert_int_equal(q.bytes, 2500);
	assert_int_equal(q.malformed, 1);
	assert_int_equal(q.oldest[Q_ACTIVE], 1767621283);
	assert_int_equal(q.oldest[Q_DEFERRED], 1767621000);
	assert_int_equal(q.oldest[Q_HOLD], 1767520800);
	assert_int_equal(q.ntop, 2);
	assert_int_equal(q.top[0].count, 2);
	assert_string_equal(q.top[0].text,
	    "connect to 172.16.1.11[172.16.1.11]:25: Connection refused");
	assert_string_equal(q.top[1].text, "host mx[1.2.3.4] said: 450 4.2.0 "
	    "greylisted (in reply to RCPT TO command)");
	free(buf);

	assert_int_equal(queue_parse_text("<html>\n", 7, now, &q, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "not postqueue -p output"));
}

static void
test_bounds(void **state)
{
	struct queue_summary q;
	char err[128];
	size_t len, i, big = 4u << 20;
	char *buf = test_data_slurp("postqueue/mixed-p.txt", &len), *cp;

	/* Every prefix, in an exactly sized buffer (ASan checks reads). */
	for (i = 0; i <= len; i++) {
		cp = malloc(i ? i : 1);
		memcpy(cp, buf, i);
		(void)queue_parse_text(cp, i, 1767657600, &q, err, sizeof err);
		(void)queue_parse_json(cp, i, &q, err, sizeof err);
		free(cp);
	}
	free(buf);
	/* A 4 MB line of garbage with NULs. */
	cp = malloc(big);
	for (i = 0; i < big; i++)
		cp[i] = (char)(i * 7);
	(void)queue_parse_text(cp, big, 1767657600, &q, err, sizeof err);
	(void)queue_parse_json(cp, big, &q, err, sizeof err);
	free(cp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_captured),
		cmocka_unit_test(test_json_mixed),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, setup_utc, NULL);
}
