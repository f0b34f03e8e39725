/* test-logsum.c: the offline maillog summary (relaytop --log) on a small
 * real-shaped log (captured lab lines plus hand-made forms,
 * tests/data/maillog/summary.log) with exact expected counts; the
 * threaded split and merge; reason grouping; the JSON output. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "logsum.h"
#include "modes.h"

#define SUMMARY	TEST_DATA "/maillog/summary.log"

static int
setup_utc(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static const struct logsum_entry *
find(const struct logsum_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->v[i].hash != 0 && t->v[i].klen == strlen(key) &&
		    memcmp(t->v[i].key, key, t->v[i].klen) == 0)
			return &t->v[i];
	return NULL;
}

/* The exact counts of summary.log, times k (k copies of the file). */
static void
check_counts(const struct logsum *s, uint64_t k)
{
	const struct logsum_entry *e;
	int exact;

	assert_int_equal(s->lines, 70 * k);
	assert_int_equal(logsum_messages(s, &exact), 9);
	assert_int_equal(exact, 1);
	assert_int_equal(s->deliveries, 15 * k);
	assert_int_equal(s->status[ST_SENT], 7 * k);
	assert_int_equal(s->status[ST_DEFERRED], 5 * k);
	assert_int_equal(s->status[ST_BOUNCED], 2 * k);
	assert_int_equal(s->status[ST_EXPIRED], 1 * k);
	assert_int_equal(s->status[ST_NONE], 0);
	assert_int_equal(s->connect_fail, 8 * k);
	assert_int_equal(s->relay_denied, 3 * k);
	assert_int_equal(s->loops, 2 * k);
	assert_int_equal(s->warnings, 4 * k);
	assert_int_equal(s->first, 1780494704);	/* 2026-06-03 13:51:44Z */
	assert_int_equal(s->last, 1795829344);	/* 2026-11-28 01:29:04Z */

	assert_int_equal(s->relays.used, 6);
	e = find(&s->relays, "172.16.1.11[172.16.1.11]:25");
	assert_non_null(e);
	assert_int_equal(e->n[ST_SENT], 3 * k);
	assert_int_equal(e->n[ST_BOUNCED], 2 * k);
	assert_int_equal(logsum_entry_total(e), 5 * k);
	e = find(&s->relays, "none");
	assert_non_null(e);
	assert_int_equal(e->n[ST_DEFERRED], 4 * k);
	e = find(&s->relays, "172.16.30.25[172.16.30.25]:25");
	assert_non_null(e);
	assert_int_equal(e->n[ST_SENT], 2 * k);
	assert_non_null(find(&s->relays, "172.16.1.12[172.16.1.12]:25"));
	assert_non_null(find(&s->relays, "mx[192.0.2.1]:25"));
	assert_non_null(find(&s->relays, "mx[2001:db8::1]:25"));

	e = find(&s->deferred,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	assert_non_null(e);
	assert_int_equal(e->n[ST_NONE], 4 * k);
	e = find(&s->deferred, "host mx[192.0.2.1] said: 250 2.0.0 from "
	    "MTA(smtp:[127.0.0.1]:*): 250 2.0.0 Ok: queued as * (queued as *)");
	assert_non_null(e);
	assert_int_equal(e->n[ST_NONE], 1 * k);
	e = find(&s->bounced, "mail for [172.16.1.11] loops back to myself");
	assert_non_null(e);
	assert_int_equal(e->n[ST_NONE], 2 * k);
	e = find(&s->bounced, "(expired, returned to sender)");
	assert_non_null(e);
	assert_int_equal(e->n[ST_NONE], 1 * k);
}

static void
test_summary(void **state)
{
	struct logsum s;
	const struct logsum_entry *top[3];

	assert_int_equal(logsum_init(&s, 2026), 0);
	assert_int_equal(logsum_file(SUMMARY, 1, &s), 0);
	check_counts(&s, 1);
	assert_int_equal(logsum_top(&s.relays, top, 3), 3);
	assert_int_equal(top[0]->klen, strlen("172.16.1.11[172.16.1.11]:25"));
	assert_int_equal(logsum_entry_total(top[1]), 4);	/* none */
	logsum_free(&s);
}

/* 600 copies (over 4 MB): split over threads, merged, same counts. */
static void
test_threads(void **state)
{
	char path[] = "/tmp/relaytop-logsum-XXXXXX", *buf;
	struct logsum s;
	FILE *in, *out;
	size_t n;
	int fd, i;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	in = fopen(SUMMARY, "rb");
	assert_non_null(out);
	assert_non_null(in);
	buf = malloc(1 << 16);
	n = fread(buf, 1, 1 << 16, in);
	fclose(in);
	for (i = 0; i < 600; i++)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(out);
	free(buf);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(logsum_init(&s, 2026), 0);
		assert_int_equal(logsum_file(path, i, &s), 0);
		check_counts(&s, 600);
		logsum_free(&s);
	}
	unlink(path);
}

static void
test_errors(void **state)
{
	struct logsum s;

	assert_int_equal(logsum_init(&s, 2026), 0);
	errno = 0;
	assert_int_equal(logsum_file("/nonexistent/maillog", 0, &s), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(logsum_file("/tmp", 0, &s), -1);
	assert_int_equal(errno, EISDIR);
	/* An empty file and /dev/null (not regular: the read() path). */
	assert_int_equal(logsum_file("/dev/null", 0, &s), 0);
	assert_int_equal(s.lines, 0);
	logsum_free(&s);
}

static void
test_normalise(void **state)
{
	char out[64];
	const char *r = "host x[1.2.3.4] said: 450 4.2.0 <u@d>: greylisted, "
	    "session 1092988691 id u5N6piOt024243";

	logsum_reason_normalise(out, sizeof out, r, strlen(r));
	assert_string_equal(out, "host x[1.2.3.4] said: 450 4.2.0 <>: "
	    "greylisted, session * id *");
	assert_int_equal(logsum_reason_normalise(out, 16, r, strlen(r)), 15);
	assert_string_equal(out, "host x[1.2.3.4]");
	assert_int_equal(logsum_reason_normalise(out, 1, r, strlen(r)), 0);
	assert_string_equal(out, "");
	/* An unclosed '<' is kept as it is. */
	logsum_reason_normalise(out, sizeof out, "a <b", 4);
	assert_string_equal(out, "a <b");
}

static void
test_json(void **state)
{
	struct logsum s;
	json_error_t jerr;
	json_t *root, *d, *r;
	FILE *fp = tmpfile();

	assert_non_null(fp);
	assert_int_equal(logsum_init(&s, 2026), 0);
	assert_int_equal(logsum_file(SUMMARY, 0, &s), 0);
	assert_int_equal(logsum_print_json(&s, "x\x1b[2Jy", fp), 0);
	logsum_print_text(&s, "x", fp);	/* must not crash */
	rewind(fp);
	root = json_loadf(fp, JSON_DISABLE_EOF_CHECK, &jerr);
	assert_non_null(root);
	assert_null(strchr(json_string_value(json_object_get(root, "file")),
	    '\x1b'));
	assert_int_equal(json_integer_value(json_object_get(root, "lines")),
	    70);
	assert_int_equal(json_integer_value(json_object_get(root, "messages")),
	    9);
	assert_true(json_is_true(json_object_get(root, "messages_exact")));
	assert_string_equal(json_string_value(json_object_get(root, "first")),
	    "2026-06-03T13:51:44Z");
	d = json_object_get(root, "deliveries");
	assert_int_equal(json_integer_value(json_object_get(d, "total")), 15);
	assert_int_equal(json_integer_value(json_object_get(d, "expired")), 1);
	r = json_array_get(json_object_get(root, "relays"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "relay")),
	    "172.16.1.11[172.16.1.11]:25");
	assert_int_equal(json_integer_value(json_object_get(r, "bounced")), 2);
	r = json_array_get(json_object_get(root, "deferral_reasons"), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 4);
	assert_int_equal(json_integer_value(json_object_get(root,
	    "connect_failures")), 8);
	assert_int_equal(json_integer_value(json_object_get(root, "loops")), 2);
	json_decref(root);
	fclose(fp);
	logsum_free(&s);
}

/* A 1.5 MB line between two copies of summary.log, read from a regular
 * file (pread) and from a FIFO (read): cut, counted as one line, and the
 * lines around it still counted exactly. */
static void
test_long_line(void **state)
{
	char dir[] = "/tmp/relaytop-long-XXXXXX", file[64], fifo[64], *buf;
	size_t n, big = 1536u << 10;
	struct logsum s;
	FILE *in, *out;
	pid_t pid;
	int status;

	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/log", dir);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	in = fopen(SUMMARY, "rb");
	buf = malloc(big);
	assert_non_null(in);
	assert_non_null(buf);
	n = fread(buf, 1, big, in);
	fclose(in);
	out = fopen(file, "wb");
	assert_non_null(out);
	fwrite(buf, 1, n, out);
	memset(buf + n, 'x', big - n);
	fwrite(buf + n, 1, big - n, out);
	fputc('\n', out);
	fwrite(buf, 1, n, out);
	fclose(out);
	free(buf);

	assert_int_equal(logsum_init(&s, 2026), 0);
	assert_int_equal(logsum_file(file, 1, &s), 0);
	assert_int_equal(s.lines, 141);
	assert_int_equal(s.deliveries, 30);
	logsum_free(&s);

	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char cmd[160];

		snprintf(cmd, sizeof cmd, "cat '%s' > '%s'", file, fifo);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
	assert_int_equal(logsum_init(&s, 2026), 0);
	assert_int_equal(logsum_file(fifo, 0, &s), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(s.lines, 141);
	assert_int_equal(s.deliveries, 30);
	logsum_free(&s);
	unlink(fifo);
	unlink(file);
	rmdir(dir);
}

/* mode_log: exit 2 and exactly one line "relaytop: FILE: <strerror>". */
static void
test_mode_errors(void **state)
{
	struct options o;
	char path[] = "/tmp/relaytop-modelog-XXXXXX", buf[256];
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	memset(&o, 0, sizeof o);
	o.log_path = "/nonexistent/maillog";
	fflush(stderr);
	dup2(fd, 2);
	assert_int_equal(mode_log(&o), 2);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof buf - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "relaytop: /nonexistent/maillog: No such "
	    "file or directory\n");
	close(fd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_mode_errors),
	};

	return cmocka_run_group_tests(tests, setup_utc, NULL);
}
