/* test-actions.c: the action guard rails that need no session: read-only
 * refusal, recipient validation, "not connected", and the local action log
 * (path, 0700/0600 modes, one sanitised line per action). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/action-int.h"
#include "actions.h"
#include "config.h"

static const char inventory[] =
    "[defaults]\nuser = relayop\nsudo = yes\n"
    "[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
    "test_to = probe@dest.example\n"
    "[relay-c]\naddress = 172.16.1.11\nrole = relay\n";

struct fx {
	struct inventory inv;
	char	dir[64];
	char	log[256];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char err[256];

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/relaytop-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	/* a state dir that does not exist yet: created 0700 on first use */
	snprintf(fx->log, sizeof(fx->log), "%s/state/relaytop/actions.log",
	    fx->dir);
	{
		char st[128];

		snprintf(st, sizeof(st), "%s/state", fx->dir);
		setenv("XDG_STATE_HOME", st, 1);
	}
	assert_int_equal(config_load_string(inventory, "t.ini", &fx->inv, err,
	    sizeof(err)), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	config_free(&fx->inv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static char *
slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_log_path(void **state)
{
	char p[256];

	(void)state;
	setenv("XDG_STATE_HOME", "/x/state", 1);
	assert_int_equal(action_log_path(p, sizeof(p)), 0);
	assert_string_equal(p, "/x/state/relaytop/actions.log");
	setenv("XDG_STATE_HOME", "relative", 1);	/* invalid: ignored */
	setenv("HOME", "/home/op", 1);
	assert_int_equal(action_log_path(p, sizeof(p)), 0);
	assert_string_equal(p, "/home/op/.local/state/relaytop/actions.log");
	assert_int_equal(action_log_path(p, 10), -1);
}

static void
test_log_append_modes(void **state)
{
	struct fx *fx = *state;
	struct stat st;
	char d[256], *s;

	assert_int_equal(action_log_append("relay-c", "flush", "postqueue -f",
	    "done"), 0);
	assert_int_equal(action_log_append("relay-c", "flush", "a\nb",
	    "failed: x\x1b[2Jy"), 0);
	assert_int_equal(stat(fx->log, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(d, sizeof(d), "%s/state/relaytop", fx->dir);
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	s = slurp(fx->log);
	assert_non_null(s);
	assert_non_null(strstr(s, "Z relay-c flush postqueue -f: done\n"));
	/* control characters never reach the file: one line per action */
	assert_non_null(strstr(s, "Z relay-c flush a?b: failed: x?[2Jy\n"));
	assert_null(strchr(s, '\x1b'));
	assert_int_equal(s[4], '-');
	assert_int_equal(s[10], 'T');
}

static void
test_read_only_refuses(void **state)
{
	struct fx *fx = *state;
	struct actions *a = actions_new(NULL, NULL, &fx->inv, 1);
	char err[256], *s;

	assert_non_null(a);
	assert_true(actions_read_only(a));
	assert_int_equal(action_test_send(a, 0, NULL, 10, err, sizeof(err)),
	    -1);
	assert_string_equal(err, ACTIONS_READ_ONLY_MSG);
	assert_int_equal(action_flush(a, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "read-only: actions are disabled");
	assert_non_null(strstr(actions_status(a), "read-only"));
	assert_null(actions_trace(a, 0));
	s = slurp(fx->log);
	assert_non_null(s);
	assert_non_null(strstr(s, "origin-a test-send to=probe@dest.example: "
	    "read-only: actions are disabled\n"));
	assert_non_null(strstr(s, "relay-c flush postqueue -f: read-only"));
	actions_free(a);

	/* [defaults] read_only = yes in the inventory has the same effect */
	fx->inv.read_only = 1;
	a = actions_new(NULL, NULL, &fx->inv, 0);
	assert_int_equal(action_flush(a, 0, err, sizeof(err)), -1);
	assert_string_equal(err, ACTIONS_READ_ONLY_MSG);
	actions_free(a);
}

static void
test_recipient_checks(void **state)
{
	struct fx *fx = *state;
	struct actions *a = actions_new(NULL, NULL, &fx->inv, 0);
	char err[256];

	assert_non_null(a);
	/* a shell metacharacter never gets near a command */
	assert_int_equal(action_test_send(a, 0, "x@y.example;reboot", 10, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "invalid recipient address");
	assert_int_equal(action_test_send(a, 0, "'a'@b.example", 10, err,
	    sizeof(err)), -1);
	/* relay-c has no test_to and none is given */
	assert_int_equal(action_test_send(a, 1, NULL, 10, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no recipient"));
	/* valid, but no session */
	assert_int_equal(action_test_send(a, 0, NULL, 10, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "origin-a: not connected"));
	assert_int_equal(action_flush(a, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "relay-c: not connected"));
	assert_int_equal(action_flush(a, 7, err, sizeof(err)), -1);
	assert_int_equal(actions_open(a), 0);
	actions_free(a);
}

/* The commands are fixed strings plus quoted, validated values. */
static void
test_commands(void **state)
{
	struct fx *fx = *state;
	struct host_config cfg = fx->inv.hosts[0];
	char cmd[256];

	assert_int_equal(action_postfix_cmd(cmd, sizeof(cmd), &cfg,
	    "postqueue", "-c"), 0);
	assert_string_equal(cmd, "/usr/sbin/postqueue");	/* never sudo */
	assert_int_equal(action_postfix_cmd(cmd, sizeof(cmd), &cfg,
	    "sendmail", "-C"), 0);
	assert_string_equal(cmd, "/usr/sbin/sendmail");
	snprintf(cfg.postfix_config, sizeof(cfg.postfix_config),
	    "/etc/postfix-out");
	assert_int_equal(action_postfix_cmd(cmd, sizeof(cmd), &cfg,
	    "postqueue", "-c"), 0);
	assert_string_equal(cmd, "/usr/sbin/postqueue -c '/etc/postfix-out'");
	snprintf(cfg.postfix_config, sizeof(cfg.postfix_config),
	    "/etc/x;reboot");
	assert_int_equal(action_postfix_cmd(cmd, sizeof(cmd), &cfg,
	    "postqueue", "-c"), -1);
	assert_true(action_exec_ms(&cfg) >= 30000);
}

static void
test_message(void **state)
{
	struct trace t;
	char msg[2048];
	int n;

	(void)state;
	trace_init(&t, 1, 0, "relaytop-1795829152-0011223344556677",
	    "probe@dest.example", 10, 1795829152);
	n = action_message_build(msg, sizeof(msg), &t, "origin-a", 1795829152);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(msg));
	assert_non_null(strstr(msg, "To: <probe@dest.example>\n"));
	assert_non_null(strstr(msg, "Subject: relaytop test mail "
	    "relaytop-1795829152-0011223344556677\n"));
	assert_non_null(strstr(msg, "Message-ID: "
	    "<relaytop-1795829152-0011223344556677@relaytop>\n"));
	assert_non_null(strstr(msg, "Date: Sat, 28 Nov 2026 01:25:52 +0000\n"));
	/* headers, one empty line, body */
	assert_non_null(strstr(msg, "\n\nTest mail sent by relaytop from "
	    "origin-a"));
	assert_int_equal(action_message_build(msg, 64, &t, "origin-a",
	    1795829152), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_path),
		cmocka_unit_test_setup_teardown(test_log_append_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_only_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recipient_checks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test(test_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
