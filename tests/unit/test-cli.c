/* test-cli.c: the command-line parser (cli_parse) without running a mode:
 * every option, modes that conflict, bad and missing arguments, --json's
 * rules, NO_COLOR, the default hosts path and the --help text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "watch.h"

static struct options o;
static enum cli_mode mode;
static char err[512];

/* Parses a NULL-terminated list of arguments after "relaytop". */
static enum cli_result
parse(const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	const char *a;
	va_list ap;

	argv[argc++] = (char *)"relaytop";
	va_start(ap, first);
	for (a = first; a != NULL && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, &o, &mode, err, sizeof(err));
}

#define OK(...) do { \
	if (parse(__VA_ARGS__, NULL) != CLI_RUN) \
		fail_msg("refused: %s", err); \
} while (0)

#define BAD(msg, ...) do { \
	assert_int_equal(parse(__VA_ARGS__, NULL), CLI_ERROR); \
	assert_string_equal(err, msg); \
} while (0)

static int
setup(void **state)
{
	unsetenv("NO_COLOR");
	return 0;
}

static void
test_console_default(void **state)
{
	assert_int_equal(parse(NULL), CLI_RUN);
	assert_int_equal(mode, CLI_CONSOLE);
	assert_null(o.hosts_path);
	OK("--hosts", "h.ini");
	assert_int_equal(mode, CLI_CONSOLE);
	assert_string_equal(o.hosts_path, "h.ini");
	OK("--hosts=h2.ini", "--no-color", "--no-mouse", "--read-only",
	    "--accept-new", "-vv", "--verbose");
	assert_string_equal(o.hosts_path, "h2.ini");
	assert_int_equal(o.no_color, 1);
	assert_int_equal(o.no_mouse, 1);
	assert_int_equal(o.read_only, 1);
	assert_int_equal(o.accept_new, 1);
	assert_int_equal(o.verbose, 3);
	/* A second parse starts from scratch. */
	OK("--once");
	assert_null(o.hosts_path);
	assert_int_equal(o.verbose, 0);
	assert_int_equal(o.no_color, 0);
}

static void
test_modes(void **state)
{
	OK("--hosts", "h", "--once");
	assert_int_equal(mode, CLI_ONCE);
	assert_int_equal(o.once, 1);
	OK("--json");
	assert_int_equal(mode, CLI_ONCE);	/* --json alone: --once */
	assert_int_equal(o.once, 1);
	assert_int_equal(o.json, 1);
	OK("--check", "--json");
	assert_int_equal(mode, CLI_CHECK);
	assert_int_equal(o.check, 1);
	assert_int_equal(o.once, 0);
	OK("--log", "/var/log/maillog", "--json");
	assert_int_equal(mode, CLI_LOG);
	assert_string_equal(o.log_path, "/var/log/maillog");
	OK("--test-send", "origin-a", "--to", "probe@dest.example",
	    "--timeout", "60");
	assert_int_equal(mode, CLI_TEST_SEND);
	assert_string_equal(o.test_send, "origin-a");
	assert_string_equal(o.to, "probe@dest.example");
	assert_int_equal(o.timeout_s, 60);
	OK("--test-send", "all");
	assert_null(o.to);
	assert_int_equal(o.timeout_s, 0);
	OK("--flush", "relay-c", "--timeout", "1");
	assert_int_equal(mode, CLI_FLUSH);
	assert_string_equal(o.flush, "relay-c");
	OK("--flush=all");
	assert_string_equal(o.flush, "all");
	OK("--sudoers", "--hosts", "h.ini");
	assert_int_equal(mode, CLI_SUDOERS);
	assert_string_equal(o.hosts_path, "h.ini");
	/* The same mode twice is fine. */
	OK("--once", "--once");
	assert_int_equal(mode, CLI_ONCE);
}

static void
test_conflicts(void **state)
{
	BAD("--once and --check cannot be used together", "--once",
	    "--check");
	BAD("--check and --once cannot be used together", "--check",
	    "--once");
	BAD("--test-send and --flush cannot be used together",
	    "--test-send", "a", "--flush", "b");
	BAD("--log and --once cannot be used together", "--log", "f",
	    "--once");
	BAD("--json works with --once, --check, --log or --test-send, not "
	    "--flush", "--flush", "a", "--json");
	BAD("--json works with --once, --check, --log or --test-send, not "
	    "--sudoers", "--sudoers", "--json");
	BAD("--sudoers and --once cannot be used together", "--sudoers",
	    "--once");
	BAD("--timeout works with --once, --check, --test-send or --flush",
	    "--sudoers", "--timeout", "5");
	OK("--json", "--test-send", "a");
	assert_int_equal(mode, CLI_TEST_SEND);
	assert_int_equal(o.json, 1);
	BAD("--to needs --test-send", "--to", "a@b.example");
	BAD("--to needs --test-send", "--flush", "x", "--to", "a@b.example");
	BAD("--timeout works with --once, --check, --test-send or --flush",
	    "--timeout", "5");
	BAD("--timeout works with --once, --check, --test-send or --flush",
	    "--log", "f", "--timeout", "5");
	OK("--check", "--timeout", "5");
	assert_int_equal(o.timeout_s, 5);
	BAD("--hosts given twice", "--hosts", "a", "--hosts", "b");
	BAD("--flush given twice", "--flush", "a", "--flush", "b");
	BAD("--to given twice", "--test-send", "a", "--to", "a@b.example",
	    "--to", "c@d.example");
}

static void
test_bad_arguments(void **state)
{
	BAD("bad --to 'a;id@b.example' (a plain local@domain address)",
	    "--test-send", "o", "--to", "a;id@b.example");
	BAD("bad --to '$(id)@b' (a plain local@domain address)",
	    "--test-send", "o", "--to", "$(id)@b");
	BAD("bad --to '-oQ@b.example' (a plain local@domain address)",
	    "--test-send", "o", "--to", "-oQ@b.example");
	BAD("bad --test-send 'a b' (a host of the hosts file, or all)",
	    "--test-send", "a b");
	BAD("bad --flush '`id`' (a host of the hosts file, or all)",
	    "--flush", "`id`");
	BAD("bad --timeout '0' (seconds, 1..3600)", "--flush", "a",
	    "--timeout", "0");
	BAD("bad --timeout '3601' (seconds, 1..3600)", "--flush", "a",
	    "--timeout", "3601");
	BAD("bad --timeout '5s' (seconds, 1..3600)", "--flush", "a",
	    "--timeout", "5s");
	BAD("bad --timeout '-1' (seconds, 1..3600)", "--flush", "a",
	    "--timeout=-1");
	BAD("--log needs a file name", "--log", "");
	BAD("--hosts needs a file name", "--hosts", "");
	/* Echoed arguments are sanitised. */
	BAD("bad --flush '?[2J' (a host of the hosts file, or all)",
	    "--flush", "\x1b[2J");
}

static void
test_unknown_and_missing(void **state)
{
	BAD("unknown option '--bogus'", "--bogus");
	BAD("unknown option '-x'", "-x");
	BAD("unknown option '-x'", "-vx");
	BAD("unknown option '--once=1'", "--once=1");
	BAD("option '--hosts' needs an argument", "--hosts");
	BAD("option '--log' needs an argument", "--log");
	BAD("option '--to' needs an argument", "--test-send", "a", "--to");
	BAD("unexpected argument 'hosts.ini'", "hosts.ini");
	BAD("unexpected argument 'extra'", "--once", "extra");
	/* Everything after -- is an operand. */
	BAD("unexpected argument '--once'", "--", "--once");
	/* GNU abbreviations: unique prefixes work, ambiguous ones do not. */
	OK("--hos", "x");
	assert_string_equal(o.hosts_path, "x");
	BAD("unknown option '--no'", "--no");
}

/* --yes: parsed for the two acts that can touch every host, refused
 * elsewhere; cli_confirm_io says what and goes ahead only when confirmed. */
static void
test_yes_confirm(void **state)
{
	char outb[512], inb[16];
	FILE *in, *out;

	OK("--flush", "all", "--yes");
	assert_int_equal(o.yes, 1);
	OK("--test-send", "all");
	assert_int_equal(o.yes, 0);
	BAD("--yes works with --test-send, --flush or --queue", "--once", "--yes");
	BAD("--yes works with --test-send, --flush or --queue", "--yes");

	/* --yes: says what, goes ahead, reads nothing */
	out = fmemopen(outb, sizeof(outb), "w");
	assert_int_equal(cli_confirm_io("--flush all: 4 hosts", 1, 0, NULL,
	    out), 0);
	fclose(out);
	assert_string_equal(outb, "relaytop: --flush all: 4 hosts\n");
	/* no terminal, no --yes: refused, exit 2 */
	out = fmemopen(outb, sizeof(outb), "w");
	assert_int_equal(cli_confirm_io("x: 2 hosts", 0, 0, NULL, out), 2);
	fclose(out);
	assert_non_null(strstr(outb, "give --yes"));
	/* a terminal: only y or yes goes ahead */
	{
		static const char *const ans[] = { "y\n", "YES\n", "n\n", "\n",
		    "", "yy\n" };
		static const int want[] = { 0, 0, 1, 1, 1, 1 };
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			snprintf(inb, sizeof(inb), "%s", ans[i]);
			in = fmemopen(inb, strlen(inb) + 1, "r");
			out = fmemopen(outb, sizeof(outb), "w");
			assert_int_equal(cli_confirm_io("x: 2 hosts", 0, 1, in,
			    out), want[i]);
			fclose(in);
			fclose(out);
			assert_non_null(strstr(outb, "relaytop: x: 2 hosts\n"
			    "Go ahead? [y/N] "));
		}
	}
}

/* --queue and its options: the combinations and the ids refused before
 * any host is touched. */
static void
test_queue(void **state)
{
	OK("--queue", "all");
	assert_int_equal(mode, CLI_QUEUE);
	assert_int_equal(o.queue_op, 0);
	OK("--queue", "origin-a", "--match", "from:x /y z/", "--json");
	assert_string_equal(o.match, "from:x /y z/");
	OK("--queue", "origin-a", "--id", "42F43104385,4jhvgD0zxFz84fG",
	    "--id", "1B800104364@1795829321", "--delete", "--yes");
	assert_int_equal(o.nids, 2);
	assert_int_equal(o.queue_op, 1 + QOP_DELETE);
	OK("--queue", "all", "--match", "x", "--hold", "--dry-run");
	assert_int_equal(o.queue_op, 1 + QOP_HOLD);
	assert_int_equal(o.dry_run, 1);
	OK("--queue", "a", "--id", "42F43104385", "--deliver");
	assert_int_equal(o.queue_op, 1 + QOP_DELIVER);
	BAD("--match, --id, --hold, --release, --requeue, --delete, --deliver "
	    "and --dry-run need --queue", "--delete");
	BAD("--match, --id, --hold, --release, --requeue, --delete, --deliver "
	    "and --dry-run need --queue", "--once", "--match", "x");
	BAD("--match and --id cannot be used together", "--queue", "a",
	    "--match", "x", "--id", "42F43104385");
	BAD("--id needs one host (--queue HOST): queue ids are unique per host "
	    "only", "--queue", "all", "--id", "42F43104385");
	BAD("bad --id '42F4; rm' (a Postfix queue id, as postqueue -p shows "
	    "it, without '*' or '!', or ID@ARRIVAL with --json's arrival)",
	    "--queue", "a", "--id", "42F4; rm");
	BAD("bad --id '42F43104385*' (a Postfix queue id, as postqueue -p "
	    "shows it, without '*' or '!', or ID@ARRIVAL with --json's "
	    "arrival)", "--queue", "a", "--id", "1B800104364,42F43104385*");
	BAD("bad --id '42F43104385@' (a Postfix queue id, as postqueue -p "
	    "shows it, without '*' or '!', or ID@ARRIVAL with --json's "
	    "arrival)", "--queue", "a", "--id", "42F43104385@");
	BAD("bad --id '42F43104385@12x' (a Postfix queue id, as postqueue -p "
	    "shows it, without '*' or '!', or ID@ARRIVAL with --json's "
	    "arrival)", "--queue", "a", "--id", "42F43104385@12x");
	BAD("--dry-run needs --hold, --release, --requeue, --delete or "
	    "--deliver", "--queue", "a", "--dry-run");
	BAD("--deliver needs --id", "--queue", "a", "--deliver");
	BAD("one queue operation at a time (--delete)", "--queue", "a",
	    "--hold", "--delete");
	BAD("--yes works with --queue and an operation", "--queue", "a",
	    "--yes");
	BAD("--json works with --once, --check, --log or --test-send, not "
	    "--queue", "--queue", "a", "--hold", "--json");
	BAD("bad --queue 'a;b' (a host of the hosts file, or all)", "--queue",
	    "a;b");
	BAD("--queue and --flush cannot be used together", "--queue", "a",
	    "--flush", "b");
}

static void
test_help_version(void **state)
{
	assert_int_equal(parse("-h", NULL), CLI_HELP);
	assert_int_equal(parse("--help", NULL), CLI_HELP);
	assert_int_equal(parse("--once", "--help", NULL), CLI_HELP);
	assert_int_equal(parse("-V", NULL), CLI_VERSION);
	assert_int_equal(parse("--version", NULL), CLI_VERSION);
}

static void
test_no_color_env(void **state)
{
	setenv("NO_COLOR", "1", 1);
	OK("--once");
	assert_int_equal(o.no_color, 1);
	setenv("NO_COLOR", "", 1);
	OK("--once");
	assert_int_equal(o.no_color, 0);
	unsetenv("NO_COLOR");
}

static void
test_default_hosts(void **state)
{
	char buf[256];

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/op", 1);
	assert_string_equal(cli_default_hosts(buf, sizeof(buf)),
	    "/x/cfg/relaytop/hosts.ini");
	setenv("XDG_CONFIG_HOME", "relative", 1);	/* ignored */
	assert_string_equal(cli_default_hosts(buf, sizeof(buf)),
	    "/home/op/.config/relaytop/hosts.ini");
	unsetenv("XDG_CONFIG_HOME");
	assert_string_equal(cli_default_hosts(buf, sizeof(buf)),
	    "/home/op/.config/relaytop/hosts.ini");
	unsetenv("HOME");
	assert_null(cli_default_hosts(buf, sizeof(buf)));
	setenv("HOME", "/home/op", 1);
	assert_null(cli_default_hosts(buf, 8));		/* does not fit */
}

/* The usage text names every option. */
static void
test_usage(void **state)
{
	static const char *names[] = { "--hosts", "--once", "--json",
		"--check", "--log", "--test-send", "--to", "--timeout",
		"--flush", "--read-only", "--no-color", "--no-mouse",
		"--accept-new", "--verbose", "--help", "--version", "-v,",
		"-h,", "-V," };
	char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	size_t i;

	assert_non_null(f);
	cli_usage(f);
	fclose(f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(buf, names[i]) == NULL)
			fail_msg("--help lacks %s", names[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_console_default, setup),
		cmocka_unit_test_setup(test_modes, setup),
		cmocka_unit_test_setup(test_conflicts, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_unknown_and_missing, setup),
		cmocka_unit_test_setup(test_yes_confirm, setup),
		cmocka_unit_test_setup(test_help_version, setup),
		cmocka_unit_test_setup(test_no_color_env, setup),
		cmocka_unit_test_setup(test_default_hosts, setup),
		cmocka_unit_test_setup(test_usage, setup),
		cmocka_unit_test_setup(test_queue, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
