/* test-probe-queue-timing.c: when a probe asks for the queue and for a
 * full run: the hold after a reading is the postqueue step's own time
 * (from the output's arrival marks), a first or late reading spreads the
 * next over the whole queue_interval (else its last quarter), and the
 * full-run period grows with the hosts watched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "clock.h"
#include "model.h"
#include "probe.h"
#include "test-probe-fixture.h"

/* An answer with a queue reading (one deferred mail). */
#define QREAD	BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"\
	    H "status pid=7 mst=1.2" H "step status rc=0\n"\
	    H "queue fmt=s\nq active 0 0\nq deferred 1 1795829321\n"\
	    "q hold 0 0\nq incoming 0 0\nq maildrop 0 0\nbytes 9\nbad 0\n"\
	    "rc 0\n" H "step queue rc=0\n" H "end\n"

/* The hold after a queue read is 5 x the queue step's own time (from the
 * arrival marks), not the whole run's: a first contact that took 15 s of
 * SSH set-up but 300 ms of postqueue may read again after 1.5 s. */
static void
test_queue_cost_is_its_step(void **state)
{
	static const char out[] = BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status pid=7 mst=1.2" H "step status rc=0\n"
	    H "queue fmt=s\nq active 0 0\nq deferred 1 1795829321\n"
	    "q hold 0 0\nq incoming 0 0\nq maildrop 0 0\nbytes 9\nbad 0\n"
	    "rc 0\n" H "step queue rc=0\n" H "end\n";
	struct sshc_mark marks[4];
	struct fx *f = *state;
	struct sshc_result r;
	const char *q = strstr(out, "queue fmt=s\n");
	const char *st = strstr(out, "step queue rc=0\n");
	int64_t before, now;

	assert_non_null(q);
	assert_non_null(st);
	/* all before the queue header by 900 ms; its header line at 1 s;
	 * the step line (postqueue ended) at 1.3 s; the rest at 15 s */
	marks[0].len = (uint32_t)(q - out);
	marks[0].ms = 900;
	marks[1].len = (uint32_t)(strchr(q, '\n') - out + 1);
	marks[1].ms = 1000;
	marks[2].len = (uint32_t)(strchr(st, '\n') - out + 1);
	marks[2].ms = 1300;
	marks[3].len = sizeof(out) - 1;
	marks[3].ms = 15000;
	hc[0].queue_interval_s = 1;	/* 17 ms early: 0x4567 % 250 */
	memset(&r, 0, sizeof(r));
	r.out = out;
	r.out_len = sizeof(out) - 1;
	r.err = "";
	r.elapsed_ms = 15000;
	r.marks = marks;
	r.nmarks = 4;
	assert_true(probe_wants_queue(f->p, clock_ms()));
	before = clock_ms();
	probe_feed(f->p, TOK, &r);
	now = clock_ms();
	assert_true(f->m.hosts[0].queue_valid);
	/* held for 5 x 300 ms, not 5 x 15 s (the feed's own time is between
	 * before and now: each bound holds however long it took) */
	assert_false(probe_wants_queue(f->p, before + 1400));
	assert_true(probe_wants_queue(f->p, now + 1600));
	/* no marks: the whole run's time, as before */
	r.nmarks = 0;
	before = clock_ms();
	probe_feed(f->p, TOK, &r);
	now = clock_ms();
	assert_false(probe_wants_queue(f->p, now + 1600));
	assert_false(probe_wants_queue(f->p, before + 74000));
	assert_true(probe_wants_queue(f->p, now + 75100));
}

/* The full-run period: PROBE_FULL_MS for a small console; for a fleet, as
 * long as keeps its full runs near PROBE_FULL_RATE a second; capped. */
static void
test_full_period(void **state)
{
	static const struct { size_t hosts; int ms; } tab[] = {
		{ 0, PROBE_FULL_MS }, { 4, PROBE_FULL_MS },
		{ 100, PROBE_FULL_MS }, { 101, 10100 }, { 500, 50000 },
		{ 1200, PROBE_FULL_MAX_MS }, { 100000, PROBE_FULL_MAX_MS },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		assert_int_equal(probe_full_period_ms(tab[i].hosts), tab[i].ms);
}

/* A reading that came a quarter of queue_interval after it was due (the
 * host waited for a long first snapshot, with many others): the next
 * timed one
 * anywhere in queue_interval, not all in its last quarter again; after
 * one in time, the last quarter. */
static void
test_queue_late_spread(void **state)
{
	struct fx *f = *state;
	struct timespec ts = { 1, 350000000 };
	int64_t before, now;

	hc[0].queue_interval_s = 1;
	feed_str(f, QREAD);
	/* 1.35 s later: due 233 ms after the first, so 1.1 s late */
	nanosleep(&ts, NULL);
	before = clock_ms();
	feed_str(f, QREAD);
	now = clock_ms();
	/* 0x4567 % 1000 = 767 ms early (the last quarter would be 17) and
	 * held 5 x 42 ms (the feed's own time is between before and now) */
	assert_false(probe_wants_queue(f->p, before + 1000 - 767 - 30));
	assert_true(probe_wants_queue(f->p, now + 1000 - 767 + 30));
	/* read again at once (not late): the last quarter again */
	before = clock_ms();
	feed_str(f, QREAD);
	now = clock_ms();
	assert_false(probe_wants_queue(f->p, before + 1000 - 767 + 30));
	assert_false(probe_wants_queue(f->p, before + 1000 - 17 - 30));
	assert_true(probe_wants_queue(f->p, now + 1000 - 17 + 30));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_cost_is_its_step,
		    setup, teardown),
		cmocka_unit_test(test_full_period),
		cmocka_unit_test_setup_teardown(test_queue_late_spread, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
