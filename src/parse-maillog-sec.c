/* parse-maillog-sec.c: the TLS and SASL lines of a Postfix maillog: the
 * "LEVEL TLS connection established to/from" line of each handshake and
 * the failure lines (certificate, handshake, STARTTLS not offered, SASL),
 * as event.h describes. Bounded by end throughout; spans borrow the line. */
#include <string.h>

#include "parse-fields.h"
#include "parse-maillog-int.h"

static void
span_set(struct span *s, const char *a, const char *b)
{
	s->p = a;
	s->n = b > a ? (size_t)(b - a) : 0;
}

static enum tls_level
level_of(const char *m, const char *end, const char **after)
{
	static const struct { const char *w; size_t n; enum tls_level l; }
	    words[] = {
		{ "Anonymous ", 10, TLS_L_ANONYMOUS },
		{ "Untrusted ", 10, TLS_L_UNTRUSTED },
		{ "Trusted ", 8, TLS_L_TRUSTED },
		{ "Verified ", 9, TLS_L_VERIFIED },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (pf_starts(m, end, words[i].w, words[i].n)) {
			*after = m + words[i].n;
			return words[i].l;
		}
	return TLS_L_NONE;
}

/* Peer "H[A]:P" or "H[A]" from p up to the first ": " after its ']'
 * (or end); returns where the text after ": " starts (end when none). */
static const char *
peer_end(const char *p, const char *end)
{
	const char *rb = memchr(p, ']', (size_t)(end - p));
	const char *c;

	if (rb == NULL)
		return end;
	c = PF_FIND(rb, end, ": ");
	return c != NULL ? c : end;
}

static void
client_peer(const char *p, const char *e, struct mail_event *ev)
{
	const char *lb = memchr(p, '[', (size_t)(e - p)), *rb;

	if (lb == NULL)
		return;
	rb = memchr(lb, ']', (size_t)(e - lb));
	if (rb == NULL)
		return;
	span_set(&ev->client_name, p, lb);
	span_set(&ev->client_addr, lb + 1, rb);
}

/* "PROTO with cipher C (bits) key-exchange ...": proto, cipher, reason. */
static void
tls_params(const char *p, const char *end, struct mail_event *ev)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p)), *c, *ce, *ke;

	span_set(&ev->tls_proto, p, sp != NULL ? sp : end);
	c = PF_FIND(p, end, " with cipher ");
	if (c != NULL) {
		c += 13;
		ce = memchr(c, ' ', (size_t)(end - c));
		span_set(&ev->tls_cipher, c, ce != NULL ? ce : end);
	}
	ke = PF_FIND(p, end, " key-exchange ");
	span_set(&ev->reason, p, ke != NULL ? ke : end);
}

static int
established(const char *m, const char *end, struct mail_event *ev)
{
	enum tls_level l = level_of(m, end, &m);
	const char *pe;

	if (l == TLS_L_NONE || !PF_STARTS(m, end, "TLS connection established "))
		return 0;
	m += 27;
	if (PF_STARTS(m, end, "to ")) {
		pe = peer_end(m + 3, end);
		maillog_split_relay(m + 3, pe, ev);
	} else if (PF_STARTS(m, end, "from ")) {
		pe = peer_end(m + 5, end);
		client_peer(m + 5, pe, ev);
		ev->tls_in = 1;
	} else {
		return 0;
	}
	ev->kind = EV_TLS;
	ev->tls = l;
	if (pe + 2 <= end && pe < end)
		tls_params(pe + 2, end, ev);
	return 1;
}

/* A failure line naming a relay "H[A]:P" at p: relay_*, reason after. */
static void
fail_relay(const char *p, const char *end, enum sec_fail f,
    struct mail_event *ev)
{
	const char *pe = peer_end(p, end);

	maillog_split_relay(p, pe, ev);
	if (pe + 2 <= end && pe < end)
		span_set(&ev->reason, pe + 2, end);
	ev->secfail = f;
}

int
maillog_msg_sec(const char *m, const char *end, int has_qid,
    struct mail_event *ev)
{
	const char *w, *p;

	if (established(m, end, ev))
		return 1;
	/* every failure below is kept as a warning */
	ev->kind = EV_WARNING;
	if (has_qid) {
		if (PF_STARTS(m, end, "Server certificate not verified")) {
			span_set(&ev->reason, m, end);
			ev->secfail = SF_CERT_VERIFY;
			return 1;
		}
		if (PF_STARTS(m, end, "TLS is required, but was not offered by host ")) {
			maillog_split_relay(m + 45, end, ev);
			span_set(&ev->reason, m, end);
			ev->secfail = SF_TLS_NOT_OFFERED;
			return 1;
		}
	}
	if (PF_STARTS(m, end, "SASL authentication failed; ")) {
		p = m + 28;
		if (PF_STARTS(p, end, "server ")) {
			w = PF_FIND(p, end, " said: ");
			maillog_split_relay(p + 7, w != NULL ? w : end, ev);
			span_set(&ev->reason, w != NULL ? w + 7 : end, end);
			ev->secfail = SF_SASL_AUTH;
		} else if (PF_STARTS(p, end, "cannot authenticate to server ")) {
			fail_relay(p + 30, end, SF_SASL_NO_MECH, ev);
			if (PF_FIND(p, end, "no mechanism available") == NULL)
				ev->secfail = SF_SASL_AUTH;
		} else {
			span_set(&ev->reason, p, end);
			ev->secfail = SF_SASL_AUTH;
		}
		return 1;
	}
	if (PF_STARTS(m, end, "certificate verification failed for ")) {
		fail_relay(m + 36, end, SF_CERT_VERIFY, ev);
		ev->kind = EV_WARNING;
		return 1;
	}
	if (PF_STARTS(m, end, "SSL_connect error to ")) {
		fail_relay(m + 21, end, SF_TLS_HANDSHAKE, ev);
		ev->kind = EV_WARNING;
		return 1;
	}
	if (PF_STARTS(m, end, "SSL_accept error from ")) {
		p = peer_end(m + 22, end);
		client_peer(m + 22, p, ev);
		span_set(&ev->reason, p + 2 <= end && p < end ? p + 2 : end,
		    end);
		ev->secfail = SF_TLS_HANDSHAKE;
		ev->kind = EV_WARNING;
		return 1;
	}
	if (!PF_STARTS(m, end, "warning: ")) {
		ev->kind = EV_NONE;
		return 0;
	}
	w = m + 9;
	if (PF_STARTS(w, end, "TLS library problem: ")) {
		span_set(&ev->reason, w + 21, end);
		ev->secfail = SF_TLS_HANDSHAKE;
	} else if (PF_STARTS(w, end, "SASL authentication failure: ")) {
		span_set(&ev->reason, w + 29, end);
		ev->secfail = PF_FIND(w, end, "No worthy mechs") != NULL ?
		    SF_SASL_NO_MECH : SF_SASL_AUTH;
	} else if ((p = PF_FIND(w, end, "]: SASL ")) != NULL &&
	    PF_FIND(p, end, " authentication failed") != NULL) {
		client_peer(w, p + 1, ev);
		span_set(&ev->reason, p + 3, end);
		ev->secfail = SF_SASL_AUTH;
	} else {
		ev->kind = EV_NONE;
		return 0;
	}
	return 1;
}

const char *
tls_level_name(enum tls_level l)
{
	static const char *const names[TLS_L_MAX] = { "", "Anonymous",
	    "Untrusted", "Trusted", "Verified" };

	return (unsigned)l < TLS_L_MAX ? names[l] : "";
}

const char *
sec_fail_name(enum sec_fail f)
{
	static const char *const names[SF_MAX] = { "", "tls-handshake",
	    "cert-verify", "tls-not-offered", "sasl-auth", "sasl-no-mech" };

	return (unsigned)f < SF_MAX ? names[f] : "";
}
