/* test-long-ids.c: real Postfix 3.7 output with enable_long_queue_ids = yes
 * (tests/data/captured/ *.long-ids.txt, made by capture-long-ids.sh): ids
 * with a 'z' inside their time part are parsed, counted by --log as grep
 * counts them, and summed from postqueue -p / -j (the trace of the same
 * capture: test-trace.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "logsum.h"
#include "queue-id.h"
#include "queue.h"
#include "test-data.h"

#define MAILLOG_A	"captured/origin-a.maillog.long-ids.txt"
#define MAILLOG_C	"captured/relay-c.maillog.long-ids.txt"

/* A long id whose time part holds a 'z': more than one 'z' (the inode
 * part, base 51, has none). */
static int
z_in_time(const char *p, size_t n)
{
	const char *z = memchr(p, 'z', n);

	return z != NULL && memchr(z + 1, 'z', n - (size_t)(z + 1 - p));
}

/* The id as grep finds it: "]: " then [0-9A-Za-z]+ then ": ". */
static int
grep_id(const char *line, size_t n, const char **id, size_t *idn)
{
	const char *b = strstr(line, "]: "), *s;

	if (b == NULL || b >= line + n)
		return 0;
	b += 3;
	for (s = b; s < line + n && ((*s >= '0' && *s <= '9') ||
	    (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')); s++)
		;
	if (s == b || s + 1 >= line + n || s[0] != ':' || s[1] != ' ')
		return 0;
	/* what Postfix writes there besides ids */
	if (strncmp(b, "NOQUEUE:", 8) == 0 || strncmp(b, "error:", 6) == 0 ||
	    strncmp(b, "warning:", 8) == 0 || strncmp(b, "fatal:", 6) == 0)
		return 0;
	*id = b;
	*idn = (size_t)(s - b);
	return 1;
}

static size_t
count_str(const char *buf, const char *needle)
{
	size_t n = 0;

	for (; (buf = strstr(buf, needle)) != NULL; buf++)
		n++;
	return n;
}

/* Every line with an id (as grep sees it) gives that id to the parser;
 * both hosts have ids with a 'z' in the time part. */
static void
check_parse(const char *name, size_t *zids)
{
	size_t len, n, idn;
	char *buf = test_data_slurp(name, &len), *p, *nl;
	const char *id;
	struct mail_event ev;
	size_t lines = 0;

	*zids = 0;
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL)
			nl = buf + len;
		n = (size_t)(nl - p);
		if (!grep_id(p, n, &id, &idn))
			continue;
		lines++;
		assert_int_equal(maillog_parse_line(p, n, 2026, &ev), 0);
		if (ev.qid.n != idn || memcmp(ev.qid.p, id, idn) != 0)
			fail_msg("%s: id %.*s not taken from: %.*s", name,
			    (int)idn, id, (int)n, p);
		assert_true(queue_id_valid(id, idn));
		if (z_in_time(id, idn))
			(*zids)++;
	}
	assert_true(lines >= 40);
	free(buf);
}

static void
test_parse(void **state)
{
	size_t za, zc;

	check_parse(MAILLOG_A, &za);
	check_parse(MAILLOG_C, &zc);
	assert_true(za >= 1);
	assert_true(zc >= 1);
}

/* --log on both logs: exactly what grep counts. */
static void
test_logsum(void **state)
{
	size_t la, lc;
	char *a = test_data_slurp(MAILLOG_A, &la);
	char *c = test_data_slurp(MAILLOG_C, &lc);
	size_t sent = count_str(a, "status=sent") + count_str(c, "status=sent");
	size_t msgs = count_str(a, ": message-id=<") +
	    count_str(c, ": message-id=<");
	struct logsum s;
	int exact;

	assert_int_equal(logsum_init(&s, 2026), 0);
	logsum_feed(&s, a, la);
	logsum_feed(&s, c, lc);
	assert_true(sent >= 20);
	assert_int_equal(s.deliveries, count_str(a, " status=") +
	    count_str(c, " status="));
	assert_int_equal(s.status[ST_SENT], sent);
	/* each mail: one cleanup message-id= line on each host */
	assert_int_equal(logsum_messages(&s, &exact), msgs);
	assert_int_equal(exact, 1);
	logsum_free(&s);
	free(a);
	free(c);
}

/* The encoding the property test (test-queue-id.c) copies, checked on
 * Postfix's own ids: the time part before the last 'z', decoded in base 52
 * over "0-9 B-Z b-z" without vowels, is the second the id was made, the
 * second of its first log line (pickup on A, smtpd client= on C). */
static void
check_time_part(const char *name, const char *first)
{
	static const char safe[] =
	    "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
	size_t len, n, idn, i, checked = 0;
	char *buf = test_data_slurp(name, &len), *p, *nl;
	const char *id, *z;
	struct mail_event ev;

	for (p = buf; p < buf + len; p = nl + 1) {
		unsigned long long sec = 0, usec = 0;

		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL)
			nl = buf + len;
		n = (size_t)(nl - p);
		if (!grep_id(p, n, &id, &idn) || strstr(p, first) == NULL ||
		    strstr(p, first) > nl)
			continue;
		assert_int_equal(maillog_parse_line(p, n, 2026, &ev), 0);
		for (z = id + idn - 1; *z != 'z'; z--)
			;
		for (i = 0; id + i < z - 4; i++)
			sec = sec * 52 + (unsigned long long)(strchr(safe,
			    id[i]) - safe);
		for (; id + i < z; i++)
			usec = usec * 52 + (unsigned long long)(strchr(safe,
			    id[i]) - safe);
		assert_true(usec < 1000000);
		if ((long long)sec < (long long)ev.when - 2 ||
		    (long long)sec > (long long)ev.when)
			fail_msg("%.*s: time part %llu, logged at %lld", (int)idn,
			    id, sec, (long long)ev.when);
		checked++;
	}
	assert_true(checked >= 10);
	free(buf);
}

static void
test_time_part(void **state)
{
	setenv("TZ", "UTC", 1);		/* the lab logs in UTC */
	tzset();
	check_time_part(MAILLOG_A, "postfix/pickup[");
	check_time_part(MAILLOG_C, ": client=");
}

/* A queue of long ids: 2 deferred, 1 held ('!'), in both forms. */
static void
test_postqueue(void **state)
{
	struct queue_summary q;
	char err[128];
	size_t len;
	char *buf = test_data_slurp("captured/origin-a.postqueue-p.long-ids.txt",
	    &len);

	assert_int_equal(queue_parse_text(buf, len, 1796536800, &q, err,
	    sizeof(err)), 0);
	assert_int_equal(q.count[Q_DEFERRED], 2);
	assert_int_equal(q.count[Q_HOLD], 1);
	assert_int_equal(q.malformed, 0);
	free(buf);
	buf = test_data_slurp("captured/origin-a.postqueue-j.long-ids.txt", &len);
	assert_int_equal(queue_parse_json(buf, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.count[Q_DEFERRED], 2);
	assert_int_equal(q.count[Q_HOLD], 1);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_logsum),
		cmocka_unit_test(test_time_part),
		cmocka_unit_test(test_postqueue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
