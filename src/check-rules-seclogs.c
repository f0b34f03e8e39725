/* check-rules-seclogs.c: the doctor's findings from TLS and SASL failure
 * lines in the recent maillog (certificate verification failed, TLS
 * required but not offered, handshake errors, SASL authentication failed,
 * no worthy mechs), each tied to the settings rule that explains it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

static int
peer_of(const struct check_ctx *c, const struct ev_rec *r)
{
	const char *a = rec_relay_addr(r);
	char buf[64];
	size_t i;

	if (a[0] == '\0' && rec_client(r)[0] != '\0') {
		const char *lb = strrchr(rec_client(r), '['), *rb;

		if (lb != NULL && (rb = strchr(lb, ']')) != NULL) {
			snprintf(buf, sizeof(buf), "%.*s", (int)(rb - lb - 1),
			    lb + 1);
			a = buf;
		}
	}
	if (a[0] == '\0')
		return -1;
	for (i = 0; i < c->m->n; i++)
		if (host_addr_is(c->m->hosts[i].cfg, a))
			return (int)i;
	return -1;
}

/* The settings finding that explains a failure of kind sf on h -> peer. */
static struct finding *
why_of(struct check_ctx *c, enum sec_fail sf, int h, int peer)
{
	const char *id, *id2 = NULL;
	struct finding *f;

	switch (sf) {
	case SF_CERT_VERIFY:
		id = "tls-verify-no-ca";
		break;
	case SF_TLS_NOT_OFFERED:
		id = "tls-required-not-offered";
		break;
	case SF_TLS_HANDSHAKE:
		id = "relayhost-wrappermode";
		break;
	case SF_SASL_NO_MECH:
		id = "sasl-no-usable-mech";
		break;
	default:
		id = "sasl-no-password-map";
		id2 = "sasl-map-stale";	/* the old password still in use */
		break;
	}
	if ((f = chk_find(c, id, h, -1)) == NULL && peer >= 0)
		f = chk_find(c, id, peer, -1);
	if (f == NULL && id2 != NULL && (f = chk_find(c, id2, h, -1)) ==
	    NULL && peer >= 0)
		f = chk_find(c, id2, peer, -1);
	return f;
}

static const char *
id_of(enum sec_fail sf)
{
	switch (sf) {
	case SF_CERT_VERIFY:
		return "log-tls-cert-verify";
	case SF_TLS_NOT_OFFERED:
	case SF_TLS_HANDSHAKE:
		return "log-tls-failed";
	case SF_SASL_NO_MECH:
		return "log-sasl-no-mech";
	default:
		return "log-sasl-failed";
	}
}

static const char *
cause_of(enum sec_fail sf)
{
	switch (sf) {
	case SF_CERT_VERIFY:
		return "could not verify the certificate of";
	case SF_TLS_NOT_OFFERED:
		return "requires TLS, which is not offered by";
	case SF_TLS_HANDSHAKE:
		return "failed the TLS handshake with";
	case SF_SASL_NO_MECH:
		return "found no usable SASL mechanism (no worthy mechs) for";
	default:
		return "failed SASL authentication with";
	}
}

/* 1 when mail went through to (or came in from) the failure's peer after
 * the failure at newest-first index i: fixed since. */
static int
fixed_since(const struct host *hh, size_t i, const struct ev_rec *r)
{
	const struct ev_rec *n;
	char pat[80];
	size_t k;

	if (rec_relay_addr(r)[0] == '\0') {
		const char *lb = strrchr(rec_client(r), '[');

		if (lb == NULL || snprintf(pat, sizeof(pat), "%.70s", lb) < 0)
			return 0;
	}
	for (k = 0; k < i && (n = model_event(hh, k)) != NULL; k++) {
		if (rec_relay_addr(r)[0] != '\0') {
			if (n->kind == EV_DELIVERY && n->status == ST_SENT &&
			    strcasecmp(rec_relay_addr(n),
			    rec_relay_addr(r)) == 0)
				return 1;
		} else if (n->kind == EV_CLIENT &&
		    strstr(rec_client(n), pat) != NULL) {
			return 1;
		}
	}
	return 0;
}

static void
one(struct check_ctx *c, int h, size_t at, const struct ev_rec *r)
{
	enum sec_fail sf = (enum sec_fail)r->secfail;
	const char *id = id_of(sf);
	int peer = peer_of(c, r);
	struct finding *why, *f;
	char wid[40] = "", wfix[256] = "";
	int wfh = -1, fixed;
	size_t i;

	for (i = 0; i < c->out->n; i++) {
		f = &c->out->v[i];
		if (strcmp(f->id, id) == 0 && f->nhosts > 0 &&
		    f->hosts[0] == h)
			return;		/* the newest is taken */
	}
	if ((why = why_of(c, sf, h, peer)) != NULL) {
		/* chk_add may move the findings */
		snprintf(wid, sizeof(wid), "%s", why->id);
		snprintf(wfix, sizeof(wfix), "%s", why->fix);
		wfh = why->fix_host;
	}
	/* warning when a current setting explains it, or when nothing went
	 * through to that peer since; info when mail did (fixed since) */
	fixed = !wid[0] && (peer < 0 || fixed_since(&c->m->hosts[h], at, r));
	f = chk_add(c, id, fixed ? SEV_INFO : SEV_WARNING);
	if (f == NULL)
		return;
	chk_host(f, h);
	chk_host(f, peer);
	chk_evidence(f, "%s: %s%s%s", chk_name(c, h), rec_qid(r),
	    rec_qid(r)[0] ? ": " : "",
	    rec_text(r)[0] ? rec_text(r) : rec_reason(r));
	if (wid[0]) {
		snprintf(f->see, sizeof(f->see), "%s", wid);
		chk_what(f, "%s %s %s (see %s)", chk_name(c, h), cause_of(sf),
		    peer >= 0 ? chk_name(c, peer) : "its peer", wid);
		chk_fix(f, wfh, "%s", wfix);
	} else if (fixed) {
		/* a peer outside the inventory (a scanner, a port test that
		 * hangs up before the handshake) is no hop of the chain */
		chk_what(f, peer >= 0 ? "%s %s %s, but mail went through since "
		    "(fixed?)" : "%s %s a peer outside the inventory",
		    chk_name(c, h), cause_of(sf), peer >= 0 ?
		    chk_name(c, peer) : "");
		chk_fix(f, -1, "none needed if it does not come back");
	} else {
		chk_what(f, "%s %s %s: %s", chk_name(c, h), cause_of(sf),
		    peer >= 0 ? chk_name(c, peer) : "its peer", rec_reason(r));
		chk_fix(f, h, sf == SF_CERT_VERIFY ? "%s: set smtp_tls_CAfile "
		    "to the CA that signed the relay's certificate, or renew "
		    "that certificate" : sf == SF_SASL_AUTH ? "%s: check the "
		    "user and password in smtp_sasl_password_maps (postmap "
		    "it after a change)" : sf == SF_SASL_NO_MECH ? "%s: "
		    "install libsasl2-modules, and let "
		    "smtp_sasl_security_options allow the relay's mechanism "
		    "(noanonymous; PLAIN and LOGIN need TLS or noplaintext "
		    "removed)" : "%s: compare smtp_tls_security_level and "
		    "smtp_tls_wrappermode with what the relay's port speaks",
		    chk_name(c, h));
	}
}

void
check_rules_seclogs(struct check_ctx *c)
{
	const struct ev_rec *r;
	size_t h, i;

	for (h = 0; h < c->m->n; h++)
		for (i = 0; (r = model_event(&c->m->hosts[h], i)) != NULL;
		    i++) {
			if (r->when < c->now - CHECK_LOG_WINDOW_S)
				break;
			/* lines that name no peer ("QID: Server certificate
			 * not verified", "warning: SASL authentication
			 * failure: No worthy mechs found") come with one
			 * that does */
			if (r->secfail != SF_NONE && (rec_relay_addr(r)[0] ||
			    rec_client(r)[0]))
				one(c, (int)h, i, r);
		}
}
