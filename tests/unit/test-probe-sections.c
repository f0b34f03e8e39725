/* test-probe-sections.c: splitting probe output into sections: a real lab
 * capture, forged boundaries inside remote text, cut and garbled output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-data.h"

#include "probe.h"

#define TOK	"0123456789abcdef0123456789abcdef"
#define RTOK	"00112233445566778899aabb"
#define H	"\n@@RT-" TOK RTOK " "

/* A probe fixture (tests/data/probe/name), whole. */
static char *
slurp(const char *name, size_t *len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "probe/%s", name);
	return test_data_slurp(rel, len);
}

static int
contains(const struct probe_section *s, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= s->body_len; i++)
		if (memcmp(s->body + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
body_is(const struct probe_section *s, const char *want)
{
	assert_non_null(s);
	assert_int_equal(s->body_len, strlen(want));
	assert_memory_equal(s->body, want, s->body_len);
}

static void
test_real_capture(void **state)
{
	struct probe_output o;
	const struct probe_section *s;
	size_t len;
	char *buf = slurp("origin-a.first.out", &len);
	char v[64];
	uint64_t n;
	int i = -1;

	(void)state;
	assert_int_equal(probe_sections_split(buf, len, TOK, &o), 0);
	assert_true(o.complete);
	s = probe_section_next(&o, "settings", &i);
	assert_non_null(s);
	assert_true(contains(s, "relayhost = [172.16.1.11]\n"));
	i = -1;
	s = probe_section_next(&o, "log", &i);
	assert_non_null(s);
	assert_int_equal(probe_section_arg(s, "kind", v, sizeof(v)), 0);
	assert_string_equal(v, "first");
	assert_int_equal(probe_section_arg_u64(s, "end", &n), 0);
	assert_int_equal(s->body_len, n);	/* the whole small log */
	assert_int_equal(s->body[s->body_len - 1], '\n');
	assert_string_equal(o.v[i + 1].name, "step");
	i = -1;
	s = probe_section_next(&o, "logfile", &i);
	body_is(s, "/var/log/maillog");
	free(buf);
}

static void
test_forged_boundaries(void **state)
{
	/* a log line carrying the local token alone, a wrong remote token,
	 * the begin line again, and a boundary not at a line start */
	static const char out[] =
	    "@@RT-" TOK " begin " RTOK "\n"
	    H "log kind=cur\n"
	    "line 1\n"
	    "@@RT-" TOK " end\n"
	    "@@RT-" TOK "ffffffffffffffffffffffff end\n"
	    "@@RT-" TOK " begin " RTOK "\n"
	    "x @@RT-" TOK RTOK " end\n"
	    "last"
	    H "step logread rc=0\n"
	    H "end\n";
	struct probe_output o;
	const struct probe_section *s;
	int i = -1;

	(void)state;
	assert_int_equal(probe_sections_split(out, sizeof(out) - 1, TOK, &o),
	    0);
	assert_int_equal(o.n, 3);
	assert_true(o.complete);
	s = probe_section_next(&o, "log", &i);
	body_is(s, "line 1\n"
	    "@@RT-" TOK " end\n"
	    "@@RT-" TOK "ffffffffffffffffffffffff end\n"
	    "@@RT-" TOK " begin " RTOK "\n"
	    "x @@RT-" TOK RTOK " end\n"
	    "last");
}

static void
test_bad_start(void **state)
{
	static const char wrong_tok[] = "@@RT-ffff begin " RTOK "\n" H "end\n";
	static const char junk_first[] = "motd text\n@@RT-" TOK " begin "
	    RTOK "\n" H "end\n";
	static const char before[] = "@@RT-" TOK " begin " RTOK "\nstray"
	    H "end\n";
	static const char bad_rtok[] = "@@RT-" TOK " begin zz;rm\n" H "end\n";
	struct probe_output o;

	(void)state;
	assert_int_equal(probe_sections_split(wrong_tok, sizeof(wrong_tok) - 1,
	    TOK, &o), -1);
	assert_int_equal(probe_sections_split(junk_first,
	    sizeof(junk_first) - 1, TOK, &o), -1);
	assert_int_equal(probe_sections_split(before, sizeof(before) - 1, TOK,
	    &o), -1);
	assert_int_equal(probe_sections_split(bad_rtok, sizeof(bad_rtok) - 1,
	    TOK, &o), -1);
	assert_int_equal(probe_sections_split("", 0, TOK, &o), -1);
}

static void
test_cut_short(void **state)
{
	static const char out[] = "@@RT-" TOK " begin " RTOK "\n"
	    H "meta\nnow=1\n" H "log kind=cur ino=5\npartial da";
	struct probe_output o;
	const struct probe_section *s;
	int i = -1;

	(void)state;
	assert_int_equal(probe_sections_split(out, sizeof(out) - 1, TOK, &o),
	    0);
	assert_false(o.complete);
	assert_int_equal(o.n, 2);
	body_is(&o.v[0], "now=1\n");
	s = probe_section_next(&o, "log", &i);
	body_is(s, "partial da");
	assert_int_equal(i, 1);
	/* no step after it: a caller can tell the data was cut */
	assert_int_equal(o.n, (size_t)i + 1);
}

static void
test_empty_bodies_and_args(void **state)
{
	static const char out[] = "@@RT-" TOK " begin " RTOK "\n"
	    H "status\n" H "step status rc=1\nmaster (pid 9) is not running"
	    H "log kind=first ino=12 start=0 end=99999999999999999999 base=x\n"
	    H "end\n";
	struct probe_output o;
	char v[8];
	uint64_t n;

	(void)state;
	assert_int_equal(probe_sections_split(out, sizeof(out) - 1, TOK, &o),
	    0);
	assert_int_equal(o.n, 4);
	body_is(&o.v[0], "");
	body_is(&o.v[1], "master (pid 9) is not running");
	assert_int_equal(probe_section_arg_u64(&o.v[1], "rc", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(probe_section_arg_u64(&o.v[2], "ino", &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(probe_section_arg_u64(&o.v[2], "end", &n), -1);
	assert_int_equal(probe_section_arg_u64(&o.v[2], "base", &n), -1);
	assert_int_equal(probe_section_arg_u64(&o.v[2], "fsize", &n), -1);
	/* "kind" must not match "kin" or "kindx" */
	assert_int_equal(probe_section_arg(&o.v[2], "kin", v, sizeof(v)), -1);
	assert_int_equal(probe_section_arg(&o.v[2], "kind", v, 3), 0);
	assert_string_equal(v, "fi");
}

/* A header whose own newline starts the next boundary has an empty body,
 * not a length that wraps around (found by fuzz-probe). */
static void
test_header_then_header(void **state)
{
	static const char out[] = "@@RT-" TOK " begin " RTOK "\n"
	    H "status" H "step logread rc=1" H "end\n";
	struct probe_output o;

	(void)state;
	assert_int_equal(probe_sections_split(out, sizeof(out) - 1, TOK, &o),
	    0);
	assert_int_equal(o.n, 3);
	body_is(&o.v[0], "");
	body_is(&o.v[1], "");
	assert_int_equal(probe_section_has(&o.v[1], "password is required"),
	    0);
}

static void
test_too_many_sections(void **state)
{
	size_t cap = 64 * (PROBE_SECTIONS_MAX + 8), len;
	char *out = malloc(cap);
	struct probe_output o;
	int k;

	(void)state;
	assert_non_null(out);
	len = (size_t)snprintf(out, cap, "@@RT-" TOK " begin " RTOK "\n");
	for (k = 0; k < PROBE_SECTIONS_MAX + 5; k++)
		len += (size_t)snprintf(out + len, cap - len, H "x%d\n", k);
	assert_int_equal(probe_sections_split(out, len, TOK, &o), -1);
	assert_int_equal(o.n, PROBE_SECTIONS_MAX);
	free(out);
}

static void
test_script_build(void **state)
{
	struct probe_args a;
	char err[160], *cmd;

	(void)state;
	memset(&a, 0, sizeof(a));
	probe_token_new(a.token);
	assert_int_equal(strlen(a.token), PROBE_TOKEN_LEN);
	a.sudo = 1;
	a.maillog = "/var/log/mail log";	/* space: refused */
	assert_null(probe_script_build(&a, err, sizeof(err)));
	assert_non_null(strstr(err, "maillog"));
	a.maillog = "auto";
	a.cfg_stamp = "1 2; rm -rf /";
	assert_null(probe_script_build(&a, err, sizeof(err)));
	a.cfg_stamp = "1795829478.825.1122406 1795829477.6984.1122408 ";
	a.journal_cursor = "s=abc;i=1f`id`";
	assert_null(probe_script_build(&a, err, sizeof(err)));
	a.journal_cursor = "s=abc;i=1f;b=0a";
	a.cur_path = "/var/log/maillog";
	a.cur_ino = 77;
	a.cur_off = 1234;
	a.master = "1211 1149033.1795835170;id";	/* master pid: refused */
	assert_null(probe_script_build(&a, err, sizeof(err)));
	assert_non_null(strstr(err, "master"));
	a.master = "1211 1149033.1795835170";
	cmd = probe_script_build(&a, err, sizeof(err));
	assert_non_null(cmd);
	assert_non_null(strstr(cmd, " '500' '1211 1149033.1795835170' '1'"));
	assert_non_null(strstr(cmd, "relaytop-probe -1 '' '"));
	assert_int_equal(strncmp(cmd, "exec /bin/sh -c '", 17), 0);
	assert_non_null(strstr(cmd, " '1' '' 'auto' '1795829478.825"));
	assert_non_null(strstr(cmd, " '/var/log/maillog' '77' '1234' "));
	free(cmd);
	assert_null(strchr(probe_script_text(), '\''));
}

/* The resident form: the same values as one request line, refused the
 * same way; the command carries the awk program single-quoted. */
static void
test_request_build(void **state)
{
	struct probe_args a;
	char err[160], buf[PROBE_REQUEST_MAX], *cmd;
	int n;

	(void)state;
	memset(&a, 0, sizeof(a));
	memcpy(a.token, "0123456789abcdef0123456789abcdef", PROBE_TOKEN_LEN);
	a.sudo = 1;
	a.maillog = "/var/log/maillog";
	a.cfg_stamp = "1795829478.825.1122406 1795829477.6984.1122408 ";
	a.cur_path = "/var/log/maillog";
	a.cur_ino = 77;
	a.cur_off = 1234;
	a.master = "1211 1149033.1795835170";
	a.no_queue = 1;
	a.journal_stamp = "98.8388608.1796547835.095301284";
	a.quick = 1;
	n = probe_request_build(&a, buf, sizeof(buf), err, sizeof(err));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	assert_string_equal(buf, "0123456789abcdef0123456789abcdef|1||"
	    "/var/log/maillog|1795829478.825.1122406 1795829477.6984.1122408 "
	    "|j||/var/log/maillog|77|1234|1048576|262144||500|"
	    "1211 1149033.1795835170|0|98.8388608.1796547835.095301284|1|.\n");
	a.quick = 0;
	a.journal_stamp = "98|x";	/* never reaches the line */
	assert_int_equal(probe_request_build(&a, buf, sizeof(buf), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "journal stamp"));
	a.journal_stamp = NULL;
	a.master = "1211 1149033.1795835170|x";	/* never reaches the line */
	assert_int_equal(probe_request_build(&a, buf, sizeof(buf), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "master"));
	a.master = "";
	a.cur_path = "/var/log/mail\nlog";
	assert_int_equal(probe_request_build(&a, buf, sizeof(buf), err,
	    sizeof(err)), -1);
	a.cur_path = "";
	assert_int_equal(probe_request_build(&a, buf, 40, err, sizeof(err)), -1);
	probe_done_marker(a.token, buf, sizeof(buf));
	assert_string_equal(buf, "\n@@RT-0123456789abcdef0123456789abcdef"
	    " done\n");
	/* the awk goes inside single quotes as it is: one would end them */
	assert_null(probe_resident_command("{ print \"it's\" }", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "quote"));
	cmd = probe_resident_command("{ n++ }\nEND { print n }", err,
	    sizeof(err));
	assert_non_null(cmd);
	assert_int_equal(strncmp(cmd, "exec /bin/sh -c '", 17), 0);
	assert_non_null(strstr(cmd, "' relaytop-probe -r '{ n++ }\nEND { print "
	    "n }'"));
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_capture),
		cmocka_unit_test(test_forged_boundaries),
		cmocka_unit_test(test_bad_start),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_empty_bodies_and_args),
		cmocka_unit_test(test_header_then_header),
		cmocka_unit_test(test_too_many_sections),
		cmocka_unit_test(test_script_build),
		cmocka_unit_test(test_request_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
