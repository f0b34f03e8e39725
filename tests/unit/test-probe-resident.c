/* test-probe-resident.c: the resident probe shell (src/remote/probe.sh -r)
 * run locally on a file of requests: answers ended by each request's own
 * marker, the time mark made for the second request only, and the short
 * request ("TOKEN|=|QW|QK|."), which stands for the last request's other
 * values: its answer is that request's again, and without a last request
 * the shell ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "probe.h"
#include "test-probe-local.h"

/* A config_dir for the resident tests, with its maillog (one line
 * written, "l1 first") in path and a requests file named in req. */
#define RES_NAME_MAX	96	/* path and req */

static void
resident_dir(char *dir, char *path, char *req)
{
	config_dir(dir);
	snprintf(path, RES_NAME_MAX, "%s/maillog", dir);
	snprintf(req, RES_NAME_MAX, "%s/requests", dir);
	append(path, "l1 first\n");
}

/* The resident shell makes its time mark (mktemp, rm: two execs) for its
 * second request, not its first: a single snapshot (--once) runs neither,
 * and no date (no rotation to age); a second request does, once. */
static void
test_resident_mark_from_second(void **state)
{
	char dir[64] = "/tmp/rt-probe-mark-XXXXXX";
	char path[RES_NAME_MAX], req[RES_NAME_MAX];
	char run[96], trace[96], line[PROBE_REQUEST_MAX], err[160], *cmd;
	char full[65536], buf[4096];
	struct probe_args a;
	FILE *f;
	int i, n, nreq;

	(void)state;
	resident_dir(dir, path, req);
	snprintf(run, sizeof(run), "%s/run.sh", dir);
	snprintf(trace, sizeof(trace), "%s/trace", dir);
	cmd = probe_resident_command("", err, sizeof(err));
	assert_non_null(cmd);
	for (nreq = 1; nreq <= 2; nreq++) {
		f = fopen(req, "w");
		assert_non_null(f);
		for (i = 0; i < nreq; i++) {
			memset(&a, 0, sizeof(a));
			memcpy(a.token, "0123456789abcdef0123456789abcdef",
			    PROBE_TOKEN_LEN);
			a.maillog = path;
			a.postfix_config = dir;
			a.cfg_stamp = "";
			a.cur_path = "";
			a.first_bytes = 64;
			a.no_queue = 1;
			n = probe_request_build(&a, line, sizeof(line), err,
			    sizeof(err));
			assert_true(n > 0);
			assert_int_equal(fwrite(line, 1, (size_t)n, f),
			    (size_t)n);
		}
		fclose(f);
		snprintf(full, sizeof(full), "%s <%s", cmd, req);
		f = fopen(run, "w");
		assert_non_null(f);
		fputs(full, f);
		fclose(f);
		snprintf(full, sizeof(full), "strace -f -qq -e trace=execve "
		    "-o %s /bin/sh %s", trace, run);
		f = popen(full, "r");
		assert_non_null(f);
		while (fread(buf, 1, sizeof(buf), f) > 0)
			;
		assert_int_equal(pclose(f), 0);
		assert_int_equal(execs(trace, "/mktemp\""), nreq - 1);
		assert_int_equal(execs(trace, "/rm\""), nreq - 1);
		assert_int_equal(execs(trace, "/date\""), 0);
		assert_int_equal(execs(trace, "/postconf\""), nreq);
	}
	free(cmd);
	unlink(trace);
	unlink(run);
	unlink(path);
	unlink(req);
	config_dir_remove(dir);
}

static const char *const toks[3] = { "0123456789abcdef0123456789abcdef",
    "fedcba9876543210fedcba9876543210", "00112233445566778899aabbccddeeff" };

/* Request i of the resident tests, with toks[i]: 0 a first contact, 1
 * and 2 from the cursor at 9 in path (2 in the short form). */
static int
res_request(int i, const char *dir, const char *path, ino_t ino,
    int no_queue, char *line, size_t len)
{
	struct probe_args a;
	char err[160];

	memset(&a, 0, sizeof(a));
	memcpy(a.token, toks[i], PROBE_TOKEN_LEN);
	a.maillog = path;
	a.postfix_config = dir;
	a.cfg_stamp = "";
	a.first_bytes = 64;
	a.cur_path = i ? path : "";
	a.cur_ino = i ? (uint64_t)ino : 0;
	a.cur_off = i ? 9 : 0;
	a.no_queue = no_queue;
	if (i == 2)
		return probe_request_again(&a, line, len);
	return probe_request_build(&a, line, len, err, sizeof(err));
}

/* The resident script run locally: two requests on its stdin give two
 * answers, each ended by its own token's marker; the second reads the log
 * from the cursor the first left and, not asked for it, no queue. */
static void
test_script_resident(void **state)
{
	char dir[64] = "/tmp/rt-probe-res-XXXXXX";
	char path[RES_NAME_MAX], req[RES_NAME_MAX];
	char line[PROBE_REQUEST_MAX], mark[64], err[160], *cmd, *out, *second;
	struct probe_output o;
	struct stat st;
	size_t len;
	FILE *f;
	int i, n, k;

	(void)state;
	resident_dir(dir, path, req);
	assert_int_equal(stat(path, &st), 0);
	f = fopen(req, "w");
	assert_non_null(f);
	for (i = 0; i < 2; i++) {
		n = res_request(i, dir, path, st.st_ino, i, line, sizeof(line));
		assert_true(n > 0);
		assert_int_equal(fwrite(line, 1, (size_t)n, f), (size_t)n);
	}
	fclose(f);
	append(path, "l2 second\n");
	cmd = probe_resident_command("", err, sizeof(err));
	assert_non_null(cmd);
	{
		char full[65536];

		assert_true(strlen(cmd) + strlen(req) + 8 < sizeof(full));
		snprintf(full, sizeof(full), "%s <%s", cmd, req);
		f = popen(full, "r");
	}
	assert_non_null(f);
	out = calloc(1, 1 << 20);
	assert_non_null(out);
	len = fread(out, 1, (1 << 20) - 1, f);
	assert_int_equal(pclose(f), 0);
	probe_done_marker(toks[0], mark, sizeof(mark));
	second = strstr(out, mark);
	assert_non_null(second);
	assert_int_equal(probe_sections_split(out, (size_t)(second - out),
	    toks[0], &o), 0);
	assert_true(o.complete);
	second += strlen(mark);
	probe_done_marker(toks[1], mark, sizeof(mark));
	assert_true(len > strlen(mark));
	assert_memory_equal(out + len - strlen(mark), mark, strlen(mark));
	assert_int_equal(probe_sections_split(second, (size_t)(out + len -
	    strlen(mark) - second), toks[1], &o), 0);
	assert_true(o.complete);
	k = -1;
	assert_null(probe_section_next(&o, "queue", &k));
	k = -1;
	assert_non_null(probe_section_next(&o, "log", &k));
	{
		char kind[8];
		uint64_t start = 0, base = 0;

		assert_int_equal(probe_section_arg(&o.v[k], "kind", kind,
		    sizeof(kind)), 0);
		assert_string_equal(kind, "cur");
		assert_int_equal(probe_section_arg_u64(&o.v[k], "start",
		    &start), 0);
		assert_int_equal(start, 9);
		assert_int_equal(probe_section_arg_u64(&o.v[k], "base", &base),
		    0);
		assert_true(o.v[k].body_len >= start - base + 10);
		assert_memory_equal(o.v[k].body + (start - base),
		    "l2 second\n", 10);
	}
	free(out);
	free(cmd);
	unlink(path);
	unlink(req);
	config_dir_remove(dir);
}

/* Runs the resident on the requests file req: its output (heap, *len)
 * and exit status. */
static char *
resident_run(const char *req, size_t *len, int *status)
{
	char err[160], *cmd, *full, *out;
	size_t n;
	FILE *f;

	cmd = probe_resident_command("", err, sizeof(err));
	assert_non_null(cmd);
	n = strlen(cmd) + strlen(req) + 8;
	full = malloc(n);
	assert_non_null(full);
	snprintf(full, n, "%s <%s", cmd, req);
	f = popen(full, "r");
	assert_non_null(f);
	out = calloc(1, 1 << 20);
	assert_non_null(out);
	*len = fread(out, 1, (1 << 20) - 1, f);
	*status = pclose(f);
	free(full);
	free(cmd);
	return out;
}

/* The log section of the answer to toks[i] in out: its kind and start. */
static void
answer_log(const char *out, size_t len, int i, char *kind, size_t klen,
    uint64_t *start)
{
	char mark[64];
	const char *from = out, *end;
	struct probe_output o;
	int k = -1;

	if (i > 0) {
		probe_done_marker(toks[i - 1], mark, sizeof(mark));
		from = strstr(out, mark);
		assert_non_null(from);
		from += strlen(mark);
	}
	probe_done_marker(toks[i], mark, sizeof(mark));
	end = strstr(from, mark);
	assert_non_null(end);
	assert_true(end <= out + len);
	assert_int_equal(probe_sections_split(from, (size_t)(end - from),
	    toks[i], &o), 0);
	assert_true(o.complete);
	assert_non_null(probe_section_next(&o, "log", &k));
	assert_int_equal(probe_section_arg(&o.v[k], "kind", kind, klen), 0);
	assert_int_equal(probe_section_arg_u64(&o.v[k], "start", start), 0);
}

static void
test_resident_short_request(void **state)
{
	char dir[64] = "/tmp/rt-probe-short-XXXXXX";
	char path[RES_NAME_MAX], req[RES_NAME_MAX], line[PROBE_REQUEST_MAX];
	char kind[8], want[80], *out;
	struct stat st;
	uint64_t start;
	size_t len;
	int i, n, status;
	FILE *f;

	(void)state;
	resident_dir(dir, path, req);
	assert_int_equal(stat(path, &st), 0);
	n = res_request(2, dir, path, st.st_ino, 1, line, sizeof(line));
	snprintf(want, sizeof(want), "%s|=|0|0|.\n", toks[2]);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(line, want);

	/* alone, the short form stands for nothing: the shell ends */
	f = fopen(req, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(line, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	out = resident_run(req, &len, &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	assert_int_equal(len, 0);
	free(out);

	/* after a first contact and a request from the cursor, it is that
	 * request again: the log from the cursor, not a first contact's */
	f = fopen(req, "w");
	assert_non_null(f);
	for (i = 0; i < 3; i++) {
		n = res_request(i, dir, path, st.st_ino, 1, line,
		    sizeof(line));
		assert_true(n > 0);
		assert_int_equal(fwrite(line, 1, (size_t)n, f), (size_t)n);
	}
	fclose(f);
	append(path, "l2 second\n");
	out = resident_run(req, &len, &status);
	assert_int_equal(status, 0);
	answer_log(out, len, 0, kind, sizeof(kind), &start);
	assert_string_equal(kind, "first");
	for (i = 1; i < 3; i++) {
		answer_log(out, len, i, kind, sizeof(kind), &start);
		assert_string_equal(kind, "cur");
		assert_int_equal(start, 9);
	}
	free(out);
	unlink(path);
	unlink(req);
	config_dir_remove(dir);
}

/* The key that tells when the short form may go: equal when only the
 * token, queue wanted and quick differ; not when the cursor moved. */
static void
test_request_key(void **state)
{
	struct probe_args a, b;
	char ka[PROBE_REQUEST_MAX], kb[PROBE_REQUEST_MAX], err[160];
	int na, nb;

	(void)state;
	memset(&a, 0, sizeof(a));
	memcpy(a.token, toks[0], PROBE_TOKEN_LEN);
	a.maillog = "/var/log/maillog";
	a.cfg_stamp = "1.2 3.4 ";
	a.cur_path = "/var/log/maillog";
	a.cur_ino = 12;
	a.cur_off = 3456;
	b = a;
	memcpy(b.token, toks[1], PROBE_TOKEN_LEN);
	b.no_queue = 1;
	b.quick = 1;
	na = probe_request_key(&a, ka, sizeof(ka), err, sizeof(err));
	nb = probe_request_key(&b, kb, sizeof(kb), err, sizeof(err));
	assert_true(na > 0);
	assert_int_equal(na, nb);
	assert_memory_equal(ka, kb, (size_t)na);
	assert_null(strstr(ka, toks[0]));
	b.cur_off = 3457;
	nb = probe_request_key(&b, kb, sizeof(kb), err, sizeof(err));
	assert_true(na != nb || memcmp(ka, kb, (size_t)na) != 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_resident),
		cmocka_unit_test(test_resident_mark_from_second),
		cmocka_unit_test(test_resident_short_request),
		cmocka_unit_test(test_request_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
