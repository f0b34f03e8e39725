/* check-rules-logs.c: the doctor's rules over recent maillog events and the
 * queue: relay refusals, failed connections to relays, mail loops and an
 * old or large deferred queue, each tied to the rule that explains it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

/* Address inside "name[addr]" into out; "" when none. */
/* 1 when a port test ran (read-only keeps one that did not). */
static int
ports_ran(const struct check_ctx *c)
{
	return c->ports != NULL && !(c->ports->n > 0 &&
	    c->ports->v[0].state == PORT_READ_ONLY);
}

static void
bracket_addr(const char *s, char *out, size_t len)
{
	const char *a = strrchr(s, '['), *b;

	out[0] = '\0';
	if (a == NULL || (b = strchr(a, ']')) == NULL)
		return;
	snprintf(out, len, "%.*s", (int)(b - a - 1), a + 1);
}

/* The host whose inventory address is addr, -1 none; answers are kept
 * in a small table by the address's hash (a host's events name the same
 * few relays and clients over and over). */
static int
index_by_addr(struct check_ctx *c, const char *addr)
{
	struct addr_memo *e;
	unsigned long v = 5381;
	size_t i, n;

	if (addr[0] == '\0')
		return -1;
	for (n = 0; addr[n] != '\0'; n++)
		v = v * 33 + (unsigned char)addr[n];
	e = &c->addr_memo[v % ADDR_MEMO_SLOTS];
	if (e->used && strcmp(e->addr, addr) == 0)
		return e->peer;
	for (i = 0; i < c->m->n && !host_addr_is(c->m->hosts[i].cfg, addr);
	    i++)
		;
	e->peer = i < c->m->n ? (int)i : -1;
	e->used = n < sizeof(e->addr);
	if (e->used)
		memcpy(e->addr, addr, n + 1);
	return e->peer;
}

/* 1 when rule_events of host h already took a (newer) line of id with
 * peer (-1: any): its findings are those from c->log_first on. */
static int
taken(const struct check_ctx *c, const char *id, int h, int peer)
{
	size_t i;

	for (i = c->log_first; i < c->out->n; i++) {
		const struct finding *f = &c->out->v[i];

		if (f->nhosts > 0 && f->hosts[0] == h && (peer < 0 ||
		    (f->nhosts > 1 && f->hosts[1] == peer)) &&
		    strcmp(f->id, id) == 0)
			return 1;
	}
	return 0;
}

static void
ev_line(const struct check_ctx *c, int h, const struct ev_rec *r, char *buf,
    size_t len)
{
	struct tm tm;
	char ts[16] = "";

	if (localtime_r(&r->when, &tm) != NULL)
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	snprintf(buf, len, "%s %s %s%s%s", chk_name(c, h), ts, rec_qid(r),
	    rec_qid(r)[0] ? ": " : "",
	    rec_text(r)[0] ? rec_text(r) : rec_reason(r));
}

static int
is_loop(const struct ev_rec *r)
{
	return r->kind == EV_LOOP || (r->kind == EV_DELIVERY &&
	    strstr(rec_reason(r), "loops back to myself") != NULL);
}

/* One finding per (kind, host, peer): count and newest line. */
static void
log_finding(struct check_ctx *c, const char *id, int h, int peer,
    const struct ev_rec *r, struct finding *why, const char *what_cause,
    const char *fixed_note)
{
	struct finding *f;
	char line[200], wid[40] = "", wfix[256] = "";
	int wfh = -1;

	if (taken(c, id, h, peer))
		return;		/* newest already taken */
	if (why != NULL) {	/* chk_add may move the findings */
		snprintf(wid, sizeof(wid), "%s", why->id);
		snprintf(wfix, sizeof(wfix), "%s", why->fix);
		wfh = why->fix_host;
	}
	f = chk_add(c, id, why ? SEV_WARNING : SEV_INFO);
	if (f == NULL)
		return;
	chk_host(f, h);
	chk_host(f, peer);
	ev_line(c, h, r, line, sizeof(line));
	chk_evidence(f, "%s", line);
	if (why != NULL) {
		snprintf(f->see, sizeof(f->see), "%s", wid);
		chk_what(f, "%s (see %s)", what_cause, wid);
		chk_fix(f, wfh, "%s", wfix);
	} else {
		chk_what(f, "%s; %s", what_cause, fixed_note);
		chk_fix(f, -1, "none needed if it does not come back");
	}
}

static void
rule_events(struct check_ctx *c, int h)
{
	const struct host *hh = &c->m->hosts[h];
	const struct ev_rec *r;
	char addr[64], cause[256];
	size_t i;

	/* only this host's log findings can be taken (taken()) */
	c->log_first = c->out->n;
	for (i = 0; (r = model_event(hh, i)) != NULL; i++) {
		struct finding *why = NULL;
		int peer;

		if (r->when < c->now - CHECK_LOG_WINDOW_S)
			break;		/* newest first: the rest is older */
		if (r->kind == EV_RELAY_DENIED) {
			bracket_addr(rec_client(r), addr, sizeof(addr));
			peer = index_by_addr(c, addr);
			if (taken(c, "log-relay-denied", h, peer))
				continue;	/* a newer line taken */
			if (peer >= 0)
				why = chk_find(c, "origin-not-in-mynetworks",
				    h, peer);
			if (why == NULL)
				why = chk_find(c, "relay-restrictions", h, -1);
			snprintf(cause, sizeof(cause), "%s refused to relay "
			    "mail from %s", chk_name(c, h), peer >= 0 ?
			    chk_name(c, peer) : rec_client(r));
			log_finding(c, "log-relay-denied", h, peer, r, why,
			    cause, peer >= 0 ? "the current settings allow "
			    "it (fixed since?)" : "a client outside the "
			    "inventory tried to relay");
		} else if (r->kind == EV_CONNECT_FAIL) {
			peer = index_by_addr(c, rec_relay_addr(r));
			if (peer < 0 || taken(c, "log-connect-failed", h, peer))
				continue;	/* not ours, or taken */
			if ((why = chk_find(c, "inet-protocols-mismatch",
			    peer, h)) == NULL &&
			    (why = chk_find(c, "relay-loopback-only", peer,
			    -1)) == NULL &&
			    (why = chk_find(c, "port25-unreachable", h,
			    peer)) == NULL)
				why = chk_find(c, "relayhost-unknown", peer, h);
			snprintf(cause, sizeof(cause), "%s could not connect "
			    "to its relay %s", chk_name(c, h),
			    chk_name(c, peer));
			log_finding(c, "log-connect-failed", h, peer, r, why,
			    cause, ports_ran(c) ? "port 25 answers now (fixed "
			    "since?)" : c->ports != NULL ? "not explained by "
			    "the settings; the port test was not run "
			    "(read-only)" : "not explained by the settings; "
			    "run the port test (relaytop --check)");
		} else if (is_loop(r) && !taken(c, "log-mail-loop", h, -1)) {
			if ((why = chk_find(c, "myhostname-loop", h, -1)) ==
			    NULL)
				why = chk_find(c, "relay-loop", h, -1);
			snprintf(cause, sizeof(cause), "%s bounced mail that "
			    "looped back to itself", chk_name(c, h));
			log_finding(c, "log-mail-loop", h, -1, r, why, cause,
			    "the current settings show no loop (fixed "
			    "since?)");
		}
	}
}

/* The rule a deferral reason points at, among current findings. */
static struct finding *
reason_rule(struct check_ctx *c, int h, const char *reason)
{
	struct finding *f = NULL;

	if (strstr(reason, "Relay access denied"))
		f = chk_find(c, "origin-not-in-mynetworks", h, -1);
	else if (strstr(reason, "loops back to myself"))
		f = chk_find(c, "myhostname-loop", h, -1);
	else if (strstr(reason, "refused") || strstr(reason, "timed out"))
		if ((f = chk_find(c, "inet-protocols-mismatch", h, -1)) ==
		    NULL &&
		    (f = chk_find(c, "port25-unreachable", h, -1)) == NULL)
			f = chk_find(c, "relay-loopback-only", h, -1);
	return f;
}

static void
rule_queue(struct check_ctx *c, int h)
{
	const struct host *hh = &c->m->hosts[h];
	const struct queue_summary *q = &hh->queue;
	unsigned n = q->count[Q_DEFERRED];
	long age;
	struct finding *f, *why;
	char wid[40] = "", wfix[256] = "";
	int wfh = -1, growing;
	unsigned recent[ST_MAX];

	if (!hh->queue_valid || n == 0)
		return;
	age = q->oldest[Q_DEFERRED] ? (long)(c->now - q->oldest[Q_DEFERRED])
	    : 0;
	model_count_recent(hh, c->now, CHECK_GROWING_MIN, recent);
	/* growing: many deferrals lately and nothing got through */
	growing = n >= CHECK_GROWING_COUNT &&
	    recent[ST_DEFERRED] >= CHECK_GROWING_COUNT && recent[ST_SENT] == 0;
	if (age < CHECK_DEFERRED_AGE_S && n < CHECK_DEFERRED_MANY && !growing)
		return;
	why = q->ntop ? reason_rule(c, h, q->top[0].text) : NULL;
	if (why != NULL) {	/* chk_add may move the findings */
		snprintf(wid, sizeof(wid), "%s", why->id);
		snprintf(wfix, sizeof(wfix), "%s", why->fix);
		wfh = why->fix_host;
	}
	f = chk_add(c, "queue-deferred", SEV_WARNING);
	chk_host(f, h);
	chk_what(f, "%s holds %u deferred mail(s), the oldest %ld min old%s: "
	    "mail is not getting through%s%s%s", chk_name(c, h), n,
	    age / 60, growing ? ", growing with no mail sent lately" : "",
	    why ? " (see " : "", wid, why ? ")" : "");
	if (why && f)
		snprintf(f->see, sizeof(f->see), "%s", wid);
	chk_evidence(f, "%s: %u deferred; most common reason (%u): %s",
	    chk_name(c, h), n, q->ntop ? q->top[0].count : 0,
	    q->ntop ? q->top[0].text : "unknown");
	if (why)
		chk_fix(f, wfh, "%s; then on %s: postqueue -f", wfix,
		    chk_name(c, h));
	else
		chk_fix(f, h, "remove the cause in the reason above, then "
		    "on %s: postqueue -f", chk_name(c, h));
}

void
check_rules_logs(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		rule_events(c, (int)i);
		rule_queue(c, (int)i);
	}
}
