/* test-parse-postconf.c: postconf output parsing on real lab output
 * (tests/data/captured/) and hand-made edge cases (tests/data/postconf/):
 * continuation lines, warnings, duplicates, control bytes, bounds, the -n
 * marks and Postfix list splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test-data.h"

#include "postconf.h"
#include "sanitize.h"


static void
test_captured(void **state)
{
	struct pc_settings s = { NULL, 0 };
	size_t len, nlen;
	char *buf = test_data_slurp("captured/origin-a.postconf-params.txt", &len);
	char *n = test_data_slurp("captured/origin-a.postconf-n.txt", &nlen);
	char err[128];

	assert_int_equal(postconf_parse(buf, len, &s, err, sizeof err), 17);
	assert_string_equal(postconf_get(&s, "relayhost"), "[172.16.1.11]");
	assert_string_equal(postconf_get(&s, "smtp_fallback_relay"),
	    "[172.16.1.12]");
	assert_string_equal(postconf_get(&s, "mynetworks"), "127.0.0.1");
	assert_string_equal(postconf_get(&s, "transport_maps"), "");
	assert_string_equal(postconf_get(&s, "mail_version"), "3.7.11");
	assert_null(postconf_get(&s, "no_such_parameter"));
	postconf_mark_explicit(&s, n, nlen);
	assert_int_equal(s.v[7].explicit_set, 1);	/* relayhost */
	assert_string_equal(s.v[7].name, "relayhost");
	assert_int_equal(s.v[16].explicit_set, 0);	/* mail_version */
	postconf_free(&s);
	free(buf);
	free(n);

	/* Full `postconf` (1043 settings): bounded at PC_MAX. */
	buf = test_data_slurp("captured/relay-c.postconf.txt", &len);
	assert_int_equal(postconf_parse(buf, len, &s, err, sizeof err),
	    PC_MAX);
	assert_string_equal(postconf_get(&s, "2bounce_notice_recipient"),
	    "postmaster");
	postconf_free(&s);
	free(buf);
}

static void
test_edges(void **state)
{
	struct pc_settings s = { NULL, 0 };
	size_t len;
	char *buf = test_data_slurp("postconf/edge.txt", &len);
	char err[128];
	const char *v;

	assert_int_equal(postconf_parse(buf, len, &s, err, sizeof err), 2);
	assert_string_equal(postconf_get(&s, "myhostname"), "second");
	v = postconf_get(&s, "ctl");
	assert_non_null(v);
	assert_null(strchr(v, '\x1b'));
	assert_true(sanitize_is_clean(v, strlen(v)));
	free(buf);

	/* Malformed input: -1, message, and the old settings kept. */
	buf = test_data_slurp("postconf/garbage.txt", &len);
	assert_int_equal(postconf_parse(buf, len, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 8"));
	assert_string_equal(postconf_get(&s, "myhostname"), "second");
	/* Without the bad last line: continuation lines joined. */
	assert_int_equal(postconf_parse(buf, (size_t)(strstr(buf, "bad") -
	    buf), &s, err, sizeof err), 4);
	assert_string_equal(postconf_get(&s, "mynetworks"),
	    "127.0.0.1, 172.16.10.5 172.16.10.6");
	assert_string_equal(postconf_get(&s, "relayhost"), "");
	postconf_free(&s);
	postconf_free(&s);	/* twice is harmless */
	free(buf);

	/* Bounds: a 100 kB value is cut; embedded NUL is safe. */
	{
		size_t big = 100000;
		char *b = malloc(big);

		memcpy(b, "x = ", 4);
		memset(b + 4, 'v', big - 4);
		b[50] = '\0';
		assert_int_equal(postconf_parse(b, big, &s, err, sizeof err),
		    1);
		assert_true(strlen(postconf_get(&s, "x")) < PC_VALUE_MAX);
		postconf_free(&s);
		free(b);
	}
	assert_int_equal(postconf_parse("", 0, &s, err, sizeof err), 0);
	postconf_free(&s);
}

static void
collect(const char *item, size_t n, void *arg)
{
	char *out = arg;

	strncat(out, item, n);
	strcat(out, "|");
}

static void
test_list(void **state)
{
	char out[256] = "";

	assert_int_equal(postconf_list_each("127.0.0.1, 172.16.10.5 "
	    "172.16.10.6,,[::1]/128", collect, out), 4);
	assert_string_equal(out, "127.0.0.1|172.16.10.5|172.16.10.6|"
	    "[::1]/128|");
	out[0] = '\0';
	assert_int_equal(postconf_list_each("permit_mynetworks, "
	    "{ check_x, {a b} }, reject", collect, out), 3);
	assert_string_equal(out, "permit_mynetworks|{ check_x, {a b} }|"
	    "reject|");
	assert_int_equal(postconf_list_each("", collect, out), 0);
	assert_int_equal(postconf_list_each(" {unclosed, x", NULL, NULL), 1);
	assert_int_equal(postconf_list_each(NULL, NULL, NULL), 0);
}

/* The one splitter on Postfix's own rules: commas and/or white space
 * (tabs, newlines of a continued main.cf line), { } anywhere in an item
 * (an inline table), nested groups, a stray }. The check rules and the
 * topology both split through it. */
static void
test_list_postfix_rules(void **state)
{
	const char *cur, *item;
	char out[256] = "";
	size_t n;

	assert_int_equal(postconf_list_each("a,b\tc\n d ,\r\ne", collect,
	    out), 5);
	assert_string_equal(out, "a|b|c|d|e|");
	out[0] = '\0';
	assert_int_equal(postconf_list_each("inline:{ a=b, c=d }, "
	    "hash:/etc/postfix/x", collect, out), 2);
	assert_string_equal(out, "inline:{ a=b, c=d }|hash:/etc/postfix/x|");
	out[0] = '\0';
	assert_int_equal(postconf_list_each("{ {a, b}, c } d", collect, out),
	    2);
	assert_string_equal(out, "{ {a, b}, c }|d|");
	out[0] = '\0';
	assert_int_equal(postconf_list_each("a}, b", collect, out), 2);
	assert_string_equal(out, "a}|b|");
	assert_int_equal(postconf_list_each(" ,, \t", NULL, NULL), 0);
	/* the iterator the check rules use gives the same items */
	cur = "127.0.0.0/8, [::1]/128 {x, y}";
	assert_int_equal(postconf_list_next(&cur, &item, &n), 1);
	assert_int_equal(n, 11);
	assert_memory_equal(item, "127.0.0.0/8", 11);
	assert_int_equal(postconf_list_next(&cur, &item, &n), 1);
	assert_memory_equal(item, "[::1]/128", n);
	assert_int_equal(postconf_list_next(&cur, &item, &n), 1);
	assert_memory_equal(item, "{x, y}", n);
	assert_int_equal(postconf_list_next(&cur, &item, &n), 0);
	assert_int_equal(postconf_list_next(&cur, &item, &n), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_postfix_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
