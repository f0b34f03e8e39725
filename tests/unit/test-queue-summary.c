/* test-queue-summary.c: the host-side awk summary of postqueue -j, run with
 * every awk present (awk, mawk, gawk --posix, busybox awk), must give the
 * same struct queue_summary as queue_parse_json on the same input; plus the
 * summary parser's own errors on hand-made summary texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-data.h"

#include "queue-summary.h"
#include "queue.h"

static const char *const awks[] = { "awk", "mawk", "gawk --posix",
    "busybox awk" };
static char awk_file[] = "/tmp/relaytop-qs-awk.XXXXXX";

static int
setup(void **state)
{
	const char *prog = queue_summary_awk();
	int fd = mkstemp(awk_file);

	if (fd < 0)
		return -1;
	if (write(fd, prog, strlen(prog)) != (ssize_t)strlen(prog)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	unlink(awk_file);
	return 0;
}

static int
awk_present(const char *awk)
{
	char cmd[128];
	char word[32];

	sscanf(awk, "%31s", word);
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", word);
	return system(cmd) == 0;
}

/* Runs the awk program over in[0..len) + "\n#rc=RC\n"; output in *out. */
static int
run_awk(const char *awk, const char *in, size_t len, int rc, char **out,
    size_t *outlen)
{
	char in_file[] = "/tmp/relaytop-qs-in.XXXXXX", cmd[256];
	int fd = mkstemp(in_file), status;
	FILE *fp;
	size_t cap = 1 << 16, n = 0, got;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(in, 1, len, fp), len);
	if (rc >= 0)
		fprintf(fp, "\n#rc=%d\n", rc);
	assert_int_equal(fclose(fp), 0);
	snprintf(cmd, sizeof cmd, "LC_ALL=C %s -f %s < %s", awk, awk_file,
	    in_file);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	*out = malloc(cap);
	assert_non_null(*out);
	while ((got = fread(*out + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			*out = realloc(*out, cap);
			assert_non_null(*out);
		}
	}
	status = pclose(fp);
	unlink(in_file);
	*outlen = n;
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
same_summary(const struct queue_summary *a, const struct queue_summary *b)
{
	size_t i;

	for (i = 0; i < Q_MAX; i++) {
		assert_int_equal(a->count[i], b->count[i]);
		assert_int_equal(a->oldest[i], b->oldest[i]);
	}
	assert_true(a->bytes == b->bytes);
	assert_int_equal(a->malformed, b->malformed);
	assert_int_equal(a->ntop, b->ntop);
	for (i = 0; i < a->ntop; i++) {
		assert_string_equal(a->top[i].text, b->top[i].text);
		assert_int_equal(a->top[i].count, b->top[i].count);
	}
}

/* The core proof: summary path == queue_parse_json, with every awk. */
static void
check_file(const char *name, int rc, int want_ret)
{
	struct queue_summary qj, qs;
	char err[160], *in, *out;
	size_t len, outlen, i, ran = 0;
	int rj, rs, pq_rc, st;

	in = test_data_slurp(name, &len);
	rj = queue_parse_json(in, len, &qj, err, sizeof err);
	assert_int_equal(rj, want_ret);
	for (i = 0; i < sizeof awks / sizeof awks[0]; i++) {
		if (!awk_present(awks[i]))
			continue;
		ran++;
		st = run_awk(awks[i], in, len, rc, &out, &outlen);
		assert_int_equal(st, rc);
		assert_true(outlen < 5 * 40 + 64 * 1620 + 100);
		rs = queue_parse_summary(out, outlen, &qs, &pq_rc, err,
		    sizeof err);
		if (rs != rj || pq_rc != rc)
			print_error("%s with %s: %s\n%.*s\n", name, awks[i],
			    err, (int)outlen, out);
		assert_int_equal(rs, rj);
		assert_int_equal(pq_rc, rc);
		same_summary(&qj, &qs);
		free(out);
	}
	assert_true(ran > 0);
	free(in);
}

static void
test_captured(void **state)
{
	check_file("captured/origin-a.postqueue-j.deferred.txt", 0, 0);
	check_file("captured/origin-a.postqueue-j.empty.txt", 0, 0);
	check_file("captured/origin-a.postqueue-j.empty.txt", 69, 0);
	check_file("postqueue/mixed-j.txt", 0, 0);
}

static void
test_handmade(void **state)
{
	check_file("postqueue/summary-escapes.txt", 0, 0);
	check_file("postqueue/summary-many-reasons.txt", 0, 0);
	check_file("postqueue/summary-ties.txt", 0, 0);
	check_file("postqueue/summary-queues.txt", 1, 0);
	check_file("postqueue/summary-sizes.txt", 0, 0);
	check_file("postqueue/summary-many-rcpts.txt", 0, 0);
	check_file("postqueue/summary-garbage.txt", 0, -1);
}

/* The awk without the "#rc=" line: no rc line, exit 2, parser says cut. */
static void
test_awk_no_rc(void **state)
{
	const char *in = "{\"queue_name\": \"hold\", \"queue_id\": \"A\"}\n";
	struct queue_summary q;
	char err[160], *out;
	size_t outlen;
	int pq_rc;

	assert_int_equal(run_awk("awk", in, strlen(in), -1, &out, &outlen), 2);
	assert_int_equal(queue_parse_summary(out, outlen, &q, &pq_rc, err,
	    sizeof err), -1);
	assert_int_equal(pq_rc, -1);
	assert_non_null(strstr(err, "no rc line"));
	free(out);
}

#define HEAD	"q active 1 1795829321\nq deferred 0 0\nq hold 0 0\n" \
		"q incoming 0 0\n" \
		"q maildrop 0 0\nbytes 10\nbad 0\n"

static void
bad_summary(const char *text, const char *what)
{
	struct queue_summary q;
	char err[160];
	int pq_rc;

	if (queue_parse_summary(text, strlen(text), &q, &pq_rc, err,
	    sizeof err) != -1 || strstr(err, what) == NULL)
		fail_msg("accepted or wrong error for <%s>: %s", text, err);
	assert_int_equal(strncmp(err, "queue summary: ", 15), 0);
}

static void
test_parser(void **state)
{
	struct queue_summary q;
	char err[160], *big;
	int pq_rc, i;
	size_t n;
	const char *ok = HEAD "r 2 a\\u00e9\\\"b\nr 3 z\n"
	    "r 1 a\\u00e9\\\"b\nrc 0\n";

	assert_int_equal(queue_parse_summary(ok, strlen(ok), &q, &pq_rc, err,
	    sizeof err), 0);
	assert_int_equal(pq_rc, 0);
	assert_int_equal(q.count[Q_ACTIVE], 1);
	assert_int_equal(q.oldest[Q_ACTIVE], 1795829321);
	assert_int_equal(q.ntop, 2);
	assert_string_equal(q.top[0].text, "a\xc3\xa9\"b");
	assert_int_equal(q.top[0].count, 3);
	assert_string_equal(q.top[1].text, "z");

	bad_summary(HEAD, "no rc line");
	bad_summary(HEAD "rc 0", "no newline");
	bad_summary(HEAD "rc 256\n", "bad rc line");
	bad_summary(HEAD "rc -1\n", "bad rc line");
	bad_summary(HEAD "rc 0\nrc 0\n", "after the rc line");
	bad_summary(HEAD "x 1\nrc 0\n", "line 8: unknown line");
	bad_summary(HEAD "hello\nrc 0\n", "unknown line");
	bad_summary(HEAD "q bogus 1 2\nrc 0\n", "unknown queue name");
	bad_summary(HEAD "q hold 1 2\nrc 0\n", "repeated");
	bad_summary(HEAD "bytes 1\nrc 0\n", "bad bytes line");
	bad_summary(HEAD "bad 1\nrc 0\n", "bad malformed-count");
	bad_summary("q active 4294967296 0\n", "bad queue line");
	bad_summary("q active 1 9223372036854775808\n", "bad queue line");
	bad_summary("q active 1 -5\n", "bad queue line");
	bad_summary("q active 01 5\n", "bad queue line");
	bad_summary("q active 1 5 6\n", "bad queue line");
	bad_summary("q active 1 5 \n", "bad queue line");
	bad_summary("q active 1\n", "bad queue line");
	bad_summary("bytes 123456789012345678901234567\n", "bad bytes line");
	bad_summary("bytes 12x\n", "bad bytes line");
	bad_summary("bad 99999999999\n", "bad malformed-count");
	bad_summary(HEAD "r 0 x\nrc 0\n", "bad reason line");
	bad_summary(HEAD "r 1 \nrc 0\n", "bad reason line");
	bad_summary(HEAD "r 1\nrc 0\n", "bad reason line");
	bad_summary("q active 1 5\nrc 0\n", "incomplete");
	bad_summary("q active 0 0\nq deferred 0 0\nq hold 0 0\n"
	    "q incoming 0 0\nq maildrop 0 0\nbytes 0\nbad 3\nrc 0\n",
	    "not postqueue -j output");

	/* 65 reasons, a huge line, a huge summary. */
	big = malloc(QUEUE_SUMMARY_MAX + 2);
	assert_non_null(big);
	n = (size_t)snprintf(big, 256, "%s", HEAD);
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(big + n, 64, "r 1 reason %d\n", i);
	snprintf(big + n, 64, "rc 0\n");
	bad_summary(big, "more than 64 reasons");
	n = (size_t)snprintf(big, 256, "%sr 1 ", HEAD);
	memset(big + n, 'x', 5000);
	snprintf(big + n + 5000, 64, "\nrc 0\n");
	bad_summary(big, "line too long");
	memset(big, '\n', QUEUE_SUMMARY_MAX + 1);
	big[QUEUE_SUMMARY_MAX + 1] = '\0';
	bad_summary(big, "over");
	free(big);
}

/* Cut or bad escapes: decoding stops there, the text is still clean. */
static void
test_parser_escapes(void **state)
{
	static const char *const raws[] = { "cut \\u00", "cut \\", "bad \\x",
	    "lone \\udc00", "hi \\ud83d alone", "pair \\ud83d\\ude00",
	    "nul \\u0000 x", "ctl \\u001b[31m" };
	static const char *const want[] = { "cut ", "cut ", "bad ", "lone ",
	    "hi ", "pair \xf0\x9f\x98\x80", "nul ? x", "ctl ?[31m" };
	struct queue_summary q;
	char text[512], err[160];
	size_t i;
	int pq_rc;

	for (i = 0; i < sizeof raws / sizeof raws[0]; i++) {
		snprintf(text, sizeof text, HEAD "r 1 %s\nrc 3\n", raws[i]);
		assert_int_equal(queue_parse_summary(text, strlen(text), &q,
		    &pq_rc, err, sizeof err), 0);
		assert_int_equal(pq_rc, 3);
		assert_int_equal(q.ntop, 1);
		assert_string_equal(q.top[0].text, want[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_awk_no_rc),
		cmocka_unit_test(test_parser),
		cmocka_unit_test(test_parser_escapes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
