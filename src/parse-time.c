/* parse-time.c: the three maillog timestamp forms (syslog "Jun  3", Postfix
 * maillog_file "Jun 03", RFC 3339 with offset) to epoch seconds, with no
 * mktime/timegm per line: civil-day arithmetic plus a cached local offset.
 * Also the one window every remote time is clamped into (pf_time_clamp). */
#include <string.h>
#include <time.h>

#include "event.h"
#include "parse-fields.h"

static int
two_digits(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

static time_t local_epoch(long y, int m, int d, long sod);

/* The memo holds for a minute, and never past the local midnight that ends
 * its year: a minute's memo taken on Dec 31 dated the first lines of Jan 1
 * a year back. */
int
maillog_year_memo(struct year_memo *y, time_t now)
{
	struct tm tm;

	if (y->checked != 0 && now >= y->checked && now - y->checked < 60 &&
	    now < y->ends)
		return y->year;
	if (localtime_r(&now, &tm) == NULL)
		return y->checked != 0 ? y->year : 1970;
	y->year = tm.tm_year + 1900;
	y->ends = local_epoch(y->year + 1L, 1, 1, 0);
	y->checked = now;
	return y->year;
}

/* Cached per thread (maillog_year_memo): asked per chunk of a live log
 * and per line that looks future. */
int
maillog_year_now(void)
{
	static _Thread_local struct year_memo y;

	return maillog_year_memo(&y, time(NULL));
}

/* The clock, read only when t may lie past it: "now" as last read only
 * ever lags, so t <= cached + ahead needs no new reading. */
static time_t
now_if_ahead(time_t t, time_t ahead)
{
	static _Thread_local time_t cached;

	if (cached == 0 || t > cached + ahead)
		cached = time(NULL);
	return cached;
}

time_t
pf_time_clamp(time_t t)
{
	time_t now;

	if (t < PF_TIME_MIN)
		return PF_TIME_MIN;
	now = now_if_ahead(t, PF_TIME_AHEAD);
	if (t > now + PF_TIME_AHEAD)
		return now + PF_TIME_AHEAD;
	return t;
}

/* "HH:MM:SS" at p (8 bytes available): seconds of day or -1. */
static long
parse_hms(const char *p)
{
	int h = two_digits(p), mi = two_digits(p + 3), s = two_digits(p + 6);

	if (h < 0 || mi < 0 || s < 0 || p[2] != ':' || p[5] != ':' ||
	    h > 23 || mi > 59 || s > 60)
		return -1;
	return h * 3600L + mi * 60L + s;
}

/* Optional ".digits" at p: microseconds in *usec; returns bytes used. */
static size_t
parse_frac(const char *p, const char *end, long *usec)
{
	const char *s = p + 1;
	long u = 0;
	int nd = 0;

	*usec = 0;
	if (p >= end || *p != '.')
		return 0;
	while (s < end && *s >= '0' && *s <= '9') {
		if (nd < 6)
			u = u * 10 + (*s - '0');
		nd++;
		s++;
	}
	if (nd == 0)
		return 0;
	for (; nd < 6; nd++)
		u *= 10;
	*usec = u;
	return (size_t)(s - p);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static time_t
local_epoch(long y, int m, int d, long sod)
{
	long days = pf_days_from_civil(y, m, d);

	return (time_t)(days * 86400L + sod - pf_local_offset(days));
}

/* "Jun  3 15:51:44" or "Jun 03 15:51:44" (or "Jun 3 15:51:44"). */
static size_t
parse_syslog(const char *p, const char *end, int year_hint, time_t *when,
    long *usec)
{
	const char *s;
	int m, d;
	long sod;
	time_t t, now;

	if (end - p < 15 || (m = pf_month(p, end)) == 0 || p[3] != ' ')
		return 0;
	s = p + 4;
	if (s[0] == ' ' && s[1] >= '1' && s[1] <= '9') {
		d = s[1] - '0';
		s += 2;
	} else if ((d = two_digits(s)) >= 0) {
		s += 2;
	} else if (s[0] >= '1' && s[0] <= '9') {
		d = s[0] - '0';
		s += 1;
	} else
		return 0;
	if (end - s < 9 || *s != ' ' || (sod = parse_hms(s + 1)) < 0)
		return 0;
	s += 9;
	if (d < 1 || d > days_in_month(year_hint, m))
		return 0;
	s += parse_frac(s, end, usec);
	t = local_epoch(year_hint, m, d, sod);
	/* The clock is read only when the date looks future, not per line. */
	now = now_if_ahead(t, 86400);
	if (t > now + 86400 && year_hint == maillog_year_now()) {
		if (m == 2 && d == 29)
			d = 28;
		t = local_epoch(year_hint - 1, m, d, sod);
	}
	*when = t;
	return (size_t)(s - p);
}

/* "2026-01-05T13:54:43.262668+01:00" (also 'Z', "+0100", or no zone). */
static size_t
parse_rfc3339(const char *p, const char *end, time_t *when, long *usec)
{
	const char *s;
	int y, m, d, oh, om, sign;
	long sod, off;

	if (end - p < 19 || p[4] != '-' || p[7] != '-' ||
	    (p[10] != 'T' && p[10] != ' '))
		return 0;
	if ((y = two_digits(p)) < 0 || (oh = two_digits(p + 2)) < 0)
		return 0;
	y = y * 100 + oh;
	m = two_digits(p + 5);
	d = two_digits(p + 8);
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) ||
	    (sod = parse_hms(p + 11)) < 0)
		return 0;
	s = p + 19;
	s += parse_frac(s, end, usec);
	if (s < end && (*s == 'Z' || *s == 'z')) {
		*when = (time_t)(pf_days_from_civil(y, m, d) * 86400L + sod);
		return (size_t)(s + 1 - p);
	}
	if (s < end && (*s == '+' || *s == '-') && end - s >= 5) {
		sign = *s == '-' ? -1 : 1;
		oh = two_digits(s + 1);
		if (s[3] == ':' && end - s >= 6) {
			om = two_digits(s + 4);
			s += 6;
		} else {
			om = two_digits(s + 3);
			s += 5;
		}
		if (oh < 0 || om < 0 || oh > 23 || om > 59)
			return 0;
		off = sign * (oh * 3600L + om * 60L);
		*when = (time_t)(pf_days_from_civil(y, m, d) * 86400L + sod -
		    off);
		return (size_t)(s - p);
	}
	*when = local_epoch(y, m, d, sod);
	return (size_t)(s - p);
}

size_t
maillog_parse_time(const char *p, size_t n, int year_hint, time_t *when,
    long *usec)
{
	const char *end = p + n;
	size_t used;

	*usec = 0;
	if (n == 0)
		return 0;
	if (*p >= '0' && *p <= '9')
		used = parse_rfc3339(p, end, when, usec);
	else
		used = parse_syslog(p, end, year_hint, when, usec);
	if (used > 0)
		*when = pf_time_clamp(*when);
	return used;
}
