/* trace-scan.c: reading one hop of a test-mail trace from one host's
 * retained events: the queue id's lines (followed through content filters
 * and re-injection on the host), failed tries towards the host's relays,
 * the relays' own rejects, and finding hosts by relay address. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "host-addr.h"
#include "topology.h"
#include "trace-int.h"

#define MAX_TARGETS	8
#define TRACE_MAX_HANDOFFS	4	/* filter hops followed on one host */

/* Oldest-first access to a host's retained events. */
static const struct ev_rec *
ev_old(const struct host *h, size_t k)
{
	size_t n = h->events.count;

	return k < n ? model_event(h, n - 1 - k) : NULL;
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

/* 1 when one of h's relayhost or fallback targets is host r (its name or
 * any of its addresses). */
static int
targets_host(const struct host *h, const struct host_config *r)
{
	static const char *const names[] = { "relayhost",
		"smtp_fallback_relay" };
	struct relay_target tg[MAX_TARGETS];
	size_t k;
	int n, i;

	for (k = 0; k < 2; k++) {
		n = relay_target_parse(host_setting(h, names[k]), tg,
		    MAX_TARGETS);
		for (i = 0; i < n; i++)
			if (strcasecmp(tg[i].host, r->name) == 0 ||
			    host_addr_is(r, tg[i].host))
				return 1;
	}
	return 0;
}

/* 1: name/addr is h's relayhost, 2: one of its smtp_fallback_relay, 0: none
 * (or settings unknown). */
int
trace_target_kind(const struct host *h, const char *name, const char *addr)
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

	snprintf(addr, len, "%s", rec_relay_addr(e));
	if (*addr)
		return;
	a = strchr(rec_text(e), '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b && (size_t)(b - a) < len)
		snprintf(addr, len, "%.*s", (int)(b - a - 1), a + 1);
}

static void
hop_fill_delivery(struct trace_hop *hp, const struct ev_rec *e)
{
	snprintf(hp->relay, sizeof(hp->relay), "%s", rec_relay(e));
	snprintf(hp->relay_addr, sizeof(hp->relay_addr), "%s",
	    rec_relay_addr(e));
	hp->status = e->status;
	snprintf(hp->dsn, sizeof(hp->dsn), "%s", rec_dsn(e));
	snprintf(hp->reason, sizeof(hp->reason), "%s", rec_reason(e));
	rec_delays(e, &hp->delay, hp->delays);
	snprintf(hp->queued_as, sizeof(hp->queued_as), "%s",
	    rec_queued_as(e));
}

/* Reads hop hp (host and qid set) from its host's events. Returns 1 when
 * any event of the qid was seen. */
int
trace_hop_scan(const struct model *m, struct trace_hop *hp,
    const struct ev_rec **final_ev)
{
	const struct host *h = &m->hosts[hp->host];
	const struct ev_rec *e;
	int seen = 0, targets = host_has_targets(h), handoffs = 0;
	int multi = trace_has_instances(m, hp->host);
	char qid[sizeof(hp->qid)];
	size_t k;

	*final_ev = NULL;
	snprintf(qid, sizeof(qid), "%s", hp->qid);
	for (k = 0; (e = ev_old(h, k)) != NULL; k++) {
		/* Content filter, re-injection: the mail goes on under the
		 * new id on this host; read the hop again from the start. */
		/* Another Postfix instance of this machine: the hop ends
		 * here, handed to it (trace.c goes on there). */
		if (rec_qid(e)[0] && strcmp(rec_qid(e), qid) == 0 &&
		    model_rec_is_handoff(e) && multi &&
		    !trace_qid_seen(h, rec_queued_as(e))) {
			if (!seen)
				hp->when = e->when;
			seen = 1;
			hop_fill_delivery(hp, e);
			*final_ev = e;
			break;
		}
		if (rec_qid(e)[0] && strcmp(rec_qid(e), qid) == 0 &&
		    model_rec_is_handoff(e) && handoffs < TRACE_MAX_HANDOFFS &&
		    strcmp(rec_queued_as(e), qid) != 0) {
			handoffs++;
			snprintf(qid, sizeof(qid), "%s", rec_queued_as(e));
			k = (size_t)-1;
			continue;
		}
		if (rec_qid(e)[0] && strcmp(rec_qid(e), qid) == 0) {
			if (!seen)
				hp->when = e->when;
			seen = 1;
			switch (e->kind) {
			case EV_CLIENT:	/* the first: not the filter's */
				if (!hp->client[0])
					snprintf(hp->client,
					    sizeof(hp->client), "%s",
					    rec_client(e));
				break;
			case EV_DELIVERY:
				hop_fill_delivery(hp, e);
				sec_fact_delivery(h, h->events.count - 1 - k,
				    &hp->sec);
				if (e->status == ST_DEFERRED) {
					attempt_add(hp, "deferred: ",
					    rec_reason(e));
					break;
				}
				if (e->status != ST_NONE)
					*final_ev = e;
				break;
			default:
				if (strstr(rec_text(e), " said: "))
					attempt_add(hp, "", rec_text(e));
				break;
			}
			if (*final_ev)
				break;
		} else if (seen && e->kind == EV_CONNECT_FAIL && targets) {
			char addr[64];

			connect_addr(e, addr, sizeof(addr));
			if (trace_target_kind(h, rec_relay(e), addr) != 0)
				attempt_add(hp, "", rec_text(e));
		}
	}
	return seen;
}

/* 1 when a client "name[ADDR]" is one of h's addresses. */
static int
client_is(const char *client, const struct host_config *h)
{
	const char *a = strrchr(client, '['), *b;
	char buf[64];

	if (a == NULL || (b = strchr(a, ']')) == NULL ||
	    (size_t)(b - a) > sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), "%.*s", (int)(b - a - 1), a + 1);
	return host_addr_is(h, buf);
}

/* The relays' side of a refusal: "NOQUEUE: reject: RCPT from
 * x[ORIGIN]: 454 4.7.1 ...: Relay access denied" on a relay of this hop. */
void
trace_hop_relay_denials(const struct model *m, const struct trace *t,
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

		if ((int)i == hp->host || !targets_host(h, r->cfg))
			continue;
		for (k = 0; (e = ev_old(r, k)) != NULL; k++) {
			/* a few seconds of slack for the two hosts' clocks */
			if (e->kind != EV_RELAY_DENIED ||
			    e->when < hp->when - 5 ||
			    (until && e->when > until + 5))
				continue;
			if (!strstr(rec_client(e), want) &&
			    strcmp(rec_client(e), h->cfg->address) != 0 &&
			    !client_is(rec_client(e), h->cfg))
				continue;
			if (*rec_to(e) && strcasecmp(rec_to(e), t->to) != 0)
				continue;
			{
				char pre[CFG_NAME_MAX + 16];

				snprintf(pre, sizeof(pre), "%s rejected: ",
				    r->cfg->name);
				attempt_add(hp, pre, *rec_reason(e) ?
				    rec_reason(e) : rec_text(e));
			}
		}
	}
}

/* Queue id of the message carrying token on host, "" when not seen. */
void
trace_find_token_qid(const struct host *h, const char *token, char *qid,
    size_t len)
{
	const struct ev_rec *e;
	size_t i;

	qid[0] = '\0';
	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (e->kind == EV_MESSAGE_ID && rec_qid(e)[0] &&
		    strstr(rec_message_id(e), token)) {
			snprintf(qid, len, "%s", rec_qid(e));
			return;
		}
}

int
trace_qid_seen(const struct host *h, const char *qid)
{
	const struct ev_rec *e;
	size_t i;

	for (i = 0; (e = model_event(h, i)) != NULL; i++)
		if (strcmp(rec_qid(e), qid) == 0)
			return 1;
	return 0;
}

