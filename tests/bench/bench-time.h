/* bench-time.h: the clocks and the sort order the C bench drivers share
 * (wall ms, this thread's CPU ms, peak RSS, doubles ascending). */
#ifndef RELAYTOP_BENCH_TIME_H
#define RELAYTOP_BENCH_TIME_H

#include <sys/resource.h>
#include <time.h>

static inline long
maxrss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* This thread's CPU time: a key's own cost, without the preemptions of a
 * loaded machine. */
static inline double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
