/* parse-postqueue-text.c: sums up `postqueue -p` (mailq) text: entries
 * "ID[*!] size date sender" ('*' active, '!' hold, unmarked counted as
 * deferred: mailq does not tell incoming/maildrop apart), "(reason)" lines
 * counted once per recipient that follows, "Mail queue is empty". */
#include <stdlib.h>
#include <string.h>

#include "parse-fields.h"
#include "parse-postqueue-int.h"
#include "queue-id.h"
#include "queue.h"

/* "Tue Jun 23 15:51:44" at p: local epoch with the year of now (the year
 * before when that would be more than a day ahead); 0 when unparsable. */
static time_t
arrival_of(const char *p, const char *e, time_t now)
{
	const char *s;
	long long d, hh, mm, ss;
	int m, y;
	long days;
	time_t t;
	struct tm tm;

	if (e - p < 19 || p[3] != ' ' || (m = pf_month(p + 4, e)) == 0)
		return 0;
	s = p + 8;
	while (s < e && *s == ' ')
		s++;
	d = pf_ulong(s, e, &s);
	if (d < 1 || d > 31 || s >= e || *s != ' ')
		return 0;
	hh = pf_ulong(s + 1, e, &s);
	if (hh < 0 || s >= e || *s != ':')
		return 0;
	mm = pf_ulong(s + 1, e, &s);
	if (mm < 0 || s >= e || *s != ':')
		return 0;
	ss = pf_ulong(s + 1, e, &s);
	if (ss < 0 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	if (localtime_r(&now, &tm) == NULL)
		return 0;
	y = tm.tm_year + 1900;
	days = pf_days_from_civil(y, m, (int)d);
	t = (time_t)(days * 86400L + hh * 3600 + mm * 60 + ss -
	    pf_local_offset(days));
	if (t > now + 86400) {
		days = pf_days_from_civil(y - 1, m, (int)d);
		t = (time_t)(days * 86400L + hh * 3600 + mm * 60 + ss -
		    pf_local_offset(days));
	}
	return pf_time_clamp(t);
}

/* The title line: "-Queue ID-  --Size-- ..." with short ids,
 * "----Queue ID----- --Size-- ..." with long ones. */
static int
is_title(const char *p, const char *e)
{
	while (p < e && *p == '-')
		p++;
	return PF_STARTS(p, e, "Queue ID-");
}

/* An entry line: "761AD7BE4*     564 Tue Jun 23 15:51:44  sender". */
static int
take_entry(const char *p, const char *e, time_t now, struct queue_summary *q)
{
	const char *s = p;
	enum queue_name qn = Q_DEFERRED;
	long long size;
	time_t at;

	s += queue_id_len(p, e);
	if (s == p)
		return -1;
	if (s < e && *s == '*') {
		qn = Q_ACTIVE;
		s++;
	} else if (s < e && *s == '!') {
		qn = Q_HOLD;
		s++;
	}
	if (s >= e || *s != ' ')
		return -1;
	while (s < e && *s == ' ')
		s++;
	size = pf_ulong(s, e, &s);
	if (size < 0 || s >= e || *s != ' ')
		return -1;
	while (s < e && *s == ' ')
		s++;
	at = arrival_of(s, e, now);
	if (at == 0)
		return -1;
	q->count[qn]++;
	q->bytes += (unsigned long long)size;
	if (q->oldest[qn] == 0 || at < q->oldest[qn])
		q->oldest[qn] = at;
	return 0;
}

int
queue_parse_text(const char *buf, size_t len, time_t now,
    struct queue_summary *q, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len, *nl, *e, *reason = NULL;
	const char *first_bad = NULL;
	size_t reason_n = 0, first_bad_n = 0, known = 0;
	struct queue_tally *t;

	memset(q, 0, sizeof *q);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	t = calloc(1, sizeof *t);
	if (t == NULL) {
		queue_err(err, errlen, "out of memory", "", 0);
		return -1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl != NULL ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		if (e == p) {
			reason = NULL;	/* a blank line ends an entry */
		} else if (PF_STARTS(p, e, "Mail queue is empty") ||
		    is_title(p, e) || PF_STARTS(p, e, "-- ")) {
			known++;
		} else if (*p == ' ' || *p == '\t') {
			const char *s = p;

			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
			if (s < e && *s == '(') {	/* "   (reason)" */
				reason = s + 1;
				reason_n = (size_t)(e - s - 1);
				if (reason_n > 0 && reason[reason_n - 1] == ')')
					reason_n--;
			} else if (s < e && reason != NULL) {
				/* a recipient under a reason */
				queue_tally_add(t, reason, reason_n);
			}
		} else if (take_entry(p, e, now, q) == 0) {
			known++;
			reason = NULL;
		} else if (!PF_STARTS(p, e, "postqueue: ")) {
			q->malformed++;
			if (first_bad == NULL) {
				first_bad = p;
				first_bad_n = (size_t)(e - p);
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	queue_tally_top(t, q);
	free(t);
	if (known == 0 && q->malformed > 0) {
		queue_err(err, errlen, "not postqueue -p output", first_bad,
		    first_bad_n);
		return -1;
	}
	return 0;
}
