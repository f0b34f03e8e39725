/* test-three-hops.c: chains deeper than origin -> relay. From captured lab
 * output of scenario three-hops (origins -> relays -> outbound-e -> dest):
 * roles inferred without role = lines, the relay -> outbound edges and
 * their states, each host's level, the trace followed over three hops by
 * "queued as" (and a --test-send trace of it, with a hand-made fallback at
 * hop 2), the levels in --once text and JSON. Hand-made: a loop keeps
 * levels bounded, a null client listening on all interfaces stays an
 * origin, a relay chained to the other relay of the seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "test-data.h"
#include "test-seed.h"

#include "model.h"
#include "output.h"
#include "postconf.h"
#include "topology.h"
#include "trace.h"

enum { A, B, C, D, E, NH };

static struct host_config hc5[NH];
static struct inventory inv5 = { .hosts = hc5, .n = NH };

/* The lab under scenario three-hops, roles left to inference. */
static void
three_hops(struct model *m, int denied)
{
	static const char *const names[NH] = { "origin-a", "origin-b",
		"relay-c", "relay-d", "outbound-e" };
	static const char *const addrs[NH] = { "172.16.10.5", "172.16.10.6",
		"172.16.1.11", "172.16.1.12", "172.16.1.13" };
	int i;

	memset(hc5, 0, sizeof(hc5));
	for (i = 0; i < NH; i++) {
		snprintf(hc5[i].name, sizeof(hc5[i].name), "%s", names[i]);
		snprintf(hc5[i].address, sizeof(hc5[i].address), "%s",
		    addrs[i]);
		hc5[i].port = 22;
	}
	assert_int_equal(model_init(m, &inv5, 0), 0);
	load_settings(m, &m->hosts[A], "origin-a.postconf-params.txt");
	load_settings(m, &m->hosts[B], "origin-a.postconf-params.txt");
	load_settings(m, &m->hosts[C], "relay-c.postconf-params.three-hops.txt");
	load_settings(m, &m->hosts[D], "relay-c.postconf-params.three-hops.txt");
	load_settings(m, &m->hosts[E], "outbound-e.postconf-params.txt");
	load_log(m, &m->hosts[A], denied ? "origin-a.maillog.three-hops-denied.txt" :
	    "origin-a.maillog.three-hops.txt");
	load_log(m, &m->hosts[C], denied ? "relay-c.maillog.three-hops-denied.txt" :
	    "relay-c.maillog.three-hops.txt");
	load_log(m, &m->hosts[E], denied ?
	    "outbound-e.maillog.three-hops-denied.txt" :
	    "outbound-e.maillog.three-hops.txt");
}

/* Hand-made postconf output as h's settings. */
#define set(m, h, text)	load_settings_text((m), (h), (text), strlen(text))

static const struct edge *
edge_to(const struct topology *t, int from, int to, enum edge_kind k)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].from == from && t->v[i].to == to &&
		    t->v[i].kind == k)
			return &t->v[i];
	return NULL;
}

/* Host h's oldest sent delivery (qid NULL) or that of qid: its queue id
 * into qid_out, its "queued as" into next. */
static void
sent_of(const struct host *h, const char *qid, char *qid_out, size_t len,
    char *next, size_t nlen)
{
	const struct ev_rec *r, *hit = NULL;
	size_t i;

	for (i = 0; (r = model_event(h, i)) != NULL; i++)
		if (r->kind == EV_DELIVERY && r->status == ST_SENT &&
		    (qid == NULL || strcmp(rec_qid(r), qid) == 0))
			hit = r;	/* newest first: the last is the oldest */
	assert_non_null(hit);
	snprintf(qid_out, len, "%s", rec_qid(hit));
	snprintf(next, nlen, "%s", rec_queued_as(hit));
}

static void
test_captured_chain(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;
	int level[NH];

	(void)state;
	three_hops(&m, 0);
	/* relays with a relayhost that relay for others are relays */
	assert_int_equal(host_effective_role(&m.hosts[A]), ROLE_ORIGIN);
	assert_int_equal(host_effective_role(&m.hosts[C]), ROLE_RELAY);
	assert_int_equal(host_effective_role(&m.hosts[D]), ROLE_RELAY);
	assert_int_equal(host_effective_role(&m.hosts[E]), ROLE_RELAY);
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, C, E, EDGE_PRIMARY);
	assert_non_null(e);
	assert_int_equal(e->state, EDGE_SENT);
	assert_non_null(strstr(e->last_reason, "queued as"));
	e = edge_to(&t, D, E, EDGE_PRIMARY);
	assert_non_null(e);
	assert_int_equal(e->state, EDGE_UNKNOWN);	/* D logged nothing */
	/* C's deliveries go to its relayhost: no onward edge besides */
	assert_null(edge_to(&t, C, -1, EDGE_ONWARD));
	e = edge_to(&t, E, -1, EDGE_ONWARD);
	assert_non_null(e);
	assert_string_equal(e->target.host, "172.16.30.25");
	assert_int_equal(e->state, EDGE_SENT);
	assert_int_equal(topology_levels(&m, &t, level), 3);
	assert_int_equal(level[A], 0);
	assert_int_equal(level[B], 0);
	assert_int_equal(level[C], 1);
	assert_int_equal(level[D], 1);
	assert_int_equal(level[E], 2);
	topology_free(&t);
	model_free(&m);
}

static void
test_captured_denied(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;

	(void)state;
	three_hops(&m, 1);
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, C, E, EDGE_PRIMARY);
	assert_non_null(e);
	assert_int_equal(e->state, EDGE_DEFERRED);
	assert_non_null(strstr(e->last_reason, "454 4.7.1"));
	assert_non_null(strstr(e->last_reason, "Relay access denied"));
	topology_free(&t);
	model_free(&m);
}

static void
test_captured_trace(void **state)
{
	struct model m;
	struct mail_hop h[TRACE_MAX_HOPS];
	char q1[QUEUE_ID_SIZE], q2[QUEUE_ID_SIZE], q3[QUEUE_ID_SIZE], x[32];

	(void)state;
	three_hops(&m, 0);
	sent_of(&m.hosts[A], NULL, q1, sizeof(q1), q2, sizeof(q2));
	sent_of(&m.hosts[C], q2, x, sizeof(x), q3, sizeof(q3));
	assert_true(q3[0] != '\0');
	/* forward from the origin, back from the outbound relay: the same */
	assert_int_equal(trace_follow(&m, A, q1, h, TRACE_MAX_HOPS), 3);
	assert_int_equal(h[0].host, A);
	assert_string_equal(h[0].qid, q1);
	assert_int_equal(h[1].host, C);
	assert_string_equal(h[1].qid, q2);
	assert_int_equal(h[2].host, E);
	assert_string_equal(h[2].qid, q3);
	assert_int_equal(trace_follow(&m, E, q3, h, TRACE_MAX_HOPS), 3);
	assert_int_equal(h[0].host, A);
	assert_string_equal(h[0].qid, q1);
	assert_int_equal(h[1].host, C);
	/* max bounds it */
	assert_int_equal(trace_follow(&m, A, q1, h, 2), 2);
	model_free(&m);
}

/* A --test-send trace of origin-a's first captured mail (its Message-ID
 * as the token), advanced once. */
static void
trace_first(struct model *m, struct trace *t)
{
	const struct ev_rec *r, *id = NULL;
	size_t i;

	for (i = 0; (r = model_event(&m->hosts[A], i)) != NULL; i++)
		if (r->kind == EV_MESSAGE_ID)
			id = r;		/* newest first: the last is the first */
	assert_non_null(id);
	trace_init(t, 1, A, rec_message_id(id), "probe@dest.example", 60,
	    id->when);
	trace_submitted(t, 1, NULL, id->when);
	trace_advance(t, m, id->when + 5);
}

static void
test_captured_test_send(void **state)
{
	struct model m;
	struct trace t;
	char *at;

	(void)state;
	three_hops(&m, 0);
	trace_first(&m, &t);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.nhops, 3);
	assert_int_equal(t.hops[0].next_host, C);
	assert_int_equal(t.hops[1].host, C);
	assert_int_equal(t.hops[1].next_host, E);
	assert_string_equal(t.hops[1].client, "unknown[172.16.10.5]");
	assert_int_equal(t.hops[1].via_fallback, 0);
	assert_string_equal(t.hops[1].relay_addr, "172.16.1.13");
	assert_string_equal(t.hops[2].client, "unknown[172.16.1.11]");
	assert_int_equal(t.hops[2].next_host, -1);
	assert_int_equal(t.hops[2].sec.family, 4);
	assert_int_equal(t.hops[2].sec.port, 25);
	at = strstr(t.summary, "delivered: origin-a -> relay-c -> "
	    "outbound-e -> 172.16.30.25 (2.0.0 ");
	assert_ptr_equal(at, t.summary);
	/* hand-made: relay-c reached outbound-e as its fallback relay */
	set(&m, &m.hosts[C], "relayhost = [172.16.1.12]\n"
	    "smtp_fallback_relay = [172.16.1.13]\ninet_interfaces = all\n"
	    "mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6\n");
	trace_first(&m, &t);
	assert_int_equal(t.state, TR_DELIVERED);
	assert_int_equal(t.hops[0].via_fallback, 0);
	assert_int_equal(t.hops[1].via_fallback, 1);
	assert_non_null(strstr(t.summary, "delivered via fallback at hop 2: "
	    "origin-a -> relay-c -> outbound-e"));
	model_free(&m);
}

static void
test_captured_output(void **state)
{
	struct model m;
	struct topology t;
	char *buf = NULL, *js;
	size_t len = 0, i;
	FILE *f;
	json_t *doc, *v;
	json_error_t err;
	static const int want[NH] = { 0, 0, 1, 1, 2 };

	(void)state;
	three_hops(&m, 0);
	assert_int_equal(topology_build(&m, &t), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(output_text(f, &m, &t, time(NULL), 0), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\n  levels: origin-a, origin-b -> "
	    "relay-c, relay-d -> outbound-e -> [172.16.30.25]:25\n"));
	/* edges level by level: relay-c's come after the origins' */
	assert_true(strstr(buf, "  relay-c      -> outbound-e") >
	    strstr(buf, "  origin-b     -> relay-d"));
	assert_true(strstr(buf, "  outbound-e   -> [172.16.30.25]:25") >
	    strstr(buf, "  relay-d      -> outbound-e"));
	free(buf);
	js = output_json_string(&m, &t, time(NULL));
	assert_non_null(js);
	doc = json_loads(js, 0, &err);
	assert_non_null(doc);
	for (i = 0; i < NH; i++) {
		v = json_object_get(json_array_get(json_object_get(doc,
		    "hosts"), i), "level");
		assert_true(json_is_integer(v));
		assert_int_equal(json_integer_value(v), want[i]);
	}
	for (i = 0; i < t.n; i++) {
		v = json_object_get(json_array_get(json_object_get(doc,
		    "edges"), i), "hop");
		assert_true(json_is_integer(v));
		assert_int_equal(json_integer_value(v),
		    want[t.v[i].from] + 1);
	}
	json_decref(doc);
	free(js);
	topology_free(&t);
	model_free(&m);
}

static void
test_hand_made(void **state)
{
	struct model m;
	struct topology t;
	int level[4];

	(void)state;
	seed(&m);
	/* relay-c chained to relay-d: the origins' fallback D is deeper */
	set(&m, &m.hosts[2], "relayhost = [172.16.1.12]\ninet_interfaces = "
	    "all\nmynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6\n");
	assert_int_equal(host_effective_role(&m.hosts[2]), ROLE_RELAY);
	assert_int_equal(topology_build(&m, &t), 0);
	assert_int_equal(topology_levels(&m, &t, level), 3);
	assert_int_equal(level[2], 1);
	assert_int_equal(level[3], 2);
	topology_free(&t);
	/* D back to C: a loop; levels stay below the number of hosts */
	set(&m, &m.hosts[3], "relayhost = [172.16.1.11]\ninet_interfaces = "
	    "all\nmynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6\n");
	assert_int_equal(topology_build(&m, &t), 0);
	assert_true(topology_levels(&m, &t, level) <= 4);
	assert_true(level[2] < 4 && level[3] < 4);
	assert_int_equal(level[0], 0);
	topology_free(&t);
	/* a null client on all interfaces, mynetworks only itself and
	 * loopback (mynetworks_style = host): still an origin */
	set(&m, &m.hosts[1], "relayhost = [172.16.1.11]\ninet_interfaces = "
	    "all\nmynetworks = 127.0.0.0/8 [::1]/128 172.16.10.6/32\n");
	assert_int_equal(host_effective_role(&m.hosts[1]), ROLE_ORIGIN);
	/* a map in mynetworks is not a client */
	set(&m, &m.hosts[1], "relayhost = [172.16.1.11]\ninet_interfaces = "
	    "all\nmynetworks = 127.0.0.1, hash:/etc/postfix/network_table\n");
	assert_int_equal(host_effective_role(&m.hosts[1]), ROLE_ORIGIN);
	/* no hosts: no levels */
	model_free(&m);
	memset(&m, 0, sizeof(m));
	t.v = NULL;
	t.n = 0;
	assert_int_equal(topology_levels(&m, &t, level), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_chain),
		cmocka_unit_test(test_captured_denied),
		cmocka_unit_test(test_captured_trace),
		cmocka_unit_test(test_captured_test_send),
		cmocka_unit_test(test_captured_output),
		cmocka_unit_test(test_hand_made),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
