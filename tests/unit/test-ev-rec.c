/* test-ev-rec.c: the compact retained event (ev-rec.c): its head stays
 * small, every string is reachable, "" when absent, cut to its cap the way
 * the fixed buffers and the blob of the old record cut it, and sanitised;
 * the delays come back as logged, -1 when not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ev-rec.h"
#include "sanitize.h"

static struct span
sp(const char *s)
{
	struct span x = { s, strlen(s) };

	return x;
}

static char *
repeat(char c, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	char *s = malloc(n + t + 1);

	assert_non_null(s);
	memset(s, c, n);
	memcpy(s + n, tail, t + 1);
	return s;
}

/* A slot is a pointer; the strings start 46 bytes into the record. */
static void
test_head_small(void **state)
{
	(void)state;
	assert_true(offsetof(struct ev_rec, s) <= 46);
	assert_true(sizeof(struct ev_rec) <= 48);
}

static void
test_fields_and_empty(void **state)
{
	struct mail_event ev;
	struct ev_rec *r;
	float delay, delays[4];
	int k;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.when = 1795830000;
	ev.pid = 4242;
	ev.qid = sp("4F2A7104385");
	ev.to = sp("probe@dest.example");
	ev.relay = sp("relay-c[172.16.1.11]:25");
	ev.relay_addr = sp("172.16.1.11");
	ev.relay_port = 25;
	ev.dsn = sp("2.0.0");
	ev.status = ST_SENT;
	ev.reason = sp("250 2.0.0 Ok: queued as 9B1C2D3E4F");
	ev.queued_as = sp("9B1C2D3E4F");
	ev.delay = 1.25;
	ev.delays[0] = 0.5;
	ev.delays[3] = -1;
	ev.text = sp("not kept for a delivery");
	r = rec_new(&ev);
	assert_non_null(r);
	assert_int_equal(r->when, 1795830000);
	assert_int_equal(r->kind, EV_DELIVERY);
	assert_int_equal(r->status, ST_SENT);
	assert_int_equal(r->pid, 4242);
	assert_int_equal(r->relay_port, 25);
	rec_delays(r, &delay, delays);
	assert_true(delay == 1.25f && delays[0] == 0.5f && delays[1] == 0 &&
	    delays[3] == -1.0f);
	assert_string_equal(rec_qid(r), "4F2A7104385");
	assert_string_equal(rec_to(r), "probe@dest.example");
	assert_string_equal(rec_relay(r), "relay-c[172.16.1.11]:25");
	assert_string_equal(rec_relay_addr(r), "172.16.1.11");
	assert_string_equal(rec_dsn(r), "2.0.0");
	assert_string_equal(rec_reason(r), "250 2.0.0 Ok: queued as "
	    "9B1C2D3E4F");
	assert_string_equal(rec_queued_as(r), "9B1C2D3E4F");
	assert_string_equal(rec_text(r), "");	/* a delivery keeps none */
	assert_string_equal(rec_client(r), "");
	assert_string_equal(rec_from(r), "");
	assert_string_equal(rec_message_id(r), "");
	assert_string_equal(rec_sasl(r), "");
	free(r);

	/* nothing at all: every string "" (never NULL), no delays (-1,
	 * the parser's "none") */
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_WARNING;
	ev.delay = ev.delays[0] = ev.delays[1] = ev.delays[2] =
	    ev.delays[3] = -1;
	r = rec_new(&ev);
	assert_non_null(r);
	for (k = 0; k < RS_MAX; k++)
		assert_string_equal(rec_str(r, (enum rec_str)k), "");
	assert_int_equal(r->delays_off, 0);
	rec_delays(r, &delay, delays);
	assert_true(delay == -1.0f && delays[0] == -1.0f &&
	    delays[3] == -1.0f);
	free(r);

	/* one delay logged is enough to keep them all */
	ev.delays[2] = 0.25;
	r = rec_new(&ev);
	assert_non_null(r);
	rec_delays(r, &delay, delays);
	assert_true(delay == -1.0f && delays[2] == 0.25f &&
	    delays[3] == -1.0f);
	free(r);
}

static void
test_client_and_text(void **state)
{
	struct mail_event ev;
	struct ev_rec *r;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_RELAY_DENIED;
	ev.client_name = sp("mx.example");
	ev.client_addr = sp("192.0.2.1");
	ev.text = sp("NOQUEUE: reject: RCPT from mx.example[192.0.2.1]: "
	    "554 5.7.1 \033[31mRelay access denied");
	ev.sasl_method = sp("PLAIN");
	r = rec_new(&ev);
	assert_non_null(r);
	assert_string_equal(rec_client(r), "mx.example[192.0.2.1]");
	assert_string_equal(rec_sasl(r), "PLAIN");
	assert_non_null(strstr(rec_text(r), "Relay access denied"));
	assert_null(strchr(rec_text(r), '\033'));
	assert_true(sanitize_is_clean(rec_text(r), strlen(rec_text(r))));
	free(r);

	ev.client_name = sp("");	/* only an address: "[addr]" */
	r = rec_new(&ev);
	assert_non_null(r);
	assert_string_equal(rec_client(r), "[192.0.2.1]");
	free(r);
}

/* Queue ids and the DSN are read whole up to their room: a UTF-8
 * sequence the room would split is dropped. The other strings are cut to
 * their cap first: a sequence cut in two ends in '?'. */
static void
test_caps(void **state)
{
	struct mail_event ev;
	struct ev_rec *r;
	char *qid = repeat('A', 40, ""), *qid_mb = repeat('B', 30, "\xc3\xa9"),
	    *reason = repeat('r', 500, ""), *reason_mb = repeat('s', 399,
	    "\xc3\xa9"), *text = repeat('t', 400, "");

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_CONNECT_FAIL;
	ev.qid = sp(qid);
	ev.queued_as = sp(qid_mb);
	ev.dsn = sp("5.7.1234567890");
	ev.reason = sp(reason);
	ev.text = sp(text);
	ev.relay_addr = sp(reason);
	r = rec_new(&ev);
	assert_non_null(r);
	assert_int_equal(strlen(rec_qid(r)), 31);
	assert_int_equal(strlen(rec_queued_as(r)), 30);	/* not "B..B?" */
	assert_int_equal(strspn(rec_queued_as(r), "B"), 30);
	assert_string_equal(rec_dsn(r), "5.7.1234567");
	assert_int_equal(strlen(rec_reason(r)), 400);
	assert_int_equal(strlen(rec_text(r)), 320);
	assert_int_equal(strlen(rec_relay_addr(r)), 64);
	free(r);

	ev.reason = sp(reason_mb);
	r = rec_new(&ev);
	assert_non_null(r);
	assert_int_equal(strlen(rec_reason(r)), 400);
	assert_int_equal(rec_reason(r)[399], '?');
	free(r);
	free(qid);
	free(qid_mb);
	free(reason);
	free(reason_mb);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_small),
		cmocka_unit_test(test_fields_and_empty),
		cmocka_unit_test(test_client_and_text),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
