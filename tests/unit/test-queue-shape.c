/* test-queue-shape.c: the qshape-style table (buckets, domains counted once
 * per message, per host and merged, order) and the reason normaliser, on
 * hand-made messages and on the lab's captured postqueue -j listings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test-data.h"

#include "queue-msg.h"
#include "queue-shape.h"

#define NOW	1795830000

static void
test_buckets(void **state)
{
	assert_int_equal(qshape_bucket(-100), 0);
	assert_int_equal(qshape_bucket(0), 0);
	assert_int_equal(qshape_bucket(4 * 60 + 59), 0);
	assert_int_equal(qshape_bucket(5 * 60), 1);
	assert_int_equal(qshape_bucket(19 * 60), 2);
	assert_int_equal(qshape_bucket(20 * 60), 3);
	assert_int_equal(qshape_bucket(1279 * 60 + 59), 8);
	assert_int_equal(qshape_bucket(1280 * 60), 9);
	assert_int_equal(qshape_bucket((time_t)40 * 86400), 9);
	assert_string_equal(qshape_bucket_name(0), "5");
	assert_string_equal(qshape_bucket_name(8), "1280");
	assert_string_equal(qshape_bucket_name(9), "1280+");
	assert_string_equal(qshape_bucket_name(10), "?");
}

static void
test_domain(void **state)
{
	char d[QSHAPE_DOMAIN_MAX], longaddr[600];

	qshape_domain("Probe@Dest.EXAMPLE", d);
	assert_string_equal(d, "dest.example");
	qshape_domain("\"a@b\"@x.example", d);
	assert_string_equal(d, "x.example");
	qshape_domain("postmaster", d);
	assert_string_equal(d, "");
	qshape_domain(NULL, d);
	assert_string_equal(d, "");
	memset(longaddr, 'a', sizeof longaddr);
	longaddr[0] = '@';
	longaddr[sizeof longaddr - 1] = '\0';
	qshape_domain(longaddr, d);
	assert_int_equal(strlen(d), QSHAPE_DOMAIN_MAX - 1);
}

static void
norm_is(const char *in, const char *want)
{
	char out[QSHAPE_REASON_MAX];

	assert_string_equal(qshape_reason_norm(in, out, sizeof out), want);
}

static void
test_norm(void **state)
{
	char out[8];

	/* the lab's own reasons (captured), and Postfix's usual forms */
	norm_is("connect to 172.16.1.12[172.16.1.12]:25: Connection refused",
	    "connect to #.#.#.#[#.#.#.#]:#: Connection refused");
	norm_is("host mx1.dest.example[10.0.0.7] said: 450 4.7.1 "
	    "<u@dest.example>: Recipient address rejected: greylisted for "
	    "300 seconds (in reply to RCPT TO command)",
	    "host mx#.dest.example[#.#.#.#] said: # #.#.# <u@dest.example>: "
	    "Recipient address rejected: greylisted for # seconds (in reply "
	    "to RCPT TO command)");
	/* queue ids, short and long, and hex become one '#' each */
	norm_is("250 2.0.0 Ok: queued as 7F1F57BE4",
	    "# #.#.# Ok: queued as #");
	norm_is("queued as 4QJ7Xq0Hn5z1kx", "queued as #");
	norm_is("id deadbeef01 and cafe", "id # and cafe");
	norm_is("connect to [2001:db8::25]:25: Network is unreachable",
	    "connect to [#:#::#]:#: Network is unreachable");
	/* white space folded and trimmed; other bytes kept */
	norm_is("  lost\tconnection \n with  mx  ", "lost connection with mx");
	norm_is("d\xc3\xa9j\xc3\xa0 vu 42", "d\xc3\xa9j\xc3\xa0 vu #");
	norm_is("", "");
	norm_is(NULL, "");
	/* two texts that differ only in numbers group together */
	assert_string_equal(qshape_reason_norm("conversation with "
	    "10.1.1.1 timed out after 300s", out, sizeof out), "convers");
	qshape_reason_norm("x", out, 0);
}

static void
add1(struct qshape *s, int host, time_t age, const char *a0, const char *a1,
    const char *reason)
{
	const char *addr[2] = { a0, a1 }, *why[2] = { reason, reason };

	assert_int_equal(qshape_add(s, host, NOW - age, NOW, addr, why,
	    a1 != NULL ? 2 : 1), 0);
}

static const struct qshape_row *
row_of(const struct qshape_table *t, const char *dom)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].domain, dom) == 0)
			return &t->rows[i];
	return NULL;
}

static void
test_table(void **state)
{
	struct qshape s;
	const struct qshape_row *r;

	assert_int_equal(qshape_init(&s, 2), 0);
	/* two recipients at one domain count the message once */
	add1(&s, 0, 60, "a@x.example", "b@X.example", "connect to 1.2.3.4:25");
	add1(&s, 0, 600, "a@y.example", "c@x.example", "connect to 5.6.7.8:25");
	add1(&s, 1, 90000, "z@y.example", NULL, "lost connection");
	add1(&s, 1, 0, "local", NULL, "");
	assert_int_equal(qshape_add(&s, 2, NOW, NOW, NULL, NULL, 0), -1);
	qshape_finish(&s);
	assert_int_equal(s.messages, 4);
	assert_int_equal(s.merged.all.total, 4);
	assert_int_equal(s.merged.all.b[0], 2);
	assert_int_equal(s.merged.all.b[2], 1);
	assert_int_equal(s.merged.all.b[9], 1);
	assert_int_equal(s.merged.n, 3);
	/* most first, ties by name */
	assert_string_equal(s.merged.rows[0].domain, "x.example");
	assert_string_equal(s.merged.rows[1].domain, "y.example");
	assert_string_equal(s.merged.rows[2].domain, "");
	r = row_of(&s.merged, "x.example");
	assert_int_equal(r->total, 2);
	assert_int_equal(r->b[0], 1);
	assert_int_equal(r->b[2], 1);
	r = row_of(&s.host[0], "y.example");
	assert_int_equal(r->total, 1);
	assert_int_equal(r->b[2], 1);
	r = row_of(&s.host[1], "y.example");
	assert_int_equal(r->total, 1);
	assert_int_equal(r->b[9], 1);
	assert_null(row_of(&s.host[1], "x.example"));
	assert_int_equal(s.host[0].all.total, 2);
	assert_int_equal(s.host[1].all.total, 2);
	/* reasons per recipient, normalised: the two connects are one */
	assert_int_equal(s.nreasons, 2);
	assert_string_equal(s.reasons[0].text, "connect to #.#.#.#:#");
	assert_int_equal(s.reasons[0].total, 4);
	assert_int_equal(s.reasons[0].host[0], 4);
	assert_int_equal(s.reasons[0].host[1], 0);
	assert_string_equal(s.reasons[1].text, "lost connection");
	assert_int_equal(s.reasons[1].host[1], 1);
	qshape_free(&s);
	qshape_free(&s);	/* twice is harmless */
}

/* Many domains and reasons: the indexes grow and every count stays. */
static void
test_many(void **state)
{
	struct qshape s;
	char addr[64], why[64];
	const char *a[1] = { addr }, *w[1] = { why };
	unsigned i, sum = 0;
	size_t k;

	assert_int_equal(qshape_init(&s, 3), 0);
	for (i = 0; i < 20000; i++) {
		snprintf(addr, sizeof addr, "u%u@d%u.example", i, i % 997);
		snprintf(why, sizeof why, "reason %c %u", 'a' + i % 26, i);
		assert_int_equal(qshape_add(&s, (int)(i % 3), NOW - i, NOW,
		    a, w, 1), 0);
	}
	qshape_finish(&s);
	assert_int_equal(s.merged.n, 997);
	assert_int_equal(s.nreasons, 26);
	for (k = 0; k < s.merged.n; k++)
		sum += s.merged.rows[k].total;
	assert_int_equal(sum, 20000);
	for (k = 1; k < s.merged.n; k++)
		assert_true(s.merged.rows[k - 1].total >= s.merged.rows[k].total);
	assert_int_equal(s.host[0].all.total + s.host[1].all.total +
	    s.host[2].all.total, 20000);
	qshape_free(&s);
}

/* The lab's captured listings (origin-a with both relays stopped), read
 * by the queue-msg parser into lists, one per host. */
static void
read_listing(struct queue_list *l, int host, const char *file)
{
	char *buf, *line, *save = NULL, err[160];
	struct queue_msg m;
	size_t len;

	queue_list_init(l, 0);
	buf = test_data_slurp(file, &len);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(queue_msg_parse(line, strlen(line), host, &m,
		    err, sizeof err), 0);
		assert_int_equal(queue_list_take(l, &m), 0);
	}
	free(buf);
}

static void
test_captured(void **state)
{
	struct queue_list a, b;
	const struct queue_list *lists[3] = { &a, &b, NULL };
	struct qshape s;

	read_listing(&a, 0, "captured/origin-a.postqueue-j.deferred.txt");
	read_listing(&b, 1, "captured/origin-a.postqueue-j.long-ids.txt");
	assert_int_equal(qshape_init(&s, 3), 0);
	assert_int_equal(qshape_add_lists(&s, lists, 3, -1, NOW), 0);
	/* the hold message of each listing is left out */
	assert_int_equal(s.merged.all.total, a.n - 1 + b.n - 1);
	assert_string_equal(s.merged.rows[0].domain, "dest.example");
	assert_int_equal(s.host[0].all.total, 2);
	/* arrived at 1795829321, 679 s before NOW: the "20" column */
	assert_int_equal(s.host[0].all.b[2], 2);
	assert_true(s.nreasons >= 1);
	assert_string_equal(s.reasons[0].text,
	    "connect to #.#.#.#[#.#.#.#]:#: Connection refused");
	assert_int_equal(s.reasons[0].host[0], 2);
	qshape_free(&s);
	/* one host only */
	assert_int_equal(qshape_init(&s, 3), 0);
	assert_int_equal(qshape_add_lists(&s, lists, 3, 0, NOW), 0);
	assert_int_equal(s.merged.all.total, 2);
	assert_int_equal(s.host[1].all.total, 0);
	qshape_free(&s);
	queue_list_clear(&a);
	queue_list_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_norm),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_captured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
