/* parse-fields.c: bounded span helpers used by every parser: search,
 * prefix tests, number scanning, and civil-date arithmetic with a cached
 * local UTC offset (so timestamps convert without a timegm per line). */
#define _GNU_SOURCE
#include <limits.h>
#include <string.h>
#include <time.h>

#include "parse-fields.h"

const char *
pf_find(const char *p, const char *end, const char *needle, size_t nn)
{
	if (p == NULL || end <= p || (size_t)(end - p) < nn)
		return NULL;
	return memmem(p, (size_t)(end - p), needle, nn);
}

const char *
pf_find_last(const char *p, const char *end, const char *needle, size_t nn)
{
	const char *last = NULL, *q;

	while ((q = pf_find(p, end, needle, nn)) != NULL) {
		last = q;
		p = q + 1;
	}
	return last;
}

double
pf_number(const char *p, const char *end, const char **stop)
{
	double v = 0, scale = 0.1;
	const char *s = p;
	int digits = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		digits++;
	}
	if (s < end && *s == '.') {
		const char *f = s + 1;

		while (f < end && *f >= '0' && *f <= '9') {
			v += (*f++ - '0') * scale;
			scale /= 10;
			digits++;
		}
		if (f > s + 1)
			s = f;
	}
	if (digits == 0) {
		*stop = p;
		return -1;
	}
	*stop = s;
	return v;
}

long long
pf_ulong(const char *p, const char *end, const char **stop)
{
	long long v = 0;
	const char *s = p;

	while (s < end && *s >= '0' && *s <= '9' && s - p < 18)
		v = v * 10 + (*s++ - '0');
	*stop = s;
	return s == p ? -1 : v;
}

int
pf_month(const char *p, const char *end)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (end < p || end - p < 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, p, 3) == 0)
			return i + 1;
	return 0;
}

int
pf_int_strict(const char *s, int lo, int hi, int *out)
{
	long v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 9)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

long
pf_days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
pf_civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

long
pf_local_offset(long days)
{
	static _Thread_local long cached_day = LONG_MIN, cached_off;
	struct tm tm;
	int y, m, d;
	time_t t;

	if (days == cached_day)
		return cached_off;
	pf_civil_from_days(days, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	cached_day = days;
	cached_off = t == (time_t)-1 ? 0 : (long)(days * 86400L + 43200 - t);
	return cached_off;
}
