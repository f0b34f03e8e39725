/* trace.c: follows a test mail hop by hop through the model's retained
 * maillog events, as the seed reads maillog by hand (pure: reads the model,
 * writes only the trace). The token in the Message-ID finds the origin's
 * queue id; each delivery line's relay and "queued as" lead to the next. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trace-int.h"

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
		    host_name(m, t->hops[i].host));
	if (o < len && *last->relay_addr)
		snprintf(buf + o, len - o, " -> %s", last->relay_addr);
	else if (o < len && *last->relay)
		snprintf(buf + o, len - o, " -> %s", last->relay);
}

/* " via fallback" when the origin's hop went to its smtp_fallback_relay,
 * " via fallback at hop N" when the first hop that did is a deeper one (a
 * relay to its outbound relays), "" when none did. */
static const char *
fallback_words(const struct trace *t, char *buf, size_t len)
{
	int i;

	for (i = 0; i < t->nhops; i++)
		if (t->hops[i].via_fallback) {
			if (i == 0)
				return " via fallback";
			snprintf(buf, len, " via fallback at hop %d", i + 1);
			return buf;
		}
	return "";
}

/* Rebuilds hops into nw from the model; sets state and summary. */
static void
trace_rebuild(struct trace *nw, const struct trace *old,
    const struct model *m)
{
	int host = nw->origin, i;
	char qid[QUEUE_ID_SIZE];

	memset(nw->hops, 0, sizeof(nw->hops));
	nw->nhops = 0;
	nw->deferred = 0;
	trace_find_token_qid(&m->hosts[host], nw->token, qid, sizeof(qid));
	/* the message-id line scrolled out of a busy origin's ring: go on
	 * from the queue id found before (each hop keeps what it had) */
	if (!qid[0] && old->nhops > 0)
		snprintf(qid, sizeof(qid), "%s", old->hops[0].qid);
	if (!qid[0]) {
		snprintf(nw->summary, sizeof(nw->summary),
		    "submitted; waiting for %s's log", host_name(m, host));
		return;
	}
	for (i = 0; i < TRACE_MAX_HOPS; i++) {
		struct trace_hop *hp = &nw->hops[i];
		const struct ev_rec *fin;
		const char *hn = host_name(m, host);

		hp->host = host;
		hp->next_host = -1;
		snprintf(hp->qid, sizeof(hp->qid), "%s", qid);
		nw->nhops = i + 1;
		if (!trace_hop_scan(m, hp, &fin) && i < old->nhops &&
		    old->hops[i].host == host &&
		    strcmp(old->hops[i].qid, qid) == 0)
			*hp = old->hops[i];	/* events left the ring */
		trace_hop_relay_denials(m, nw, hp, fin ? fin->when : 0);
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
			hp->next_host = model_match_host(m, rname, hp->relay_addr);
			/* handed to another instance of this machine */
			if (hp->queued_as[0] && maillog_addr_is_loopback(
			    hp->relay_addr, strlen(hp->relay_addr)) &&
			    trace_has_instances(m, host)) {
				hp->next_host = trace_instance_next(m, host,
				    hp->queued_as);
				hp->handoff = 1;
				if (hp->next_host < 0) {
					snprintf(nw->summary,
					    sizeof(nw->summary), "handed to "
					    "another instance on %s (queue "
					    "id %s); waiting for its log", hn,
					    hp->queued_as);
					return;
				}
			}
			kind = trace_target_kind(&m->hosts[host], rname,
			    hp->relay_addr);
			hp->via_fallback = kind == 2;
			if (hp->next_host >= 0 && hp->next_host != host)
				hp->sec.sasl = sec_sasl_of(
				    &m->hosts[hp->next_host], hp->queued_as,
				    hp->sec.sasl_method,
				    sizeof(hp->sec.sasl_method));
		}
		if (hp->next_host < 0 || hp->next_host == host) {
			char chain[160], fb[48];

			hp->next_host = -1;
			nw->state = TR_DELIVERED;
			chain_names(m, nw, chain, sizeof(chain));
			snprintf(nw->summary, sizeof(nw->summary),
			    "delivered%s: %s (%s%s%s)",
			    fallback_words(nw, fb, sizeof(fb)),
			    chain, hp->dsn, *hp->dsn ? " " : "", hp->reason);
			return;
		}
		host = hp->next_host;
		trace_next_qid(&m->hosts[host], hp->queued_as, nw->token, qid,
		    sizeof(qid));
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
