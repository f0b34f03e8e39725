/* test-trace.c: the test-mail trace over real Postfix 3.7 maillogs captured
 * in the lab (tests/data/trace/, tests/data/captured/): normal chain,
 * failover to the fallback relay, Relay access denied, flush after an
 * outage, a bounce, a content filter's re-injection on the relay, and
 * waiting/timeout when logs are missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "config.h"
#include "event.h"
#include "model.h"
#include "postconf.h"
#include "trace.h"

static const char inventory[] =
    "[defaults]\nuser = relayop\nsudo = yes\ntest_to = t@dest.example\n"
    "[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
    "[origin-b]\naddress = 172.16.10.6\nrole = origin\n"
    "[relay-c]\naddress = 172.16.1.11\nrole = relay\n"
    "[relay-d]\naddress = 172.16.1.12\nrole = relay\n";

enum { A = 0, B = 1, C = 2, D = 3 };

struct fx {
	struct inventory inv;
	struct model m;
};

static void
set_settings(struct model *m, int i, const char *text)
{
	struct pc_settings s = { 0 };
	char err[128];

	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) >= 0);
	model_set_settings(m, &m->hosts[i], &s);
}

/* Feeds lines [from, to) (1-based; to 0: to the end) of a maillog file to
 * host i's events; a missing file feeds nothing. */
static void
feed_lines(struct model *m, int i, const char *path, int from, int to)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int no = 0;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct mail_event ev;
		size_t n = strcspn(line, "\n");

		no++;
		if (no < from || (to > 0 && no >= to))
			continue;
		if (maillog_parse_line(line, n, 2026, &ev) == 0 &&
		    ev.kind != EV_NONE)
			model_add_event(m, &m->hosts[i], &ev);
	}
	fclose(f);
}

static void
feed(struct model *m, int i, const char *path)
{
	feed_lines(m, i, path, 1, 0);
}

/* Feeds captured/origin-a.maillog.CASE.txt to A, relay-c's to C. */
static void
feed_captured(struct model *m, const char *what)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/captured/origin-a.maillog.%s.txt",
	    TEST_DATA, what);
	feed(m, A, path);
	snprintf(path, sizeof(path), "%s/captured/relay-c.maillog.%s.txt",
	    TEST_DATA, what);
	feed(m, C, path);
}

static void
feed_dir(struct model *m, const char *dir, int mask)
{
	static const char *names[] = { "origin-a", "origin-b", "relay-c",
	    "relay-d" };
	char path[1024];
	int i;

	for (i = 0; i < 4; i++) {
		if (!(mask & (1 << i)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s.log", TEST_DATA, dir,
		    names[i]);
		feed(m, i, path);
	}
}

static int
setup_ring(void **state, size_t ring_cap)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char err[256];
	const char *origin = "relayhost = [172.16.1.11]\n"
	    "smtp_fallback_relay = [172.16.1.12]\n"
	    "inet_interfaces = loopback-only\n";
	const char *relay = "relayhost =\nsmtp_fallback_relay =\n"
	    "inet_interfaces = all\n"
	    "mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6\n";

	assert_non_null(fx);
	assert_int_equal(config_load_string(inventory, "test.ini", &fx->inv,
	    err, sizeof(err)), 0);
	assert_int_equal(model_init(&fx->m, &fx->inv, ring_cap), 0);
	set_settings(&fx->m, A, origin);
	set_settings(&fx->m, B, origin);
	set_settings(&fx->m, C, relay);
	set_settings(&fx->m, D, relay);
	*state = fx;
	return 0;
}

static int
setup(void **state)
{
	return setup_ring(state, 0);
}

/* Rings of 6 events: a busy host forgets the test mail's lines. */
static int
setup_small(void **state)
{
	return setup_ring(state, 6);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	model_free(&fx->m);
	config_free(&fx->inv);
	free(fx);
	return 0;
}

/* A trace of token from origin-a, submitted at t0, advanced at t0 + 5. */
static void
run(struct fx *fx, struct trace *t, const char *token, time_t t0)
{
	trace_init(t, 1, A, token, "t@dest.example", 30, t0);
	assert_int_equal(t->state, TR_SUBMITTING);
	trace_submitted(t, 1, NULL, t0);
	assert_int_equal(t->state, TR_WAITING);
	trace_advance(t, &fx->m, t0 + 5);
}

/* 2026-11-28 01:25:52 UTC, a second before the first mail */
#define T_NORMAL	((time_t)1795829152)

static void
test_normal_chain(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829152-abc123", T_NORMAL);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.nhops, 2);
	assert_int_equal(t.hops[0].host, A);
	assert_string_equal(t.hops[0].qid, "3E5DD10465A");
	assert_string_equal(t.hops[0].queued_as, "81DE810465C");
	assert_string_equal(t.hops[0].relay_addr, "172.16.1.11");
	assert_string_equal(t.hops[0].dsn, "2.0.0");
	assert_int_equal(t.hops[0].status, ST_SENT);
	/* delay=0.36, delays=0.12/0.09/0/0.15 */
	assert_true(t.hops[0].delay == 0.36f && t.hops[0].delays[0] == 0.12f &&
	    t.hops[0].delays[2] == 0 && t.hops[0].delays[3] == 0.15f);
	assert_int_equal(t.hops[0].next_host, C);
	assert_int_equal(t.hops[0].via_fallback, 0);
	assert_int_equal(t.hops[0].nattempts, 0);
	assert_int_equal(t.hops[1].host, C);
	assert_string_equal(t.hops[1].qid, "81DE810465C");
	assert_string_equal(t.hops[1].client, "unknown[172.16.10.5]");
	assert_string_equal(t.hops[1].relay_addr, "172.16.30.25");
	assert_int_equal(t.hops[1].next_host, -1);
	assert_non_null(strstr(t.summary, "origin-a -> relay-c -> 172.16.30.25"));
	assert_true(trace_finished(&t));
	assert_true(t.finished != 0);
	/* final: further advances change nothing */
	assert_int_equal(trace_advance(&t, &fx->m, T_NORMAL + 100), 0);
}

/* The one message follower (the log view's Enter): from any hop of a
 * mail, every queue id it had, origin first; the same chain the trace
 * finds, relay by the one host matcher. */
static void
test_follow(void **state)
{
	struct fx *fx = *state;
	struct mail_hop h[8];

	feed_dir(&fx->m, "trace/session", 0xf);
	/* from the origin: on to relay-c, then out of the inventory */
	assert_int_equal(trace_follow(&fx->m, A, "3E5DD10465A", h, 8), 2);
	assert_int_equal(h[0].host, A);
	assert_string_equal(h[0].qid, "3E5DD10465A");
	assert_int_equal(h[1].host, C);
	assert_string_equal(h[1].qid, "81DE810465C");
	/* from the relay's line: back to the origin first */
	assert_int_equal(trace_follow(&fx->m, C, "81DE810465C", h, 8), 2);
	assert_int_equal(h[0].host, A);
	assert_string_equal(h[0].qid, "3E5DD10465A");
	assert_int_equal(h[1].host, C);
	/* failover: through the fallback relay-d */
	assert_int_equal(trace_follow(&fx->m, A, "98C301046D8", h, 8), 2);
	assert_int_equal(h[1].host, D);
	assert_string_equal(h[1].qid, "A51C81046D9");
	/* bounded, and nothing for an id or host that is not there */
	assert_int_equal(trace_follow(&fx->m, C, "81DE810465C", h, 1), 1);
	assert_int_equal(h[0].host, C);
	assert_int_equal(trace_follow(&fx->m, A, "", h, 8), 0);
	assert_int_equal(trace_follow(&fx->m, 9, "3E5DD10465A", h, 8), 0);
	assert_int_equal(trace_follow(&fx->m, A, "NOSUCHQID", h, 8), 1);
}

static void
test_failover_to_fallback(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829160-f00d01", T_NORMAL + 8);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.nhops, 2);
	assert_string_equal(t.hops[0].qid, "98C301046D8");
	assert_int_equal(t.hops[0].next_host, D);
	assert_int_equal(t.hops[0].via_fallback, 1);
	assert_int_equal(t.hops[0].nattempts, 1);
	assert_non_null(strstr(t.hops[0].attempts[0],
	    "connect to 172.16.1.11[172.16.1.11]:25: Connection refused"));
	assert_int_equal(t.hops[1].host, D);
	assert_string_equal(t.hops[1].qid, "A51C81046D9");
	assert_int_equal(t.hops[1].status, ST_SENT);
	assert_non_null(strstr(t.summary, "via fallback"));
	assert_non_null(strstr(t.summary, "relay-d"));
}

/* The snapshot while the refused mail sits deferred on origin-a. */
static void
test_relay_denied_deferred(void **state)
{
	struct fx *fx = *state;
	struct trace t;
	int i, denied = 0, refused = 0;

	feed_dir(&fx->m, "trace/denied", 0xf);
	run(fx, &t, "relaytop-1795829174-de0001", T_NORMAL + 22);
	assert_int_equal(t.state, TR_WAITING);
	assert_int_equal(t.deferred, 1);
	assert_int_equal(t.nhops, 1);
	assert_string_equal(t.hops[0].qid, "003FF104856");
	assert_int_equal(t.hops[0].status, ST_DEFERRED);
	assert_string_equal(t.hops[0].dsn, "4.4.1");
	for (i = 0; i < t.hops[0].nattempts; i++) {
		denied += strstr(t.hops[0].attempts[i], "relay-c rejected") &&
		    strstr(t.hops[0].attempts[i], "Relay access denied");
		refused += strstr(t.hops[0].attempts[i], "172.16.1.12") &&
		    strstr(t.hops[0].attempts[i], "Connection refused");
	}
	assert_int_equal(denied, 1);
	assert_true(refused >= 1);
	assert_non_null(strstr(t.summary, "deferred at hop 1 (origin-a)"));
	assert_non_null(strstr(t.summary, "Relay access denied"));
	/* conclusive at the timeout */
	assert_int_equal(trace_advance(&t, &fx->m, T_NORMAL + 22 + 31), 1);
	assert_int_equal(t.state, TR_DEFERRED);
	assert_non_null(strstr(t.summary, "Relay access denied"));
}

/* Same mail in the whole session: delivered after postqueue -f. */
static void
test_denied_then_flushed(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829174-de0001", T_NORMAL + 22);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.hops[0].next_host, C);
	assert_string_equal(t.hops[0].queued_as, "7FC95104212");
	/* the earlier failure stays visible: C's refusal, D down */
	assert_int_equal(t.hops[0].nattempts, 2);
	assert_non_null(strstr(t.hops[0].attempts[0],
	    "deferred: connect to 172.16.1.12"));
	assert_non_null(strstr(t.hops[0].attempts[1],
	    "relay-c rejected: 454 4.7.1"));
	assert_string_equal(t.hops[1].qid, "7FC95104212");
	assert_int_equal(t.hops[1].status, ST_SENT);
}

static void
test_both_down_then_flushed(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829197-b0d0", T_NORMAL + 45);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.hops[0].nattempts, 2);
	assert_non_null(strstr(t.hops[0].attempts[0], "172.16.1.11"));
	assert_non_null(strstr(t.hops[0].attempts[1],
	    "deferred: connect to 172.16.1.12"));
	assert_int_equal(t.hops[0].via_fallback, 0);
	assert_int_equal(t.nhops, 2);
}

static void
test_bounce_loop(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829212-100b", T_NORMAL + 60);
	assert_int_equal(t.state, TR_BOUNCED);
	assert_int_equal(t.nhops, 1);
	assert_string_equal(t.hops[0].qid, "E0CCA104034");
	assert_string_equal(t.hops[0].dsn, "5.4.6");
	assert_non_null(strstr(t.summary, "bounced at hop 1"));
	assert_non_null(strstr(t.summary, "loops back to myself"));
}

static void
test_unknown_token_times_out(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1-0000000000000000", T_NORMAL);
	assert_int_equal(t.state, TR_WAITING);
	assert_int_equal(t.nhops, 0);
	assert_non_null(strstr(t.summary, "waiting for origin-a's log"));
	assert_int_equal(trace_advance(&t, &fx->m, T_NORMAL + 29), 0);
	assert_int_equal(trace_advance(&t, &fx->m, T_NORMAL + 30), 1);
	assert_int_equal(t.state, TR_TIMEOUT);
}

/* The relay's log is not in yet: the trace waits at hop 2. */
static void
test_waits_for_relay_log(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_dir(&fx->m, "trace/session", 1 << A);
	run(fx, &t, "relaytop-1795829152-abc123", T_NORMAL);
	assert_int_equal(t.state, TR_WAITING);
	assert_int_equal(t.nhops, 2);
	assert_int_equal(t.hops[1].host, C);
	assert_string_equal(t.hops[1].qid, "81DE810465C");
	assert_non_null(strstr(t.summary, "handed to relay-c"));
	/* the relay's log arrives */
	feed_dir(&fx->m, "trace/session", 1 << C);
	assert_int_equal(trace_advance(&t, &fx->m, T_NORMAL + 6), 1);
	assert_int_equal(t.state, TR_DELIVERED);
}

/* The origin's lines of the mail leave its ring while the trace waits for
 * the relay: the hop found before is kept and the trace completes. */
static void
test_origin_ring_scrolls(void **state)
{
	struct fx *fx = *state;
	struct trace t;
	char p[1024];

	snprintf(p, sizeof(p), "%s/trace/session/origin-a.log", TEST_DATA);
	feed_lines(&fx->m, A, p, 1, 13);	/* up to the normal mail's end */
	run(fx, &t, "relaytop-1795829152-abc123", T_NORMAL);
	assert_int_equal(t.state, TR_WAITING);
	assert_int_equal(t.nhops, 2);
	feed_lines(&fx->m, A, p, 13, 0);	/* later traffic: evicts */
	{
		const struct ev_rec *e;
		size_t i;

		for (i = 0; (e = model_event(&fx->m.hosts[A], i)) != NULL; i++)
			assert_string_not_equal(rec_qid(e), "3E5DD10465A");
	}
	trace_advance(&t, &fx->m, T_NORMAL + 5);
	assert_int_equal(t.state, TR_WAITING);
	assert_int_equal(t.nhops, 2);
	assert_string_equal(t.hops[0].queued_as, "81DE810465C");
	assert_non_null(strstr(t.summary, "handed to relay-c"));
	snprintf(p, sizeof(p), "%s/trace/session/relay-c.log", TEST_DATA);
	feed_lines(&fx->m, C, p, 1, 15);
	trace_advance(&t, &fx->m, T_NORMAL + 6);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_string_equal(t.hops[0].qid, "3E5DD10465A");
	assert_string_equal(t.hops[0].queued_as, "81DE810465C");
	assert_int_equal(t.hops[1].status, ST_SENT);
}

/* Lab engineer's capture (a mail sent by hand, its own Message-ID). */
static void
test_captured_relay_denied(void **state)
{
	struct fx *fx = *state;
	struct trace t;

	feed_captured(&fx->m, "relay-denied");
	trace_init(&t, 2, A, "20261128012851.335E3104025", "probe@dest.example",
	    10, 1795829330);
	trace_submitted(&t, 1, NULL, 1795829330);
	trace_advance(&t, &fx->m, 1795829331);
	assert_int_equal(t.deferred, 1);
	assert_string_equal(t.hops[0].qid, "335E3104025");
	assert_non_null(strstr(t.summary, "Relay access denied"));
	trace_advance(&t, &fx->m, 1795829340);
	assert_int_equal(t.state, TR_DEFERRED);
}

/* Traces every mail of A's capture by its Message-ID (the newest first):
 * each must end delivered through relay-c (two hops, C's id the one A's
 * "queued as" names); check(t, arg) looks further. Returns how many. */
static size_t
trace_captured(struct fx *fx, const char *what,
    void (*check)(const struct trace *, void *), void *arg)
{
	const struct ev_rec *e;
	struct trace t;
	size_t i, traced = 0;

	feed_captured(&fx->m, what);
	for (i = 0; (e = model_event(&fx->m.hosts[A], i)) != NULL; i++) {
		if (e->kind != EV_MESSAGE_ID)
			continue;
		trace_init(&t, (int)i + 1, A, rec_message_id(e),
		    "t@dest.example", 30, e->when - 1);
		trace_submitted(&t, 1, NULL, e->when - 1);
		trace_advance(&t, &fx->m, e->when + 5);
		if (t.state != TR_DELIVERED)
			fail_msg("%s: %s", rec_qid(e), t.summary);
		assert_int_equal(t.nhops, 2);
		assert_string_equal(t.hops[0].qid, rec_qid(e));
		assert_int_equal(t.hops[1].host, C);
		assert_string_equal(t.hops[1].qid, t.hops[0].queued_as);
		check(&t, arg);
		traced++;
	}
	return traced;
}

static void
count_z(const struct trace *t, void *arg)
{
	size_t *z = arg;

	z[0] += strchr(t->hops[0].qid, 'z') != strrchr(t->hops[0].qid, 'z');
	z[1] += strchr(t->hops[1].qid, 'z') != strrchr(t->hops[1].qid, 'z');
}

/* enable_long_queue_ids = yes on A and C (capture-long-ids.sh): every mail
 * of A's capture is delivered through relay-c under relay-c's long id; ids
 * with a 'z' inside the time part (more than one 'z': the base-51 inode
 * part has none) among them. */
static void
test_captured_long_ids(void **state)
{
	size_t z[2] = { 0, 0 };

	assert_true(trace_captured(*state, "long-ids", count_z, z) >= 10);
	assert_true(z[0] >= 1);
	assert_true(z[1] >= 1);
}

/* C's side ends at dest, not at the filter, and keeps A as its client. */
static void
check_filtered(const struct trace *t, void *arg)
{
	assert_string_equal(t->hops[1].relay_addr, "172.16.30.25");
	assert_string_equal(t->hops[1].client, "unknown[172.16.10.5]");
	assert_string_equal(t->hops[1].reason, "250 2.0.0 Ok");
	(void)arg;
}

/* A content filter on relay-c (capture-reinject.sh): C hands each mail to
 * 127.0.0.1:10024 (postfix-out/smtp), that smtpd to the re-injection smtpd
 * on 10025, which queues it for dest. The trace follows both hand-offs on
 * C and ends delivered at dest, not at 127.0.0.1. */
static void
test_captured_reinject(void **state)
{
	assert_int_equal(trace_captured(*state, "reinject", check_filtered,
	    NULL), 3);
}

/* The year's end (captured normal chain, dates rewritten to RHEL's
 * traditional times: A's lines Dec 31 23:59:58..59 and Jan  1 00:00:00,
 * C's Dec 31 23:59:59 and its delivery Jan  1 00:00:00): the trace follows
 * the mail from Dec 31 into the new year. Not on Dec 30/31 (then the
 * yearless "Dec 31" is this year's, not yet in the future). */
static void
check_year_end(const struct trace *t, void *arg)
{
	struct tm tm;
	time_t w = t->hops[0].when;

	/* it left A on Dec 31; C's delivery line of Jan 1 ended it */
	assert_non_null(gmtime_r(&w, &tm));
	assert_int_equal(tm.tm_mon, 11);
	assert_int_equal(tm.tm_mday, 31);
	assert_int_equal(t->hops[1].status, ST_SENT);
	assert_string_equal(t->hops[1].relay_addr, "172.16.30.25");
	(void)arg;
}

static void
test_captured_year_end(void **state)
{
	time_t now = time(NULL);
	struct tm tm;

	assert_non_null(gmtime_r(&now, &tm));
	if (tm.tm_mon == 11 && tm.tm_mday >= 30)
		skip();
	assert_int_equal(trace_captured(*state, "year-end", check_year_end,
	    NULL), 1);
}

struct lines {
	char	buf[8192];
	size_t	n;
};

static void
collect(const char *line, void *arg)
{
	struct lines *l = arg;
	size_t len = strlen(l->buf);

	assert_null(strchr(line, '\n'));
	snprintf(l->buf + len, sizeof(l->buf) - len, "%s\n", line);
	l->n++;
}

static void
test_format_failover(void **state)
{
	struct fx *fx = *state;
	struct trace t;
	struct lines l = { "", 0 };
	json_t *o, *hops, *h0;
	json_error_t jerr;
	char *js;
	size_t nl;

	feed_dir(&fx->m, "trace/session", 0xf);
	run(fx, &t, "relaytop-1795829160-f00d01", T_NORMAL + 8);
	nl = trace_format_text(&t, &fx->inv, collect, &l);
	assert_int_equal(nl, l.n);
	assert_true(nl >= 6);
	assert_non_null(strstr(l.buf, "from origin-a to <t@dest.example>: "
	    "delivered"));
	assert_non_null(strstr(l.buf, "hop 1  origin-a  queue id 98C301046D8"));
	assert_non_null(strstr(l.buf, "tried: connect to 172.16.1.11"));
	assert_non_null(strstr(l.buf, "-> relay-d (172.16.1.12[172.16.1.12]:25,"
	    " fallback)  sent  dsn 2.0.0"));
	assert_non_null(strstr(l.buf, "queued as A51C81046D9"));
	assert_non_null(strstr(l.buf, "hop 2  relay-d  queue id A51C81046D9  "
	    "from unknown[172.16.10.5]"));
	assert_non_null(strstr(l.buf, "(outside the inventory)"));

	js = trace_format_json(&t, &fx->inv);
	assert_non_null(js);
	assert_null(strchr(js, '\n'));
	o = json_loads(js, 0, &jerr);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "delivered");
	assert_true(json_is_true(json_object_get(o, "delivered")));
	hops = json_object_get(o, "hops");
	assert_int_equal(json_array_size(hops), 2);
	h0 = json_array_get(hops, 0);
	assert_string_equal(json_string_value(json_object_get(h0, "route")),
	    "fallback");
	assert_string_equal(json_string_value(json_object_get(h0,
	    "next_host")), "relay-d");
	assert_string_equal(json_string_value(json_object_get(h0,
	    "queued_as")), "A51C81046D9");
	assert_int_equal(json_array_size(json_object_get(h0, "attempts")), 1);
	assert_true(json_is_null(json_object_get(json_array_get(hops, 1),
	    "next_host")));
	json_decref(o);
	free(js);
}

/* A hop field cut inside a UTF-8 sequence still gives valid JSON. */
static void
test_format_json_cut_utf8(void **state)
{
	struct trace t;
	char *js;
	json_t *o;
	json_error_t jerr;

	(void)state;
	trace_init(&t, 4, 0, "tok", "t@dest.example", 5, 100);
	t.nhops = 1;
	t.hops[0].next_host = -1;
	t.hops[0].status = ST_DEFERRED;
	snprintf(t.hops[0].reason, sizeof(t.hops[0].reason), "x\xe3\x81");
	js = trace_format_json(&t, NULL);
	assert_non_null(js);
	o = json_loads(js, 0, &jerr);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(o, "hops"), 0), "host")), "#0");
	json_decref(o);
	free(js);
}

static void
test_submit_failed_and_token(void **state)
{
	struct trace t;
	char tok[48], tok2[48];

	(void)state;
	assert_int_equal(trace_make_token(tok, sizeof(tok), 1795829152), 0);
	assert_int_equal(strncmp(tok, "relaytop-1795829152-", 20), 0);
	assert_int_equal(strlen(tok), 36);
	assert_int_equal(strspn(tok + 20, "0123456789abcdef"), 16);
	assert_int_equal(trace_make_token(tok2, sizeof(tok2), 1795829152), 0);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(trace_make_token(tok2, 20, 1795829152), -1);
	trace_init(&t, 3, A, tok, "t@dest.example", 0, 100);
	assert_int_equal(t.timeout_s, TRACE_DEFAULT_TIMEOUT);
	trace_submitted(&t, 0, "sendmail: fatal: bad address", 101);
	assert_int_equal(t.state, TR_FAILED);
	assert_true(trace_finished(&t));
	assert_non_null(strstr(t.summary, "bad address"));
	assert_string_equal(trace_state_name(TR_DEFERRED), "deferred");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_normal_chain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failover_to_fallback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_relay_denied_deferred,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_denied_then_flushed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_both_down_then_flushed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounce_loop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_token_times_out,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_waits_for_relay_log, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_origin_ring_scrolls,
		    setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_captured_reinject,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_captured_year_end,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_captured_long_ids, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_captured_relay_denied,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_failover, setup,
		    teardown),
		cmocka_unit_test(test_format_json_cut_utf8),
		cmocka_unit_test(test_submit_failed_and_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
