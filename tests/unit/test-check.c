/* test-check.c: the doctor's settings and topology rules on the lab's real
 * captured postconf output, changed one fault at a time: each fault must
 * give exactly its finding, with the right hosts, fix and exit status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-check-util.h"

static void
test_clean(void **state)
{
	struct tlab L;

	tl_init(&L);
	tl_run(&L);
	if (L.f.n)
		tl_dump(&L);
	assert_int_equal(L.f.n, 0);
	assert_int_equal(L.status, 0);
	tl_free(&L);
}

static void
test_open_relay(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, C, "mynetworks", "0.0.0.0/0");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "open-relay");
	f = tl_get(&L, "open-relay");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->nhosts, 1);
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->fix_host, C);
	assert_string_equal(f->fix, "relay-c main.cf: mynetworks = 127.0.0.0/8"
	    ", 172.16.10.5, 172.16.10.6");
	assert_non_null(strstr(f->evidence, "mynetworks = 0.0.0.0/0"));
	assert_int_equal(L.status, 2);
	tl_free(&L);
}

static void
test_open_relay_widths(void **state)
{
	static const struct { const char *nets; int open; } cases[] = {
		{ "127.0.0.1, 172.16.10.0/24", 0 },
		{ "127.0.0.0/8, 172.16.10.4/30", 0 },
		{ "127.0.0.1, 172.16.0.0/16", 1 },	/* /16 vs a /30 need */
		{ "127.0.0.1, 172.16.0.0/20", 1 },
		{ "127.0.0.1, 172.16.8.0/22", 0 },	/* 8 bits of slack */
		{ "127.0.0.1, 10.0.0.0/8", 1 },
		{ "127.0.0.1, [::]/0, 172.16.10.5, 172.16.10.6", 1 },
		{ "127.0.0.1, [2001:db8::]/32, 172.16.10.5, 172.16.10.6", 1 },
		{ "127.0.0.1, [fd00::]/64, 172.16.10.5, 172.16.10.6", 0 },
		{ "!0.0.0.0/0, 172.16.10.5, 172.16.10.6", 0 },
		{ "127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 "
		  "172.16.10.0/28", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tlab L;

		tl_init(&L);
		tl_set(&L, C, "mynetworks", cases[i].nets);
		tl_run(&L);
		if (tl_count(&L, "open-relay") != cases[i].open) {
			fprintf(stderr, "case %zu: %s\n", i, cases[i].nets);
			tl_dump(&L);
		}
		assert_int_equal(tl_count(&L, "open-relay"), cases[i].open);
		tl_free(&L);
	}
}

static void
test_open_relay_loopback_only(void **state)
{
	struct tlab L;

	/* an origin with a wide mynetworks is no open relay on loopback */
	tl_init(&L);
	tl_set(&L, A, "mynetworks", "0.0.0.0/0");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "open-relay"), 0);
	tl_set(&L, A, "inet_interfaces", "all");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "open-relay"), 1);
	assert_int_equal(tl_get(&L, "open-relay")->hosts[0], A);
	tl_free(&L);
}

static void
test_origin_not_in_mynetworks(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, C, "mynetworks", "127.0.0.1, 172.16.10.5");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "origin-not-in-mynetworks");
	f = tl_get(&L, "origin-not-in-mynetworks");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->nhosts, 2);
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->hosts[1], B);
	assert_string_equal(f->fix, "relay-c main.cf: mynetworks = 127.0.0.1, "
	    "172.16.10.5, 172.16.10.6 (then postfix reload)");
	assert_non_null(strstr(f->what, "Relay access denied"));
	assert_int_equal(L.status, 2);
	tl_free(&L);
}

static void
test_mynetworks_cidr(void **state)
{
	static const struct { const char *nets; int missing; } cases[] = {
		{ "127.0.0.1, 172.16.10.0/24", 0 },
		{ "127.0.0.1 172.16.10.4/31", 1 },	/* .4 and .5 only */
		{ "127.0.0.1 172.16.10.4/30", 0 },
		{ "127.0.0.1, 172.16.10.5", 1 },
		{ "127.0.0.1, !172.16.10.6, 172.16.10.0/24", 1 },
		{ "127.0.0.1, [::ffff:172.16.10.0]/120", 0 },
		{ "127.0.0.1, 172.16.10.5, hash:/etc/postfix/nets", 0 },
		{ "$mynetworks_extra", 0 },	/* cannot expand: no verdict */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tlab L;

		tl_init(&L);
		tl_set(&L, C, "mynetworks", cases[i].nets);
		tl_run(&L);
		if (tl_count(&L, "origin-not-in-mynetworks") !=
		    cases[i].missing) {
			fprintf(stderr, "case %zu: %s\n", i, cases[i].nets);
			tl_dump(&L);
		}
		assert_int_equal(tl_count(&L, "origin-not-in-mynetworks"),
		    cases[i].missing);
		tl_free(&L);
	}
}

static void
test_loopback_only(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, C, "inet_interfaces", "loopback-only");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relay-loopback-only");
	f = tl_get(&L, "relay-loopback-only");
	assert_int_equal(f->hosts[0], C);
	assert_true(tl_has_host(f, A));
	assert_true(tl_has_host(f, B));
	assert_false(tl_has_host(f, D));
	assert_int_equal(f->fix_host, C);
	assert_non_null(strstr(f->fix, "inet_interfaces = all"));
	tl_set(&L, C, "inet_interfaces", "127.0.0.1, [::1]");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relay-loopback-only");
	tl_set(&L, C, "inet_interfaces", "127.0.0.1, 172.16.1.11");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "");
	tl_free(&L);
}

static void
test_no_fallback(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, A, "smtp_fallback_relay", "");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "no-fallback");
	f = tl_get(&L, "no-fallback");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->hosts[0], A);
	assert_int_equal(f->hosts[1], C);
	assert_string_equal(f->fix, "origin-a main.cf: smtp_fallback_relay = "
	    "[172.16.1.12]");
	assert_int_equal(L.status, 1);
	/* the Postfix default, unexpanded, is "no fallback" too */
	tl_set(&L, A, "smtp_fallback_relay", "$fallback_relay");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "no-fallback");
	tl_set(&L, A, "smtp_fallback_relay", "[172.16.1.11]");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "fallback-equals-primary");
	assert_string_equal(tl_get(&L, "fallback-equals-primary")->fix,
	    "origin-a main.cf: smtp_fallback_relay = [172.16.1.12]");
	tl_free(&L);
}

static void
test_unbracketed(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, B, "relayhost", "172.16.1.11");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relayhost-unbracketed");
	f = tl_get(&L, "relayhost-unbracketed");
	assert_int_equal(f->hosts[0], B);
	assert_int_equal(f->hosts[1], C);
	assert_string_equal(f->fix, "origin-b main.cf: relayhost = "
	    "[172.16.1.11]");
	assert_string_equal(f->evidence, "origin-b: relayhost = 172.16.1.11");
	assert_int_equal(L.status, 1);
	/* a name of an inventory host, with a port, in the fallback list */
	tl_set(&L, B, "relayhost", "[172.16.1.11]");
	tl_set(&L, B, "smtp_fallback_relay", "relay-d:25, [192.0.2.9]:587");
	tl_run(&L);
	f = tl_get(&L, "relayhost-unbracketed");
	assert_non_null(f);
	assert_string_equal(f->fix, "origin-b main.cf: smtp_fallback_relay = "
	    "[relay-d], [192.0.2.9]:587");
	/* an outside name without brackets may mean MX: no warning */
	tl_set(&L, B, "smtp_fallback_relay", "smarthost.example.net");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "relayhost-unbracketed"), 0);
	assert_int_equal(tl_count(&L, "relayhost-unknown"), 1);
	assert_int_equal(tl_get(&L, "relayhost-unknown")->sev, SEV_INFO);
	assert_int_equal(L.status, 0);
	tl_free(&L);
}

static void
test_relay_not_running(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	L.m.hosts[D].problems = HP_POSTFIX_STOPPED;
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relayhost-unknown,relayhost-unknown");
	f = tl_get(&L, "relayhost-unknown");
	assert_int_equal(f->sev, SEV_WARNING);	/* D is the fallback */
	assert_int_equal(f->hosts[0], D);
	assert_string_equal(f->fix, "on relay-d: postfix start");
	assert_int_equal(L.status, 1);
	L.m.hosts[D].problems = 0;
	L.m.hosts[D].postfix_running = 1;
	L.m.hosts[C].problems = HP_POSTFIX_STOPPED;
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relayhost-unknown,relayhost-unknown");
	f = tl_get(&L, "relayhost-unknown");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], C);
	assert_non_null(strstr(f->what, "its mail waits in the queue"));
	assert_int_equal(L.status, 2);
	/* an origin without Postfix running: its own finding */
	L.m.hosts[C].problems = 0;
	L.m.hosts[A].problems = HP_POSTFIX_STOPPED;
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "postfix-stopped");
	assert_int_equal(tl_get(&L, "postfix-stopped")->hosts[0], A);
	assert_string_equal(tl_get(&L, "postfix-stopped")->fix,
	    "on origin-a: postfix start");
	tl_free(&L);
}

static void
test_myhostname(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, A, "myhostname", "relay-c.example.jp");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "myhostname-loop");
	f = tl_get(&L, "myhostname-loop");
	assert_int_equal(f->nhosts, 2);
	assert_true(tl_has_host(f, A) && tl_has_host(f, C));
	assert_int_equal(f->fix_host, A);
	assert_string_equal(f->fix, "origin-a main.cf: myhostname = "
	    "origin-a.example.jp (any name unique to origin-a)");
	assert_int_equal(L.status, 2);
	/* case and a trailing dot do not make names different */
	tl_set(&L, A, "myhostname", "mail-a.example.jp");
	tl_set(&L, B, "myhostname", "MAIL-A.example.jp.");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "origins-share-myhostname");
	assert_int_equal(tl_get(&L, "origins-share-myhostname")->sev,
	    SEV_WARNING);
	assert_int_equal(L.status, 1);
	tl_free(&L);
}

static void
test_relay_loop(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, D, "relayhost", "[172.16.10.5]");
	tl_run(&L);
	/* A is loopback-only and D is not in its mynetworks: symptoms of
	 * the loop, not findings of their own */
	assert_string_equal(tl_ids(&L), "relay-loop");
	f = tl_get(&L, "relay-loop");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_true(tl_has_host(f, D) && tl_has_host(f, A));
	assert_false(tl_has_host(f, C));
	assert_int_equal(f->fix_host, D);
	assert_non_null(strstr(f->fix, "relay-d main.cf: relayhost ="));
	assert_non_null(strstr(f->evidence, "relay-d: relayhost = "
	    "[172.16.10.5] (-> origin-a)"));
	/* a relay that relays to itself */
	tl_set(&L, D, "relayhost", "");
	tl_set(&L, C, "relayhost", "[172.16.1.11]");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relay-loop");
	assert_int_equal(tl_get(&L, "relay-loop")->hosts[0], C);
	/* three hops round (A -> C -> D -> A), no pair relays to each
	 * other: found only by following the chain past one edge */
	tl_set(&L, C, "relayhost", "[172.16.1.12]");
	tl_set(&L, D, "relayhost", "[172.16.10.5]");
	tl_set(&L, A, "smtp_fallback_relay", "");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "relay-loop"), 1);
	f = tl_get(&L, "relay-loop");
	assert_true(tl_has_host(f, A) && tl_has_host(f, C) &&
	    tl_has_host(f, D));
	assert_false(tl_has_host(f, B));
	tl_free(&L);
}

static void
test_restrictions(void **state)
{
	struct tlab L;

	tl_init(&L);
	tl_set(&L, C, "smtpd_relay_restrictions",
	    "reject_unauth_destination, permit_mynetworks");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relay-restrictions");
	assert_int_equal(tl_get(&L, "relay-restrictions")->hosts[0], C);
	tl_set(&L, C, "smtpd_relay_restrictions",
	    "check_client_access hash:/etc/postfix/x, permit_mynetworks, "
	    "reject_unauth_destination");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "");
	tl_set(&L, C, "smtpd_relay_restrictions", "permit");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "open-relay");
	/* compatibility_level below 1: the relay list is empty, the
	 * recipient list decides */
	tl_set(&L, C, "compatibility_level", "0");
	tl_set(&L, C, "smtpd_relay_restrictions", "${{$compatibility_level} "
	    "<level {1} ? {} : {permit_mynetworks, reject}}");
	tl_set(&L, C, "smtpd_recipient_restrictions", "reject_unauth_"
	    "destination");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relay-restrictions");
	tl_set(&L, C, "smtpd_recipient_restrictions", "permit_mynetworks, "
	    "reject_unauth_destination");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "");
	tl_free(&L);
}

static void
test_unprobed(void **state)
{
	struct tlab L;

	tl_init(&L);
	model_set_conn(&L.m, &L.m.hosts[D], HC_UNREACHABLE,
	    "connect: No route to host");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "probe-failed");
	assert_int_equal(tl_get(&L, "probe-failed")->sev, SEV_UNKNOWN);
	assert_int_equal(L.status, 3);
	/* a warning is worse than unknown, critical worse still */
	tl_set(&L, A, "smtp_fallback_relay", "");
	tl_run(&L);
	assert_int_equal(L.status, 1);
	tl_set(&L, C, "mynetworks", "0.0.0.0/0");
	tl_run(&L);
	assert_int_equal(L.status, 2);
	/* sorted: critical, warning, unknown */
	assert_string_equal(tl_ids(&L), "open-relay,no-fallback,probe-failed");
	tl_free(&L);
}

static void
test_ipv6_chain(void **state)
{
	static const char ini[] = "[defaults]\nuser = relayop\n"
	    "[origin-a6]\naddress = fd00:10::5\nrole = origin\n"
	    "[origin-b6]\naddress = fd00:10::6\nrole = origin\n"
	    "[relay-c6]\naddress = fd00:1::11\nrole = relay\n"
	    "[relay-d6]\naddress = fd00:1::12\nrole = relay\n";
	static const char *const files[4] = {
		"check/v6-origin.postconf.txt", "check/v6-origin.postconf.txt",
		"check/v6-relay.postconf.txt", "check/v6-relay.postconf.txt",
	};
	const struct finding *f;
	struct tlab L;

	tl_init_custom(&L, ini, files);
	tl_set(&L, B, "myhostname", "mail-b6.example.jp");
	tl_set(&L, D, "myhostname", "relay-d6.example.jp");
	tl_run(&L);
	if (L.f.n)
		tl_dump(&L);
	assert_int_equal(L.f.n, 0);
	assert_int_equal(L.t.n, 4);
	assert_int_equal(L.t.v[0].to, C);
	/* a /127 holds fd00:10::4 and ::5: B (::6) is left out */
	tl_set(&L, C, "mynetworks", "[::1]/128 [fd00:10::4]/127");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "origin-not-in-mynetworks");
	f = tl_get(&L, "origin-not-in-mynetworks");
	assert_int_equal(f->hosts[1], B);
	assert_string_equal(f->fix, "relay-c6 main.cf: mynetworks = [::1]/128 "
	    "[fd00:10::4]/127, [fd00:10::6] (then postfix reload)");
	tl_set(&L, C, "mynetworks", "[::1]/128 [fd00::]/16");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "open-relay");
	assert_non_null(strstr(tl_get(&L, "open-relay")->fix,
	    "mynetworks = [::1]/128, [fd00:10::5], [fd00:10::6]"));
	tl_set(&L, C, "mynetworks", "[::1]/128 [fd00:10::]/56");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "open-relay");	/* /56 vs a /126 */
	tl_set(&L, C, "mynetworks", "[::1]/128 [fd00:10::]/120");
	tl_set(&L, A, "relayhost", "fd00:1::11");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relayhost-unbracketed");
	assert_string_equal(tl_get(&L, "relayhost-unbracketed")->fix,
	    "origin-a6 main.cf: relayhost = [fd00:1::11]");
	tl_free(&L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_open_relay),
		cmocka_unit_test(test_open_relay_widths),
		cmocka_unit_test(test_open_relay_loopback_only),
		cmocka_unit_test(test_origin_not_in_mynetworks),
		cmocka_unit_test(test_mynetworks_cidr),
		cmocka_unit_test(test_loopback_only),
		cmocka_unit_test(test_no_fallback),
		cmocka_unit_test(test_unbracketed),
		cmocka_unit_test(test_relay_not_running),
		cmocka_unit_test(test_myhostname),
		cmocka_unit_test(test_relay_loop),
		cmocka_unit_test(test_restrictions),
		cmocka_unit_test(test_unprobed),
		cmocka_unit_test(test_ipv6_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
