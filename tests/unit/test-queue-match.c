/* test-queue-match.c: the --match / `/` filter on messages parsed from
 * real postqueue -j lines (the lab's shape) and hand-made ones: plain
 * words in any case, fields, domains and their parents, regexes with
 * blanks and slashes, the null sender, AND of words, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "queue-match.h"
#include "regex-cost.h"
#include "test-data.h"

static const char line_a[] = "{\"queue_name\": \"deferred\", \"queue_id\": "
    "\"42F43104385\", \"arrival_time\": 1795829321, \"message_size\": 323, "
    "\"forced_expire\": false, \"sender\": \"relaytest@example.jp\", "
    "\"recipients\": [{\"address\": \"probe@dest.example\", \"delay_reason\":"
    " \"connect to 172.16.1.12[172.16.1.12]:25: Connection refused\"}]}";
static const char line_b[] = "{\"queue_name\": \"hold\", \"queue_id\": "
    "\"4jhvgB4SVWz84fB\", \"arrival_time\": 1796536726, \"sender\": \"\", "
    "\"recipients\": [{\"address\": \"Bob@MX.Other.NET\", \"delay_reason\": "
    "\"host mx.other.net[10.0.0.1] said: 450 4.7.1 greylisted/try later\"}, "
    "{\"address\": \"carol@other.net\"}]}";

static struct queue_msg ma, mb;

static int
setup(void **state)
{
	char err[200];

	(void)state;
	assert_int_equal(queue_msg_parse(line_a, strlen(line_a), 0, &ma, err,
	    sizeof(err)), 0);
	assert_int_equal(queue_msg_parse(line_b, strlen(line_b), 1, &mb, err,
	    sizeof(err)), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	queue_msg_clear(&ma);
	queue_msg_clear(&mb);
	return 0;
}

/* Bit 0: matches ma, bit 1: matches mb. */
static int
which(const char *expr)
{
	char err[200];
	struct queue_match *qm = queue_match_new(expr, err, sizeof(err));
	int r;

	if (qm == NULL)
		fail_msg("'%s': %s", expr, err);
	r = queue_match(qm, &ma) | queue_match(qm, &mb) << 1;
	queue_match_free(qm);
	return r;
}

static void
test_words(void **state)
{
	(void)state;
	assert_int_equal(which(""), 3);
	assert_int_equal(which("   "), 3);
	assert_int_equal(which("RELAYTEST"), 1);	/* sender, any case */
	assert_int_equal(which("bob"), 2);		/* recipient */
	assert_int_equal(which("other.net"), 2);	/* domain */
	assert_int_equal(which("refused"), 1);		/* reason */
	assert_int_equal(which("42F431"), 1);		/* id substring */
	assert_int_equal(which("example"), 1);
	assert_int_equal(which("example refused"), 1);	/* AND */
	assert_int_equal(which("example greylisted"), 0);
	assert_int_equal(which("said:"), 2);		/* not a field */
	assert_int_equal(which("nowhere"), 0);
}

static void
test_fields(void **state)
{
	(void)state;
	assert_int_equal(which("from:relaytest"), 1);
	assert_int_equal(which("from:probe"), 0);	/* a recipient */
	assert_int_equal(which("to:probe"), 1);
	assert_int_equal(which("to:relaytest"), 0);
	assert_int_equal(which("from:<>"), 2);		/* null sender */
	assert_int_equal(which("domain:other.net"), 2);	/* parent */
	assert_int_equal(which("domain:OTHER.net"), 2);
	assert_int_equal(which("domain:her.net"), 0);	/* not a label */
	assert_int_equal(which("domain:example.jp"), 1);	/* sender's */
	assert_int_equal(which("domain:example"), 1);	/* dest.example */
	assert_int_equal(which("domain:ample"), 0);
	assert_int_equal(which("reason:greylisted"), 2);
	assert_int_equal(which("reason:bob"), 0);
	assert_int_equal(which("queue:hold"), 2);
	assert_int_equal(which("queue:deferred"), 1);
	assert_int_equal(which("queue:def"), 0);	/* whole name */
	assert_int_equal(which("id:4jhvgB4SVWz84fB"), 2);
	assert_int_equal(which("id:4jhvgb4svwz84fb"), 0);	/* exact */
	assert_int_equal(which("id:4jhvgB4SVW"), 0);
}

static void
test_regex(void **state)
{
	(void)state;
	assert_int_equal(which("/^relay/"), 1);
	assert_int_equal(which("/connection (refused|timed out)/"), 1);
	assert_int_equal(which("/said: 4[0-9]{2}/"), 2);
	assert_int_equal(which("/greylisted/try/"), 2);	/* '/' inside */
	assert_int_equal(which("to:/^bob@/"), 2);	/* REG_ICASE */
	assert_int_equal(which("domain:/^mx\\./"), 2);
	assert_int_equal(which("from:/^$/"), 2);
	assert_int_equal(which("/example/ to:probe"), 1);
	assert_int_equal(which("reason:/^connect/ queue:hold"), 0);
}

/* On the lab's captured queue: how many of its 5 messages each selects. */
static size_t
count_in(const char *expr)
{
	char err[200], *buf, *p, *nl;
	struct queue_match *qm = queue_match_new(expr, err, sizeof(err));
	struct queue_msg m;
	size_t len, n = 0;

	assert_non_null(qm);
	buf = test_data_slurp("captured/origin-a.postqueue-j.queue-ops.txt",
	    &len);
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		assert_int_equal(queue_msg_parse(p, (size_t)(nl - p), 0, &m,
		    err, sizeof(err)), 0);
		n += (size_t)queue_match(qm, &m);
		queue_msg_clear(&m);
	}
	free(buf);
	queue_match_free(qm);
	return n;
}

static void
test_captured(void **state)
{
	(void)state;
	assert_int_equal(count_in(""), 5);
	assert_int_equal(count_in("from:alice"), 3);
	assert_int_equal(count_in("from:<>"), 1);		/* MAILER-DAEMON */
	assert_int_equal(count_in("to:eve@other.example"), 1);
	assert_int_equal(count_in("domain:dest.example"), 5);
	assert_int_equal(count_in("domain:other.example"), 1);
	assert_int_equal(count_in("queue:hold"), 1);
	assert_int_equal(count_in("reason:refused"), 5);
	assert_int_equal(count_in("mallory queue:deferred"), 0);
}

static void
test_errors(void **state)
{
	static const char *const bad[] = {
		"/unclosed", "//", "to:", "/a(/", "reason:/[z-a]/",
		"a b c d e f g h i j k l m n o p q",
	};
	char err[200], big[QUEUE_MATCH_EXPR_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(queue_match_new(bad[i], err, sizeof(err)));
		assert_non_null(strstr(err, "--match"));
	}
	assert_null(queue_match_new("x /a(/", err, sizeof(err)));
	assert_non_null(strstr(err, "column 3"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_null(queue_match_new(big, err, sizeof(err)));
	assert_int_equal(queue_match(NULL, &ma), 1);
	queue_match_free(NULL);
}

/* Expressions refused before regcomp, each by the rule it breaks, the
 * column of the operator named and its text (the shape rules first, the
 * node count second: regex-cost.h). The fuzzer's finds are kept. */
static const struct refused {
	const char *expr;
	enum regex_verdict v;
	const char *where;	/* in the message: the column and operator */
} refused[] = {
	/* glibc's regcomp past 1 GiB (fuzzer); the 2nd '+' is refused */
	{ "/t++++++++++++++++++++++++++++++/", REGEX_STACKED, "column 4: '+'" },
	{ "reason:/((((a{30}){30}){30}){30})/", REGEX_COSTLY,
	    "column 24: '{30}'" },
	{ "/(a|b){20000}/", REGEX_COSTLY, "column 7: '{20000}'" },
	{ "/c\\361t+++++++++++++++++++++++++++++++++++++s/", REGEX_STACKED,
	    "column 9: '+'" },
	/* 4139 nodes: 10 s and 860 MiB in regexec (fuzzer, Debian 13) */
	{ "/c\\361t+++++\\377++*++++++++++\\326\\324\\324omain:/",
	    REGEX_STACKED, "column 9: '+'" },
	/* chained "?": regcomp's closure walk ran past 13 s (fuzzer) */
	{ "/pi+????????????????????????+e$/", REGEX_STACKED, "column 5: '?'" },
	/* "{,}" is glibc's "{0,}": this one ran past 20 s */
	{ "/t+{,}+{,}+{,}+{,}+{,}+{,}+{,}+{,}+{,}+{,}+{,}+{,}+/",
	    REGEX_STACKED, "column 4: '{,}'" },
	/* the shape rules: one operator on another */
	{ "/a++/", REGEX_STACKED, "column 4: '+'" },
	{ "/a*?/", REGEX_STACKED, "column 4: '?'" },
	{ "/a?*/", REGEX_STACKED, "column 4: '*'" },
	{ "/a?\?/", REGEX_STACKED, "column 4: '?'" },
	{ "/a+{2}/", REGEX_STACKED, "column 4: '{2}'" },
	{ "/a{2}{3}/", REGEX_STACKED, "column 6: '{3}'" },
	{ "/x[0-9]{2,3}{,4}/", REGEX_STACKED, "column 13: '{,4}'" },
	{ "x to:/^ab{1,}?/", REGEX_STACKED, "column 14: '?'" },
	/* unbounded of a group that holds an unbounded one, at any depth */
	{ "/(a+)+/", REGEX_NESTED, "column 6: '+'" },
	{ "/(a*)*/", REGEX_NESTED, "column 6: '*'" },
	{ "/(a*b)*/", REGEX_NESTED, "column 7: '*'" },
	{ "/((a+)b)+/", REGEX_NESTED, "column 9: '+'" },
	{ "/(x|y[0-9]+){2,}/", REGEX_NESTED, "column 13: '{2,}'" },
	{ "/(ab{3,})*/", REGEX_NESTED, "column 10: '*'" },
	{ "/((((t)+)+)+)+/", REGEX_NESTED, "column 10: '+'" },
};

/* Expressions an operator writes, and shapes the rules leave to the node
 * count: accepted. */
static const char *const accepted[] = {
	"/user@example\\.com/", "/^bounce.*/", "/status=(deferred|bounced)/",
	"/[0-9]{3,}/", "/connection (refused|timed out)/",
	"/^[0-9A-F]{10,12}$/", "reason:/4[0-9]{2} 4\\.7\\.[0-9]+/",
	"/a+b*c?/", "/(ab)+/", "/[]a+]+/", "/x{2,}/", "/a{,3}/",
	"/(a+)?/", "/(a*){2}/", "/(a?)*/", "/(ab{2})+/", "/(a+)(b+)/",
	"/a+|b+/", "/(a|b+)c+/", "/[+*?]+/", "/\\++/", "/a\\{2}{3}/",
	"/((((i+)?)?)?)?/",
};

static void
test_regex_refused(void **state)
{
	struct queue_match *q;
	char err[300];
	size_t i, at, len;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const struct refused *r = &refused[i];

		err[0] = '\0';
		q = queue_match_new(r->expr, err, sizeof(err));
		if (q != NULL)
			fail_msg("%s accepted", r->expr);
		if (strstr(err, r->where) == NULL ||
		    strstr(err, regex_verdict_text(r->v)) == NULL)
			fail_msg("%s: %s", r->expr, err);
	}
	/* the message names the expression, cut at 40 characters */
	assert_null(queue_match_new("from:/a++/", err, sizeof(err)));
	assert_string_equal(err, "--match: /a++/ at column 9: '+' repeats "
	    "what is already repeated (like a++, a*?, a{2}{3}): write one "
	    "operator");
	assert_null(queue_match_new("/0123456789012345678901234567890123456789"
	    "(a+)+/", err, sizeof(err)));
	assert_non_null(strstr(err, "/0123456789012345678901234567890123456789"
	    ".../ at column 46: '+'"));
	assert_int_equal(regex_check("ab", &at, &len), REGEX_OK);
	assert_int_equal(regex_check("a{2,3}{4}", &at, &len), REGEX_STACKED);
	assert_int_equal(at, 6);
	assert_int_equal(len, 3);
}

static void
test_regex_accepted(void **state)
{
	struct queue_match *q;
	char err[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		q = queue_match_new(accepted[i], err, sizeof(err));
		if (q == NULL)
			fail_msg("%s refused: %s", accepted[i], err);
		queue_match_free(q);
	}
}

/* The node estimate: one "repeat by k" step for every operator. */
static void
test_regex_cost(void **state)
{
	char deep[142];
	size_t at, len;

	(void)state;
	assert_true(regex_cost("a+") == 2);
	assert_true(regex_cost("(ab){3}") == 6);
	assert_true(regex_cost("[a-z]") == 1);
	assert_true(regex_cost("a?") == 1);
	assert_true(regex_cost("a*b?c") == 3);
	assert_true(regex_cost("a??") == 1);	/* refused by shape instead */
	assert_true(regex_cost("a{2,}") == 3);
	assert_true(regex_cost("a{,4}") == 4);
	assert_true(regex_cost("(a|bc){2}") == 6);
	assert_true(regex_cost("t++++++++++++++++++++++++++++++++++++++") >
	    REGEX_COST_MAX);
	/* groups 64 deep count as past the bound, at the 64th '(' */
	memset(deep, '(', 70);
	deep[70] = 'a';
	memset(deep + 71, ')', 70);
	deep[141] = '\0';
	assert_true(regex_cost(deep) > REGEX_COST_MAX);
	assert_int_equal(regex_check(deep, &at, &len), REGEX_COSTLY);
	assert_int_equal(at, 63);
	deep[63] = '\0';
	assert_true(regex_cost(deep) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_regex_refused),
		cmocka_unit_test(test_regex_accepted),
		cmocka_unit_test(test_regex_cost),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
