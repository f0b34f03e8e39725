/* test-log-shapes.c: the log shapes of real fleets on captured lines:
 * Debian 12's rsyslog /var/log/mail.log (RFC 3339 times with microseconds
 * and offset, tests/data/captured/relay-c.mail-log.rsyslog.txt, made by
 * capture-rsyslog.sh) and RHEL's traditional syslog times across a year's
 * end (*.maillog.year-end.txt: the captured normal chain with its dates
 * rewritten to Dec 31 23:59:58 .. Jan  1 00:00:00). Times parsed, and the
 * --log counts equal to grep's. The trace across the year's end:
 * test-trace.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "event.h"
#include "logsum.h"
#include "test-data.h"

#define RSYSLOG	"captured/relay-c.mail-log.rsyslog.txt"
#define YE_A	"captured/origin-a.maillog.year-end.txt"
#define YE_C	"captured/relay-c.maillog.year-end.txt"

/* "2026-12-06T08:56:32.874129+00:00": seconds, by timegm (not the parser's
 * own arithmetic), and the microseconds. */
static time_t
rfc3339_oracle(const char *p, long *usec)
{
	struct tm tm;
	int y, mo, d, h, mi, s, oh, om;
	char sign;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d.%6ld%c%2d:%2d",
	    &y, &mo, &d, &h, &mi, &s, usec, &sign, &oh, &om), 10);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm) - (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
}

/* Every line of rsyslog's file is a Postfix line; its time is the RFC 3339
 * stamp to the microsecond, whatever TZ says. */
static void
test_rsyslog_lines(void **state)
{
	size_t len, n, lines = 0;
	char *buf = test_data_slurp(RSYSLOG, &len), *p, *nl;
	struct mail_event ev;
	long usec;
	time_t want;

	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
		if (nl == NULL)
			nl = buf + len;
		if (n == 0)
			continue;
		if (maillog_parse_line(p, n, 2026, &ev) != 0)
			fail_msg("not a Postfix line: %.*s", (int)n, p);
		want = rfc3339_oracle(p, &usec);
		assert_int_equal(ev.when, want);
		assert_int_equal(ev.usec, usec);
		assert_int_equal(ev.host.n, 7);
		assert_memory_equal(ev.host.p, "relay-c", 7);
		lines++;
	}
	assert_true(lines >= 20);
	free(buf);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* --log's counts on a file equal grep -c's. */
static void
check_logsum(const char *name, size_t min_sent)
{
	size_t len;
	char *buf = test_data_slurp(name, &len);
	struct logsum s;

	assert_int_equal(logsum_init(&s, 2026), 0);
	logsum_feed(&s, buf, len);
	assert_int_equal(s.status[ST_SENT], test_count_str(buf, "status=sent"));
	assert_true(s.status[ST_SENT] >= min_sent);
	assert_int_equal(s.refused, test_count_str(buf, "NOQUEUE: reject:"));
	assert_int_equal(s.deliveries, test_count_str(buf, " status="));
	assert_int_equal(s.lines, test_count_str(buf, "\n"));
	logsum_free(&s);
	free(buf);
}

static void
test_rsyslog_logsum(void **state)
{
	size_t len;
	char *buf = test_data_slurp(RSYSLOG, &len);

	(void)state;
	/* capture-rsyslog.sh: 5 mails delivered, 2 open-relay attempts */
	assert_int_equal(test_count_str(buf, "status=sent"), 5);
	assert_int_equal(test_count_str(buf, "NOQUEUE: reject:"), 2);
	free(buf);
	check_logsum(RSYSLOG, 5);
}

/* Traditional times have no year. Read on any day but the last two of a
 * year (then "Dec 31" is not yet a day in the future), Dec 31 is the
 * year before Jan 1 and the lines stay in order across the year's end. */
static void
check_year_end(const char *name)
{
	size_t len, n;
	char *buf = test_data_slurp(name, &len), *p, *nl;
	struct mail_event ev;
	time_t prev = 0, dec31 = 0, jan1 = 0;
	struct tm tm;

	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = (size_t)(nl - p);
		assert_int_equal(maillog_parse_line(p, n, maillog_year_now(),
		    &ev), 0);
		assert_true(ev.when >= prev);
		prev = ev.when;
		if (memcmp(p, "Dec 31 23:59:59", 15) == 0)
			dec31 = ev.when;
		if (memcmp(p, "Jan  1 00:00:00", 15) == 0 && jan1 == 0)
			jan1 = ev.when;
	}
	assert_true(dec31 != 0 && jan1 != 0);
	assert_int_equal(jan1 - dec31, 1);
	assert_non_null(gmtime_r(&jan1, &tm));
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 1);
	free(buf);
}

static void
test_year_end(void **state)
{
	time_t now = time(NULL);
	struct tm tm;

	(void)state;
	assert_non_null(gmtime_r(&now, &tm));
	if (tm.tm_mon == 11 && tm.tm_mday >= 30)
		skip();
	check_year_end(YE_A);
	check_year_end(YE_C);
	check_logsum(YE_A, 1);
	check_logsum(YE_C, 1);
}

/* The year of "now" passes midnight of Dec 31 with the clock: a memo taken
 * at 23:59:30 (TZ UTC) answers the new year at 00:00:05, inside the
 * minute it would otherwise hold, so a live Jan 1 line read then is dated
 * this year, not a year back (the lab's e2e-real-year-end reads such
 * lines live on a fake clock). */
static void
test_year_memo(void **state)
{
	const char *jan1 = "Jan  1 00:00:03 relay-c postfix/qmgr[7]: "
	    "15C7A104342: removed";
	struct year_memo y = { 0, 0, 0 };
	struct mail_event ev;
	time_t eve = 1735689570;	/* 2024-12-31T23:59:30Z */
	int hint;

	(void)state;
	assert_int_equal(maillog_year_memo(&y, eve), 2024);
	assert_int_equal(maillog_year_memo(&y, eve + 20), 2024);
	assert_int_equal(y.checked, eve);
	assert_int_equal(y.ends, eve + 30);
	hint = maillog_year_memo(&y, eve + 35);
	assert_int_equal(hint, 2025);
	assert_int_equal(y.ends, 1767225600);	/* 2026-01-01T00:00:00Z */
	assert_int_equal(maillog_year_memo(&y, eve + 36), 2025);
	assert_int_equal(y.checked, eve + 35);
	/* a minute on, asked again: still 2025 */
	assert_int_equal(maillog_year_memo(&y, eve + 100), 2025);
	assert_int_equal(y.checked, eve + 100);
	assert_int_equal(maillog_parse_line(jan1, strlen(jan1), hint, &ev), 0);
	assert_int_equal(ev.when, eve + 33);
	/* a clock set back: asked again at once */
	assert_int_equal(maillog_year_memo(&y, eve), 2024);
	assert_int_equal(y.checked, eve);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsyslog_lines),
		cmocka_unit_test(test_rsyslog_logsum),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_year_memo),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
