/* secfact.c: the TLS, SASL, address family and port of a hop, read from
 * the sender's retained events (the "LEVEL TLS connection established to"
 * line of the delivering process, the failure lines) and the receiver's
 * client= line (sasl_method). Pure: reads the model only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secfact.h"

#define SEC_LOOKBACK	64	/* events searched before a delivery */

static int
family_of(const char *addr)
{
	if (addr[0] == '\0')
		return 0;
	return strchr(addr, ':') != NULL ? 6 : 4;
}

/* smtp_tls_security_level asks for a verified peer */
static int
level_verifies(const char *lvl)
{
	return strcmp(lvl, "verify") == 0 || strcmp(lvl, "secure") == 0 ||
	    strcmp(lvl, "dane-only") == 0;
}

static int
level_none(const char *lvl)
{
	return lvl[0] == '\0' || strcmp(lvl, "none") == 0;
}

/* "TLSv1.3 with cipher C (bits)" -> proto, cipher */
static void
tls_from_rec(const struct host *h, const struct ev_rec *r,
    struct sec_fact *f)
{
	const char *c = strstr(rec_reason(r), " with cipher ");
	size_t pn = strcspn(rec_reason(r), " ");

	f->tls = (enum tls_level)r->tls;
	snprintf(f->proto, sizeof(f->proto), "%.*s", (int)pn, rec_reason(r));
	f->cipher[0] = '\0';
	if (c != NULL) {
		c += 13;
		snprintf(f->cipher, sizeof(f->cipher), "%.*s",
		    (int)strcspn(c, " "), c);
	}
	f->state = SEC_TLS;
	if (level_verifies(host_setting(h, "smtp_tls_security_level")) &&
	    f->tls < TLS_L_VERIFIED)
		f->state = SEC_TLS_UNVERIFIED;
}

static void
fact_reset(struct sec_fact *f)
{
	memset(f, 0, sizeof(*f));
	f->sasl = -1;
}

void
sec_fact_delivery(const struct host *h, size_t i, struct sec_fact *f)
{
	const struct ev_rec *d = model_event(h, i), *r;
	const char *lvl = host_setting(h, "smtp_tls_security_level");
	size_t k;

	fact_reset(f);
	if (d == NULL)
		return;
	f->family = family_of(rec_relay_addr(d));
	f->port = d->relay_port;
	for (k = i + 1; k <= i + SEC_LOOKBACK &&
	    (r = model_event(h, k)) != NULL; k++) {
		if (r->pid != d->pid || r->pid == 0)
			continue;
		if (r->kind == EV_TLS && !r->tls_in &&
		    strcasecmp(rec_relay_addr(r), rec_relay_addr(d)) == 0) {
			tls_from_rec(h, r, f);
			return;
		}
		/* a delivery of this process to another relay: the
		 * connection before it is not this one (one to the same
		 * relay may have shared it, so the search goes on) */
		if (r->kind == EV_DELIVERY &&
		    strcasecmp(rec_relay_addr(r), rec_relay_addr(d)) != 0)
			break;
	}
	if (level_none(lvl))
		f->state = SEC_PLAIN;
	else if (atoi(host_setting(h, "smtp_tls_loglevel")) >= 1)
		f->state = SEC_CLEAR_FALLBACK;
}

static int
key_hit(const char *const keys[], size_t nk, const struct ev_rec *r)
{
	size_t k;

	if (rec_relay_addr(r)[0] == '\0')
		return 0;
	for (k = 0; k < nk; k++)
		if (keys[k] != NULL && keys[k][0] != '\0' &&
		    strcasecmp(keys[k], rec_relay_addr(r)) == 0)
			return 1;
	return 0;
}

int
sec_sasl_of(const struct host *r, const char *qid, char *method, size_t len)
{
	const struct ev_rec *e;
	size_t i;

	if (method != NULL && len > 0)
		method[0] = '\0';
	if (qid == NULL || qid[0] == '\0')
		return -1;
	for (i = 0; (e = model_event(r, i)) != NULL; i++) {
		if (e->kind != EV_CLIENT || strcmp(rec_qid(e), qid) != 0)
			continue;
		if (rec_sasl(e)[0] == '\0')
			return 0;
		if (method != NULL && len > 0)
			snprintf(method, len, "%s", rec_sasl(e));
		return 1;
	}
	return -1;
}

void
sec_fact_edge(const struct model *m, const struct host *h, int to,
    const char *const keys[], size_t nk, struct sec_fact *f)
{
	const struct ev_rec *r;
	size_t i;

	fact_reset(f);
	for (i = 0; (r = model_event(h, i)) != NULL; i++) {
		if (!key_hit(keys, nk, r))
			continue;
		if (r->kind == EV_TLS && !r->tls_in) {
			tls_from_rec(h, r, f);
			f->family = family_of(rec_relay_addr(r));
			f->port = r->relay_port;
			return;
		}
		if (r->secfail == SF_CERT_VERIFY ||
		    r->secfail == SF_TLS_HANDSHAKE ||
		    r->secfail == SF_TLS_NOT_OFFERED) {
			f->state = SEC_FAILED;
			snprintf(f->fail, sizeof(f->fail), "%s",
			    r->secfail == SF_TLS_NOT_OFFERED ? rec_reason(r) :
			    rec_text(r)[0] ? rec_text(r) : rec_reason(r));
			f->family = family_of(rec_relay_addr(r));
			f->port = r->relay_port;
			return;
		}
		if (r->kind == EV_DELIVERY && r->status == ST_SENT) {
			sec_fact_delivery(h, i, f);
			if (to >= 0 && (size_t)to < m->n)
				f->sasl = sec_sasl_of(&m->hosts[to],
				    rec_queued_as(r), f->sasl_method,
				    sizeof(f->sasl_method));
			return;
		}
	}
}

const char *
sec_state_name(enum sec_state s)
{
	static const char *const names[SEC_MAX] = { "unknown", "plain",
	    "cleartext-fallback", "tls", "tls-unverified", "failed" };

	return (unsigned)s < SEC_MAX ? names[s] : "unknown";
}

int
sec_fact_is_bad(const struct sec_fact *f)
{
	return f->state == SEC_CLEAR_FALLBACK ||
	    f->state == SEC_TLS_UNVERIFIED || f->state == SEC_FAILED;
}

const char *
sec_fact_text(const struct sec_fact *f, char *buf, size_t len)
{
	switch (f->state) {
	case SEC_TLS:
	case SEC_TLS_UNVERIFIED:
		snprintf(buf, len, "%s %s %s%s", tls_level_name(f->tls),
		    f->proto, f->cipher,
		    f->state == SEC_TLS_UNVERIFIED ? " (not verified)" : "");
		break;
	case SEC_PLAIN:
		snprintf(buf, len, "cleartext (TLS off)");
		break;
	case SEC_CLEAR_FALLBACK:
		snprintf(buf, len, "cleartext (TLS may: not offered)");
		break;
	case SEC_FAILED:
		snprintf(buf, len, "TLS failed: %s", f->fail);
		break;
	default:
		snprintf(buf, len, "TLS unknown");
		break;
	}
	return buf;
}

const char *
sec_fact_line(const struct sec_fact *f, char *buf, size_t len)
{
	char st[224], fam[8] = "ipv?", port[16] = "?";

	/* a hop not seen yet has no family or port: "?", never "ipv0" */
	if (f->family == 4 || f->family == 6)
		snprintf(fam, sizeof(fam), "ipv%d", f->family);
	if (f->port > 0)
		snprintf(port, sizeof(port), "%d", f->port);
	snprintf(buf, len, "%s  sasl %s%s  %s port %s",
	    sec_fact_text(f, st, sizeof(st)), f->sasl == 1 ? "yes " :
	    f->sasl == 0 ? "no" : "?", f->sasl_method, fam, port);
	return buf;
}
