/* test-clock.c: the transport's timing arithmetic: reconnect backoff (1 s
 * doubling to 30 s), saturating deadlines, and the poll() wait derived from
 * a deadline and a cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "sshc.h"

static void
test_backoff(void **state)
{
	int seq[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };
	int cur = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		cur = backoff_next(cur);
		assert_int_equal(cur, seq[i]);
	}
	/* Odd values from elsewhere still double and still cap. */
	assert_int_equal(backoff_next(-5), SSHC_BACKOFF_MIN_MS);
	assert_int_equal(backoff_next(1500), 3000);
	assert_int_equal(backoff_next(14999), 29998);
	assert_int_equal(backoff_next(15000), SSHC_BACKOFF_MAX_MS);
	assert_int_equal(backoff_next(1 << 30), SSHC_BACKOFF_MAX_MS);
}

static void
test_deadline_after(void **state)
{
	(void)state;
	assert_int_equal(deadline_after(1000, 500), 1500);
	assert_int_equal(deadline_after(1000, -3), 1000);
	assert_true(deadline_after(INT64_MAX - 10, 100) == INT64_MAX);
	assert_true(deadline_after(INT64_MAX, 0) == INT64_MAX);
}

static void
test_wait(void **state)
{
	(void)state;
	/* No deadline: the cap, or forever. */
	assert_int_equal(deadline_wait_ms(0, INT64_MAX, -1), -1);
	assert_int_equal(deadline_wait_ms(0, INT64_MAX, 250), 250);
	/* Passed or due now: do not wait. */
	assert_int_equal(deadline_wait_ms(5000, 4000, 250), 0);
	assert_int_equal(deadline_wait_ms(5000, 5000, -1), 0);
	/* Ahead: the distance, capped. */
	assert_int_equal(deadline_wait_ms(5000, 5300, -1), 300);
	assert_int_equal(deadline_wait_ms(5000, 5300, 100), 100);
	assert_int_equal(deadline_wait_ms(5000, 5300, 0), 0);
	/* Far ahead: clamped to what poll() takes. */
	assert_int_equal(deadline_wait_ms(0, (int64_t)1 << 40, -1), INT32_MAX);
}

static void
test_clock_monotonic(void **state)
{
	int64_t a, b;

	(void)state;
	a = clock_ms();
	b = clock_ms();
	assert_true(a > 0);
	assert_true(b >= a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_deadline_after),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_clock_monotonic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
