/* test-queue-index.c: the queue view's index: the three sorts and their
 * reverse, the host scope, the filter (h15a's matcher) narrowing without a
 * new sort, tags that follow host + id + arrival through a new listing and
 * drop when a short id is reused, and the counts a confirmation shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queue-index.h"

/* One postqueue -j record. */
static void
add(struct queue_list *l, int host, const char *q, const char *id,
    long arrival, long size, const char *from, const char *to,
    const char *why)
{
	char line[1024], err[160];
	struct queue_msg m;

	snprintf(line, sizeof line, "{\"queue_name\": \"%s\", \"queue_id\": "
	    "\"%s\", \"arrival_time\": %ld, \"message_size\": %ld, \"sender\": "
	    "\"%s\", \"recipients\": [{\"address\": \"%s\", \"delay_reason\": "
	    "\"%s\"}]}", q, id, arrival, size, from, to, why);
	assert_int_equal(queue_msg_parse(line, strlen(line), host, &m, err,
	    sizeof err), 0);
	assert_int_equal(queue_list_take(l, &m), 0);
}

struct two {
	struct queue_list a, b;
	const struct queue_list *lists[2];
};

static void
fill(struct two *t)
{
	queue_list_init(&t->a, 0);
	queue_list_init(&t->b, 0);
	add(&t->a, 0, "deferred", "1B800104364", 1700000300, 500,
	    "x@origin.example", "u@dest.example", "connect to 1.2.3.4:25");
	add(&t->a, 0, "hold", "42F43104385", 1700000100, 9000,
	    "y@origin.example", "v@other.example", "");
	add(&t->b, 1, "deferred", "67A371043E9", 1700000200, 100,
	    "z@origin.example", "w@dest.example", "lost connection");
	t->lists[0] = &t->a;
	t->lists[1] = &t->b;
}

static void
unfill(struct two *t)
{
	queue_list_clear(&t->a);
	queue_list_clear(&t->b);
}

static const char *
id_at(const struct queue_index *x, size_t i)
{
	const struct queue_msg *m = qidx_msg(x, i, NULL);

	return m != NULL ? m->id : "(none)";
}

static void
test_sorts(void **state)
{
	struct queue_index x;
	struct two t;
	int host = -1;

	fill(&t);
	qidx_init(&x);
	qidx_set_lists(&x, t.lists, 2, 1);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.n, 3);
	/* age: oldest first */
	assert_string_equal(id_at(&x, 0), "42F43104385");
	assert_string_equal(id_at(&x, 1), "67A371043E9");
	assert_string_equal(id_at(&x, 2), "1B800104364");
	assert_non_null(qidx_msg(&x, 1, &host));
	assert_int_equal(host, 1);
	assert_null(qidx_msg(&x, 3, NULL));
	qidx_set_sort(&x, QIDX_SIZE, 0);
	assert_int_equal(qidx_update(&x), 0);
	assert_string_equal(id_at(&x, 0), "42F43104385");
	assert_string_equal(id_at(&x, 2), "67A371043E9");
	qidx_set_sort(&x, QIDX_HOST, 0);
	assert_int_equal(qidx_update(&x), 0);
	assert_string_equal(id_at(&x, 0), "42F43104385");
	assert_string_equal(id_at(&x, 1), "1B800104364");
	assert_string_equal(id_at(&x, 2), "67A371043E9");
	qidx_set_sort(&x, QIDX_HOST, 1);
	assert_int_equal(qidx_update(&x), 0);
	assert_string_equal(id_at(&x, 0), "67A371043E9");
	/* one host's messages only */
	qidx_set_scope(&x, 0);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.n, 2);
	assert_string_equal(id_at(&x, 0), "1B800104364");
	qidx_free(&x);
	unfill(&t);
}

/* The filter narrows without sorting again; nothing changed, nothing
 * runs (what makes a scroll key cheap). */
static void
test_filter(void **state)
{
	struct queue_index x;
	struct queue_match *qm;
	struct two t;
	char err[160];
	unsigned sorts;

	fill(&t);
	qidx_init(&x);
	qidx_set_lists(&x, t.lists, 2, 1);
	assert_int_equal(qidx_update(&x), 0);
	sorts = x.sorts;
	qm = queue_match_new("domain:dest.example", err, sizeof err);
	assert_non_null(qm);
	qidx_set_filter(&x, qm);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.sorts, sorts);
	assert_int_equal(x.n, 2);
	assert_string_equal(id_at(&x, 0), "67A371043E9");
	assert_int_equal(x.nall, 3);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.filters, 2);
	assert_int_equal(x.sorts, sorts);
	queue_match_free(qm);
	qm = queue_match_new("reason:/connect(ion)?( |$)/", err, sizeof err);
	assert_non_null(qm);
	qidx_set_filter(&x, qm);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.n, 2);
	qidx_set_filter(&x, NULL);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(x.n, 3);
	queue_match_free(qm);
	qidx_free(&x);
	unfill(&t);
}

static void
test_tags(void **state)
{
	struct queue_index x;
	struct qkey keys[8];
	struct two t;
	int nh = -1;

	fill(&t);
	qidx_init(&x);
	qidx_set_lists(&x, t.lists, 2, 1);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(qidx_tag(&x, 0, -1), 0);	/* 42F43104385, host 0 */
	assert_true(qidx_tagged(&x, 0));
	assert_false(qidx_tagged(&x, 1));
	assert_int_equal(qidx_ntagged(&x, &nh), 1);
	assert_int_equal(nh, 1);
	assert_int_equal(qidx_tag(&x, 0, -1), 0);
	assert_false(qidx_tagged(&x, 0));
	assert_int_equal(qidx_tag_shown(&x), 0);
	assert_int_equal(qidx_ntagged(&x, &nh), 3);
	assert_int_equal(nh, 2);
	/* untag one in the middle of a probe run: the others stay found */
	assert_int_equal(qidx_tag(&x, 1, 0), 0);
	assert_true(qidx_tagged(&x, 0));
	assert_false(qidx_tagged(&x, 1));
	assert_true(qidx_tagged(&x, 2));
	/* keys host by host, in list order */
	assert_int_equal(qidx_tagged_keys(&x, keys, 8), 2);
	assert_int_equal(keys[0].host, 0);
	assert_string_equal(keys[0].id, "1B800104364");
	assert_string_equal(keys[1].id, "42F43104385");
	assert_int_equal(keys[1].arrival, 1700000100);
	assert_int_equal(qidx_tagged_keys(&x, keys, 1), 1);

	/* a new listing: 1B800104364 gone, 42F43104385 reused by a newer
	 * message (same short id, another arrival): neither stays tagged */
	queue_list_clear(&t.a);
	add(&t.a, 0, "deferred", "42F43104385", 1700009999, 10, "a@b", "c@d",
	    "");
	add(&t.a, 0, "deferred", "AAAAAA1", 1700000001, 10, "a@b", "c@d", "");
	qidx_set_lists(&x, t.lists, 2, 0);	/* still arriving: kept */
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(qidx_ntagged(&x, NULL), 2);
	qidx_set_lists(&x, t.lists, 2, 1);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(qidx_ntagged(&x, &nh), 0);
	assert_int_equal(nh, 0);
	qidx_untag_all(&x);
	assert_int_equal(qidx_ntagged(&x, NULL), 0);
	qidx_free(&x);
	unfill(&t);
}

/* Many tags: the set grows and removal keeps every other key findable. */
static void
test_many_tags(void **state)
{
	const struct queue_list *lists[1];
	struct queue_list l;
	struct queue_index x;
	char id[16];
	size_t i, n = 0;

	queue_list_init(&l, 0);
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "%05X%zX", (unsigned)(i % 999999),
		    i + 1);
		add(&l, 0, "deferred", id, 1700000000 + (long)i, 1, "a@b",
		    "c@d", "");
	}
	lists[0] = &l;
	qidx_init(&x);
	qidx_set_lists(&x, lists, 1, 1);
	assert_int_equal(qidx_update(&x), 0);
	assert_int_equal(qidx_tag_shown(&x), 0);
	for (i = 0; i < x.n; i += 2)
		assert_int_equal(qidx_tag(&x, i, 0), 0);
	for (i = 0; i < x.n; i++) {
		assert_int_equal(qidx_tagged(&x, i), i % 2);
		n += qidx_tagged(&x, i);
	}
	assert_int_equal(qidx_ntagged(&x, NULL), n);
	qidx_free(&x);
	queue_list_clear(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorts),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_many_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
