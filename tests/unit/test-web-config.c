/* test-web-config.c: the --web-config file: a Prometheus exporter's web
 * config (TLS and bcrypt basic auth users) read, comments and quotes,
 * every refusal naming FILE:LINE; and the password check against a real
 * bcrypt hash (libxcrypt), a wrong password, an unknown user, and the
 * cache that spares bcrypt on the next scrape but never a changed
 * password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/serve-int.h"
#include "web-config.h"

/* bcrypt of "s3cret", cost 4 (python3 crypt.mksalt(METHOD_BLOWFISH, 16)) */
#define HASH	"$2b$04$DYYvEvGZhCT6WLfKfmhOouF0g5HCV9se6RM6HG5i9Sh6JKypKZlaS"

static void
test_parse(void **state)
{
	struct web_config c;
	char err[300];
	static const char good[] =
	    "# relaytop web config\n"
	    "tls_server_config:\n"
	    "  cert_file: /etc/relaytop/server.crt   # the chain\n"
	    "  key_file: \"/etc/relaytop/server key.pem\"\n"
	    "\n"
	    "basic_auth_users:\n"
	    "    prometheus: '" HASH "'\n"
	    "    ops@site1: " HASH "\n";

	(void)state;
	assert_int_equal(web_config_parse(good, "w.yml", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(c.cert_file, "/etc/relaytop/server.crt");
	assert_string_equal(c.key_file, "/etc/relaytop/server key.pem");
	assert_int_equal(c.nusers, 2);
	assert_string_equal(c.users[0].name, "prometheus");
	assert_string_equal(c.users[0].hash, HASH);
	assert_string_equal(c.users[1].name, "ops@site1");
	/* auth only, TLS only, and empty are fine too */
	assert_int_equal(web_config_parse("basic_auth_users:\n  a: " HASH "\n",
	    "w.yml", &c, err, sizeof(err)), 0);
	assert_string_equal(c.cert_file, "");
	assert_int_equal(web_config_parse("tls_server_config:\n  cert_file: "
	    "c\n  key_file: k\n", "w.yml", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nusers, 0);
	assert_int_equal(web_config_parse("# nothing\n", "w.yml", &c, err,
	    sizeof(err)), 0);
}

static void
test_refused(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "tls_config:\n", "w.yml:1: unknown or repeated key" },
		{ "tls_server_config:\n  cert_file: c\n", "w.yml:2: "
		    "tls_server_config needs both" },
		{ "tls_server_config:\n  certfile: c\n", "w.yml:2: unknown "
		    "key in tls_server_config" },
		{ "tls_server_config:\n  cert_file: a\n  cert_file: b\n",
		    "w.yml:3: given twice" },
		{ "basic_auth_users:\n  u: plaintext\n", "w.yml:2: the "
		    "password must be a bcrypt hash" },
		{ "basic_auth_users:\n  u: " HASH "\n  u: " HASH "\n",
		    "w.yml:3: user given twice" },
		{ "basic_auth_users:\n  'a b': " HASH "\n", "w.yml:2: bad "
		    "user name" },
		{ "  u: x\n", "w.yml:1: indented line outside a block" },
		{ "basic_auth_users: x\n", "w.yml:1: a block key takes no "
		    "value" },
		{ "basic_auth_users:\n  - u\n", "w.yml:2: only" },
		{ "basic_auth_users:\n  u:" HASH "\n", "w.yml:2: not a" },
		{ "basic_auth_users:\n  u: \"" HASH "\n", "w.yml:2: bad value" },
		{ "basic_auth_users:\n  u: '" HASH "' x\n", "w.yml:2: bad "
		    "value" },
		{ "basic_auth_users:\nbasic_auth_users:\n", "w.yml:2: unknown "
		    "or repeated" },
	};
	struct web_config c;
	char err[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (web_config_parse(bad[i].text, "w.yml", &c, err,
		    sizeof(err)) != -1)
			fail_msg("accepted: %s", bad[i].text);
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bad[i].text, err,
			    bad[i].want);
	}
	assert_int_equal(web_config_load("/nonexistent/w.yml", &c, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/w.yml: No such file"));
	assert_int_equal(web_config_load("/", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
}

static void
test_auth(void **state)
{
	struct serve_auth_cache cache[WEB_USERS_MAX];
	struct web_config c;
	char err[300];

	(void)state;
	memset(cache, 0, sizeof(cache));
	assert_int_equal(web_config_parse("basic_auth_users:\n  prom: " HASH
	    "\n", "w.yml", &c, err, sizeof(err)), 0);
	assert_int_equal(serve_auth_ok(&c, cache, "prom", "wrong"), 0);
	assert_int_equal(cache[0].valid, 0);
	assert_int_equal(serve_auth_ok(&c, cache, "nobody", "s3cret"), 0);
	assert_int_equal(serve_auth_ok(&c, cache, NULL, NULL), 0);
	assert_int_equal(serve_auth_ok(&c, cache, "prom", ""), 0);
	assert_int_equal(serve_auth_ok(&c, cache, "prom", "s3cret"), 1);
	assert_int_equal(cache[0].valid, 1);
	/* from the cache, and a changed password is not */
	assert_int_equal(serve_auth_ok(&c, cache, "prom", "s3cret"), 1);
	assert_int_equal(serve_auth_ok(&c, cache, "prom", "s3cret "), 0);
	assert_int_equal(serve_auth_ok(&c, cache, "prom", "s3cre"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_auth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
