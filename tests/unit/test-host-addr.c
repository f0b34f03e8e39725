/* test-host-addr.c: an inventory host's addresses (src/host-addr.c) and
 * the hosts.ini key `addresses`: spellings of one IPv6 address (brackets,
 * zero compression, case, "ipv6:"), IPv4-mapped IPv6, names and prefixes
 * refused, the 8-address bound, and the config errors naming file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "host-addr.h"

static struct host_config
H(const char *address, const char *addresses)
{
	struct host_config h;

	memset(&h, 0, sizeof(h));
	snprintf(h.address, sizeof(h.address), "%s", address);
	snprintf(h.addresses, sizeof(h.addresses), "%s", addresses);
	return h;
}

static void
test_list_valid(void **state)
{
	assert_true(host_addr_list_valid(""));
	assert_true(host_addr_list_valid("fd16:172::10:5"));
	assert_true(host_addr_list_valid("[fd16:172::10:5], 10.0.0.5"));
	assert_true(host_addr_list_valid("::1 127.0.0.2\t[::ffff:10.1.2.3]"));
	assert_true(host_addr_list_valid("1::1 1::2 1::3 1::4 1::5 1::6 1::7 "
	    "1::8"));
	assert_false(host_addr_list_valid("1::1 1::2 1::3 1::4 1::5 1::6 "
	    "1::7 1::8 1::9"));			/* nine */
	assert_false(host_addr_list_valid("relay-c.example.jp"));
	assert_false(host_addr_list_valid("fd16:172::/64"));	/* a net */
	assert_false(host_addr_list_valid("[fd16:172::]/64"));
	assert_false(host_addr_list_valid("[fd16:172::10:5"));
	assert_false(host_addr_list_valid("fd16:172::10:5]"));
	assert_false(host_addr_list_valid("[10.0.0.5]"));	/* v4 in [] */
	assert_false(host_addr_list_valid("fd16:172:::5"));
	assert_false(host_addr_list_valid("1:2:3:4:5:6:7:8:9"));
	assert_false(host_addr_list_valid("256.0.0.1"));
	assert_false(host_addr_list_valid(NULL));
}

static void
test_is(void **state)
{
	struct host_config c = H("172.16.1.11", "fd16:172::1:11");
	struct host_config n = H("relay-c.example.jp", "");
	struct host_config v6 = H("fd00:1::11", "");

	assert_true(host_addr_is(&c, "172.16.1.11"));
	assert_true(host_addr_is(&c, "fd16:172::1:11"));
	assert_true(host_addr_is(&c, "FD16:0172:0000::0001:0011"));
	assert_true(host_addr_is(&c, "fd16:172:0:0:0:0:1:11"));
	assert_true(host_addr_is(&c, "[fd16:172::1:11]"));
	assert_true(host_addr_is(&c, "ipv6:fd16:172::1:11"));
	assert_true(host_addr_is(&c, "::ffff:172.16.1.11"));	/* mapped */
	assert_false(host_addr_is(&c, "fd16:172::1:12"));
	assert_false(host_addr_is(&c, "fd16:172::1:11/64"));
	assert_false(host_addr_is(&c, "172.16.1.12"));
	assert_false(host_addr_is(&c, "relay-c"));
	assert_false(host_addr_is(&c, ""));
	assert_false(host_addr_is(&c, NULL));
	/* a name is compared as text, ignoring case */
	assert_true(host_addr_is(&n, "Relay-C.example.jp"));
	assert_false(host_addr_is(&n, "172.16.1.11"));
	/* an IPv6 SSH address, however spelt */
	assert_true(host_addr_is(&v6, "fd00:1:0::11"));
	assert_false(host_addr_is(&v6, "fd00:1::"));
}

static void
test_list_and_text(void **state)
{
	struct host_config c = H("172.16.1.11", "[fd16:172::1:11], 10.9.8.7");
	struct host_config n = H("relay-c.example.jp", "fd16:172::1:11");
	struct cidr v[4];
	char buf[64];

	assert_int_equal(host_addrs(&c, v, 4), 3);
	assert_int_equal(v[0].family, 4);
	assert_int_equal(v[1].family, 6);
	assert_int_equal(v[2].family, 4);
	assert_int_equal(host_addrs(&c, v, 2), 2);	/* bounded */
	assert_int_equal(host_addrs(&n, v, 4), 1);	/* the name is none */
	assert_int_equal(host_addr_text(&c, 6, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "[fd16:172::1:11]");	/* as mynetworks */
	assert_int_equal(host_addr_text(&c, 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "172.16.1.11");
	assert_int_equal(host_addr_text(&n, 4, buf, sizeof(buf)), -1);
	assert_int_equal(host_addr_text(&c, 6, buf, 8), -1);	/* too small */
}

static void
test_config(void **state)
{
	struct inventory inv;
	char err[256];

	assert_int_equal(config_load_string("[defaults]\nuser = u\n"
	    "[relay-c]\naddress = 172.16.1.11\naddresses = fd16:172::1:11\n",
	    "t.ini", &inv, err, sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].addresses, "fd16:172::1:11");
	config_free(&inv);
	assert_int_equal(config_load_string("[defaults]\nuser = u\n"
	    "[relay-c]\naddress = 172.16.1.11\n", "t.ini", &inv, err,
	    sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].addresses, "");
	config_free(&inv);
	assert_int_equal(config_load_string("[defaults]\nuser = u\n"
	    "[relay-c]\naddress = 172.16.1.11\naddresses = relay-c.lan\n",
	    "t.ini", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "t.ini:5: bad addresses 'relay-c.lan' (IPv4 "
	    "or IPv6 addresses, at most 8, no names)");
	assert_int_equal(config_load_string("[defaults]\nuser = u\n"
	    "addresses = ::1\n[relay-c]\naddress = 172.16.1.11\n", "t.ini",
	    &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "t.ini:3: addresses is not allowed in "
	    "[defaults]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_valid),
		cmocka_unit_test(test_is),
		cmocka_unit_test(test_list_and_text),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
