/* parse-maillog-msg.c: the message bodies of the Postfix lines that matter:
 * delivery "to=<..>, relay=.., status=.. (reason)", client=, NOQUEUE
 * reject, and "connect to H[A]:P: reason". Bounded by end throughout. */
#include <string.h>

#include "parse-fields.h"
#include "parse-maillog-int.h"
#include "queue-id.h"

static void
span_set(struct span *s, const char *a, const char *b)
{
	s->p = a;
	s->n = b > a ? (size_t)(b - a) : 0;
}

const char *
maillog_angle(const char *p, const char *end, struct span *v)
{
	const char *q = p + 1, *gt;

	if (p >= end || *p != '<')
		return p;
	/* The address may itself hold '>' inside quotes: take the first '>'
	 * that ends the field (followed by ',', ' ' or the end). */
	while ((gt = memchr(q, '>', (size_t)(end - q))) != NULL) {
		if (gt + 1 == end || gt[1] == ',' || gt[1] == ' ') {
			span_set(v, p + 1, gt);
			return gt + 1;
		}
		q = gt + 1;
	}
	span_set(v, p + 1, end);
	return end;
}

void
maillog_split_relay(const char *p, const char *end, struct mail_event *ev)
{
	const char *lb, *rb;
	long long port;
	const char *stop;

	if (end < p)		/* a caller's search that found nothing */
		end = p;
	span_set(&ev->relay, p, end);
	lb = memchr(p, '[', (size_t)(end - p));
	if (lb == NULL) {
		span_set(&ev->relay_name, p, end);
		return;
	}
	span_set(&ev->relay_name, p, lb);
	for (rb = end; rb > lb && rb[-1] != ']'; rb--)
		;
	if (rb == lb) {
		span_set(&ev->relay_addr, lb + 1, end);
		return;
	}
	span_set(&ev->relay_addr, lb + 1, rb - 1);
	if (rb < end && *rb == ':') {
		port = pf_ulong(rb + 1, end, &stop);
		if (port > 0 && port <= 65535)
			ev->relay_port = (int)port;
	}
}

static enum mail_status
status_of(const char *p, size_t n)
{
	if (n == 4 && memcmp(p, "sent", 4) == 0)
		return ST_SENT;
	if (n == 8 && memcmp(p, "deferred", 8) == 0)
		return ST_DEFERRED;
	if (n == 7 && memcmp(p, "bounced", 7) == 0)
		return ST_BOUNCED;
	if (n == 7 && memcmp(p, "expired", 7) == 0)
		return ST_EXPIRED;
	return ST_NONE;
}

static void
parse_delays(const char *p, const char *end, struct mail_event *ev)
{
	const char *stop;
	int i;

	for (i = 0; i < 4 && p < end; i++) {
		ev->delays[i] = pf_number(p, end, &stop);
		if (stop == p || stop >= end || *stop != '/')
			break;
		p = stop + 1;
	}
}

/* After "status=WORD": " (reason)" to the final ')', and "queued as". */
static void
parse_reason(const char *p, const char *end, struct mail_event *ev)
{
	const char *r, *q, *s;

	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '(')
		return;
	r = end;
	if (r[-1] == ')' && r - 1 > p)
		r--;
	span_set(&ev->reason, p + 1, r);
	/* The last "queued as " (nested replies): scan back from the end. */
	if (r - p < 11)
		return;
	for (q = r - 10; q > p && memcmp(q, "queued as ", 10) != 0; q--)
		;
	if (q <= p)
		return;
	q += 10;
	s = q + queue_id_len(q, r);
	if (s > q)
		span_set(&ev->queued_as, q, s);
}

void
maillog_msg_delivery(const char *m, const char *end, struct mail_event *ev)
{
	const char *p = m, *eq, *v, *ve;
	size_t kn;

	ev->kind = EV_DELIVERY;
	while (p < end) {
		for (eq = p; eq < end && *eq != '=' && *eq != ' ' &&
		    *eq != ','; eq++)
			;
		if (eq >= end || *eq != '=')
			break;
		kn = (size_t)(eq - p);
		v = eq + 1;
		if (kn == 6 && memcmp(p, "status", 6) == 0) {
			for (ve = v; ve < end && *ve != ' ' && *ve != ','; ve++)
				;
			ev->status = status_of(v, (size_t)(ve - v));
			parse_reason(ve, end, ev);
			return;
		}
		if (v < end && *v == '<' && ((kn == 2 && memcmp(p, "to", 2) ==
		    0) || (kn == 7 && memcmp(p, "orig_to", 7) == 0) ||
		    (kn == 4 && memcmp(p, "from", 4) == 0))) {
			struct span tmp = { NULL, 0 };

			ve = maillog_angle(v, end, &tmp);
			if (kn == 2 && memcmp(p, "to", 2) == 0)
				ev->to = tmp;
			else if (kn == 7 && memcmp(p, "orig_to", 7) == 0)
				ev->orig_to = tmp;
			else if (kn == 4 && memcmp(p, "from", 4) == 0)
				ev->from = tmp;
		} else {
			/* Values are short: a plain loop beats memmem. */
			for (ve = v; ve < end && !(*ve == ',' && ve + 1 < end &&
			    ve[1] == ' '); ve++)
				;
			if (kn == 5 && memcmp(p, "relay", 5) == 0)
				maillog_split_relay(v, ve, ev);
			else if (kn == 5 && memcmp(p, "delay", 5) == 0)
				ev->delay = pf_number(v, ve, &v);
			else if (kn == 6 && memcmp(p, "delays", 6) == 0)
				parse_delays(v, ve, ev);
			else if (kn == 3 && memcmp(p, "dsn", 3) == 0)
				span_set(&ev->dsn, v, ve);
		}
		if (ve >= end || !PF_STARTS(ve, end, ", "))
			break;
		p = ve + 2;
	}
	/* No status= at all: a to= line that is not a delivery outcome. */
	ev->kind = EV_NONE;
}

/* "name[addr]" (optionally ":port") at p: client spans; returns after ']'. */
static const char *
client_split(const char *p, const char *end, struct mail_event *ev)
{
	const char *lb, *rb;

	lb = memchr(p, '[', (size_t)(end - p));
	if (lb == NULL)
		return p;
	rb = memchr(lb, ']', (size_t)(end - lb));
	if (rb == NULL)
		return p;
	span_set(&ev->client_name, p, lb);
	span_set(&ev->client_addr, lb + 1, rb);
	return rb + 1;
}

void
maillog_msg_client(const char *m, const char *end, struct mail_event *ev)
{
	const char *v = m + 7;	/* after "client=" */
	const char *ve = PF_FIND(v, end, ", ");

	const char *sm, *se;

	ev->kind = EV_CLIENT;
	if (client_split(v, ve ? ve : end, ev) == v)
		span_set(&ev->client_name, v, ve ? ve : end);
	/* "client=H[A], sasl_method=PLAIN, sasl_username=u" */
	if (ve != NULL && (sm = PF_FIND(ve, end, ", sasl_method=")) != NULL) {
		sm += 14;
		se = PF_FIND(sm, end, ", ");
		span_set(&ev->sasl_method, sm, se != NULL ? se : end);
	}
}

void
maillog_msg_reject(const char *m, const char *end, struct mail_event *ev)
{
	const char *p, *r, *re, *f, *t, *sp;

	/* "reject: RCPT from name[addr]: 454 4.7.1 <x>: Relay access
	 * denied; from=<a> to=<b> proto=ESMTP helo=<h>" */
	p = PF_FIND(m, end, " from ");
	if (p == NULL)
		return;
	p = client_split(p + 6, end, ev);
	if (!PF_STARTS(p, end, ": "))
		return;
	r = p + 2;
	re = PF_FIND(r, end, "; from=");
	if (re == NULL)
		re = end;
	span_set(&ev->reason, r, re);
	sp = memchr(r, ' ', (size_t)(re - r));
	if (sp != NULL && sp + 1 < re && sp[1] >= '2' && sp[1] <= '5') {
		const char *de = memchr(sp + 1, ' ', (size_t)(re - sp - 1));

		span_set(&ev->dsn, sp + 1, de ? de : re);
	}
	if (re < end) {
		f = re + 7;
		t = maillog_angle(f, end, &ev->from);
		if (PF_STARTS(t, end, " to=<"))
			maillog_angle(t + 4, end, &ev->to);
	}
	ev->kind = PF_FIND(r, re, "Relay access denied") != NULL ?
	    EV_RELAY_DENIED : EV_REJECT;
}

void
maillog_msg_connect(const char *m, const char *end, struct mail_event *ev)
{
	const char *h = m + 11;	/* after "connect to " */
	const char *rb, *colon, *stop;

	ev->kind = EV_CONNECT_FAIL;
	rb = memchr(h, ']', (size_t)(end - h));
	if (rb != NULL && rb + 1 < end && rb[1] == ':') {
		pf_ulong(rb + 2, end, &stop);
		colon = stop;
	} else {
		colon = PF_FIND(h, end, ": ");
		if (colon == NULL)
			colon = end;
	}
	maillog_split_relay(h, colon, ev);
	if (PF_STARTS(colon, end, ": "))
		span_set(&ev->reason, colon + 2, end);
}

void
maillog_msg_said(const char *m, const char *end, struct mail_event *ev)
{
	const char *h = m + 5;	/* after "host " */
	const char *said, *r, *in;

	/* "host H[A] said: 454 4.7.1 <x>: Relay access denied (in reply to
	 * RCPT TO command)": a reply that did not end the delivery. The
	 * search starts at the space after "host", so "host said: x" (no
	 * host at all) finds its " said: " too; with none, nothing is
	 * taken. */
	said = PF_FIND(m + 4, end, " said: ");
	if (said == NULL)
		return;
	if (said < h)
		h = said;
	maillog_split_relay(h, said, ev);
	r = said + 7;
	in = pf_find_last(r, end, " (in reply to ", 14);
	span_set(&ev->reason, r, in != NULL ? in : end);
}
