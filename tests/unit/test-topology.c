/* test-topology.c: relayhost value parsing, and the relay graph of the
 * seed's network built from captured lab settings and maillogs: primary and
 * fallback edges matched to inventory hosts, their states from the origin's
 * log (normal, failover, both relays down), and the relay's onward edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-data.h"
#include "test-seed.h"

#include "model.h"
#include "postconf.h"
#include "topology.h"

static const struct edge *
edge_of(const struct topology *t, int from, enum edge_kind k)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].from == from && t->v[i].kind == k)
			return &t->v[i];
	return NULL;
}

static void
test_target_parse(void **state)
{
	struct relay_target t[4];

	(void)state;
	assert_int_equal(relay_target_parse("[172.16.1.11]", t, 4), 1);
	assert_string_equal(t[0].host, "172.16.1.11");
	assert_int_equal(t[0].port, 25);
	assert_true(t[0].bracketed);
	assert_int_equal(relay_target_parse("relay.example.jp:587", t, 4), 1);
	assert_string_equal(t[0].host, "relay.example.jp");
	assert_int_equal(t[0].port, 587);
	assert_false(t[0].bracketed);
	assert_int_equal(relay_target_parse("[relay.example.jp]:submission",
	    t, 4), 1);
	assert_int_equal(t[0].port, 587);
	assert_int_equal(relay_target_parse("[ipv6:2001:db8::1]:2525", t, 4), 1);
	assert_string_equal(t[0].host, "2001:db8::1");
	assert_int_equal(t[0].port, 2525);
	assert_int_equal(relay_target_parse("[172.16.1.12], backup.example:26",
	    t, 4), 2);
	assert_string_equal(t[1].host, "backup.example");
	assert_int_equal(t[1].port, 26);
	assert_int_equal(relay_target_parse("a b c d e", t, 4), 4);
	assert_int_equal(relay_target_parse("", t, 4), 0);
	assert_int_equal(relay_target_parse(NULL, t, 4), 0);
	assert_int_equal(relay_target_parse("[172.16.1.11", t, 4), -1);
	assert_int_equal(relay_target_parse("[x]y", t, 4), -1);
	assert_int_equal(relay_target_parse("host:99999", t, 4), -1);
	assert_int_equal(relay_target_parse("$fallback_relay", t, 4), -1);
	assert_int_equal(relay_target_parse("h;rm -rf", t, 4), -1);
}

static void
test_seed_graph_normal(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.normal.txt");
	load_log(&m, &m.hosts[2], "relay-c.maillog.normal.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_of(&t, 0, EDGE_PRIMARY);
	assert_non_null(e);
	assert_int_equal(e->to, 2);
	assert_int_equal(e->state, EDGE_SENT);
	assert_non_null(strstr(e->last_reason, "queued as"));
	e = edge_of(&t, 0, EDGE_FALLBACK);
	assert_non_null(e);
	assert_int_equal(e->to, 3);
	assert_int_equal(e->state, EDGE_UNKNOWN);
	e = edge_of(&t, 1, EDGE_PRIMARY);
	assert_non_null(e);
	assert_int_equal(e->state, EDGE_UNKNOWN);	/* B logged nothing */
	/* relays: no relayhost edges, one onward edge to the sink */
	assert_null(edge_of(&t, 2, EDGE_PRIMARY));
	e = edge_of(&t, 2, EDGE_ONWARD);
	assert_non_null(e);
	assert_int_equal(e->to, -1);
	assert_string_equal(e->target.host, "172.16.30.25");
	assert_int_equal(e->state, EDGE_SENT);
	assert_null(edge_of(&t, 3, EDGE_ONWARD));
	assert_int_equal(t.n, 5);
	topology_free(&t);
	model_free(&m);
}

static void
test_seed_graph_failover(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.failover.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_of(&t, 0, EDGE_PRIMARY);
	assert_int_equal(e->state, EDGE_REFUSED);
	assert_non_null(strstr(e->last_reason, "refused"));
	e = edge_of(&t, 0, EDGE_FALLBACK);
	assert_int_equal(e->state, EDGE_SENT);
	topology_free(&t);
	model_free(&m);
}

static void
test_seed_graph_both_down(void **state)
{
	struct model m;
	struct topology t;

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.both-down.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	assert_int_equal(edge_of(&t, 0, EDGE_PRIMARY)->state, EDGE_REFUSED);
	assert_int_equal(edge_of(&t, 0, EDGE_FALLBACK)->state, EDGE_REFUSED);
	assert_string_equal(edge_state_name(EDGE_REFUSED), "refused");
	topology_free(&t);
	model_free(&m);
}

static void
test_outside_inventory(void **state)
{
	struct model m;
	struct topology t;
	struct pc_settings s = { NULL, 0 };
	char err[128];
	static const char text[] = "relayhost = smarthost.example.net:587\n"
	    "smtp_fallback_relay = [relay-d], [192.0.2.9]\n";

	(void)state;
	seed(&m);
	assert_true(postconf_parse(text, sizeof(text) - 1, &s, err,
	    sizeof(err)) > 0);
	model_set_settings(&m, &m.hosts[1], &s);
	postconf_free(&s);
	assert_int_equal(topology_build(&m, &t), 0);
	assert_int_equal(edge_of(&t, 1, EDGE_PRIMARY)->to, -1);
	assert_int_equal(edge_of(&t, 1, EDGE_PRIMARY)->target.port, 587);
	/* matched by inventory name too */
	assert_int_equal(edge_of(&t, 1, EDGE_FALLBACK)->to, 3);
	topology_free(&t);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_parse),
		cmocka_unit_test(test_seed_graph_normal),
		cmocka_unit_test(test_seed_graph_failover),
		cmocka_unit_test(test_seed_graph_both_down),
		cmocka_unit_test(test_outside_inventory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
