/* test-cidr.c: unit tests for cidr.c, the mynetworks address matcher:
 * Postfix's spellings, IPv6 brackets, mapped addresses, bounds, junk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cidr.h"

static struct cidr
P(const char *s)
{
	struct cidr c;

	assert_int_equal(cidr_parse(s, strlen(s), &c), 0);
	return c;
}

static int
in(const char *net, const char *addr)
{
	struct cidr n = P(net), a;

	assert_int_equal(cidr_parse_addr(addr, strlen(addr), &a), 0);
	return cidr_contains(&n, &a);
}

static void
test_ipv4(void **state)
{
	struct cidr c = P("172.16.10.0/24");
	char buf[64];

	assert_int_equal(c.family, 4);
	assert_int_equal(c.prefix, 24);
	assert_true(in("172.16.10.0/24", "172.16.10.6"));
	assert_false(in("172.16.10.0/24", "172.16.11.6"));
	assert_true(in("127.0.0.1", "127.0.0.1"));
	assert_false(in("127.0.0.1", "127.0.0.2"));
	assert_true(in("0.0.0.0/0", "203.0.113.9"));
	assert_true(in("172.16.10.5/32", "172.16.10.5"));
	/* Postfix warns about host bits; we match the network they mean */
	assert_true(in("172.16.10.5/24", "172.16.10.200"));
	c = P("10.1.2.3/8");
	assert_int_equal(cidr_format(&c, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "10.0.0.0/8");
	assert_int_equal(cidr_host_bits(&c), 24);
}

static void
test_ipv6(void **state)
{
	struct cidr c = P("[::1]/128");
	char buf[64];

	assert_int_equal(c.family, 6);
	assert_true(cidr_is_loopback(&c));
	assert_true(in("[fd00::]/64", "fd00::5"));
	assert_true(in("fd00::/64", "[fd00::5]"));
	assert_false(in("[fd00::]/64", "fd00:0:0:1::5"));
	assert_true(in("[::]/0", "2001:db8::1"));
	assert_false(in("[::]/0", "172.16.10.5"));	/* families differ */
	assert_false(in("0.0.0.0/0", "::1"));
	c = P("[2001:db8::]/32");
	assert_true(cidr_format(&c, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "[2001:db8::]/32");
}

static void
test_mapped(void **state)
{
	struct cidr c = P("[::ffff:127.0.0.0]/104");

	assert_int_equal(c.family, 4);
	assert_int_equal(c.prefix, 8);
	assert_true(cidr_is_loopback(&c));
	assert_true(in("[::ffff:127.0.0.0]/104", "127.0.0.1"));
}

static void
test_junk(void **state)
{
	static const char *bad[] = { "", "relay-c.example.jp", "hash:/etc/x",
		"/etc/postfix/network_table", "172.16.10.0/33", "172.16.10/24",
		"1.2.3.4/", "1.2.3.4/-1", "[1.2.3.4]", "[::1", "::1]/128",
		"[::1]/129", "1.2.3.4/0024", "!1.2.3.4", "1.2.3.4 ", "::1/1x",
		"$mynetworks", "1.2.3.4/8/8" };
	char longer[200];
	struct cidr c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cidr_parse(bad[i], strlen(bad[i]), &c), -1);
	assert_int_equal(cidr_parse_addr("1.2.3.0/24", 10, &c), -1);
	memset(longer, '1', sizeof(longer));
	assert_int_equal(cidr_parse(longer, sizeof(longer), &c), -1);
	/* length is honoured: no NUL needed, nothing read past n */
	assert_int_equal(cidr_parse("10.0.0.1/8XYZ", 10, &c), 0);
	assert_int_equal(c.prefix, 8);
	assert_int_equal(cidr_parse(NULL, 0, &c), -1);
}

static void
test_cover(void **state)
{
	struct cidr a = P("172.16.10.5"), b = P("172.16.10.6"), o;
	char buf[64];

	assert_int_equal(cidr_cover(&a, &b, &o), 0);
	cidr_format(&o, buf, sizeof(buf));
	assert_string_equal(buf, "172.16.10.4/30");
	b = P("172.16.200.1");
	cidr_cover(&a, &b, &o);
	cidr_format(&o, buf, sizeof(buf));
	assert_string_equal(buf, "172.16.0.0/16");
	b = P("::1");
	assert_int_equal(cidr_cover(&a, &b, &o), -1);
	a = P("10.0.0.0/8");
	b = P("10.1.1.1");
	cidr_cover(&a, &b, &o);
	assert_int_equal(o.prefix, 8);
}

/* Random texts over the address alphabet: no crash, and what parses
 * formats back into something that parses to the same network. */
static void
test_garbage(void **state)
{
	static const char alpha[] = "0123456789abcdef:./[]f1";
	char in[48], out[64];
	unsigned seed = 42;
	struct cidr c, d;
	int i, k;

	for (i = 0; i < 50000; i++) {
		int n = 1 + (int)(seed % 40);

		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		if (cidr_parse(in, (size_t)n, &c) != 0)
			continue;
		assert_true(cidr_format(&c, out, sizeof(out)) > 0);
		assert_int_equal(cidr_parse(out, strlen(out), &d), 0);
		assert_int_equal(memcmp(&c, &d, sizeof(c)), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_mapped),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
