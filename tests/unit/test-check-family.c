/* test-check-family.c: the doctor on a dual-stack lab model (the captured
 * lab settings, every host with an `addresses` IPv6 literal): which origin
 * addresses mynetworks must hold per family (inet_protocols of both ends,
 * the relayhost literal's family), mynetworks' IPv6 spellings (brackets,
 * zero compression, prefixes, negation), and inet-protocols-mismatch in
 * both directions plus inet_interfaces narrowing the relay's families. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-check-util.h"

static const char ini[] = "[defaults]\nuser = relayop\n"
    "[origin-a]\naddress = 172.16.10.5\naddresses = fd16:172::10:5\n"
    "role = origin\n"
    "[origin-b]\naddress = 172.16.10.6\naddresses = [fd16:172::10:6]\n"
    "role = origin\n"
    "[relay-c]\naddress = 172.16.1.11\naddresses = fd16:172::1:11\n"
    "role = relay\n"
    "[relay-d]\naddress = 172.16.1.12\naddresses = fd16:172::1:12\n"
    "role = relay\n";

#define NETS "127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:5], " \
    "[fd16:172::10:6]"

/* The dual-stack lab: relays inet_protocols = all with both families in
 * mynetworks, origin A sending over IPv6 (relayhost spelt with zeros). */
static void
dual(struct tlab *L)
{
	static const char *const files[4] = {
		"captured/origin-a.postconf-params.txt",
		"captured/origin-a.postconf-params.txt",
		"captured/relay-c.postconf-params.txt",
		"captured/relay-c.postconf-params.txt",
	};

	tl_init_custom(L, ini, files);
	tl_set(L, B, "myhostname", "mail-b.example.jp");
	tl_set(L, D, "myhostname", "relay-d.example.jp");
	tl_set(L, C, "inet_protocols", "all");
	tl_set(L, D, "inet_protocols", "all");
	tl_set(L, C, "mynetworks", NETS);
	tl_set(L, D, "mynetworks", NETS);
	tl_set(L, A, "inet_protocols", "all");
	tl_set(L, A, "relayhost", "[fd16:0172:0::1:11]");
	tl_set(L, A, "smtp_fallback_relay", "[ipv6:FD16:172::1:12]");
}

static void
test_clean(void **state)
{
	struct tlab L;

	dual(&L);
	tl_run(&L);
	if (L.f.n)
		tl_dump(&L);
	assert_int_equal(L.f.n, 0);
	/* the IPv6 literals, however spelt, are relay-c and relay-d */
	assert_int_equal(L.t.v[0].from, A);
	assert_int_equal(L.t.v[0].to, C);
	assert_int_equal(L.t.v[1].to, D);
	tl_free(&L);
}

static void
test_v6_missing(void **state)
{
	const struct finding *f;
	struct tlab L;

	dual(&L);
	tl_set(&L, C, "mynetworks", "127.0.0.1, 172.16.10.5, 172.16.10.6, "
	    "[fd16:172::10:6]");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "origin-not-in-mynetworks");
	f = tl_get(&L, "origin-not-in-mynetworks");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->hosts[1], A);
	assert_string_equal(f->what, "origin-a's address [fd16:172::10:5] is "
	    "not in relay-c's mynetworks while inet_protocols lets it "
	    "connect over IPv6: relay-c refuses its mail with \"Relay access "
	    "denied\" (454 4.7.1 or 554 5.7.1) and it waits or bounces");
	assert_string_equal(f->evidence, "relay-c: mynetworks = 127.0.0.1, "
	    "172.16.10.5, 172.16.10.6, [fd16:172::10:6]; relay-c: "
	    "inet_protocols = all; origin-a: inet_protocols = all, relayhost "
	    "= [fd16:0172:0::1:11]");
	assert_string_equal(f->fix, "relay-c main.cf: mynetworks = 127.0.0.1, "
	    "172.16.10.5, 172.16.10.6, [fd16:172::10:6], [fd16:172::10:5] "
	    "(then postfix reload)");
	/* the same gap does not matter while A sends to C over IPv4 */
	tl_set(&L, A, "relayhost", "[172.16.1.11]");
	tl_run(&L);
	assert_int_equal(L.f.n, 0);
	/* a name: either family may carry it, so the IPv6 gap counts */
	tl_set(&L, A, "relayhost", "[relay-c.example.jp]");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "origin-not-in-mynetworks");
	/* origin A on IPv4 only: the gap does not matter again (but its
	 * fallback, an IPv6 literal, can no longer be reached) */
	tl_set(&L, A, "inet_protocols", "ipv4");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "inet-protocols-mismatch");
	assert_int_equal(tl_get(&L, "inet-protocols-mismatch")->hosts[1], D);
	tl_free(&L);
}

/* mynetworks spellings of A's fd16:172::10:5 */
static void
test_v6_spellings(void **state)
{
	static const struct {
		const char *nets;
		int in;
	} t[] = {
		{ "[fd16:172::]/64", 1 },
		{ "[fd16:172:0:0::]/64", 1 },
		{ "[FD16:0172::10:5]", 1 },
		{ "[fd16:172::10:4]/127", 1 },	/* ::4 and ::5 */
		{ "[fd16:172::10:6]/127", 0 },	/* ::6 and ::7 */
		{ "[fd16:172::10:5]/128", 1 },
		{ "[fd16:172:0:1::]/64", 0 },	/* the next /64 */
		{ "fd16:172::10:5", 1 },	/* Postfix wants [], we read it */
		{ "![fd16:172::10:5] [fd16:172::]/64", 0 },	/* first wins */
		{ "[fd16:172::]/64 ![fd16:172::10:5]", 1 },
		{ "[::ffff:172.16.10.5]", 0 },	/* IPv4-mapped: an IPv4 net */
		{ "172.16.0.0/16", 0 },		/* the other family */
	};
	struct tlab L;
	char nets[200];
	size_t i;

	dual(&L);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(nets, sizeof(nets), "127.0.0.1, 172.16.10.5, "
		    "172.16.10.6, [fd16:172::10:6], %s", t[i].nets);
		tl_set(&L, C, "mynetworks", nets);
		tl_run(&L);
		if ((L.f.n == 0) != t[i].in)
			fail_msg("mynetworks item %s: A %s", t[i].nets,
			    t[i].in ? "refused" : "accepted");
	}
	tl_free(&L);
}

static void
test_mismatch(void **state)
{
	const struct finding *f;
	struct tlab L;

	/* relay C listens on IPv4 only, A sends over IPv6 only */
	dual(&L);
	tl_set(&L, C, "inet_protocols", "ipv4");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "inet-protocols-mismatch");
	f = tl_get(&L, "inet-protocols-mismatch");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->hosts[1], A);
	assert_string_equal(f->what, "relay-c accepts mail over IPv4 only, "
	    "but origin-a reaches it over IPv6 only (its inet_protocols and "
	    "relayhost): the connection is refused and the mail waits");
	assert_string_equal(f->evidence, "origin-a: inet_protocols = all, "
	    "relayhost = [fd16:0172:0::1:11]; relay-c: inet_protocols = "
	    "ipv4, inet_interfaces = all");
	assert_string_equal(f->fix, "relay-c main.cf: inet_protocols = all "
	    "(then postfix stop; postfix start: reload keeps the old one)");
	/* no mynetworks finding on a hop that cannot connect at all */
	assert_int_equal(tl_count(&L, "origin-not-in-mynetworks"), 0);
	/* C on IPv6 through inet_protocols, but bound to its IPv4 address */
	tl_set(&L, C, "inet_protocols", "all");
	tl_set(&L, C, "inet_interfaces", "127.0.0.1, 172.16.1.11");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "inet-protocols-mismatch");
	assert_string_equal(tl_get(&L, "inet-protocols-mismatch")->fix,
	    "relay-c main.cf: inet_interfaces = all (or add its IPv6 "
	    "address; then postfix stop; postfix start)");
	tl_set(&L, C, "inet_interfaces", "127.0.0.1, [fd16:172::1:11]");
	tl_run(&L);
	assert_int_equal(L.f.n, 0);
	tl_free(&L);

	/* origin A on IPv4 only, its relayhost and fallback IPv6 literals */
	dual(&L);
	tl_set(&L, A, "inet_protocols", "ipv4");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "inet-protocols-mismatch"), 2);
	f = tl_get(&L, "inet-protocols-mismatch");
	assert_int_equal(f->hosts[0], A);
	assert_string_equal(f->what, "origin-a's relayhost "
	    "[fd16:0172:0::1:11] is an IPv6 address but its inet_protocols "
	    "allows IPv4 only: Postfix does not connect to relay-c and the "
	    "mail waits");
	assert_string_equal(f->fix, "origin-a main.cf: inet_protocols = all "
	    "(then postfix stop; postfix start: reload keeps the old one)");
	/* a list, as Postfix allows it */
	tl_set(&L, A, "inet_protocols", "ipv4, ipv6");
	tl_run(&L);
	assert_int_equal(L.f.n, 0);
	tl_free(&L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_v6_missing),
		cmocka_unit_test(test_v6_spellings),
		cmocka_unit_test(test_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
