/* test-model.c: the model: ring wrap and newest-first access, sanitised
 * copies, per-minute counters and their window, last outcome, role
 * inference, lookup by address, and the memory size of a big fleet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "postconf.h"
#include "test-heap.h"

static struct host_config hc[3];
static struct inventory inv = { .hosts = hc, .n = 3 };

static void
inv_setup(void)
{
	static const char *const names[] = { "origin-a", "relay-c", "relay-d" };
	static const char *const addrs[] = { "172.16.10.5", "172.16.1.11",
		"172.16.1.12" };
	int i;

	memset(hc, 0, sizeof(hc));
	for (i = 0; i < 3; i++) {
		snprintf(hc[i].name, sizeof(hc[i].name), "%s", names[i]);
		snprintf(hc[i].address, sizeof(hc[i].address), "%s", addrs[i]);
		hc[i].port = 22;
		hc[i].timeout_s = 5;
	}
}

static struct span
sp(const char *s)
{
	struct span x = { s, s ? strlen(s) : 0 };

	return x;
}

static struct mail_event
delivery(time_t when, const char *qid, enum mail_status st,
    const char *relay_addr, const char *reason)
{
	struct mail_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.when = when;
	ev.qid = sp(qid);
	ev.to = sp("probe@dest.example");
	ev.relay = sp(relay_addr);
	ev.relay_addr = sp(relay_addr);
	ev.status = st;
	ev.reason = sp(reason);
	ev.delay = 0.5;
	ev.delays[0] = ev.delays[1] = ev.delays[2] = ev.delays[3] = -1;
	return ev;
}

/* Adds events from..to-1 to h's ring: tmpl's, each with the queue id
 * prefix and its number in four digits ("ABC0007") and tmpl's time plus
 * its number, so the order they were kept in can be read back. */
static void
fill_ring(struct model *m, struct host *h, const struct mail_event *tmpl,
    const char *prefix, int from, int to)
{
	struct mail_event ev;
	char qid[24];
	int i;

	for (i = from; i < to; i++) {
		snprintf(qid, sizeof(qid), "%s%04d", prefix, i);
		ev = *tmpl;
		ev.qid = sp(qid);
		ev.when = tmpl->when + i;
		model_add_event(m, h, &ev);
	}
}

static void
test_ring_wrap(void **state)
{
	struct mail_event ev = delivery(1000000, "", ST_SENT, "172.16.1.11",
	    "ok");
	struct model m;
	struct host *h;

	(void)state;
	inv_setup();
	assert_int_equal(model_init(&m, &inv, 5), 0);
	h = &m.hosts[0];
	assert_null(model_event(h, 0));
	fill_ring(&m, h, &ev, "ABC", 0, 12);
	assert_int_equal(h->events.count, 5);
	assert_int_equal(h->events.total, 12);
	assert_string_equal(rec_qid(model_event(h, 0)), "ABC0011");
	assert_string_equal(rec_qid(model_event(h, 4)), "ABC0007");
	assert_null(model_event(h, 5));
	assert_string_equal(rec_client(model_event(h, 0)), "");
	assert_string_equal(rec_text(model_event(h, 0)), "");
	assert_int_equal(h->counters.total[ST_SENT], 12);
	model_free(&m);
}

/* The ring's room grows with the events (64, 128, 256, then the cap), the
 * kept events staying in order through each growth and the wrap after. */
static void
test_ring_grows(void **state)
{
	struct mail_event ev = delivery(1000000, "", ST_SENT, "172.16.1.11",
	    "ok");
	struct model m;
	struct host *h;

	(void)state;
	inv_setup();
	assert_int_equal(model_init(&m, &inv, 300), 0);
	h = &m.hosts[0];
	fill_ring(&m, h, &ev, "ABC", 0, 10);
	assert_int_equal(h->events.alloc, 64);	/* a quiet host: one step */
	fill_ring(&m, h, &ev, "ABC", 10, 200);
	assert_int_equal(h->events.alloc, 256);
	assert_string_equal(rec_qid(model_event(h, 0)), "ABC0199");
	assert_string_equal(rec_qid(model_event(h, 199)), "ABC0000");
	fill_ring(&m, h, &ev, "ABC", 200, 450);
	assert_int_equal(h->events.alloc, 300);
	assert_int_equal(h->events.count, 300);
	assert_string_equal(rec_qid(model_event(h, 0)), "ABC0449");
	assert_string_equal(rec_qid(model_event(h, 299)), "ABC0150");
	assert_null(model_event(h, 300));
	model_free(&m);
}

static void
test_sanitised_copy(void **state)
{
	struct model m;
	struct mail_event ev;
	const struct ev_rec *r;
	char reason[] = "evil \033[2J\033]0;title\007 text\ttab";

	(void)state;
	inv_setup();
	assert_int_equal(model_init(&m, &inv, 0), 0);
	ev = delivery(1000, "AAAAA1", ST_DEFERRED, "none", reason);
	model_add_event(&m, &m.hosts[0], &ev);
	memset(reason, 'Z', sizeof(reason) - 1);	/* nothing borrowed */
	r = model_event(&m.hosts[0], 0);
	assert_non_null(r);
	assert_null(strchr(rec_reason(r), '\033'));
	assert_null(strchr(rec_reason(r), '\007'));
	assert_null(strchr(rec_reason(r), '\t'));
	assert_non_null(strstr(rec_reason(r), "evil"));
	assert_string_equal(rec_relay_addr(r), "none");
	model_free(&m);
}

static void
test_counters_window(void **state)
{
	struct model m;
	struct host *h;
	unsigned n[ST_MAX];
	time_t now = 1795830000;	/* a minute boundary is irrelevant */
	struct mail_event ev;

	(void)state;
	inv_setup();
	assert_int_equal(model_init(&m, &inv, 0), 0);
	h = &m.hosts[0];
	ev = delivery(now - 90 * 60, "Q1", ST_SENT, "x", "");	/* too old */
	model_add_event(&m, h, &ev);
	ev = delivery(now - 30 * 60, "Q2", ST_SENT, "x", "");
	model_add_event(&m, h, &ev);
	ev = delivery(now - 5 * 60, "Q3", ST_DEFERRED, "x", "");
	model_add_event(&m, h, &ev);
	ev = delivery(now - 5 * 60, "Q4", ST_DEFERRED, "x", "");
	model_add_event(&m, h, &ev);
	ev = delivery(now, "Q5", ST_BOUNCED, "x", "");
	model_add_event(&m, h, &ev);
	ev = delivery(now, "Q6", ST_EXPIRED, "x", "");
	model_add_event(&m, h, &ev);
	model_count_recent(h, now, 60, n);
	assert_int_equal(n[ST_SENT], 1);
	assert_int_equal(n[ST_DEFERRED], 2);
	assert_int_equal(n[ST_BOUNCED], 1);
	assert_int_equal(n[ST_EXPIRED], 1);
	model_count_recent(h, now, 10, n);
	assert_int_equal(n[ST_SENT], 0);
	assert_int_equal(n[ST_DEFERRED], 2);
	/* an hour later, all of it has left the window */
	model_count_recent(h, now + 3600, 60, n);
	assert_int_equal(n[ST_DEFERRED] + n[ST_SENT] + n[ST_BOUNCED], 0);
	assert_int_equal(h->counters.total[ST_SENT], 2);
	/* a slot reused by a newer minute forgets the old one */
	ev = delivery(now + 3600, "Q7", ST_SENT, "x", "");
	model_add_event(&m, h, &ev);
	model_count_recent(h, now + 3600, 60, n);
	assert_int_equal(n[ST_SENT], 1);
	assert_int_equal(n[ST_BOUNCED], 0);
	model_free(&m);
}

static void
test_last_outcome(void **state)
{
	struct model m;
	struct mail_event ev;
	struct host *h;

	(void)state;
	inv_setup();
	assert_int_equal(model_init(&m, &inv, 0), 0);
	h = &m.hosts[0];
	ev = delivery(2000, "Q1", ST_SENT, "172.16.1.11", "250 Ok");
	model_add_event(&m, h, &ev);
	assert_non_null(strstr(h->last_outcome, "sent "));
	assert_non_null(strstr(h->last_outcome, "to probe@dest.example via "
	    "relay-c"));
	/* an older line read later does not replace it */
	ev = delivery(1000, "Q0", ST_DEFERRED, "172.16.1.12", "x");
	model_add_event(&m, h, &ev);
	assert_int_equal(h->last_outcome_status, ST_SENT);
	ev = delivery(3000, "Q2", ST_DEFERRED, "none", "refused");
	model_add_event(&m, h, &ev);
	assert_int_equal(strncmp(h->last_outcome, "deferred ", 9), 0);
	assert_null(strstr(h->last_outcome, "via"));
	model_free(&m);
}

static void
set(struct model *m, struct host *h, const char *text)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];

	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) > 0);
	model_set_settings(m, h, &s);
	postconf_free(&s);
}

static void
test_roles_and_lookup(void **state)
{
	struct model m;

	(void)state;
	inv_setup();
	hc[2].role = ROLE_ORIGIN;	/* configured beats inferred */
	assert_int_equal(model_init(&m, &inv, 0), 0);
	assert_int_equal(host_effective_role(&m.hosts[0]), ROLE_AUTO);
	set(&m, &m.hosts[0], "myhostname = mail-a.example.jp\n"
	    "relayhost = [172.16.1.11]\ninet_interfaces = loopback-only\n"
	    "mail_version = 3.7.11\n");
	set(&m, &m.hosts[1], "myhostname = relay-c.example.jp\n"
	    "relayhost =\ninet_interfaces = all\n");
	set(&m, &m.hosts[2], "relayhost =\ninet_interfaces = all\n");
	assert_int_equal(m.hosts[0].role, ROLE_ORIGIN);
	assert_int_equal(m.hosts[1].role, ROLE_RELAY);
	assert_int_equal(m.hosts[2].role, ROLE_ORIGIN);
	assert_string_equal(m.hosts[0].mail_version, "3.7.11");
	assert_string_equal(host_setting(&m.hosts[0], "relayhost"),
	    "[172.16.1.11]");
	assert_string_equal(host_setting(&m.hosts[0], "nonexistent"), "");
	assert_int_equal(model_match_host(&m, "172.16.1.11", NULL), 1);
	assert_int_equal(model_match_host(&m, "RELAY-D", NULL), 2);
	assert_int_equal(model_match_host(&m, "relay-c.example.jp", NULL), 1);
	assert_int_equal(model_match_host(&m, "172.16.30.25", NULL), -1);
	assert_int_equal(model_match_host(&m, "", NULL), -1);
	model_set_problems(&m, &m.hosts[0], HP_LOG_UNREADABLE,
	    "maillog \033[31munreadable");
	assert_null(strchr(m.hosts[0].problem_msg, '\033'));
	assert_int_equal(m.hosts[0].problems, HP_LOG_UNREADABLE);
	assert_string_equal(host_conn_name(HC_UNREACHABLE), "unreachable");
	assert_string_equal(host_role_name(ROLE_RELAY), "relay");
	model_free(&m);
}

/* 200 hosts x 500 events of realistic size stay under 26 MiB, as the heap
 * counts it (heap_used): a pointer per ring slot plus one compact record
 * per event (ev-rec.h; the old 200-byte slot plus a blob took 35 MiB).
 * The meter must see them at all: 100000 kept events hold their reason
 * text (50 bytes each) at least, so less than 5 MB means a blind meter. */
static void
test_memory_budget(void **state)
{
	static struct host_config big[200];
	struct inventory binv = { .hosts = big, .n = 200 };
	struct mail_event ev = delivery(1795830000, "", ST_DEFERRED,
	    "172.16.1.12", "connect to 172.16.1.12[172.16.1.12]:25: "
	    "Connection refused");
	struct model m;
	size_t i, used, before, after;

	(void)state;
	for (i = 0; i < 200; i++) {
		snprintf(big[i].name, sizeof(big[i].name), "host-%zu", i);
		snprintf(big[i].address, sizeof(big[i].address), "10.0.%zu.%zu",
		    i / 250, i % 250);
	}
	before = heap_used();
	assert_int_equal(model_init(&m, &binv, 500), 0);
	ev.relay = sp("172.16.1.12[172.16.1.12]:25");
	ev.from = sp("relaytest@example.jp");
	for (i = 0; i < 200; i++)	/* ids as long as Postfix's 4F2A7104385 */
		fill_ring(&m, &m.hosts[i], &ev, "4F2A710", 0, 600);
	after = heap_used();
	used = after > before ? after - before : 0;
	print_message("200 hosts x 500 events: %zu KiB (%s)\n", used / 1024,
	    HEAP_METER);
	assert_true(used > 200u * 500 * 50);
	assert_true(used < 26u * 1024 * 1024);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_wrap),
		cmocka_unit_test(test_ring_grows),
		cmocka_unit_test(test_sanitised_copy),
		cmocka_unit_test(test_counters_window),
		cmocka_unit_test(test_last_outcome),
		cmocka_unit_test(test_roles_and_lookup),
		cmocka_unit_test(test_memory_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
