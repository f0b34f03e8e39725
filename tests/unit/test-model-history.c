/* test-model-history.c: hosts.ini's `history` in the model: each host's
 * ring keeps that many events (an instance entry its host's), the counters
 * and /metrics totals count every event whatever the history, and once the
 * rings are full the heap stays flat however many more events come. Fed
 * with the captured maillogs of tests/data/captured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "event.h"
#include "metrics.h"
#include "model.h"
#include "test-data.h"
#include "test-fixture.h"
#include "test-heap.h"

/* origin-a and relay-d keep [defaults]' 40 events, relay-c its own 25. */
#define INI "[defaults]\nhistory = 40\n" \
	"[origin-a]\naddress = 172.16.10.5\nrole = origin\n" \
	"[relay-c]\naddress = 172.16.1.11\nrole = relay\nhistory = 25\n" \
	"[relay-d]\naddress = 172.16.1.12\nrole = relay\n"
#define NHOSTS	3
#define LOG_MAX	160	/* parsed events of one host's captured files */

/* Each host's own captured lines, parsed once; the events borrow buf. */
static const char *const files[NHOSTS][5] = {
	{ "captured/origin-a.maillog.normal.txt",
	  "captured/origin-a.maillog.failover.txt",
	  "captured/origin-a.maillog.tls.txt",
	  "captured/origin-a.maillog.relay-denied.txt", NULL },
	{ "captured/relay-c.maillog.normal.txt",
	  "captured/relay-c.maillog.tls.txt",
	  "captured/relay-c.maillog.relay-denied.txt", NULL },
	{ "captured/relay-d.maillog.failover.txt",
	  "captured/relay-d.maillog.sasl.txt", NULL },
};

struct hostlog {
	char	*buf[5];
	struct mail_event ev[LOG_MAX];
	size_t	n;
};
static struct hostlog logs[NHOSTS];

static int
logs_load(void **state)
{
	size_t h, k, len, i;

	(void)state;
	memset(logs, 0, sizeof(logs));
	for (h = 0; h < NHOSTS; h++)
		for (k = 0; files[h][k] != NULL; k++) {
			char *b = test_data_slurp(files[h][k], &len);

			logs[h].buf[k] = b;
			for (i = 0; i < len;) {
				char *nl = memchr(b + i, '\n', len - i);
				size_t end = nl ? (size_t)(nl - b) : len;
				struct mail_event *ev = &logs[h].ev[logs[h].n];

				if (maillog_parse_line(b + i, end - i, 2026,
				    ev) == 0 && ev->kind != EV_NONE) {
					assert_true(logs[h].n < LOG_MAX - 1);
					logs[h].n++;
				}
				i = end + 1;
			}
			assert_true(logs[h].n > 0);
		}
	return 0;
}

static int
logs_free(void **state)
{
	size_t h, k;

	(void)state;
	for (h = 0; h < NHOSTS; h++)
		for (k = 0; k < 5; k++)
			free(logs[h].buf[k]);
	return 0;
}

/* Feeds each host its whole captured log `rounds` times over. */
static void
feed(struct model *m, size_t rounds)
{
	size_t r, h, i;

	for (r = 0; r < rounds; r++)
		for (h = 0; h < NHOSTS; h++)
			for (i = 0; i < logs[h].n; i++)
				model_add_event(m, &m->hosts[h],
				    &logs[h].ev[i]);
}

/* The *_total lines of m's /metrics, in the order written. */
static char *
metrics_totals(const struct model *m)
{
	char *text = NULL, *out, *p, *nl;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(metrics_write(f, m, NULL, NULL, 1796000000,
	    METRICS_PROMETHEUS), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out = malloc(len + 1));
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (p[0] != '#' && strstr(p, "_total{") != NULL &&
		    strstr(p, "_total{") < nl) {
			memcpy(out + n, p, (size_t)(nl - p + 1));
			n += (size_t)(nl - p + 1);
		}
	}
	out[n] = '\0';
	free(text);
	return out;
}

/* Every host's ring is its history; newest first, the oldest that fits is
 * the one `history` events back; a model fed the same with room for all
 * has the same counters, relay tallies and /metrics totals. */
static void
test_history_rings(void **state)
{
	static const size_t cap[NHOSTS] = { 40, 25, 40 };
	struct fx *f = fx_open(state, INI, 0), *all;
	const size_t rounds = 60;
	void *st2;
	char *a, *b;
	size_t h;

	for (h = 0; h < NHOSTS; h++)
		assert_int_equal(f->m.hosts[h].events.cap, cap[h]);
	all = fx_open(&st2, INI, CFG_HISTORY_MAX);
	feed(&f->m, rounds);
	feed(&all->m, rounds);
	for (h = 0; h < NHOSTS; h++) {
		const struct host *s = &f->m.hosts[h], *l = &all->m.hosts[h];
		size_t fed = rounds * logs[h].n, last = logs[h].n - 1;

		assert_true(fed > 10 * cap[h]);
		assert_int_equal(s->events.count, cap[h]);
		assert_int_equal(l->events.count, fed);
		assert_int_equal(s->events.total, fed);
		assert_int_equal(l->events.total, fed);
		assert_null(model_event(s, cap[h]));
		/* the newest and the oldest kept are the right ones */
		assert_int_equal(model_event(s, 0)->when,
		    logs[h].ev[last].when);
		assert_string_equal(rec_qid(model_event(s, 0)),
		    rec_qid(model_event(l, 0)));
		assert_int_equal(model_event(s, cap[h] - 1)->when,
		    model_event(l, cap[h] - 1)->when);
		assert_string_equal(rec_qid(model_event(s, cap[h] - 1)),
		    rec_qid(model_event(l, cap[h] - 1)));
		assert_memory_equal(&s->counters, &l->counters,
		    sizeof(s->counters));
		assert_int_equal(s->nrelays, l->nrelays);
		assert_memory_equal(s->relays, l->relays, sizeof(s->relays));
		assert_string_equal(s->last_outcome, l->last_outcome);
	}
	assert_true(f->m.hosts[0].counters.total[ST_SENT] > 0);
	a = metrics_totals(&f->m);
	b = metrics_totals(&all->m);
	assert_non_null(strstr(a, "relaytop_deliveries_total{"));
	assert_non_null(strstr(a, "relaytop_refusals_total{"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	fx_teardown(&st2);
}

/* A figure given to model_init holds for every host (tests, benches); a
 * host_config without history (made by hand) keeps the default; an
 * instance entry keeps what its host keeps. */
static void
test_history_sources(void **state)
{
	struct fx *f = fx_open(state, INI, 16);
	struct host_config hc[NHOSTS + 1];
	struct inventory inv;
	struct model m;
	size_t h;

	for (h = 0; h < NHOSTS; h++)
		assert_int_equal(f->m.hosts[h].events.cap, 16);
	memset(&inv, 0, sizeof(inv));
	memcpy(hc, f->inv.hosts, NHOSTS * sizeof(hc[0]));
	inv.hosts = hc;
	inv.n = NHOSTS;
	hc[2].history = 0;
	assert_int_equal(model_init_room(&m, &inv, 0, 1), 0);
	assert_int_equal(m.hosts[2].events.cap, CFG_HISTORY_DEFAULT);
	assert_int_equal(config_add_instance(&inv, NHOSTS + 1, 1,
	    "postfix-out", "/etc/postfix-out", "postfix-out"), NHOSTS);
	assert_int_equal(model_add_host(&m), NHOSTS);
	assert_int_equal(m.hosts[NHOSTS].events.cap, 25);
	model_free(&m);
}

/* Once every ring is full, the heap stays flat: measured after ROUNDS
 * rounds of each host's captured log (each over 10 times its history),
 * then after 10 times as many more. Both points end on a whole round, so
 * the rings hold the same lines then and the same records, byte for byte:
 * the heap should not move at all. SLACK allows for the allocator's own
 * keeping (glibc's per-thread cache holds a few freed blocks of each size,
 * which mallinfo2 counts as in use), far below any leak that matters: a
 * dropped record left unfreed once in a hundred events is 164 records
 * here, each at least its 46-byte head, over 7 KiB (26 KiB measured). */
#define ROUNDS	40
#define SLACK	2048
static void
test_heap_flat_when_full(void **state)
{
	struct fx *f;
	size_t before, full, later, kept = 0, fed = 0, h;
	long growth;

	f = fx_open(state, INI, 0);
	before = heap_used();
	feed(&f->m, ROUNDS);
	full = heap_used();
	for (h = 0; h < NHOSTS; h++) {
		assert_true(ROUNDS * logs[h].n > 10 * f->m.hosts[h].events.cap);
		assert_int_equal(f->m.hosts[h].events.count,
		    f->m.hosts[h].events.cap);
		kept += f->m.hosts[h].events.cap;
		fed += 10 * ROUNDS * logs[h].n;
	}
	/* a blind meter would pass anything: the full rings show */
	assert_true(full > before + kept * sizeof(struct ev_rec));
	feed(&f->m, 10 * ROUNDS);
	later = heap_used();
	growth = (long)later - (long)full;
	print_message("rings full: %zu bytes (%s) for %zu events kept; "
	    "%zu more events: %+ld bytes\n", full - before, HEAP_METER, kept,
	    fed, growth);
	assert_true(fed >= 100 * kept);
	assert_true(growth <= SLACK && growth >= -SLACK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_history_rings, fx_teardown),
		cmocka_unit_test_teardown(test_history_sources, fx_teardown),
		cmocka_unit_test_teardown(test_heap_flat_when_full,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, logs_load, logs_free);
}
