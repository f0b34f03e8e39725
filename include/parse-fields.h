/* parse-fields.h: small bounded helpers shared by the parsers (maillog,
 * postconf, postqueue). Every function takes an explicit end pointer and
 * never reads at or past it; nothing needs a NUL terminator. */
#ifndef RELAYTOP_PARSE_FIELDS_H
#define RELAYTOP_PARSE_FIELDS_H

#include <stddef.h>
#include <string.h>
#include <time.h>

/* First occurrence of needle[0..nn) in [p, end), or NULL. */
const char *pf_find(const char *p, const char *end, const char *needle,
	    size_t nn);

/* Last occurrence of needle[0..nn) in [p, end), or NULL. */
const char *pf_find_last(const char *p, const char *end, const char *needle,
	    size_t nn);

/* 1 when [p, end) starts with lit[0..n). Inline: with a literal the
 * compare compiles to a few instructions (it runs several times a line). */
static inline int
pf_starts(const char *p, const char *end, const char *lit, size_t n)
{
	return end >= p && (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}
#define PF_STARTS(p, end, lit) pf_starts((p), (end), (lit), sizeof(lit) - 1)
#define PF_FIND(p, end, lit) pf_find((p), (end), (lit), sizeof(lit) - 1)

/* Decimal number "123", "0.05", "1.2e3" is not accepted (Postfix never
 * logs exponents). Sets *stop to the first byte not used. Returns -1 and
 * *stop = p when there is no digit. */
double	pf_number(const char *p, const char *end, const char **stop);

/* Unsigned decimal integer, at most 18 digits; -1 when none. */
long long pf_ulong(const char *p, const char *end, const char **stop);

/* Month 1..12 of the English abbreviation "Jan".."Dec" (case as syslog
 * and mailq write it) at [p, end); 0 when none or fewer than 3 bytes. */
int	pf_month(const char *p, const char *end);

/* The one strict decimal parser for operator input (command line, hosts
 * file): only the digits 0-9, at least one, at most 9, value in [lo, hi].
 * Returns 0 and sets *out; -1 otherwise (*out untouched). s must be NUL-
 * terminated. */
int	pf_int_strict(const char *s, int lo, int hi, int *out);

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
 * days_from_civil); m is 1..12. Valid for any int year. */
long	pf_days_from_civil(long y, int m, int d);

/* Inverse of pf_days_from_civil. */
void	pf_civil_from_days(long z, int *y, int *m, int *d);

/* The window every remote time (log line, queue arrival) is kept inside:
 * not before 2000-01-01 UTC (Postfix is younger; negative or 1970 times
 * are a host's broken clock or a forged line), not more than a day after
 * the local clock (a host in a zone east of ours writes syslog times that
 * far ahead; the syslog year guess uses the same day). */
#define PF_TIME_MIN	((time_t)946684800)	/* 2000-01-01T00:00:00Z */
#define PF_TIME_AHEAD	((time_t)86400)

/* t moved into [PF_TIME_MIN, now + PF_TIME_AHEAD] (parse-time.c). Reads
 * the clock only when t lies past the last reading plus a day. */
time_t	pf_time_clamp(time_t t);

/* The local time zone's UTC offset in seconds (east positive) on the
 * given day (days since epoch), taken at 12:00 local time of that day.
 * Cached per thread: one mktime() per distinct day, so it is cheap to call
 * for every line. Hours before a DST switch on the switch day are off by
 * the DST step (documented approximation). */
long	pf_local_offset(long days);

#endif
