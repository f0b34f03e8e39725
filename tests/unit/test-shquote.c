/* test-shquote.c: shquote_append and the validators. Quoted output is run
 * through the local /bin/sh (`printf %s <quoted>`) to prove it round-trips;
 * validators must refuse every shell metacharacter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "shquote.h"

/* Runs /bin/sh -c "printf %s <quoted value>" and compares its output. */
static void
roundtrip(const char *value)
{
	char cmd[2048] = "printf %s ", out[1024];
	FILE *f;
	size_t n;

	assert_int_equal(shquote_append(cmd, sizeof(cmd), value), 0);
	/* popen runs cmd through /bin/sh -c. */
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	assert_string_equal(out, value);
}

static void
test_quote_basic(void **state)
{
	char buf[64] = "cmd ";

	assert_int_equal(shquote_append(buf, sizeof(buf), "a b"), 0);
	assert_string_equal(buf, "cmd 'a b'");
	buf[0] = '\0';
	assert_int_equal(shquote_append(buf, sizeof(buf), "it's"), 0);
	assert_string_equal(buf, "'it'\\''s'");
	buf[0] = '\0';
	assert_int_equal(shquote_append(buf, sizeof(buf), ""), 0);
	assert_string_equal(buf, "''");
}

static void
test_quote_refuse(void **state)
{
	char buf[16] = "x ";

	assert_int_equal(shquote_append(buf, sizeof(buf), "a\nb"), -1);
	assert_string_equal(buf, "x ");
	/* Does not fit: dst is left as it was. */
	assert_int_equal(shquote_append(buf, sizeof(buf), "0123456789ab"),
	    -1);
	assert_string_equal(buf, "x ");
	/* Exactly fits: 2 + 11 + 2 quotes = 15 + NUL. */
	assert_int_equal(shquote_append(buf, sizeof(buf), "0123456789a"), 0);
	assert_string_equal(buf, "x '0123456789a'");
	assert_int_equal(shquote_append(buf, sizeof(buf), NULL), -1);
	assert_int_equal(shquote_append(NULL, 4, "a"), -1);
}

static void
test_quote_roundtrip(void **state)
{
	static const char *v[] = {
		"plain", "a b  c", "it's", "''", "'", "$(id)", "`id`",
		"; rm -rf /", "a|b&c>d<e", "$HOME ${X:-y}", "\\", "\\'\\",
		"*?[a]", "~root", "#x", "\"dq\"", "-n", "%s%d", "\t\r",
		"!event", "caf\xc3\xa9",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		roundtrip(v[i]);
}

static const char *metas[] = {
	";", "$(", "`", "\n", "'", "\"", " ", "|", "&", ">", "<", "\\",
	"*", "?", "\t", "(", ")", "{", "}", "!", "~", "#", "\r",
};

#define NMETA (sizeof(metas) / sizeof(metas[0]))

/* Each metacharacter inside an otherwise good value is refused. */
static void
refuse_metas(int (*fn)(const char *), const char *pre, const char *post)
{
	char buf[256];
	size_t i;

	for (i = 0; i < NMETA; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", pre, metas[i], post);
		if (fn(buf))
			fail_msg("accepted '%s'", buf);
	}
}

static void
test_valid_path(void **state)
{
	assert_true(valid_path("/var/log/maillog"));
	assert_true(valid_path("/etc/postfix-out"));
	assert_true(valid_path("/home/op/.ssh/id_ed25519"));
	assert_true(valid_path("/a+b@c:d"));
	assert_false(valid_path("var/log/maillog"));
	assert_false(valid_path(""));
	assert_false(valid_path(NULL));
	assert_false(valid_path("~/x"));
	assert_false(valid_path("/a,b"));
	assert_false(valid_path("/a=b"));
	assert_false(valid_path("/a%b"));
	refuse_metas(valid_path, "/var/log/", "x");
}

static void
test_valid_host(void **state)
{
	assert_true(valid_hostname_or_addr("172.16.1.11"));
	assert_true(valid_hostname_or_addr("relay-c.example.com"));
	assert_true(valid_hostname_or_addr("relay-c.example.com."));
	assert_true(valid_hostname_or_addr("localhost"));
	assert_true(valid_hostname_or_addr("::1"));
	assert_true(valid_hostname_or_addr("fe80::1"));
	assert_true(valid_hostname_or_addr("2001:db8::25"));
	assert_false(valid_hostname_or_addr("256.1.1.1"));
	assert_false(valid_hostname_or_addr("1.2.3"));
	assert_false(valid_hostname_or_addr("-oProxyCommand=x"));
	assert_false(valid_hostname_or_addr("a..b"));
	assert_false(valid_hostname_or_addr("a-.b"));
	assert_false(valid_hostname_or_addr(".a"));
	assert_false(valid_hostname_or_addr("a_b"));
	assert_false(valid_hostname_or_addr("[::1]"));
	assert_false(valid_hostname_or_addr("::g"));
	assert_false(valid_hostname_or_addr("fe80::1%eth0"));
	assert_false(valid_hostname_or_addr(""));
	assert_false(valid_hostname_or_addr(NULL));
	refuse_metas(valid_hostname_or_addr, "relay", "c");
}

static void
test_valid_user(void **state)
{
	char longname[40];

	assert_true(valid_user("relayop"));
	assert_true(valid_user("_svc"));
	assert_true(valid_user("a.b-c_9"));
	assert_false(valid_user("Root"));
	assert_false(valid_user("9user"));
	assert_false(valid_user("-oops"));
	assert_false(valid_user(""));
	assert_false(valid_user(NULL));
	memset(longname, 'a', 32);
	longname[32] = '\0';
	assert_true(valid_user(longname));
	longname[32] = 'a';
	longname[33] = '\0';
	assert_false(valid_user(longname));
	refuse_metas(valid_user, "relay", "op");
}

static void
test_valid_email(void **state)
{
	char buf[300];

	assert_true(valid_email("test@dest.example"));
	assert_true(valid_email("first.last+tag@dest.example"));
	assert_true(valid_email("root@localhost"));
	assert_false(valid_email("-oQ/tmp@dest.example"));
	assert_false(valid_email("noat"));
	assert_false(valid_email("@dest.example"));
	assert_false(valid_email("a@"));
	assert_false(valid_email("a@b@c"));
	assert_false(valid_email("a..b@dest.example"));
	assert_false(valid_email(".a@dest.example"));
	assert_false(valid_email("a@dest..example"));
	assert_false(valid_email("a@-dest.example"));
	assert_false(valid_email("a@[172.16.30.25]"));
	assert_false(valid_email(NULL));
	refuse_metas(valid_email, "user", "@dest.example");
	refuse_metas(valid_email, "user@dest", ".example");
	memset(buf, 'a', 250);
	memcpy(buf + 250, "@b.c", 5);
	assert_false(valid_email(buf));		/* local part > 64 */
}

static void
test_valid_queue_id(void **state)
{
	assert_true(valid_queue_id("7F1F57BE4"));
	assert_true(valid_queue_id("4jhsvB3zL7z88V3"));	/* long, 'z' in time */
	assert_false(valid_queue_id("4Q1b2c3XyZz9abcd"));	/* vowel 'a' */
	assert_false(valid_queue_id("7F1F"));
	assert_false(valid_queue_id("7F1F57BE4:"));
	assert_false(valid_queue_id("7F1F57BE4; rm"));
	/* the longest of each form (queue-id.h) and one more character */
	assert_true(valid_queue_id("F423FFFFFFFFFFFFFFFFF"));
	assert_false(valid_queue_id("F423FFFFFFFFFFFFFFFFFF"));
	assert_true(valid_queue_id("2Rbkh2p1XY8H75plz31wvQ2DWVjm0"));
	assert_false(valid_queue_id("2Rbkh2p1XY8H75plz31wvQ2DWVjm01"));
	assert_false(valid_queue_id(""));
	assert_false(valid_queue_id(NULL));
	refuse_metas(valid_queue_id, "7F1F5", "7BE4");
}

static void
test_valid_host_name(void **state)
{
	assert_true(valid_host_name("origin-a"));
	assert_true(valid_host_name("relay_c.2"));
	assert_false(valid_host_name("-x"));
	assert_false(valid_host_name(""));
	assert_false(valid_host_name("a/b"));
	assert_false(valid_host_name(NULL));
	refuse_metas(valid_host_name, "relay", "c");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_basic),
		cmocka_unit_test(test_quote_refuse),
		cmocka_unit_test(test_quote_roundtrip),
		cmocka_unit_test(test_valid_path),
		cmocka_unit_test(test_valid_host),
		cmocka_unit_test(test_valid_user),
		cmocka_unit_test(test_valid_email),
		cmocka_unit_test(test_valid_queue_id),
		cmocka_unit_test(test_valid_host_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
