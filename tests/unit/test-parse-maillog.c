/* test-parse-maillog.c: the maillog parser on real lab output
 * (tests/data/captured/) and hand-made edge cases (tests/data/maillog/):
 * three timestamp forms, long ids, syslog_name variants, nested "queued
 * as", expired, NOQUEUE, loops, and bounds (truncation, NULs, huge lines). */
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

#include "event.h"

#define SPAN_EQ(s, lit) span_eq_(&(s), (lit))

static void
span_eq_(const struct span *s, const char *lit)
{
	char buf[512];

	assert_true(s->n < sizeof buf);
	memcpy(buf, s->p ? s->p : "", s->n);
	buf[s->n] = '\0';
	assert_string_equal(buf, lit);
}


/* The n-th line (0-based) of a data file, parsed. The text is kept in a
 * static buffer so spans stay valid until the next call. */
static int
parse_nth(const char *name, int nth, int year, struct mail_event *ev)
{
	static char *buf;
	size_t len;
	char *p, *nl;
	int i;

	free(buf);
	buf = test_data_slurp(name, &len);
	p = buf;
	for (i = 0; i < nth; i++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		p = nl + 1;
	}
	nl = strchr(p, '\n');
	return maillog_parse_line(p, nl ? (size_t)(nl - p) : strlen(p), year,
	    ev);
}

static int
setup_utc(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
test_captured_normal(void **state)
{
	struct mail_event ev;

	assert_int_equal(parse_nth("captured/origin-a.maillog.normal.txt", 3,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_SENT);
	SPAN_EQ(ev.host, "mail-a");
	SPAN_EQ(ev.prog, "postfix/smtp");
	SPAN_EQ(ev.service, "smtp");
	SPAN_EQ(ev.to, "probe@dest.example");
	SPAN_EQ(ev.relay, "172.16.1.11[172.16.1.11]:25");
	SPAN_EQ(ev.relay_name, "172.16.1.11");
	SPAN_EQ(ev.relay_addr, "172.16.1.11");
	assert_int_equal(ev.relay_port, 25);
	SPAN_EQ(ev.dsn, "2.0.0");
	assert_true(ev.qid.n > 5);
	assert_true(ev.queued_as.n > 5);
	assert_true(ev.delay > 0);
	assert_true(ev.delays[0] >= 0 && ev.delays[3] >= 0);
	assert_true(ev.pid > 0);
	SPAN_EQ(ev.reason, "250 2.0.0 Ok: queued as 15C7A104342");
	SPAN_EQ(ev.queued_as, "15C7A104342");

	assert_int_equal(parse_nth("captured/origin-a.maillog.normal.txt", 1,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_MESSAGE_ID);
	SPAN_EQ(ev.message_id, "20261128012833.D957F104334@mail-a.example.jp");
	assert_int_equal(parse_nth("captured/origin-a.maillog.normal.txt", 2,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_FROM);
	SPAN_EQ(ev.from, "relaytest@example.jp");
	assert_int_equal(parse_nth("captured/origin-a.maillog.normal.txt", 4,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_REMOVED);

	/* The relay's side: client= with the origin's address. */
	assert_int_equal(parse_nth("captured/relay-c.maillog.normal.txt", 1,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_CLIENT);
	SPAN_EQ(ev.qid, "15C7A104342");
	SPAN_EQ(ev.client_name, "unknown");
	SPAN_EQ(ev.client_addr, "172.16.10.5");
	assert_int_equal(parse_nth("captured/relay-c.maillog.normal.txt", 0,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_NONE);
}

static void
test_captured_failures(void **state)
{
	struct mail_event ev;

	assert_int_equal(parse_nth("captured/origin-a.maillog.both-down.txt",
	    3, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_CONNECT_FAIL);
	SPAN_EQ(ev.relay, "172.16.1.11[172.16.1.11]:25");
	SPAN_EQ(ev.relay_addr, "172.16.1.11");
	assert_int_equal(ev.relay_port, 25);
	SPAN_EQ(ev.reason, "Connection refused");
	assert_int_equal(ev.qid.n, 0);

	assert_int_equal(parse_nth("captured/origin-a.maillog.both-down.txt",
	    5, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_DEFERRED);
	SPAN_EQ(ev.relay, "none");
	assert_int_equal(ev.relay_port, 0);
	SPAN_EQ(ev.dsn, "4.4.1");
	SPAN_EQ(ev.reason,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	assert_int_equal(ev.queued_as.n, 0);

	assert_int_equal(parse_nth("captured/relay-c.maillog.relay-denied.txt",
	    1, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_RELAY_DENIED);
	SPAN_EQ(ev.client_addr, "172.16.10.5");
	SPAN_EQ(ev.dsn, "4.7.1");
	SPAN_EQ(ev.from, "relaytest@example.jp");
	SPAN_EQ(ev.to, "probe@dest.example");
	SPAN_EQ(ev.reason, "454 4.7.1 <probe@dest.example>: Relay access "
	    "denied");

	/* The origin's side of the denial. */
	assert_int_equal(parse_nth("captured/origin-a.maillog.relay-denied.txt",
	    3, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_NONE);
	assert_int_equal(ev.client_addr.n, 0);
	SPAN_EQ(ev.relay_addr, "172.16.1.11");
	SPAN_EQ(ev.reason, "454 4.7.1 <probe@dest.example>: Relay access "
	    "denied");

	assert_int_equal(parse_nth("captured/origin-a.maillog.loop.txt", 5,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_BOUNCED);
	SPAN_EQ(ev.dsn, "5.4.6");
	assert_true(maillog_reason_is_loop(&ev));
	assert_int_equal(parse_nth("captured/origin-a.maillog.loop.txt", 3,
	    2026, &ev), 0);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_false(maillog_reason_is_loop(&ev));
	assert_int_equal(parse_nth("captured/origin-a.maillog.normal.txt", 3,
	    2026, &ev), 0);
	assert_false(maillog_reason_is_loop(&ev));
}

static void
test_forms(void **state)
{
	struct mail_event ev;
	time_t want = 1780501904;	/* 2026-06-03 15:51:44 UTC */

	assert_int_equal(parse_nth("maillog/forms.log", 0, 2026, &ev), 0);
	assert_int_equal(ev.when, want);
	assert_int_equal(ev.usec, 0);
	SPAN_EQ(ev.queued_as, "7F1F57BE4");
	assert_int_equal(parse_nth("maillog/forms.log", 1, 2026, &ev), 0);
	assert_int_equal(ev.when, want);
	SPAN_EQ(ev.qid, "761AD7BE5");
	/* RFC 3339 with +02:00: the same instant minus two hours. */
	assert_int_equal(parse_nth("maillog/forms.log", 2, 2026, &ev), 0);
	assert_int_equal(ev.when, want - 7200);
	assert_int_equal(ev.usec, 262668);
	SPAN_EQ(ev.host, "relay-c.lab.example");
	SPAN_EQ(ev.qid, "4Xk8q52Zyqz9vW2");
	SPAN_EQ(ev.orig_to, "alias@origin.example");
	SPAN_EQ(ev.queued_as, "4Xk8q52Zyqz9vW3");
	assert_true(ev.delays[1] > 0.24 && ev.delays[1] < 0.26);
	assert_true(ev.delay > 1.49 && ev.delay < 1.51);
	assert_int_equal(parse_nth("maillog/forms.log", 3, 2026, &ev), 0);
	assert_int_equal(ev.when, want - 7200);
	SPAN_EQ(ev.prog, "postfix-out/smtp");
	assert_int_equal(ev.status, ST_DEFERRED);
	SPAN_EQ(ev.queued_as, "222BBB");	/* the last, nested one */
}

static void
test_kinds(void **state)
{
	struct mail_event ev;

	assert_int_equal(parse_nth("maillog/forms.log", 4, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_EXPIRED);
	SPAN_EQ(ev.from, "sender@origin.example");
	assert_int_equal(ev.to.n, 0);
	assert_int_equal(parse_nth("maillog/forms.log", 5, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_RELAY_DENIED);
	SPAN_EQ(ev.prog, "postfix/submission/smtpd");
	SPAN_EQ(ev.service, "smtpd");
	SPAN_EQ(ev.client_addr, "172.16.10.9");
	assert_int_equal(ev.qid.n, 0);
	assert_int_equal(parse_nth("maillog/forms.log", 6, 2026, &ev), 0);
	SPAN_EQ(ev.prog, "mx/smtp");
	SPAN_EQ(ev.to, "a@[IPv6:2001:db8::1]");
	SPAN_EQ(ev.relay_addr, "2001:db8::1");
	assert_int_equal(ev.relay_port, 25);
	assert_int_equal(parse_nth("maillog/forms.log", 7, 2026, &ev), -1);
	assert_int_equal(parse_nth("maillog/forms.log", 8, 2026, &ev), 0);
	SPAN_EQ(ev.service, "postscreen");
	assert_int_equal(ev.kind, EV_NONE);
	assert_string_equal(mail_status_name(ST_DEFERRED), "deferred");
	assert_string_equal(mail_status_name(ST_NONE), "");
	assert_string_equal(ev_kind_name(EV_CONNECT_FAIL), "connect-fail");
}

static void
test_local_zone(void **state)
{
	static const char line[] = "Jan  5 13:54:43 h postfix/qmgr[1]: "
	    "761AD7BE4: removed";
	static const char summer[] = "Jul 05 13:54:43 h postfix/qmgr[1]: "
	    "761AD7BE4: removed";
	struct mail_event ev;

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_int_equal(maillog_parse_line(line, strlen(line), 2026, &ev), 0);
	assert_int_equal(ev.when, 1767617683);	/* 12:54:43Z, +01:00 */
	assert_int_equal(maillog_parse_line(summer, strlen(summer), 2026,
	    &ev), 0);
	assert_int_equal(ev.when, 1783252483);	/* 11:54:43Z, +02:00 */
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_year_rollback(void **state)
{
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t ahead = time(NULL) + 3 * 86400;
	struct mail_event ev;
	struct tm tm;
	char line[128];
	int year = maillog_year_now();

	gmtime_r(&ahead, &tm);
	snprintf(line, sizeof line, "%s %2d 10:00:00 h postfix/qmgr[1]: "
	    "761AD7BE4: removed", mon[tm.tm_mon], tm.tm_mday);
	assert_int_equal(maillog_parse_line(line, strlen(line), year, &ev), 0);
	gmtime_r(&ev.when, &tm);
	/* Three days ahead is the year before (unless that crossed New Year,
	 * when the date already is next year's: then it is this year). */
	assert_true(tm.tm_year + 1900 == year - 1 || tm.tm_year + 1900 ==
	    year);
	assert_true(ev.when < time(NULL));
	/* An explicit other year never moves. */
	assert_int_equal(maillog_parse_line(line, strlen(line), 2016, &ev), 0);
	gmtime_r(&ev.when, &tm);
	assert_int_equal(tm.tm_year + 1900, 2016);
}

static void
test_bounds(void **state)
{
	size_t len, i, big = 1u << 20;
	char *all = test_data_slurp("maillog/forms.log", &len), *cp, *huge;
	struct mail_event ev;
	const char *nl = strchr(all, '\n');
	size_t l0 = (size_t)(nl - all);

	/* Every prefix of a delivery line, in a buffer of exactly that size:
	 * ASan catches any read past len. */
	for (i = 0; i <= l0; i++) {
		cp = malloc(i ? i : 1);
		memcpy(cp, all, i);
		(void)maillog_parse_line(cp, i, 2026, &ev);
		free(cp);
	}
	/* NULs and invalid UTF-8 inside. */
	cp = malloc(l0);
	memcpy(cp, all, l0);
	cp[60] = '\0';
	cp[80] = (char)0xff;
	cp[81] = (char)0xc3;
	(void)maillog_parse_line(cp, l0, 2026, &ev);
	free(cp);
	/* A megabyte-long line. */
	huge = malloc(big);
	memcpy(huge, all, l0);
	memset(huge + l0 - 1, 'x', big - l0 + 1);
	assert_int_equal(maillog_parse_line(huge, big, 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_true(ev.reason.p + ev.reason.n <= huge + big);
	free(huge);
	assert_int_equal(maillog_parse_line("", 0, 2026, &ev), -1);
	assert_int_equal(maillog_parse_line(NULL, 0, 2026, &ev), -1);
	free(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_normal),
		cmocka_unit_test(test_captured_failures),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_local_zone),
		cmocka_unit_test(test_year_rollback),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, setup_utc, NULL);
}
