/* test-sudoers.c: the rule relaytop --sudoers prints (sudoers_write): the
 * lab's inventory line by line, paths escaped into the patterns, logins
 * grouped, hosts without sudo left out, paths a pattern cannot pin refused
 * with file, line and host. visudo and sudo judge the rule in the lab
 * (tests/e2e/e2e-priv-sudoers.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "modes.h"

/* The rule for inventory text, or NULL with err set. */
static char *
rule(const char *ini, char *err, size_t errlen)
{
	struct inventory inv;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (config_load_string(ini, "hosts.ini", &inv, err, errlen) != 0)
		fail_msg("inventory: %s", err);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	rc = sudoers_write(f, &inv, err, errlen);
	fclose(f);
	config_free(&inv);
	if (rc != 0) {
		free(text);
		return NULL;
	}
	return text;
}

#define ROT	"([.-][A-Za-z0-9_-]+)?"

/* The lab's inventory (maillog = auto): both default paths and the
 * journal, every argument anchored; nothing else. */
static void
test_lab_rule(void **state)
{
	char err[256], *r;
	const char *body;

	(void)state;
	r = rule("[defaults]\nuser = relayop\nsudo = yes\nmaillog = auto\n"
	    "[origin-a]\naddress = 172.16.10.5\n"
	    "[relay-c]\naddress = 172.16.1.11\n", err, sizeof(err));
	assert_non_null(r);
	body = strstr(r, "\nDefaults!");
	assert_non_null(body);
	assert_string_equal(body + 1,
	    "Defaults!/usr/bin/journalctl env_reset, !env_keep\n"
	    "relayop ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid, \\\n"
	    "    /usr/bin/stat ^-L -c %i\\.%s\\.%Y "
	    "(/var/log/maillog|/var/log/mail\\.log)" ROT "$, \\\n"
	    "    /usr/bin/dd ^if\\=(/var/log/maillog|/var/log/mail\\.log)" ROT
	    " iflag\\=nofollow bs\\=4096 skip\\=[0-9]+ count\\=[0-9]+$, \\\n"
	    "    /usr/bin/journalctl ^--no-pager -q -o short --show-cursor -u "
	    "postfix\\* (--cursor\\=[A-Za-z0-9\\=;_-]+|-n [0-9]+)$, \\\n"
	    "    /usr/sbin/postsuper -h -, \\\n"
	    "    /usr/sbin/postsuper -H -, \\\n"
	    "    /usr/sbin/postsuper -r -, \\\n"
	    "    /usr/sbin/postsuper -d -, \\\n"
	    "    /usr/sbin/postcat ^-ehq [0-9A-Za-z]+$, \\\n"
	    "    /usr/bin/awk ^/\\^\\[!-~\\]/\\{print \\$1\\} "
	    "/etc/postfix/(sasl/)?sasl_passwd$\n");
	/* every comment line is one: the file name cannot break out */
	assert_non_null(strstr(r, "from hosts.ini (relaytop --sudoers)"));
	free(r);
}

/* Two logins, each with its own paths; a path given twice once; '.' and
 * '+' escaped; journal hosts add only journalctl; sudo = no adds nothing. */
static void
test_logins_and_paths(void **state)
{
	char err[256], *r;

	(void)state;
	r = rule("[defaults]\nsudo = yes\n"
	    "[a]\naddress = 10.0.0.1\nuser = ops\nmaillog = /var/log/mail+x.log\n"
	    "[b]\naddress = 10.0.0.2\nuser = ops\nmaillog = /var/log/mail+x.log\n"
	    "[c]\naddress = 10.0.0.3\nuser = ops\nmaillog = /srv/log/postfix\n"
	    "[d]\naddress = 10.0.0.4\nuser = jr\nmaillog = journal\n"
	    "[e]\naddress = 10.0.0.5\nuser = nobody\nsudo = no\n",
	    err, sizeof(err));
	assert_non_null(r);
	assert_non_null(strstr(r, "ops ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid, \\\n"
	    "    /usr/bin/stat ^-L -c %i\\.%s\\.%Y "
	    "(/var/log/mail\\+x\\.log|/srv/log/postfix)" ROT "$, \\\n"
	    "    /usr/bin/dd ^if\\=(/var/log/mail\\+x\\.log|/srv/log/postfix)"
	    ROT " iflag\\=nofollow bs\\=4096 skip\\=[0-9]+ count\\=[0-9]+$, \\\n"
	    "    /usr/sbin/postsuper -h -, \\\n"));
	assert_non_null(strstr(r, "jr ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid, \\\n"
	    "    /usr/bin/journalctl ^--no-pager"));
	assert_null(strstr(r, "jr ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid, \\\n"
	    "    /usr/bin/stat"));
	assert_null(strstr(r, "nobody"));
	assert_null(strstr(r, "ops ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid, \\\n"
	    "    /usr/bin/stat ^-L -c %i\\.%s\\.%Y (/var/log/mail\\+x\\.log|"
	    "/var/log/mail\\+x\\.log"));
	free(r);
	/* no host with sudo: no rule, and no Defaults either */
	r = rule("[a]\naddress = 10.0.0.1\nsudo = no\n", err, sizeof(err));
	assert_non_null(r);
	assert_non_null(strstr(r, "No host has sudo = yes"));
	assert_null(strstr(r, "ALL=(root)"));
	assert_null(strstr(r, "Defaults"));
	free(r);
}

/* A path whose characters a sudoers pattern would misread, or that climbs
 * out of its directory: refused, naming file, line, host and path. */
static void
test_refused_paths(void **state)
{
	static const char *bad[] = { "/var/log/mail:log", "/var/log/m@il",
	    "/var/log/../../etc/shadow", "/var/log/./maillog",
	    "/var/log//maillog", "/var/log/..", NULL };
	char ini[256], err[256], *r;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		snprintf(ini, sizeof(ini), "[defaults]\nsudo = yes\n\n"
		    "[mx]\naddress = 10.0.0.1\nmaillog = %s\n", bad[i]);
		r = rule(ini, err, sizeof(err));
		if (r != NULL)
			fail_msg("accepted %s:\n%s", bad[i], r);
		assert_non_null(strstr(err, "hosts.ini:4: host mx: maillog"));
		assert_non_null(strstr(err, bad[i]));
	}
	/* with sudo = no the path never reaches a rule */
	r = rule("[mx]\naddress = 10.0.0.1\nmaillog = /var/log/mail:log\n",
	    err, sizeof(err));
	assert_non_null(r);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_rule),
		cmocka_unit_test(test_logins_and_paths),
		cmocka_unit_test(test_refused_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
