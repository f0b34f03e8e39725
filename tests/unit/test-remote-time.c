/* test-remote-time.c: every remote time (RFC 3339 and syslog log lines,
 * postqueue -j arrival_time, postqueue -p dates, the queue summary) is
 * clamped into [2000-01-01, now + 1 day], and a line dated before 1970 or
 * in year 9999 neither writes outside the per-minute counters (run under
 * ASan+UBSan by `make asan`) nor freezes last_outcome or a counter slot. */
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
#include "model.h"
#include "parse-fields.h"
#include "queue-summary.h"
#include "queue.h"

#define DELIVERY(ts, qid) ts " mail-a postfix/smtp[7]: " qid ": " \
	"to=<a@dest.example>, relay=172.16.1.11[172.16.1.11]:25, delay=0.1, " \
	"delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)"

static time_t
parsed_when(const char *line)
{
	struct mail_event ev;

	assert_int_equal(maillog_parse_line(line, strlen(line), 2026, &ev), 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	return ev.when;
}

static void
assert_in_window(time_t t)
{
	assert_true(t >= PF_TIME_MIN);
	assert_true(t <= time(NULL) + PF_TIME_AHEAD + 1);
}

static void
test_clamp(void **state)
{
	time_t now = time(NULL);

	(void)state;
	assert_int_equal(pf_time_clamp(-1), PF_TIME_MIN);
	assert_int_equal(pf_time_clamp(0), PF_TIME_MIN);
	assert_int_equal(pf_time_clamp(now), now);
	assert_int_equal(pf_time_clamp(PF_TIME_MIN + 1), PF_TIME_MIN + 1);
	assert_in_window(pf_time_clamp((time_t)253402300799));	/* 9999 */
	assert_true(pf_time_clamp((time_t)253402300799) >= now +
	    PF_TIME_AHEAD);
}

static void
test_log_lines(void **state)
{
	static const char *const bad[] = {
		DELIVERY("1969-12-31T23:59:00Z", "4A1B2C3D4E"),
		DELIVERY("1969-07-20T20:17:40+00:00", "4A1B2C3D4F"),
		DELIVERY("0000-01-01T00:00:00-12:00", "4A1B2C3D50"),
		DELIVERY("9999-12-31T23:59:59+14:00", "4A1B2C3D51"),
		DELIVERY("9999-12-31T23:59:59", "4A1B2C3D52"),
		DELIVERY("1970-01-01T00:00:00.000001Z", "4A1B2C3D53"),
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_in_window(parsed_when(bad[i]));
	assert_int_equal(parsed_when(bad[0]), PF_TIME_MIN);
	/* a sane RFC 3339 time and a syslog one are kept as they are */
	assert_int_equal(parsed_when(DELIVERY("2026-01-05T13:54:43Z",
	    "4A1B2C3D54")), 1767621283);
	assert_in_window(parsed_when(DELIVERY("Nov 28 01:28:33",
	    "4A1B2C3D55")));
}

static void
test_queue_times(void **state)
{
	static const char json[] =
	    "{\"queue_name\": \"deferred\", \"queue_id\": \"4A1B2C3D4E\", "
	    "\"arrival_time\": 253402300799, \"message_size\": 10, "
	    "\"recipients\": []}\n"
	    "{\"queue_name\": \"hold\", \"queue_id\": \"4A1B2C3D4F\", "
	    "\"arrival_time\": 12, \"message_size\": 10, "
	    "\"recipients\": []}\n";
	static const char sum[] = "q active 0 0\nq deferred 1 253402300799\n"
	    "q hold 1 12\nq incoming 0 0\nq maildrop 0 0\nbytes 20\nbad 0\n"
	    "rc 0\n";
	struct queue_summary q;
	char err[160];
	int pq_rc;

	(void)state;
	assert_int_equal(queue_parse_json(json, strlen(json), &q, err,
	    sizeof(err)), 0);
	assert_in_window(q.oldest[Q_DEFERRED]);
	assert_int_equal(q.oldest[Q_HOLD], PF_TIME_MIN);
	assert_int_equal(queue_parse_summary(sum, strlen(sum), &q, &pq_rc,
	    err, sizeof(err)), 0);
	assert_in_window(q.oldest[Q_DEFERRED]);
	assert_int_equal(q.oldest[Q_HOLD], PF_TIME_MIN);
	assert_int_equal(q.oldest[Q_ACTIVE], 0);	/* none stays none */
}

static struct host_config hc[1];
static struct inventory inv = { .hosts = hc, .n = 1 };

static void
add(struct model *m, struct host *h, time_t when, const char *qid)
{
	struct mail_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.status = ST_SENT;
	ev.when = when;
	ev.qid.p = qid;
	ev.qid.n = strlen(qid);
	ev.to.p = qid;
	ev.to.n = strlen(qid);
	model_add_event(m, h, &ev);
}

/* Straight into the model (a caller that did not clamp): no write outside
 * the counters for any time, and a bogus future holds nothing for good. */
static void
test_model_bogus_times(void **state)
{
	time_t now = 1795830000, bogus[] = { -1, -60, -3601, -86400L * 365,
		INT64_MIN / 2, 0 };
	time_t future = (time_t)253402300799, cur, slot_min;
	unsigned n[ST_MAX];
	struct model m;
	struct host *h;
	size_t i;

	(void)state;
	memset(hc, 0, sizeof(hc));
	snprintf(hc[0].name, sizeof(hc[0].name), "origin-a");
	snprintf(hc[0].address, sizeof(hc[0].address), "172.16.10.5");
	assert_int_equal(model_init(&m, &inv, 0), 0);
	h = &m.hosts[0];
	model_mark_answer(&m, h, now, 10);
	for (i = 0; i < sizeof(bogus) / sizeof(*bogus); i++)
		add(&m, h, bogus[i], "old");
	assert_int_equal(h->counters.total[ST_SENT], 6);
	for (i = 0; i < COUNTER_MINUTES; i++)
		assert_true(h->counters.minute[i] >= 0);
	/* year 9999, then mail of now: now is the last outcome, and counted */
	add(&m, h, future, "future");
	/* a minute of the last hour in the slot the future minute took */
	cur = now / 60;
	slot_min = cur - ((cur - future / 60) % COUNTER_MINUTES +
	    COUNTER_MINUTES) % COUNTER_MINUTES;
	add(&m, h, slot_min * 60, "same-slot");
	add(&m, h, now, "now@x");
	assert_non_null(strstr(h->last_outcome, "now@x"));
	assert_int_equal(h->last_outcome_time, now);
	model_count_recent(h, now, 60, n);
	assert_int_equal(n[ST_SENT], 2);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_queue_times),
		cmocka_unit_test(test_model_bogus_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
