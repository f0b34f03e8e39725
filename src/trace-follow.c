/* trace-follow.c: the one message follower. From one queue id on one host
 * it finds the ids the same message had on the other hosts: forward along
 * its delivery to a relay of the inventory (the one host matcher) and the
 * relay's "queued as" id (or its Message-ID), back along the delivery on
 * any host that handed it here. The trace and the log view both follow
 * mail this way. */
#include <stdio.h>
#include <string.h>

#include "trace-int.h"

void
trace_next_qid(const struct host *next, const char *queued_as,
    const char *token, char *qid, size_t len)
{
	if (queued_as[0] != '\0' && trace_qid_seen(next, queued_as)) {
		snprintf(qid, len, "%s", queued_as);
		return;
	}
	qid[0] = '\0';
	if (token != NULL && token[0] != '\0')
		trace_find_token_qid(next, token, qid, len);
	if (qid[0] == '\0')
		snprintf(qid, len, "%s", queued_as);
}

int
trace_has_instances(const struct model *m, int host)
{
	int mach = model_machine_of(m, host);
	size_t i;

	for (i = 0; i < m->n; i++)
		if ((int)i != host && model_machine_of(m, (int)i) == mach)
			return 1;
	return 0;
}

int
trace_instance_next(const struct model *m, int host, const char *qid)
{
	int mach = model_machine_of(m, host);
	size_t i;

	if (qid[0] == '\0')
		return -1;
	for (i = 0; i < m->n; i++)
		if ((int)i != host && model_machine_of(m, (int)i) == mach &&
		    trace_qid_seen(&m->hosts[i], qid))
			return (int)i;
	return -1;
}

/* The newest delivery of qid on h to a relay (sent), or NULL; its
 * Message-ID into *msgid (the empty string when not seen). */
static const struct ev_rec *
sent_of(const struct host *h, const char *qid, const char **msgid)
{
	const struct ev_rec *e, *sent = NULL;
	size_t i;

	*msgid = "";
	for (i = 0; (e = model_event(h, i)) != NULL; i++) {
		if (strcmp(rec_qid(e), qid) != 0)
			continue;
		if (e->kind == EV_MESSAGE_ID && rec_message_id(e)[0] != '\0')
			*msgid = rec_message_id(e);
		else if (sent == NULL && e->kind == EV_DELIVERY &&
		    e->status == ST_SENT && rec_relay_addr(e)[0] != '\0')
			sent = e;
	}
	return sent;
}

static int
hop_has(const struct mail_hop *v, size_t n, int host, const char *qid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].host == host && strcmp(v[i].qid, qid) == 0)
			return 1;
	return 0;
}

/* Where delivery e on host h went: another Postfix instance of h's
 * machine that logged its "queued as" id (a hand-off on loopback), else
 * the inventory host its relay is, -1 none. */
static int
next_host_of(const struct model *m, int h, const struct ev_rec *e)
{
	int i;

	if (model_rec_is_handoff(e) &&
	    (i = trace_instance_next(m, h, rec_queued_as(e))) >= 0)
		return i;
	return model_match_relay(m, rec_relay(e), rec_relay_addr(e));
}

/* The host and id that handed (host, qid) over: a sent delivery on another
 * host whose "queued as" is qid and whose relay is host. */
static int
prev_of(const struct model *m, int host, const char *qid, char *out,
    size_t len)
{
	const struct ev_rec *e;
	size_t h, i;

	for (h = 0; h < m->n; h++) {
		if ((int)h == host)
			continue;
		for (i = 0; (e = model_event(&m->hosts[h], i)) != NULL; i++)
			if (e->kind == EV_DELIVERY && rec_qid(e)[0] != '\0' &&
			    strcmp(rec_queued_as(e), qid) == 0 &&
			    next_host_of(m, (int)h, e) == host) {
				snprintf(out, len, "%s", rec_qid(e));
				return (int)h;
			}
	}
	return -1;
}

size_t
trace_follow(const struct model *m, int host, const char *qid,
    struct mail_hop *out, size_t max)
{
	const struct ev_rec *e;
	const char *msgid;
	char id[sizeof(out[0].qid)];
	size_t n = 0, k;
	int h;

	if (max == 0 || host < 0 || (size_t)host >= m->n || qid == NULL ||
	    qid[0] == '\0')
		return 0;
	out[n].host = host;
	snprintf(out[n++].qid, sizeof(out[0].qid), "%s", qid);
	/* back to the origin, each earlier hop before the ones known */
	for (h = host, snprintf(id, sizeof(id), "%s", qid); n < max &&
	    (h = prev_of(m, h, id, id, sizeof(id))) >= 0 &&
	    !hop_has(out, n, h, id); n++) {
		memmove(out + 1, out, n * sizeof(out[0]));
		out[0].host = h;
		snprintf(out[0].qid, sizeof(out[0].qid), "%s", id);
	}
	/* on from the last hop known */
	for (h = out[n - 1].host, snprintf(id, sizeof(id), "%s",
	    out[n - 1].qid); n < max; n++) {
		if ((e = sent_of(&m->hosts[h], id, &msgid)) == NULL)
			break;
		k = (size_t)h;
		h = next_host_of(m, h, e);
		if (h < 0 || (size_t)h == k)
			break;
		trace_next_qid(&m->hosts[h], rec_queued_as(e), msgid, id,
		    sizeof(id));
		if (id[0] == '\0' || hop_has(out, n, h, id))
			break;
		out[n].host = h;
		snprintf(out[n].qid, sizeof(out[0].qid), "%s", id);
	}
	return n;
}
