/* model-events.c: the bounded ring of retained maillog events per host (one
 * compact record per event, ev-rec.c), the per-minute outcome and refusal
 * counters and the host's last delivery outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* A time more than this after the host's last answer (our clock, set
 * before the answer's events are added) is a wrong clock or a forged line:
 * it holds neither last_outcome nor a counter slot against an older one. */
#define AHEAD_OF_ANSWER_S	300

static int
ahead_of_answer(const struct host *h, time_t t)
{
	return h->last_answer != 0 && t > h->last_answer + AHEAD_OF_ANSWER_S;
}

/* st: a mail status, COUNTER_REFUSED or COUNTER_HANDOFF. */
static void
counters_add(const struct host *h, struct counters *c, time_t when, int st)
{
	time_t minute = when / 60;
	size_t slot;

	if (st <= ST_NONE || st >= COUNTER_COLS)
		return;
	c->total[st]++;
	/* Parsed times are clamped (pf_time_clamp); this guards the index
	 * against any other caller: no minute slot for "no time". */
	if (when <= 0)
		return;
	slot = (size_t)(minute % COUNTER_MINUTES);
	if (c->minute[slot] != minute) {
		/* older than what the slot holds, unless that is bogus */
		if (c->minute[slot] > minute &&
		    !ahead_of_answer(h, c->minute[slot] * 60))
			return;
		c->minute[slot] = minute;
		memset(c->n[slot], 0, sizeof(c->n[slot]));
	}
	c->n[slot][st]++;
}

void
model_count_recent(const struct host *h, time_t now, int minutes,
    unsigned out[ST_MAX])
{
	time_t cur = now / 60;
	size_t i;
	int st;

	memset(out, 0, sizeof(unsigned) * ST_MAX);
	if (minutes > COUNTER_MINUTES)
		minutes = COUNTER_MINUTES;
	for (i = 0; i < COUNTER_MINUTES; i++) {
		time_t mn = h->counters.minute[i];

		if (mn == 0 || mn > cur || mn <= cur - minutes)
			continue;
		for (st = ST_SENT; st < ST_MAX; st++)
			out[st] += h->counters.n[i][st];
	}
}

static unsigned
count_col(const struct host *h, time_t now, int minutes, int col)
{
	time_t cur = now / 60;
	unsigned n = 0;
	size_t i;

	if (minutes > COUNTER_MINUTES)
		minutes = COUNTER_MINUTES;
	for (i = 0; i < COUNTER_MINUTES; i++) {
		time_t mn = h->counters.minute[i];

		if (mn != 0 && mn <= cur && mn > cur - minutes)
			n += h->counters.n[i][col];
	}
	return n;
}

unsigned
model_count_handoffs(const struct host *h, time_t now, int minutes)
{
	return count_col(h, now, minutes, COUNTER_HANDOFF);
}

unsigned
model_count_refused(const struct host *h, time_t now, int minutes)
{
	return count_col(h, now, minutes, COUNTER_REFUSED);
}

int
model_rec_is_handoff(const struct ev_rec *r)
{
	return r->kind == EV_DELIVERY && r->status == ST_SENT &&
	    rec_queued_as(r)[0] != '\0' &&
	    maillog_addr_is_loopback(rec_relay_addr(r),
	    strlen(rec_relay_addr(r)));
}

/* The inventory name of the relay when it is one of ours, else the relay's
 * host name as logged. */
static void
relay_label(const struct model *m, const struct ev_rec *r, char *buf,
    size_t len)
{
	const char *relay = rec_relay(r), *br;
	int i = model_match_relay(m, relay, rec_relay_addr(r));

	if (i >= 0) {
		snprintf(buf, len, "%s", m->hosts[i].cfg->name);
		return;
	}
	br = strchr(relay, '[');
	snprintf(buf, len, "%.*s", br ? (int)(br - relay) :
	    (int)strlen(relay), relay);
	if (strcmp(buf, "none") == 0)
		buf[0] = '\0';		/* not delivered anywhere */
}

static void
outcome_update(struct model *m, struct host *h, const struct ev_rec *r)
{
	char via[72], tbuf[16];
	struct tm tm;

	if (r->kind != EV_DELIVERY || r->status == ST_NONE)
		return;
	if (r->when < h->last_outcome_time &&
	    !ahead_of_answer(h, h->last_outcome_time))
		return;
	relay_label(m, r, via, sizeof(via));
	if (localtime_r(&r->when, &tm) == NULL ||
	    strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm) == 0)
		snprintf(tbuf, sizeof(tbuf), "?");
	if (snprintf(h->last_outcome, sizeof(h->last_outcome),
	    "%s %s to %.60s%s%.40s",
	    mail_status_name((enum mail_status)r->status), tbuf, rec_to(r),
	    via[0] ? " via " : "", via) < 0)
		h->last_outcome[0] = '\0';
	h->last_outcome_time = r->when;
	h->last_outcome_status = r->status;
}

/* The ring's room grows as events come (64, then doubling, up to cap, the
 * host's history): a quiet host costs little, and 500 hosts a full ring each
 * only when they have that many events. Growth happens before the ring
 * first wraps (head == count == alloc), so the kept events stay in place. */
static int
ring_grow(struct event_ring *ring)
{
	size_t n = ring->alloc ? ring->alloc * 2 : 64, i;
	struct ev_rec **v;

	if (n > ring->cap)
		n = ring->cap;
	if ((v = realloc(ring->v, n * sizeof(*v))) == NULL)
		return -1;
	for (i = ring->alloc; i < n; i++)
		v[i] = NULL;
	ring->v = v;
	ring->alloc = n;
	return 0;
}

void
model_add_event(struct model *m, struct host *h, const struct mail_event *ev)
{
	struct event_ring *ring = &h->events;
	struct ev_rec *r;

	if (ev->kind == EV_NONE || ev->kind >= EV_KIND_MAX)
		return;
	if (ring->cap == 0)
		ring->cap = model_ring_cap(m, h);
	if (ring->head == ring->alloc && ring->alloc < ring->cap &&
	    ring_grow(ring) != 0)
		return;
	if ((r = rec_new(ev)) == NULL)
		return;
	free(ring->v[ring->head]);
	ring->v[ring->head] = r;
	ring->head = (ring->head + 1) % ring->cap;
	if (ring->count < ring->cap)
		ring->count++;
	ring->total++;
	/* A hand-off is no outcome: the delivery under the new id is. */
	if (model_rec_is_handoff(r))
		counters_add(h, &h->counters, r->when, COUNTER_HANDOFF);
	else if (r->kind == EV_DELIVERY) {
		counters_add(h, &h->counters, r->when, r->status);
		model_relay_count(m, h, r);
		outcome_update(m, h, r);
	} else if (r->kind == EV_RELAY_DENIED || r->kind == EV_REJECT)
		counters_add(h, &h->counters, r->when, COUNTER_REFUSED);
	m->generation++;
}

const struct ev_rec *
model_event(const struct host *h, size_t i)
{
	const struct event_ring *ring = &h->events;

	if (ring->v == NULL || i >= ring->count)
		return NULL;
	return ring->v[(ring->head + ring->cap - 1 - i) % ring->cap];
}

void
model_ring_free(struct event_ring *ring)
{
	size_t i;

	if (ring->v != NULL)
		for (i = 0; i < ring->alloc; i++)
			free(ring->v[i]);
	free(ring->v);
	ring->v = NULL;
	ring->alloc = ring->count = ring->head = 0;
}
