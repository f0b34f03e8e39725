/* trace.c: follows a test mail hop by hop through the model's retained
 * maillog events, as the seed reads maillog by hand (pure: reads the model,
 * writes only the trace). The token in the Message-ID finds the origin's
 * queue id; each delivery line's relay and "queued as" lead to the next. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "topology.h"
#include "trace.h"

#define MAX_TARGETS	8

const char *
trace_state_name(enum trace_state s)
{
	switch (s) {
	case TR_SUBMITTING:	return "submitting";
	case TR_WAITING:	return "waiting";
	case TR_DELIVERED:	return "delivered";
	case TR_DEFERRED:	return "deferred";
	case TR_BOUNCED:	return "bounced";
	case TR_TIMEOUT:	return "timeout";
	case TR_FAILED:		return "failed";
	}
	return "?";
}

int
trace_make_token(char *buf, size_t len, time_t now)
{
	unsigned char r[8];
	ssize_t got = -1;
	int fd, n;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, r, sizeof(r));
		close(fd);
	}
	if (got != (ssize_t)sizeof(r)) {
		/* no urandom: time and pid still make it unique enough here */
		struct timespec ts;
		unsigned long long x;
		size_t i;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long long)ts.tv_nsec * 2654435761ULL ^
		    (unsigned long long)getpid() << 32;
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(x >> (8 * i));
	}
	n = snprintf(buf, len, "relaytop-%lld-%02x%02x%02x%02x%02x%02x%02x%02x",
	    (long long)now, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

void
trace_init(struct trace *t, int id, int origin, const char *token,
    const char *to, int timeout_s, time_t now)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->origin = origin;
	snprintf(t->token, sizeof(t->token), "%s", token ? token : "");
	snprintf(t->to, sizeof(t->to), "%s", to ? to : "");
	t->timeout_s = timeout_s > 0 ? timeout_s : TRACE_DEFAULT_TIMEOUT;
	t->state = TR_SUBMITTING;
	t->started = now;
	snprintf(t->summary, sizeof(t->summary), "submitting");
}

void
trace_submitted(struct trace *t, int ok, const char *msg, time_t now)
{
	if (t->state != TR_SUBMITTING)
		return;
	if (ok) {
		t->state = TR_WAITING;
		snprintf(t->summary, sizeof(t->summary),
		    "submitted; waiting for the origin's log");
	} else {
		t->state = TR_FAILED;
		t->finished = now;
		snprintf(t->summary, sizeof(t->summary), "submission failed: %s",
		    msg && *msg ? msg : "unknown error");
	}
}

int
trace_finished(const struct trace *t)
{
	return t->state != TR_SUBMITTING && t->state != TR_WAITING;
}

static const char *
host_name_of(const struct model *m, int i)
{
	if (i < 0 || (size_t)i >= m->n || !m->hosts[i].cfg)
		return "?";
	return m->hosts[i].cfg->name;
}

/* Oldest-first access to a host's retained events. */
static const struct ev_rec *
ev_old(const struct host *h, size_t k)
{
	size_t n = h->events.count;

	return k < n ? model_event(h, n - 1 - k) : NULL;
}

/* The inventory host a relay=NAME[ADDR] names, or -1 (outside). */
static int
find_host(const struct model *m, const char *name, const char *addr)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct host_config *c = m->hosts[i].cfg;

		if (c && addr && *addr && strcasecmp(c->address, addr) == 0)
			return (int)i;
	}
	if (!name || !*name || strcmp(name, "none") == 0)
		return -1;
	for (i = 0; i < m->n; i++) {
		const struct host_config *c = m->hosts[i].cfg;
		const char *mh;

		if (!c)
			continue;
		if (strcasecmp(c->address, name) == 0 ||
		    strcasecmp(c->name, name) == 0)
			return (int)i;
		mh = host_setting(&m->hosts[i], "myhostname");
		if (mh && *mh && strcasecmp(mh, name) == 0)
			return (int)i;
	}
	return -1;
}

static int
target_match(const char *value, const char *name, const char *addr)
{
	struct relay_target tg[MAX_TARGETS];
	int n, i;

	if (!value || !*value)
		return 0;
	n = relay_target_parse(value, tg, MAX_TARGETS);
	for (i = 0; i < n; i++) {
		if (addr && *addr && strcasecmp(tg[i].host, addr) == 0)
			return 1;
		if (name && *name && strcasecmp(tg[i].host, name) == 0)
			return 1;
	}
	return 0;
}

/* 1: name/addr is h's relayhost, 2: one of its smtp_fallback_relay, 0: none
 * (or settings unknown). */
static int
target_kind(const struct host *h, const char *name, const char *addr)
{
	if (target_match(host_setting(h, "relayhost"), name, addr))
		return 1;
	if (target_match(host_setting(h, "smtp_fallback_relay"), name, addr))
		return 2;
	return 0;
}

static int
host_has_targets(const struct host *h)
{
	const char *r = host_setting(h, "relayhost");
	const char *f = host_setting(h, "smtp_fallback_relay");

	return (r && *r) || (f && *f);
}

static void
attempt_add(struct trace_hop *hp, const char *prefix, const char *text)
{
	char line[sizeof(hp->attempts[0])];

	snprintf(line, sizeof(line), "%s%s", prefix, text);
	/* "connect to X refused" then "deferred: connect to X refused" */
	if (hp->nattempts > 0 &&
	    strstr(line, hp->attempts[hp->nattempts - 1]) != NULL &&
	    strstr(hp->attempts[hp->nattempts - 1], "deferred: ") == NULL)
		snprintf(hp->attempts[hp->nattempts - 1],
		    sizeof(hp->attempts[0]), "%s", line);
	else {
		if (hp->nattempts == TRACE_MAX_ATTEMPTS) {
			memmove(hp->attempts[0], hp->attempts[1],
			    sizeof(hp->attempts[0]) * (TRACE_MAX_ATTEMPTS - 1));
			hp->nattempts--;
		}
		snprintf(hp->attempts[hp->nattempts++],
		    sizeof(hp->attempts[0]), "%s", line);
	}
}

/* "connect to NAME[ADDR]:25: ..." -> addr (for parsers that leave relay_*
 * empty on EV_CONNECT_FAIL). */
static void
connect_addr(const struct ev_rec *e, char *addr, size_t len)
{
	const char *a, *b;

	snprintf(addr, len, "%s", e->relay_addr);
	if (*addr)
		return;
	a = strchr(e->text, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b && (size_t)(b - a) < len)
		snprintf(addr, len, "%.*s", (int)(b - a - 1), a + 1);
}

static void
hop_fill_delivery(struct trace_hop *hp, const struct ev_rec *e)
{
	snprintf(hp->relay, sizeof(hp->relay), "%s", e->relay);
	snprintf(hp->relay_addr, sizeof(hp->relay_addr), "%s", e->relay_addr);
	hp->status = e->status;
	snprintf(hp->dsn, sizeof(hp->dsn), "%s", e->dsn);
	snprintf(hp->reason, sizeof(hp->reason), "%s", e->reason);
	hp->delay = e->delay;
	memcpy(hp->delays, e->delays, sizeof(hp->delays));
	snprintf(hp->queued_as, sizeof(hp->queued_as), "%s", e->queued_as);
}

/* Reads hop hp (host and qid set) from its host's events. Returns 1 when
 * any event of the qid was seen. */
static int
hop_scan(const struct model *m, struct trace_hop *hp, const struct ev_rec
    **final_ev)
{
	const struct host *h = &m->hosts[hp->host];
	const struct ev_rec *e;
	int seen = 0, targets = host_has_targets(h);
	size_t k;

	*final_ev = NULL;
	for (k = 0; (e = ev_old(h, k)) != NULL; k++) {
		if (e->qid[0] && strcmp(e->qid, hp->qid) == 0) {
			if (!seen)
				hp->when = e->when;
			seen = 1;
			switch (e->kind) {
			case EV_CLIENT:
				snprintf(hp->client, sizeof(hp->client), "%s",
				    e->client);
				break;
			case EV_DELIVERY:
				hop_fill_delivery(hp, e);
				if (e->status == ST_DEFERRED) {
					attempt_add(hp, "deferred: ", e->reason);
					break;
				}
				if (e->status != ST_NONE)
					*final_ev = e;
				break;
			default:
				if (strstr(e->text, " said: "))
					attempt_add(hp, "", e->text);
				break;
			}
			if (*final_ev)
				break;
		} else if (seen && e->kind == EV_CONNECT_FAIL && targets) {
			char addr[64];

			connect_addr(e, addr, sizeof(addr));
			if (target_kind(h, e->relay, addr) != 0)
				attempt_add(hp, "", e->text);
		}
	}
	return seen;
}

/* The relays' side of a refusal: "NOQUEUE: reject: RCPT from
 * x[ORIGIN]: 454 4.7.1 ...: Relay access denied" on a relay of this hop. */
static void
hop_relay_denials(const struct model *m, const struct trace *t,
    struct trace_hop *hp, time_t until)
{
	const struct host *h = &m->hosts[hp->host];
	char want[CFG_ADDR_MAX + 2];
	size_t i, k;
	int j;

	for (j = 0; j < hp->nattempts; j++)
		if (strstr(hp->attempts[j], "Relay access denied"))
			return;
	snprintf(want, sizeof(want), "[%s]", h->cfg->address);
	for (i = 0; i < m->n; i++) {
		const struct host *r = &m->hosts[i];
		const struct ev_rec *e;

		if ((int)i == hp->host ||
		    target_kind(h, r->cfg->name, r->cfg->address) == 0)
			continue;
		for (k = 0; (e = ev_old(r, k)) != NULL; k++) {
			/* a few seconds of slack for the two hosts' clocks */
			if (e->kind != EV_RELAY_DENIED ||
			    e->when < hp->when - 5 ||
			    (until && e->when > until + 5))
				continue;
			if (!strstr(e->client, want) &&
			    strcmp(e->client, h->cfg->address) != 0)
				continue;
			if (*e->to && strcasecmp(e->to, t->to) != 0)
				continue;
			{
				char pre[CFG_NAME_MAX + 16];

				snprintf(pre, sizeof(pre), "%s rejected: ",
				    r->cfg->name);
				attempt_add(hp, pre, *e->reason ? e->reason :
				    e->text);
			}
		}
	}
}

/* Queue id of the message carrying token on host, "" when not seen. */
static void
find_token_qid(const struct host *h, const char *token, char *qid,
    size_t len)
{
	const struct ev_rec *e;
	size_t i;

	qid[0] = '\0';
	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (e->kind == EV_MESSAGE_ID && e->qid[0] &&
		    strstr(e->message_id, token)) {
			snprintf(qid, len, "%s", e->qid);
			return;
		}
}

static int
qid_seen(const struct host *h, const char *qid)
{
	const struct ev_rec *e;
	size_t i;

	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (strcmp(e->qid, qid) == 0)
			return 1;
	return 0;
}

static const char *
hop_problem(const struct trace_hop *hp)
{
	int j;

	for (j = hp->nattempts - 1; j >= 0; j--)
		if (strstr(hp->attempts[j], "Relay access denied"))
			return hp->attempts[j];
	return *hp->reason ? hp->reason : hp->nattempts > 0 ?
	    hp->attempts[hp->nattempts - 1] : "no reason logged";
}

static void
chain_names(const struct model *m, const struct trace *t, char *buf,
    size_t len)
{
	const struct trace_hop *last = &t->hops[t->nhops - 1];
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < t->nhops && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " -> " : "",
		    host_name_of(m, t->hops[i].host));
	if (o < len && *last->relay_addr)
		snprintf(buf + o, len - o, " -> %s", last->relay_addr);
	else if (o < len && *last->relay)
		snprintf(buf + o, len - o, " -> %s", last->relay);
}

/* Rebuilds hops into nw from the model; sets state and summary. */
static void
trace_rebuild(struct trace *nw, const struct trace *old,
    const struct model *m)
{
	int host = nw->origin, i;
	char qid[24];

	memset(nw->hops, 0, sizeof(nw->hops));
	nw->nhops = 0;
	nw->deferred = 0;
	find_token_qid(&m->hosts[host], nw->token, qid, sizeof(qid));
	/* the message-id line scrolled out of a busy origin's ring: go on
	 * from the queue id found before (each hop keeps what it had) */
	if (!qid[0] && old->nhops > 0)
		snprintf(qid, sizeof(qid), "%s", old->hops[0].qid);
	if (!qid[0]) {
		snprintf(nw->summary, sizeof(nw->summary),
		    "submitted; waiting for %s's log", host_name_of(m, host));
		return;
	}
	for (i = 0; i < TRACE_MAX_HOPS; i++) {
		struct trace_hop *hp = &nw->hops[i];
		const struct ev_rec *fin;
		const char *hn = host_name_of(m, host);

		hp->host = host;
		hp->next_host = -1;
		snprintf(hp->qid, sizeof(hp->qid), "%s", qid);
		nw->nhops = i + 1;
		if (!hop_scan(m, hp, &fin) && i < old->nhops &&
		    old->hops[i].host == host &&
		    strcmp(old->hops[i].qid, qid) == 0)
			*hp = old->hops[i];	/* events left the ring */
		hop_relay_denials(m, nw, hp, fin ? fin->when : 0);
		if (hp->status == ST_NONE) {
			snprintf(nw->summary, sizeof(nw->summary),
			    i == 0 ? "queued on %s as %s" :
			    "handed to %s (queue id %s); waiting for its log",
			    hn, *qid ? qid : "?");
			return;
		}
		if (hp->status == ST_DEFERRED) {
			nw->deferred = 1;
			snprintf(nw->summary, sizeof(nw->summary),
			    "deferred at hop %d (%s): %s", i + 1, hn,
			    hop_problem(hp));
			return;
		}
		if (hp->status == ST_BOUNCED || hp->status == ST_EXPIRED) {
			nw->state = TR_BOUNCED;
			snprintf(nw->summary, sizeof(nw->summary),
			    "%s at hop %d (%s): %s%s%s",
			    mail_status_name(hp->status), i + 1, hn, hp->dsn,
			    *hp->dsn ? " " : "", hp->reason);
			return;
		}
		/* sent: to a host of the inventory, or out of it */
		{
			char rname[256], *p;
			int kind;

			snprintf(rname, sizeof(rname), "%s", hp->relay);
			if ((p = strchr(rname, '[')) != NULL)
				*p = '\0';
			hp->next_host = find_host(m, rname, hp->relay_addr);
			kind = target_kind(&m->hosts[host], rname,
			    hp->relay_addr);
			hp->via_fallback = kind == 2;
		}
		if (hp->next_host < 0 || hp->next_host == host) {
			char chain[160];

			hp->next_host = -1;
			nw->state = TR_DELIVERED;
			chain_names(m, nw, chain, sizeof(chain));
			snprintf(nw->summary, sizeof(nw->summary),
			    "delivered%s: %s (%s%s%s)",
			    nw->hops[0].via_fallback ? " via fallback" : "",
			    chain, hp->dsn, *hp->dsn ? " " : "", hp->reason);
			return;
		}
		host = hp->next_host;
		if (hp->queued_as[0] && qid_seen(&m->hosts[host], hp->queued_as))
			snprintf(qid, sizeof(qid), "%s", hp->queued_as);
		else {
			find_token_qid(&m->hosts[host], nw->token, qid,
			    sizeof(qid));
			if (!qid[0])
				snprintf(qid, sizeof(qid), "%s", hp->queued_as);
		}
	}
	snprintf(nw->summary, sizeof(nw->summary),
	    "stopped after %d hops (relay loop?)", TRACE_MAX_HOPS);
	nw->state = TR_BOUNCED;
}

int
trace_advance(struct trace *t, const struct model *m, time_t now)
{
	struct trace nw;

	if (trace_finished(t))
		return 0;
	nw = *t;
	if (t->origin < 0 || (size_t)t->origin >= m->n) {
		nw.state = TR_FAILED;
		snprintf(nw.summary, sizeof(nw.summary), "no such origin");
	} else if (t->state == TR_WAITING)
		trace_rebuild(&nw, t, m);
	if (!trace_finished(&nw) && now >= t->started + t->timeout_s) {
		char was[sizeof(nw.summary)];

		snprintf(was, sizeof(was), "%s", nw.summary);
		if (nw.state == TR_WAITING && nw.deferred)
			nw.state = TR_DEFERRED;
		else {
			nw.state = TR_TIMEOUT;
			snprintf(nw.summary, sizeof(nw.summary),
			    "timeout after %d s: %.200s", t->timeout_s, was);
		}
	}
	if (trace_finished(&nw) && !nw.finished)
		nw.finished = now;
	if (memcmp(&nw, t, sizeof(nw)) == 0)
		return 0;
	*t = nw;
	return 1;
}
