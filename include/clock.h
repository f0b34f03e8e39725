/* clock.h: the monotonic clock and the arithmetic of deadlines that the
 * transport, the loop and the front ends share (src/clock.c). Times are
 * milliseconds of clock_ms; INT64_MAX means "no deadline". */
#ifndef RELAYTOP_CLOCK_H
#define RELAYTOP_CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds. */
int64_t	clock_ms(void);

/* now + ms, saturating at INT64_MAX (ms < 0 counts as 0). */
int64_t	deadline_after(int64_t now_ms, int ms);

/* How long poll() may wait from now until deadline (INT64_MAX: none),
 * capped at cap_ms when cap_ms >= 0: 0 when the deadline has passed, -1
 * (forever) when there is neither deadline nor cap. */
int	deadline_wait_ms(int64_t now_ms, int64_t deadline, int cap_ms);

#endif
