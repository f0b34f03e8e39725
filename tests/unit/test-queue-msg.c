/* test-queue-msg.c: one queued message from real `postqueue -j` lines
 * (captured from the lab's Postfix 3.7, short and long ids), hostile and
 * broken lines, the bounded list and the stream line splitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "queue-msg.h"
#include "test-data.h"

struct collect {
	struct queue_list l;
	unsigned bad;
	unsigned lines;
};

static void
on_line(void *arg, const char *line, size_t len)
{
	struct collect *c = arg;
	struct queue_msg m;
	char err[200];

	c->lines++;
	if (queue_msg_parse(line, len, 1, &m, err, sizeof(err)) != 0) {
		c->bad++;
		assert_true(err[0] != '\0');
		return;
	}
	assert_true(queue_list_take(&c->l, &m) >= 0);
}

/* Feeds buf in chunks of step bytes. */
static void
feed(struct collect *c, const char *buf, size_t len, size_t step)
{
	struct queue_lines s;
	size_t i, k;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < len; i += k) {
		k = len - i < step ? len - i : step;
		assert_int_equal(queue_lines_feed(&s, buf + i, k, on_line, c),
		    0);
	}
	queue_lines_end(&s, on_line, c);
}

static void
test_captured_short(void **state)
{
	struct collect c;
	const struct queue_msg *m;
	size_t len, step;
	char *buf;

	(void)state;
	buf = test_data_slurp("captured/origin-a.postqueue-j.deferred.txt",
	    &len);
	for (step = 1; step <= len; step = step * 3 + 1) {
		memset(&c, 0, sizeof(c));
		queue_list_init(&c.l, 0);
		feed(&c, buf, len, step);
		assert_int_equal(c.bad, 0);
		assert_int_equal(c.l.n, 3);
		m = &c.l.v[0];
		assert_string_equal(m->id, "42F43104385");
		assert_int_equal(m->queue, Q_DEFERRED);
		assert_int_equal(m->host, 1);
		assert_int_equal(m->arrival, 1795829321);
		assert_int_equal(m->size, 323);
		assert_string_equal(m->sender, "relaytest@example.jp");
		assert_int_equal(m->nrcpt, 1);
		assert_int_equal(m->nrcpt_all, 1);
		assert_string_equal(m->rcpt[0].addr, "probe@dest.example");
		assert_string_equal(m->rcpt[0].reason, "connect to "
		    "172.16.1.12[172.16.1.12]:25: Connection refused");
		assert_int_equal(c.l.v[2].queue, Q_HOLD);
		assert_false(queue_id_is_long(m->id));
		queue_list_clear(&c.l);
		assert_int_equal(c.l.n, 0);
	}
	free(buf);
}

static void
test_captured_long(void **state)
{
	struct collect c;
	size_t len;
	char *buf;

	(void)state;
	buf = test_data_slurp("captured/origin-a.postqueue-j.long-ids.txt",
	    &len);
	memset(&c, 0, sizeof(c));
	queue_list_init(&c.l, 0);
	feed(&c, buf, len, 7);
	assert_int_equal(c.l.n, 3);
	assert_string_equal(c.l.v[0].id, "4jhvgD0zxFz84fG");
	assert_true(queue_id_is_long(c.l.v[0].id));
	assert_int_equal(c.l.v[2].queue, Q_HOLD);
	queue_list_clear(&c.l);
	free(buf);
}

/* The lab's queue with two recipients, the null sender and a held one. */
static void
test_captured_ops(void **state)
{
	struct collect c;
	const struct queue_msg *m;
	size_t len;
	char *buf;

	(void)state;
	buf = test_data_slurp("captured/origin-a.postqueue-j.queue-ops.txt",
	    &len);
	memset(&c, 0, sizeof(c));
	queue_list_init(&c.l, 0);
	feed(&c, buf, len, 100);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.l.n, 5);
	m = &c.l.v[1];
	assert_string_equal(m->sender, "MAILER-DAEMON");
	assert_int_equal(m->nrcpt, 2);
	assert_string_equal(m->rcpt[1].addr, "eve@Other.Example");
	assert_string_equal(queue_addr_domain(m->rcpt[1].addr),
	    "Other.Example");
	assert_int_equal(c.l.v[4].queue, Q_HOLD);
	assert_string_equal(c.l.v[4].sender, "mallory@example.net");
	queue_list_clear(&c.l);
	free(buf);
}

/* Hand-made edge cases on the captured record's shape. */
static void
test_bad_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[1,2]",
		"{\"queue_name\": \"corrupt\", \"queue_id\": \"42F43104385\"}",
		"{\"queue_name\": \"deferred\"}",
		"{\"queue_name\": \"deferred\", \"queue_id\": \"42F4\"}",
		"{\"queue_name\": \"deferred\", \"queue_id\": 5}",
		"{\"queue_name\": \"deferred\", \"queue_id\": \"42F4; rm -rf\"}",
		"{\"queue_name\": \"deferred\", \"queue_id\": \"42F43104385\", "
		    "\"queue_id\": \"1B800104364\"}",
		"{\"queue_name\": \"deferred\", \"queue_id\": \"ABCDEFGHIJ\"}",
	};
	struct queue_msg m;
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(queue_msg_parse(bad[i], strlen(bad[i]), 0, &m,
		    err, sizeof(err)), -1);
		assert_null(m.mem);
		assert_true(err[0] != '\0');
	}
}

static void
test_hostile_and_odd(void **state)
{
	static const char line[] = "{\"queue_name\": \"active\", \"queue_id\": "
	    "\"AAAAA1\", \"arrival_time\": 99999999999, \"message_size\": -5, "
	    "\"sender\": \"\", \"recipients\": [{\"address\": "
	    "\"x\\u001b[31m@y\", \"delay_reason\": \"450 \\u202egreylisted\"},"
	    " {\"address\": 7}, \"junk\"]}";
	static const char early[] = "{\"queue_name\": \"incoming\", "
	    "\"queue_id\": \"AAAAA1\", \"arrival_time\": 5, \"recipients\": "
	    "\"nope\"}";
	struct queue_msg m, c;
	char err[200];

	(void)state;
	assert_int_equal(queue_msg_parse(line, strlen(line), 2, &m, err,
	    sizeof(err)), 0);
	assert_int_equal(m.queue, Q_ACTIVE);
	assert_true(m.arrival <= time(NULL) + 86400);
	assert_int_equal(m.size, 0);
	assert_string_equal(m.sender, "");
	assert_int_equal(m.nrcpt, 3);
	assert_null(strchr(m.rcpt[0].addr, '\033'));
	assert_string_equal(m.rcpt[0].addr, "x?[31m@y");
	assert_non_null(strstr(m.rcpt[0].reason, "\xef\xbf\xbd"));
	assert_string_equal(m.rcpt[1].addr, "");
	assert_string_equal(m.rcpt[2].reason, "");
	assert_string_equal(queue_addr_domain(m.rcpt[0].addr), "y");
	assert_int_equal(queue_msg_copy(&c, &m), 0);
	queue_msg_clear(&m);
	assert_string_equal(c.rcpt[0].addr, "x?[31m@y");
	assert_string_equal(c.id, "AAAAA1");
	queue_msg_clear(&c);
	assert_int_equal(queue_msg_parse(early, strlen(early), 0, &m, err,
	    sizeof(err)), 0);
	assert_int_equal(m.arrival, 946684800);
	assert_int_equal(m.nrcpt, 0);
	queue_msg_clear(&m);
}

/* Many recipients: QMSG_RCPT_KEEP kept, all counted; a long address cut. */
static void
test_many_recipients(void **state)
{
	char *line = malloc(200000), *p;
	struct queue_msg m;
	char err[200];
	int i;

	(void)state;
	assert_non_null(line);
	p = line + sprintf(line, "{\"queue_name\": \"deferred\", \"queue_id\": "
	    "\"1B800104364\", \"sender\": \"");
	memset(p, 'a', 1000);
	p += 1000;
	p += sprintf(p, "@x\", \"recipients\": [");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "%s{\"address\": \"r%d@d.example\"}",
		    i ? ", " : "", i);
	sprintf(p, "]}");
	assert_int_equal(queue_msg_parse(line, strlen(line), 0, &m, err,
	    sizeof(err)), 0);
	assert_int_equal(m.nrcpt, QMSG_RCPT_KEEP);
	assert_int_equal(m.nrcpt_all, 100);
	assert_int_equal(strlen(m.sender), QMSG_ADDR_MAX - 1);
	assert_string_equal(m.rcpt[63].addr, "r63@d.example");
	queue_msg_clear(&m);
	free(line);
}

/* The list keeps cap messages and counts the rest; the splitter skips a
 * line over QMSG_LINE_MAX without holding it. */
static void
test_bounds(void **state)
{
	static const char rec[] = "{\"queue_name\": \"deferred\", "
	    "\"queue_id\": \"42F43104385\"}\n";
	struct collect c;
	struct queue_lines s;
	char *big;
	int i;

	(void)state;
	memset(&c, 0, sizeof(c));
	queue_list_init(&c.l, 5);
	for (i = 0; i < 8; i++)
		feed(&c, rec, sizeof(rec) - 1, 64);
	assert_int_equal(c.l.n, 5);
	assert_int_equal(c.l.dropped, 3);
	queue_list_clear(&c.l);
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	memset(&s, 0, sizeof(s));
	c.lines = 0;
	for (i = 0; i < 6; i++)
		assert_int_equal(queue_lines_feed(&s, big, 1 << 20, on_line,
		    &c), 0);
	assert_int_equal(queue_lines_feed(&s, "\n", 1, on_line, &c), 0);
	assert_true(s.cap <= QMSG_LINE_MAX * 2);
	assert_int_equal(s.toolong, 1);
	assert_int_equal(queue_lines_feed(&s, rec, sizeof(rec) - 1, on_line,
	    &c), 0);
	queue_lines_end(&s, on_line, &c);
	assert_int_equal(c.lines, 1);
	assert_int_equal(c.l.n, 1);
	queue_list_clear(&c.l);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_short),
		cmocka_unit_test(test_captured_long),
		cmocka_unit_test(test_captured_ops),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_hostile_and_odd),
		cmocka_unit_test(test_many_recipients),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
