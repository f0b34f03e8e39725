/* clock.c: the monotonic clock and the small arithmetic of deadlines and
 * reconnect backoff that the transport and the poll() loop share. Pure
 * functions apart from clock_ms, so they are unit-tested directly. */
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "sshc.h"

int64_t
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
backoff_next(int cur_ms)
{
	if (cur_ms < SSHC_BACKOFF_MIN_MS)
		return SSHC_BACKOFF_MIN_MS;
	if (cur_ms >= SSHC_BACKOFF_MAX_MS / 2)
		return SSHC_BACKOFF_MAX_MS;
	return cur_ms * 2;
}

int64_t
deadline_after(int64_t now_ms, int ms)
{
	if (ms < 0)
		ms = 0;
	if (now_ms > INT64_MAX - ms)
		return INT64_MAX;
	return now_ms + ms;
}

int
deadline_wait_ms(int64_t now_ms, int64_t deadline, int cap_ms)
{
	int64_t d;

	if (deadline == INT64_MAX)
		return cap_ms >= 0 ? cap_ms : -1;
	if (deadline <= now_ms)
		return 0;
	d = deadline - now_ms;
	if (cap_ms >= 0 && d > cap_ms)
		return cap_ms;
	if (d > INT32_MAX)
		return INT32_MAX;
	return (int)d;
}
