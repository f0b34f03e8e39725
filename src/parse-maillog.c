/* parse-maillog.c: one maillog line to a struct mail_event: timestamp,
 * host, program[pid], queue id, then dispatch on the message (bodies in
 * parse-maillog-msg.c). Zero-copy: spans point into the caller's line. */
#include <string.h>

#include "event.h"
#include "parse-fields.h"
#include "parse-maillog-int.h"
#include "queue-id.h"

static void
span_set(struct span *s, const char *a, const char *b)
{
	s->p = a;
	s->n = b > a ? (size_t)(b - a) : 0;
}

static int
span_is(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* Postfix daemons, for "custom/daemon" syslog names. */
static int
is_daemon(const char *p, size_t n)
{
	static const char *const names[] = { "smtp", "smtpd", "qmgr",
	    "cleanup", "pickup", "local", "lmtp", "virtual", "bounce",
	    "error", "postscreen", "pipe", "anvil", "scache", "tlsmgr",
	    "verify", "trivial-rewrite", "discard", "retry", "showq",
	    "postdrop", "sendmail", "postsuper", "master", "dnsblog",
	    "tlsproxy", "oqmgr", "flush", "proxymap", "lmtp", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (span_is(p, n, names[i]))
			return 1;
	return 0;
}

int
maillog_prog_is_postfix(const char *p, size_t n, struct span *service)
{
	const char *slash = NULL, *s;

	for (s = p; s < p + n; s++)
		if (*s == '/')
			slash = s;
	if (slash != NULL)
		span_set(service, slash + 1, p + n);
	else
		span_set(service, p, p + n);
	if (n >= 7 && memcmp(p, "postfix", 7) == 0)
		return 1;
	return slash != NULL && is_daemon(service->p, service->n);
}

/* Queue id at m, followed by ':' and a space or the end: its length,
 * 0 when none. */
static size_t
qid_len(const char *m, const char *end)
{
	size_t n = queue_id_len(m, end);

	if (n == 0 || m + n >= end || m[n] != ':' ||
	    (m + n + 1 < end && m[n + 1] != ' '))
		return 0;
	return n;
}

int
maillog_reason_is_loop(const struct mail_event *ev)
{
	if (ev->kind == EV_LOOP)
		return 1;
	return ev->reason.n > 0 && pf_find(ev->reason.p,
	    ev->reason.p + ev->reason.n, "loops back to myself", 20) != NULL;
}

int
maillog_is_refusal(const struct mail_event *ev)
{
	return ev->kind == EV_RELAY_DENIED || ev->kind == EV_REJECT;
}

int
maillog_addr_is_loopback(const char *p, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(p, "ipv6:", 5) == 0) {
		p += 5;
		n -= 5;
	}
	if (span_is(p, n, "::1"))
		return 1;
	if (n < 9 || n > 15 || memcmp(p, "127.", 4) != 0)
		return 0;
	for (i = 4; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
			return 0;
	return 1;
}

int
maillog_is_handoff(const struct mail_event *ev)
{
	return ev->kind == EV_DELIVERY && ev->status == ST_SENT &&
	    ev->queued_as.n > 0 &&
	    maillog_addr_is_loopback(ev->relay_addr.p, ev->relay_addr.n);
}

/* The size through a volatile: with a constant, gcc inlines "rep stos",
 * which is slow for a few hundred bytes on some CPUs; libc's memset is
 * not (this runs once per parsed line). */
static volatile size_t event_size = sizeof(struct mail_event);

static void
event_reset(struct mail_event *ev)
{
	memset(ev, 0, event_size);
	ev->delay = -1;
	ev->delays[0] = ev->delays[1] = ev->delays[2] = ev->delays[3] = -1;
}

static void
classify(const char *m, const char *end, int has_qid, int noqueue,
    struct mail_event *ev)
{
	const char *f;

	if (has_qid) {
		if (PF_STARTS(m, end, "to=<")) {
			maillog_msg_delivery(m, end, ev);
			return;
		}
		if (PF_STARTS(m, end, "client=")) {
			maillog_msg_client(m, end, ev);
			return;
		}
		if (PF_STARTS(m, end, "message-id=")) {
			ev->kind = EV_MESSAGE_ID;
			m += 11;
			if (m < end && *m == '<')
				maillog_angle(m, end, &ev->message_id);
			else
				span_set(&ev->message_id, m, end);
			return;
		}
		if (PF_STARTS(m, end, "from=<")) {
			maillog_msg_delivery(m, end, ev);
			if (ev->kind != EV_DELIVERY)
				ev->kind = EV_FROM;
			return;
		}
		if (PF_STARTS(m, end, "removed") && m + 7 == end) {
			ev->kind = EV_REMOVED;
			return;
		}
		if (PF_STARTS(m, end, "host ") &&
		    PF_FIND(m, end, " said: ") != NULL) {
			maillog_msg_said(m, end, ev);
			return;
		}
		if (PF_STARTS(m, end, "uid=") &&
		    (f = PF_FIND(m, end, " from=<")) != NULL) {
			maillog_angle(f + 6, end, &ev->from);
			return;
		}
	}
	if (maillog_msg_sec(m, end, has_qid, ev))
		return;
	/* The commonest lines of all (smtpd sessions): nothing to take. */
	if (PF_STARTS(m, end, "connect from ") ||
	    PF_STARTS(m, end, "disconnect from ") ||
	    PF_STARTS(m, end, "lost connection "))
		return;
	if (noqueue && PF_STARTS(m, end, "reject: ")) {
		maillog_msg_reject(m, end, ev);
		return;
	}
	if (PF_STARTS(m, end, "connect to ")) {
		maillog_msg_connect(m, end, ev);
		return;
	}
	if (PF_STARTS(m, end, "warning: ") || PF_STARTS(m, end, "fatal: ") ||
	    PF_STARTS(m, end, "panic: ") || PF_STARTS(m, end, "error: ") ||
	    PF_STARTS(m, end, "mail for ")) {
		/* A loop outside a delivery line: "mail for X loops back to
		 * myself", bare or in a warning/error. */
		if (PF_FIND(m, end, "loops back to myself") != NULL) {
			ev->kind = EV_LOOP;
			span_set(&ev->reason, m, end);
			return;
		}
		if (!PF_STARTS(m, end, "mail for "))
			ev->kind = EV_WARNING;
	}
}

int
maillog_parse_line(const char *line, size_t len, int year_hint,
    struct mail_event *ev)
{
	const char *p = line, *end = line + len, *s, *q;
	size_t used, ql;
	int noqueue = 0;

	event_reset(ev);
	if (line == NULL)
		return -1;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	used = maillog_parse_time(p, (size_t)(end - p), year_hint, &ev->when,
	    &ev->usec);
	if (used == 0)
		return -1;
	p += used;
	if (p >= end || *p != ' ')
		return -1;
	p++;
	for (q = p; q < end && *q != ' '; q++)
		;
	if (q >= end || q == p)
		return -1;
	span_set(&ev->host, p, q);
	p = q + 1;
	for (s = p; s < end && *s != '[' && *s != ':' && *s != ' '; s++)
		;
	if (s >= end || s == p || s - p > 128)
		return -1;
	span_set(&ev->prog, p, s);
	if (!maillog_prog_is_postfix(p, (size_t)(s - p), &ev->service))
		return -1;
	if (*s == '[') {
		long long pid = pf_ulong(s + 1, end, &q);

		if (q >= end || *q != ']')
			return -1;
		ev->pid = pid < 0 ? 0 : (long)pid;
		s = q + 1;
	}
	if (s >= end || *s != ':')
		return -1;
	s++;
	if (s < end && *s == ' ')
		s++;
	span_set(&ev->text, s, end);
	if (PF_STARTS(s, end, "NOQUEUE: ")) {
		noqueue = 1;
		s += 9;
	} else if ((ql = qid_len(s, end)) > 0) {
		span_set(&ev->qid, s, s + ql);
		s += ql + 1;
		if (s < end && *s == ' ')
			s++;
		span_set(&ev->text, s, end);
	}
	classify(s, end, ev->qid.n > 0, noqueue, ev);
	return 0;
}

const char *
mail_status_name(enum mail_status st)
{
	static const char *const names[ST_MAX] = { "", "sent", "deferred",
	    "bounced", "expired" };

	return (unsigned)st < ST_MAX ? names[st] : "";
}

const char *
ev_kind_name(enum ev_kind k)
{
	static const char *const names[EV_KIND_MAX] = { "none", "delivery",
	    "client", "message-id", "from", "removed", "connect-fail",
	    "relay-denied", "loop", "warning", "reject", "tls" };

	return (unsigned)k < EV_KIND_MAX ? names[k] : "none";
}
