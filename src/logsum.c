/* logsum.c: accumulates parsed maillog lines into the offline summary
 * (outcomes, relays, reasons, distinct queue ids, time span) and merges
 * the partial summaries that the scanning threads produce. */
#include <string.h>

#include "logsum.h"
#include "logsum-int.h"
#include "parse-fields.h"
#include "parse-maillog-int.h"
#include "queue-id.h"

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
	logsum_qids_free(&s->handed);
}

static void
add_reason(struct logsum_table *t, const struct span *r, const char *none)
{
	char buf[LOGSUM_KEY_MAX + 1];
	size_t n;

	if (r->n == 0) {
		logsum_table_add(t, none, strlen(none), ST_NONE, 1);
		return;
	}
	n = logsum_reason_normalise(buf, sizeof buf, r->p, r->n);
	logsum_table_add(t, buf, n, ST_NONE, 1);
}

void
logsum_add_event(struct logsum *s, const struct mail_event *ev)
{
	if (ev->when != 0) {
		if (s->first == 0 || ev->when < s->first)
			s->first = ev->when;
		if (ev->when > s->last)
			s->last = ev->when;
	}
	switch (ev->kind) {
	case EV_DELIVERY:
		if (maillog_is_handoff(ev)) {
			/* a content filter, re-injection: no outcome */
			s->handoffs++;
			logsum_qids_add_hash(&s->handed,
			    logsum_hash(ev->queued_as.p, ev->queued_as.n));
			break;
		}
		s->deliveries++;
		s->status[ev->status]++;
		if (ev->relay.n > 0)
			logsum_table_add(&s->relays, ev->relay.p, ev->relay.n,
			    ev->status, 1);
		if (ev->status == ST_DEFERRED)
			add_reason(&s->deferred, &ev->reason, "(no reason)");
		else if (ev->status == ST_BOUNCED)
			add_reason(&s->bounced, &ev->reason, "(no reason)");
		else if (ev->status == ST_EXPIRED)	/* qmgr: no (...) */
			add_reason(&s->bounced, &ev->reason,
			    "(expired, returned to sender)");
		if (ev->status != ST_SENT && maillog_reason_is_loop(ev))
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
		s->refused++;
		break;
	case EV_REJECT:
		s->refused++;
		break;
	case EV_LOOP:
		s->loops++;
		break;
	case EV_WARNING:
		s->warnings++;
		break;
	case EV_NONE:
		/* The origin's side: "host R said: 454 ... Relay access
		 * denied" (see event.h). */
		if (ev->relay.n > 0 && ev->reason.n > 0 && pf_find(ev->reason.p,
		    ev->reason.p + ev->reason.n, "Relay access denied", 19))
			s->relay_denied++;
		break;
	default:
		break;
	}
}

enum line_use { LINE_SKIP = 0, LINE_PARSE, LINE_QID };

/* Cheap test before the full parse: look at the message after "[pid]: "
 * and an optional queue id (or NOQUEUE). LINE_SKIP only for lines sure to
 * be of no use (sessions, client=, removed, ...); LINE_QID for cleanup
 * message-id= and qmgr from= lines of a Postfix program (*qid set): all
 * the summary needs from them is the queue id. Anything unusual (no
 * "[pid]: ") goes to the parser. */
static enum line_use
line_use(const char *p, const char *le, struct span *qid)
{
	const char *b = memchr(p, ']', (size_t)(le - p)), *m, *q, *gt;
	struct span svc;

	if (b == NULL || le - b < 4 || b[1] != ':' || b[2] != ' ')
		return LINE_PARSE;
	m = b + 3;
	q = m + queue_id_len(m, le);
	qid->p = NULL;
	if (q > m && q + 1 < le && *q == ':' && q[1] == ' ') {
		qid->p = m;
		qid->n = (size_t)(q - m);
		m = q + 2;
	} else if (PF_STARTS(m, le, "NOQUEUE: ")) {
		m += 9;
	}
	if (m >= le)
		return LINE_SKIP;
	switch (*m) {
	case 't':	/* to=< */
		return m + 1 < le && m[1] == 'o' ? LINE_PARSE : LINE_SKIP;
	case 'm':	/* message-id=, mail for ... loops back */
		if (!PF_STARTS(m, le, "message-id="))
			return LINE_PARSE;
		break;
	case 'f':	/* from=<, fatal: */
		if (!PF_STARTS(m, le, "from=<"))
			return LINE_PARSE;
		gt = memchr(m, '>', (size_t)(le - m));
		/* qmgr "from=<x>, status=expired" is an outcome. */
		if (gt == NULL || PF_STARTS(gt, le, ">, status="))
			return LINE_PARSE;
		break;
	case 'h':	/* host H[A] said: ... Relay access denied */
	case 'r':	/* reject: (after NOQUEUE) */
	case 'w':	/* warning: */
	case 'e':	/* error: */
	case 'p':	/* panic: */
		return LINE_PARSE;
	case 'c':	/* connect to, not client= nor connect from */
		return PF_STARTS(m, le, "connect to ") ? LINE_PARSE :
		    LINE_SKIP;
	default:
		return LINE_SKIP;
	}
	/* message-id= or from=: a queue id, from a Postfix program? */
	if (qid->p == NULL)
		return LINE_SKIP;
	for (q = b; q > p && q[-1] != '['; q--)
		;
	for (m = q; m > p && m[-1] != ' '; m--)
		;
	if (q == p || m == p || !maillog_prog_is_postfix(m,
	    (size_t)(q - 1 - m), &svc))
		return LINE_SKIP;
	return LINE_QID;
}

void
logsum_feed(struct logsum *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl, *le;
	struct mail_event ev;
	struct span qid = { NULL, 0 };

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl != NULL ? nl : end;
		s->lines++;
		switch (line_use(p, le, &qid)) {
		case LINE_QID:
			logsum_qids_add_hash(&s->qids,
			    logsum_hash(qid.p, qid.n));
			break;
		case LINE_PARSE:
			if (maillog_parse_line(p, (size_t)(le - p),
			    s->year_hint, &ev) == 0)
				logsum_add_event(s, &ev);
			break;
		default:
			break;
		}
		p = le + 1;
	}
}

int
logsum_merge(struct logsum *dst, const struct logsum *src)
{
	int st;

	dst->lines += src->lines;
	dst->deliveries += src->deliveries;
	for (st = 0; st < ST_MAX; st++)
		dst->status[st] += src->status[st];
	dst->connect_fail += src->connect_fail;
	dst->relay_denied += src->relay_denied;
	dst->loops += src->loops;
	dst->warnings += src->warnings;
	dst->refused += src->refused;
	dst->handoffs += src->handoffs;
	if (src->first != 0 && (dst->first == 0 || src->first < dst->first))
		dst->first = src->first;
	if (src->last > dst->last)
		dst->last = src->last;
	logsum_table_merge(&dst->relays, &src->relays);
	logsum_table_merge(&dst->deferred, &src->deferred);
	logsum_table_merge(&dst->bounced, &src->bounced);
	logsum_qids_merge(&dst->qids, &src->qids);
	logsum_qids_merge(&dst->handed, &src->handed);
	return 0;
}

uint64_t
logsum_messages(const struct logsum *s, int *exact)
{
	uint64_t all = logsum_qids_count(&s->qids, exact);
	uint64_t handed = logsum_qids_common(&s->qids, &s->handed);

	if (s->handed.overflow)
		*exact = 0;
	return all > handed ? all - handed : 0;
}
