/* test-reinject.c: real Postfix 3.7 logs of a relay with a content filter
 * that re-injects (tests/data/captured/ *.reinject.txt, made by
 * capture-reinject.sh): several syslog_name forms at once, hand-offs to
 * 127.0.0.1:10024/10025 that are no outcomes (parser, --log, the model's
 * counters), NOQUEUE rejects of every reason counted as refusals; plus
 * hand-made edge cases of the hand-off and loopback rules. The trace
 * through the filter: test-trace.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "logsum.h"
#include "model.h"
#include "postconf.h"
#include "topology.h"
#include "test-data.h"

#define MAILLOG_A	"captured/origin-a.maillog.reinject.txt"
#define MAILLOG_C	"captured/relay-c.maillog.reinject.txt"

/* Counted by hand from the capture (grep): 4 mails delivered by C (3 from
 * A, 1 by submission), each handed on twice on C. */
#define C_DELIVERED	4
#define C_HANDOFFS	8

/* Calls fn for every line of a captured file, parsed. */
static void
each_line(const char *name, void (*fn)(const char *, size_t,
    const struct mail_event *, void *), void *arg)
{
	size_t len, n;
	char *buf = test_data_slurp(name, &len), *p, *nl;
	struct mail_event ev;

	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL)
			nl = buf + len;
		n = (size_t)(nl - p);
		if (n == 0)
			continue;
		if (maillog_parse_line(p, n, 2026, &ev) != 0)
			fail_msg("not a Postfix line: %.*s", (int)n, p);
		fn(p, n, &ev, arg);
	}
	free(buf);
}

struct tally {
	size_t	prog_out, prog_sub, prog_filter, prog_reinject;
	size_t	handoffs, sent, reject, denied;
};

static int
prog_is(const struct mail_event *ev, const char *s)
{
	return ev->prog.n == strlen(s) && memcmp(ev->prog.p, s, ev->prog.n) == 0;
}

static void
tally_line(const char *line, size_t n, const struct mail_event *ev, void *arg)
{
	struct tally *t = arg;

	t->prog_out += prog_is(ev, "postfix-out/smtp");
	t->prog_sub += prog_is(ev, "postfix/submission/smtpd");
	t->prog_filter += prog_is(ev, "postfix/filter/smtpd");
	t->prog_reinject += prog_is(ev, "postfix/reinject/smtpd");
	/* every syslog_name form keeps its daemon as the service */
	if (prog_is(ev, "postfix-out/smtp"))
		assert_true(ev->service.n == 4 && !memcmp(ev->service.p,
		    "smtp", 4));
	if (prog_is(ev, "postfix/submission/smtpd"))
		assert_true(ev->service.n == 5 && !memcmp(ev->service.p,
		    "smtpd", 5));
	if (maillog_is_handoff(ev)) {
		t->handoffs++;
		assert_true(ev->relay_port == 10024 || ev->relay_port == 10025);
		assert_true(ev->queued_as.n > 0);
	} else if (ev->kind == EV_DELIVERY && ev->status == ST_SENT)
		t->sent++;
	if (ev->kind == EV_REJECT) {
		t->reject++;
		assert_non_null(strstr(line, "User unknown"));
		assert_true(ev->dsn.n == 5 && !memcmp(ev->dsn.p, "5.1.1", 5));
		assert_true(ev->client_addr.n > 0);
	}
	if (ev->kind == EV_RELAY_DENIED)
		t->denied++;
	if (ev->kind == EV_REJECT || ev->kind == EV_RELAY_DENIED)
		assert_true(maillog_is_refusal(ev));
	else
		assert_false(maillog_is_refusal(ev));
	(void)n;
}

/* The relay's lines: each syslog_name form, the hand-offs, the two
 * rejects (unknown user 550; Relay access denied 454 from the console). */
static void
test_parse_relay(void **state)
{
	struct tally t = { 0 };
	size_t len;
	char *c = test_data_slurp(MAILLOG_C, &len);

	each_line(MAILLOG_C, tally_line, &t);
	assert_true(t.prog_out >= 4);
	assert_true(t.prog_sub >= 2);
	assert_true(t.prog_filter >= 4);
	assert_true(t.prog_reinject >= 4);
	assert_int_equal(t.handoffs, C_HANDOFFS);
	assert_int_equal(t.handoffs, test_count_str(c, "relay=127.0.0.1["));
	assert_int_equal(t.sent, C_DELIVERED);
	assert_int_equal(t.sent + t.handoffs, test_count_str(c, "status=sent"));
	assert_int_equal(t.reject, 1);
	assert_int_equal(t.denied, 1);
	assert_int_equal(t.reject + t.denied, test_count_str(c, "NOQUEUE: reject:"));
	free(c);
}

/* --log: a filtered mail counts once (deliveries, relays, messages);
 * hand-offs and refusals apart. Both logs, as grep counts them. */
static void
test_logsum(void **state)
{
	struct logsum s;
	size_t la, lc;
	char *a = test_data_slurp(MAILLOG_A, &la);
	char *c = test_data_slurp(MAILLOG_C, &lc);
	size_t a_sent = test_count_str(a, "status=sent");
	uint64_t msgs;
	int exact;

	assert_int_equal(a_sent, 3);
	assert_int_equal(logsum_init(&s, 2026), 0);
	logsum_feed(&s, c, lc);
	assert_int_equal(s.status[ST_SENT], C_DELIVERED);
	assert_int_equal(s.deliveries, C_DELIVERED);
	assert_int_equal(s.handoffs, C_HANDOFFS);
	assert_int_equal(s.refused, 2);
	assert_int_equal(s.relay_denied, 1);
	msgs = logsum_messages(&s, &exact);
	assert_true(exact);
	assert_int_equal(msgs, C_DELIVERED);
	/* one relay row, the real one: no 127.0.0.1 row */
	{
		const struct logsum_entry *top[8];
		size_t n = logsum_top(&s.relays, top, 8);

		assert_int_equal(n, 1);
		assert_true(top[0]->klen > 12 &&
		    memcmp(top[0]->key, "172.16.30.25", 12) == 0);
	}
	logsum_feed(&s, a, la);
	assert_int_equal(s.status[ST_SENT], C_DELIVERED + a_sent);
	assert_int_equal(logsum_messages(&s, &exact), C_DELIVERED + a_sent);
	logsum_free(&s);
	free(a);
	free(c);
}

static struct host_config hc[1];
static struct inventory inv = { .hosts = hc, .n = 1 };

static void
model_line(const char *line, size_t n, const struct mail_event *ev,
    void *arg)
{
	struct model *m = arg;

	model_add_event(m, &m->hosts[0], ev);
	(void)line;
	(void)n;
}

/* The model (console, --once): C's counters say 4 sent, 2 refused, its
 * last outcome is the real delivery, not a hand-off, and its only onward
 * edge goes to dest, not to the filter. */
static void
test_model_counters(void **state)
{
	struct model m;
	struct host *h;
	const struct ev_rec *e;
	unsigned rc[ST_MAX];
	time_t last = 0;
	size_t i;

	memset(hc, 0, sizeof(hc));
	snprintf(hc[0].name, sizeof(hc[0].name), "relay-c");
	snprintf(hc[0].address, sizeof(hc[0].address), "172.16.1.11");
	hc[0].role = ROLE_RELAY;
	assert_int_equal(model_init(&m, &inv, 0), 0);
	h = &m.hosts[0];
	{
		static const char pc[] = "relayhost =\ninet_interfaces = all\n";
		struct pc_settings st = { 0 };
		char err[128];

		assert_true(postconf_parse(pc, strlen(pc), &st, err,
		    sizeof(err)) >= 0);
		model_set_settings(&m, h, &st);
	}
	each_line(MAILLOG_C, model_line, &m);
	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (e->when > last)
			last = e->when;
	model_count_recent(h, last + 1, 60, rc);
	assert_int_equal(rc[ST_SENT], C_DELIVERED);
	assert_int_equal(h->counters.total[ST_SENT], C_DELIVERED);
	assert_int_equal(model_count_refused(h, last + 1, 60), 2);
	assert_int_equal(h->counters.total[COUNTER_REFUSED], 2);
	assert_non_null(strstr(h->last_outcome, "via 172.16.30.25"));
	/* the hand-offs stay in the ring (the trace reads them) */
	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (model_rec_is_handoff(e))
			break;
	assert_non_null(e);
	assert_string_equal(rec_relay_addr(e), "127.0.0.1");
	/* and no onward edge to the filter: one, to dest */
	{
		struct topology t = { NULL, 0 };
		size_t k, onward = 0;

		assert_int_equal(topology_build(&m, &t), 0);
		for (k = 0; k < t.n; k++) {
			if (t.v[k].kind != EDGE_ONWARD)
				continue;
			onward++;
			assert_string_equal(t.v[k].target.host,
			    "172.16.30.25");
		}
		assert_int_equal(onward, 1);
		topology_free(&t);
	}
	model_free(&m);
}

static struct mail_event
parse(const char *line)
{
	struct mail_event ev;

	assert_int_equal(maillog_parse_line(line, strlen(line), 2026, &ev), 0);
	return ev;
}

/* Hand-made edges: only sent + loopback + "queued as" is a hand-off. */
static void
test_handoff_edges(void **state)
{
	static const char *const not_handoff[] = {
		/* deferred to the filter: a real (temporary) outcome */
		"Dec 06 06:45:57 relay-c postfix-out/smtp[8704]: D0A2D104393: "
		"to=<p@dest.example>, relay=none, delay=30, delays=0/0/30/0, "
		"dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]"
		":10024: Connection refused)",
		/* local LMTP delivery (dovecot): no "queued as" */
		"Dec 06 06:45:57 mx postfix/lmtp[1]: D0A2D104393: to=<u@ex.jp>, "
		"relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, "
		"dsn=2.0.0, status=sent (250 2.0.0 <u@ex.jp> abc Saved)",
		/* queued as on another host */
		"Dec 06 06:45:57 relay-c postfix/smtp[1]: D0A2D104393: "
		"to=<p@dest.example>, relay=128.0.0.1[128.0.0.1]:25, delay=1, "
		"dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 470A4104397)",
		"Dec 06 06:45:57 relay-c postfix/smtp[1]: D0A2D104393: "
		"to=<p@dest.example>, relay=x[127.0.0.1.example]:25, delay=1, "
		"dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 470A4104397)",
		NULL };
	static const char *const handoff[] = {
		"Dec 06 06:45:57 relay-c postfix/smtp[1]: D0A2D104393: "
		"to=<p@dest.example>, relay=localhost[::1]:10024, delay=1, "
		"dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[::1]:10025)"
		": 250 2.0.0 Ok: queued as 470A4104397)",
		"Dec 06 06:45:57 relay-c postfix/smtp[1]: D0A2D104393: "
		"to=<p@dest.example>, relay=127.0.0.2[127.0.0.2]:10025, "
		"delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "
		"4jhsvB3zL7z88V3)",
		NULL };
	struct mail_event ev;
	int i;

	for (i = 0; not_handoff[i] != NULL; i++) {
		ev = parse(not_handoff[i]);
		if (maillog_is_handoff(&ev))
			fail_msg("taken as a hand-off: %s", not_handoff[i]);
	}
	for (i = 0; handoff[i] != NULL; i++) {
		ev = parse(handoff[i]);
		if (!maillog_is_handoff(&ev))
			fail_msg("not taken as a hand-off: %s", handoff[i]);
	}
	assert_true(maillog_addr_is_loopback("127.0.0.1", 9));
	assert_true(maillog_addr_is_loopback("ipv6:::1", 8));
	assert_false(maillog_addr_is_loopback("127.0.0.", 8));
	assert_false(maillog_addr_is_loopback("::10", 4));
	assert_false(maillog_addr_is_loopback("", 0));
	assert_false(maillog_addr_is_loopback("1127.0.0.1", 10));
}

/* Rejects of other reasons than relaying are refusals too, with their
 * fields; a queue id's "reject:" (cleanup header_checks) is not NOQUEUE. */
static void
test_reject_kinds(void **state)
{
	struct mail_event ev;

	ev = parse("Dec 06 06:46:00 relay-c postfix/submission/smtpd[9]: "
	    "NOQUEUE: reject: RCPT from unknown[172.16.1.100]: 554 5.7.1 "
	    "<x@y.jp>: Sender address rejected: Access denied; "
	    "from=<x@y.jp> to=<p@dest.example> proto=ESMTP helo=<h>");
	assert_int_equal(ev.kind, EV_REJECT);
	assert_string_equal(ev_kind_name(ev.kind), "reject");
	assert_true(ev.to.n == 14 && !memcmp(ev.to.p, "p@dest.example", 14));
	ev = parse("Dec 06 06:46:00 relay-c postfix/smtpd[9]: NOQUEUE: "
	    "reject: CONNECT from unknown[10.0.0.9]: 554 5.7.1 <unknown["
	    "10.0.0.9]>: Client host rejected: Access denied; proto=SMTP");
	assert_int_equal(ev.kind, EV_REJECT);
	ev = parse("Dec 06 06:46:00 relay-c postfix/cleanup[9]: 470A4104397: "
	    "reject: header Subject: spam from unknown[10.0.0.9]; "
	    "from=<x@y.jp> to=<p@dest.example>: 5.7.1 message content "
	    "rejected");
	assert_false(maillog_is_refusal(&ev));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_relay),
		cmocka_unit_test(test_logsum),
		cmocka_unit_test(test_model_counters),
		cmocka_unit_test(test_handoff_edges),
		cmocka_unit_test(test_reject_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
