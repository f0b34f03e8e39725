/* model-events.c: the bounded ring of retained maillog events per host (one
 * heap blob of sanitised strings per event), the per-minute outcome and
 * refusal counters and the host's last delivery outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "sanitize.h"

/* Caps on what one retained event keeps of each string. */
#define CAP_TO		256
#define CAP_RELAY	256
#define CAP_ADDR	64
#define CAP_REASON	400
#define CAP_CLIENT	256
#define CAP_MSGID	256
#define CAP_FROM	256
#define CAP_TEXT	320
#define CAP_SASL	32

static const char empty[] = "";

static size_t
capn(size_t n, size_t cap)
{
	return n < cap ? n : cap;
}

static void
rec_clear(struct ev_rec *r)
{
	free(r->blob);
	memset(r, 0, sizeof(*r));
	r->to = r->relay = r->relay_addr = r->reason = r->client =
	    r->message_id = r->from = r->text = r->sasl = empty;
}

/* Kinds whose meaning is in the free text rather than in fields. */
static int
keeps_text(enum ev_kind k)
{
	return k == EV_CONNECT_FAIL || k == EV_RELAY_DENIED || k == EV_LOOP ||
	    k == EV_WARNING || k == EV_REJECT || k == EV_TLS;
}

/* Appends the sanitised span to the blob at *pos; returns its start. */
static const char *
blob_put(char *blob, size_t *pos, const char *p, size_t n, size_t cap)
{
	char *dst = blob + *pos;
	size_t w;

	if (p == NULL || n == 0)
		return empty;
	n = capn(n, cap);
	w = sanitize_copy(dst, n + 1, p, n);
	*pos += w + 1;
	return dst;
}

/* Fills r from ev: one allocation for all strings. Returns 0, -1 ENOMEM. */
static int
rec_fill(struct ev_rec *r, const struct mail_event *ev)
{
	size_t need = 0, pos = 0, cn = 0;
	int text = keeps_text(ev->kind);
	char *blob;
	int i;

	need += capn(ev->to.n, CAP_TO) + 1;
	need += capn(ev->relay.n, CAP_RELAY) + 1;
	need += capn(ev->relay_addr.n, CAP_ADDR) + 1;
	need += capn(ev->reason.n, CAP_REASON) + 1;
	if (ev->client_name.n || ev->client_addr.n)
		cn = capn(ev->client_name.n, CAP_CLIENT / 2) +
		    capn(ev->client_addr.n, CAP_ADDR) + 2;
	need += cn + 1;
	need += capn(ev->message_id.n, CAP_MSGID) + 1;
	need += capn(ev->from.n, CAP_FROM) + 1;
	need += capn(ev->sasl_method.n, CAP_SASL) + 1;
	if (text)
		need += capn(ev->text.n, CAP_TEXT) + 1;
	blob = malloc(need);
	if (blob == NULL)
		return -1;
	rec_clear(r);
	r->blob = blob;
	r->when = ev->when;
	r->kind = (uint8_t)ev->kind;
	r->status = (uint8_t)ev->status;
	r->relay_port = ev->relay_port > 0 && ev->relay_port < 65536 ?
	    (uint16_t)ev->relay_port : 0;
	r->delay = (float)ev->delay;
	for (i = 0; i < 4; i++)
		r->delays[i] = (float)ev->delays[i];
	sanitize_copy(r->qid, sizeof(r->qid), ev->qid.p, ev->qid.n);
	sanitize_copy(r->queued_as, sizeof(r->queued_as), ev->queued_as.p,
	    ev->queued_as.n);
	sanitize_copy(r->dsn, sizeof(r->dsn), ev->dsn.p, ev->dsn.n);
	r->tls = (uint8_t)(ev->tls < TLS_L_MAX ? ev->tls : TLS_L_NONE);
	r->tls_in = ev->tls_in ? 1 : 0;
	r->secfail = (uint8_t)(ev->secfail < SF_MAX ? ev->secfail : SF_NONE);
	r->pid = ev->pid > 0 && ev->pid <= 0x7fffffffL ? (uint32_t)ev->pid : 0;
	r->sasl = blob_put(blob, &pos, ev->sasl_method.p, ev->sasl_method.n,
	    CAP_SASL);
	r->to = blob_put(blob, &pos, ev->to.p, ev->to.n, CAP_TO);
	r->relay = blob_put(blob, &pos, ev->relay.p, ev->relay.n, CAP_RELAY);
	r->relay_addr = blob_put(blob, &pos, ev->relay_addr.p,
	    ev->relay_addr.n, CAP_ADDR);
	r->reason = blob_put(blob, &pos, ev->reason.p, ev->reason.n,
	    CAP_REASON);
	if (cn) {
		/* "name[addr]" as Postfix writes it */
		char tmp[CAP_CLIENT / 2 + CAP_ADDR + 3];
		int len = snprintf(tmp, sizeof(tmp), "%.*s[%.*s]",
		    (int)capn(ev->client_name.n, CAP_CLIENT / 2),
		    ev->client_name.p ? ev->client_name.p : "",
		    (int)capn(ev->client_addr.n, CAP_ADDR),
		    ev->client_addr.p ? ev->client_addr.p : "");

		if (len > 0)
			r->client = blob_put(blob, &pos, tmp,
			    capn((size_t)len, sizeof(tmp) - 1), cn);
	}
	r->message_id = blob_put(blob, &pos, ev->message_id.p,
	    ev->message_id.n, CAP_MSGID);
	r->from = blob_put(blob, &pos, ev->from.p, ev->from.n, CAP_FROM);
	if (text)
		r->text = blob_put(blob, &pos, ev->text.p, ev->text.n,
		    CAP_TEXT);
	return 0;
}

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
	    r->queued_as[0] != '\0' &&
	    maillog_addr_is_loopback(r->relay_addr, strlen(r->relay_addr));
}

/* The inventory name of the relay when it is one of ours, else the relay's
 * host name as logged. */
static void
relay_label(const struct model *m, const struct ev_rec *r, char *buf,
    size_t len)
{
	int i = model_match_relay(m, r->relay, r->relay_addr);
	const char *br;

	if (i >= 0) {
		snprintf(buf, len, "%s", m->hosts[i].cfg->name);
		return;
	}
	br = strchr(r->relay, '[');
	snprintf(buf, len, "%.*s", br ? (int)(br - r->relay) :
	    (int)strlen(r->relay), r->relay);
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
	    mail_status_name((enum mail_status)r->status), tbuf, r->to,
	    via[0] ? " via " : "", via) < 0)
		h->last_outcome[0] = '\0';
	h->last_outcome_time = r->when;
	h->last_outcome_status = r->status;
}

/* The ring's room grows as events come (64, then doubling, up to cap):
 * a quiet host costs little, and 500 hosts a full 2000-event ring each
 * only when they have that many events. Growth happens before the ring
 * first wraps (head == count == alloc), so the kept events stay in place. */
static int
ring_grow(struct event_ring *ring)
{
	size_t n = ring->alloc ? ring->alloc * 2 : 64, i;
	struct ev_rec *v;

	if (n > ring->cap)
		n = ring->cap;
	if ((v = realloc(ring->v, n * sizeof(*v))) == NULL)
		return -1;
	memset(v + ring->alloc, 0, (n - ring->alloc) * sizeof(*v));
	for (i = ring->alloc; i < n; i++)
		rec_clear(&v[i]);
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
		ring->cap = m->ring_cap ? m->ring_cap : 2000;
	if (ring->head == ring->alloc && ring->alloc < ring->cap &&
	    ring_grow(ring) != 0)
		return;
	r = &ring->v[ring->head];
	if (rec_fill(r, ev) != 0)
		return;
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
	return &ring->v[(ring->head + ring->cap - 1 - i) % ring->cap];
}
