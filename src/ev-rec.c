/* ev-rec.c: packs one parsed maillog event into a compact retained record
 * (ev-rec.h): the fixed fields, then each string sanitised and cut to its
 * cap, then the delays when the line logged any, all in one heap block. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev-rec.h"
#include "queue-id.h"
#include "sanitize.h"

/* Caps on what one retained event keeps of each string. */
#define CAP_QID		(QUEUE_ID_SIZE - 1)
#define CAP_DSN		11
#define CAP_TO		256
#define CAP_RELAY	256
#define CAP_ADDR	64
#define CAP_REASON	400
#define CAP_CLIENT	256
#define CAP_MSGID	256
#define CAP_FROM	256
#define CAP_TEXT	320
#define CAP_SASL	32

/* Every string at its cap still fits the 16-bit offsets. */
_Static_assert(1 + 2 * (CAP_QID + 1) + CAP_DSN + CAP_SASL + CAP_TO +
    CAP_RELAY + CAP_ADDR + CAP_REASON + CAP_CLIENT / 2 + CAP_ADDR + 2 +
    CAP_MSGID + CAP_FROM + CAP_TEXT + RS_MAX + 5 * sizeof(float) <
    UINT16_MAX,
    "ev_rec strings outgrow uint16_t offsets");

static size_t
capn(size_t n, size_t cap)
{
	return n < cap ? n : cap;
}

/* Kinds whose meaning is in the free text rather than in fields. */
static int
keeps_text(enum ev_kind k)
{
	return k == EV_CONNECT_FAIL || k == EV_RELAY_DENIED || k == EV_LOOP ||
	    k == EV_WARNING || k == EV_REJECT || k == EV_TLS;
}

/* "name[addr]" as Postfix writes it, each part cut; its length. */
static size_t
client_text(const struct mail_event *ev, char *buf, size_t len)
{
	int n;

	if (ev->client_name.n == 0 && ev->client_addr.n == 0)
		return 0;
	n = snprintf(buf, len, "%.*s[%.*s]",
	    (int)capn(ev->client_name.n, CAP_CLIENT / 2),
	    ev->client_name.p ? ev->client_name.p : "",
	    (int)capn(ev->client_addr.n, CAP_ADDR),
	    ev->client_addr.p ? ev->client_addr.p : "");
	return n > 0 ? capn((size_t)n, len - 1) : 0;
}

/* Where string k of ev comes from and its cap. Queue ids and the DSN are
 * read whole up to the cap (*whole = 1: a UTF-8 sequence the cap would
 * split is dropped), the others cut to the cap first. */
static struct span
str_src(const struct mail_event *ev, enum rec_str k, const struct span *cl,
    size_t *cap, int *whole)
{
	static const struct span none;

	*whole = k == RS_QID || k == RS_QUEUED_AS || k == RS_DSN;
	switch (k) {
	case RS_QID: *cap = CAP_QID; return ev->qid;
	case RS_QUEUED_AS: *cap = CAP_QID; return ev->queued_as;
	case RS_DSN: *cap = CAP_DSN; return ev->dsn;
	case RS_SASL: *cap = CAP_SASL; return ev->sasl_method;
	case RS_TO: *cap = CAP_TO; return ev->to;
	case RS_RELAY: *cap = CAP_RELAY; return ev->relay;
	case RS_RELAY_ADDR: *cap = CAP_ADDR; return ev->relay_addr;
	case RS_REASON: *cap = CAP_REASON; return ev->reason;
	case RS_CLIENT: *cap = cl->n; return *cl;
	case RS_MESSAGE_ID: *cap = CAP_MSGID; return ev->message_id;
	case RS_FROM: *cap = CAP_FROM; return ev->from;
	case RS_TEXT: *cap = CAP_TEXT;
		return keeps_text(ev->kind) ? ev->text : none;
	default: *cap = 0; return none;
	}
}

/* delay= and the four delays= parts as floats in d; their size, or 0
 * when the line logged none (the parser's -1 in each). */
#define DELAYS_N	5
static size_t
delays_get(const struct mail_event *ev, float d[DELAYS_N])
{
	int i, any;

	d[0] = (float)ev->delay;
	for (i = 0; i < 4; i++)
		d[i + 1] = (float)ev->delays[i];
	for (i = 0, any = 0; i < DELAYS_N; i++)
		any |= d[i] != -1.0f;
	return any ? DELAYS_N * sizeof(float) : 0;
}

struct ev_rec *
rec_new(const struct mail_event *ev)
{
	char client[CAP_CLIENT / 2 + CAP_ADDR + 3];
	struct span cl = { client, 0 }, src[RS_MAX];
	size_t room[RS_MAX], total = 1, pos = 1, cap, w, dn;
	float d[DELAYS_N];
	struct ev_rec *r;
	int i, whole;

	cl.n = client_text(ev, client, sizeof(client));
	for (i = 0; i < RS_MAX; i++) {
		src[i] = str_src(ev, (enum rec_str)i, &cl, &cap, &whole);
		if (src[i].p == NULL || src[i].n == 0) {
			room[i] = 0;
			continue;
		}
		room[i] = capn(src[i].n, cap);
		if (!whole)
			src[i].n = room[i];
		total += room[i] + 1;
	}
	dn = delays_get(ev, d);
	if ((r = malloc(offsetof(struct ev_rec, s) + total + dn)) == NULL)
		return NULL;
	memset(r, 0, offsetof(struct ev_rec, s));
	r->s[0] = '\0';
	r->when = ev->when;
	r->kind = (uint8_t)ev->kind;
	r->status = (uint8_t)ev->status;
	r->relay_port = ev->relay_port > 0 && ev->relay_port < 65536 ?
	    (uint16_t)ev->relay_port : 0;
	r->tls = (uint8_t)(ev->tls < TLS_L_MAX ? ev->tls : TLS_L_NONE);
	r->tls_in = ev->tls_in ? 1 : 0;
	r->secfail = (uint8_t)(ev->secfail < SF_MAX ? ev->secfail : SF_NONE);
	r->pid = ev->pid > 0 && ev->pid <= 0x7fffffffL ? (uint32_t)ev->pid : 0;
	for (i = 0; i < RS_MAX; i++) {
		if (room[i] == 0)
			continue;
		w = sanitize_copy(r->s + pos, room[i] + 1, src[i].p, src[i].n);
		r->off[i] = (uint16_t)pos;
		pos += w + 1;
	}
	if (dn) {
		memcpy(r->s + pos, d, dn);
		r->delays_off = (uint16_t)pos;
	}
	return r;
}

void
rec_delays(const struct ev_rec *r, float *delay, float delays[4])
{
	float d[DELAYS_N] = { -1, -1, -1, -1, -1 };

	if (r->delays_off != 0)
		memcpy(d, r->s + r->delays_off, sizeof(d));
	*delay = d[0];
	memcpy(delays, d + 1, 4 * sizeof(float));
}
