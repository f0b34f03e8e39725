/* test-parse-fields.c: the small helpers every parser and the operator's
 * input share: the month names of syslog and mailq dates, the one strict
 * decimal parser (--timeout, hosts.ini numbers), and the one JSON string
 * rule of the outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json-text.h"
#include "parse-fields.h"

static void
test_month(void **state)
{
	const char *s = "Dec  6 05:49:41";

	(void)state;
	assert_int_equal(pf_month("Jan", "Jan" + 3), 1);
	assert_int_equal(pf_month(s, s + strlen(s)), 12);
	assert_int_equal(pf_month("Sep 1", "Sep 1" + 5), 9);
	/* case as syslog writes it, and never past end */
	assert_int_equal(pf_month("jan", "jan" + 3), 0);
	assert_int_equal(pf_month("Ja", "Ja" + 2), 0);
	assert_int_equal(pf_month(s, s + 2), 0);
	assert_int_equal(pf_month("Foo", "Foo" + 3), 0);
}

static void
test_int_strict(void **state)
{
	int v = -7;

	(void)state;
	assert_int_equal(pf_int_strict("22", 1, 65535, &v), 0);
	assert_int_equal(v, 22);
	assert_int_equal(pf_int_strict("0", 0, 3600, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pf_int_strict("3600", 1, 3600, &v), 0);
	v = -7;
	/* out of range, signs, spaces, hex, empty, too many digits */
	assert_int_equal(pf_int_strict("3601", 1, 3600, &v), -1);
	assert_int_equal(pf_int_strict("0", 1, 3600, &v), -1);
	assert_int_equal(pf_int_strict("-1", -5, 5, &v), -1);
	assert_int_equal(pf_int_strict("+1", 0, 5, &v), -1);
	assert_int_equal(pf_int_strict(" 1", 0, 5, &v), -1);
	assert_int_equal(pf_int_strict("1 ", 0, 5, &v), -1);
	assert_int_equal(pf_int_strict("0x10", 0, 100, &v), -1);
	assert_int_equal(pf_int_strict("", 0, 5, &v), -1);
	assert_int_equal(pf_int_strict(NULL, 0, 5, &v), -1);
	assert_int_equal(pf_int_strict("9999999999", 0, 2147483647, &v), -1);
	assert_int_equal(v, -7);		/* untouched on error */
}

static void
test_json_text(void **state)
{
	json_t *j;

	(void)state;
	j = json_text("relay-c: 250 2.0.0 Ok");
	assert_string_equal(json_string_value(j), "relay-c: 250 2.0.0 Ok");
	json_decref(j);
	j = json_text(NULL);
	assert_string_equal(json_string_value(j), "");
	json_decref(j);
	/* an escape sequence and a UTF-8 sequence cut short: cleaned, not
	 * refused (jansson returns NULL for invalid UTF-8) */
	j = json_text("a\033[31mb \xe3\x81");
	assert_non_null(json_string_value(j));
	assert_null(strchr(json_string_value(j), '\033'));
	assert_int_equal(strncmp(json_string_value(j), "a?[31mb ", 8), 0);
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month),
		cmocka_unit_test(test_int_strict),
		cmocka_unit_test(test_json_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
