/* logsum.c: accumulates parsed maillog lines into the offline summary
 * (outcomes, relays, reasons, distinct queue ids, time span) and merges
 * the partial summaries that the scanning threads produce. */
#include <string.h>

#include "logsum.h"
#include "logsum-internal.h"

int
logsum_init(struct logsum *s, int year_hint)
{
	memset(s, 0, sizeof *s);
	s->year_hint = year_hint;
	if (logsum_table_init(&s->relays, LOGSUM_RELAYS_MAX) < 0 ||
	    logsum_table_init(&s->deferred, LOGSUM_REASONS_MAX) < 0 ||
	    logsum_table_init(&s->bounced, LOGSUM_REASONS_MAX) < 0) {
		logsum_free(s);
		return -1;
	}
	return 0;
}

void
logsum_free(struct logsum *s)
{
	logsum_table_free(&s->relays);
	logsum_table_free(&s->deferred);
	logsum_table_free(&s->bounced);
	logsum_qids_free(&s->qids);
}

static void
add_reason(struct logsum_table *t, const struct span *r)
{
	char buf[LOGSUM_KEY_MAX + 1];
	size_t n;

	if (r->n == 0) {
		logsum_table_add(t, "(no reason)", 11, ST_NONE, 1);
		return;
	}
	n = logsum_reason_normalise(buf, sizeof buf, r->p, r->n);
	logsum_table_add(t, buf, n, ST_NONE, 1);
}

void
logsum_add_event(struct logsum *s, const struct mail_event *ev)
{
	s->postfix_lines++;
	if (ev->when != 0) {
		if (s->first == 0 || ev->when < s->first)
			s->first = ev->when;
		if (ev->when > s->last)
			s->last = ev->when;
	}
	switch (ev->kind) {
	case EV_DELIVERY:
		s->deliveries++;
		s->status[ev->status]++;
		if (ev->relay.n > 0)
			logsum_table_add(&s->relays, ev->relay.p, ev->relay.n,
			    ev->status, 1);
		if (ev->status == ST_DEFERRED)
			add_reason(&s->deferred, &ev->reason);
		else if (ev->status == ST_BOUNCED || ev->status == ST_EXPIRED)
			add_reason(&s->bounced, &ev->reason);
		if (maillog_reason_is_loop(ev))
			s->loops++;
		break;
	case EV_MESSAGE_ID:
	case EV_FROM:
		if (ev->qid.n > 0)
			logsum_qids_add_hash(&s->qids,
			    logsum_hash(ev->qid.p, ev->qid.n));
		break;
	case EV_CONNECT_FAIL:
		s->connect_fail++;
		break;
	case EV_RELAY_DENIED:
		s->relay_denied++;
		break;
	case EV_LOOP:
		s->loops++;
		break;
	case EV_WARNING:
		s->warnings++;
		break;
	default:
		break;
	}
}

void
logsum_feed(struct logsum *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl, *le;
	struct mail_event ev;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl != NULL ? nl : end;
		s->lines++;
		if (maillog_parse_line(p, (size_t)(le - p), s->year_hint,
		    &ev) == 0)
			logsum_add_event(s, &ev);
		p = le + 1;
	}
}

int
logsum_merge(struct logsum *dst, const struct logsum *src)
{
	int st;

	dst->lines += src->lines;
	dst->postfix_lines += src->postfix_lines;
	dst->deliveries += src->deliveries;
	for (st = 0; st < ST_MAX; st++)
		dst->status[st] += src->status[st];
	dst->connect_fail += src->connect_fail;
	dst->relay_denied += src->relay_denied;
	dst->loops += src->loops;
	dst->warnings += src->warnings;
	if (src->first != 0 && (dst->first == 0 || src->first < dst->first))
		dst->first = src->first;
	if (src->last > dst->last)
		dst->last = src->last;
	logsum_table_merge(&dst->relays, &src->relays);
	logsum_table_merge(&dst->deferred, &src->deferred);
	logsum_table_merge(&dst->bounced, &src->bounced);
	logsum_qids_merge(&dst->qids, &src->qids);
	return 0;
}

uint64_t
logsum_messages(const struct logsum *s, int *exact)
{
	return logsum_qids_count(&s->qids, exact);
}
