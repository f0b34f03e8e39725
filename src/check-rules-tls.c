/* check-rules-tls.c: the doctor's rules over the TLS and SASL settings of
 * each hop from an origin to its relays: verify without a CA, port 465
 * without wrappermode (and 587 with it), SASL without a password map, TLS
 * required toward a relay that does not offer STARTTLS, and cleartext
 * where TLS is only opportunistic and the relay offers none. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

/* smtp_tls_security_level asks for TLS (the mail waits without it) */
static int
level_requires(const char *l)
{
	return strcmp(l, "encrypt") == 0 || strcmp(l, "verify") == 0 ||
	    strcmp(l, "secure") == 0 || strcmp(l, "dane-only") == 0 ||
	    strcmp(l, "fingerprint") == 0;
}

static int
level_verifies(const char *l)
{
	return strcmp(l, "verify") == 0 || strcmp(l, "secure") == 0;
}

/* smtpd offers STARTTLS: a level other than none, and a certificate */
static int
offers_starttls(const struct host *r)
{
	const char *l = chk_val(r, "smtpd_tls_security_level");

	return l[0] != '\0' && strcmp(l, "none") != 0 &&
	    chk_val(r, "smtpd_tls_cert_file")[0] != '\0';
}

/* Once per origin: verify/secure with neither a CA file nor a CA path. */
static void
rule_verify_no_ca(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const char *l = chk_val(o, "smtp_tls_security_level");
	struct finding *f;

	if (!level_verifies(l) || chk_val(o, "smtp_tls_CAfile")[0] != '\0' ||
	    chk_val(o, "smtp_tls_CApath")[0] != '\0' ||
	    chk_find(c, "tls-verify-no-ca", e->from, -1) != NULL)
		return;
	f = chk_add_hosts(c, "tls-verify-no-ca", SEV_CRITICAL, e->from, e->to);
	chk_what(f, "%s sends with smtp_tls_security_level = %s but has no "
	    "CA to verify %s's certificate with: every mail is deferred "
	    "(\"Server certificate not verified\")", chk_name(c, e->from), l,
	    chk_name(c, e->to));
	chk_evidence(f, "%s: smtp_tls_security_level = %s, smtp_tls_CAfile "
	    "and smtp_tls_CApath empty", chk_name(c, e->from), l);
	chk_fix_main(c, f, e->from, "smtp_tls_CAfile = <the PEM file of the "
	    "CA that signed %s's certificate> (public CAs: "
	    "/etc/ssl/certs/ca-certificates.crt)", chk_name(c, e->to));
}

/* 465 is TLS from the first byte (wrappermode); 587 and 25 are STARTTLS. */
static void
rule_wrappermode(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	int wrap = chk_yes(chk_val(o, "smtp_tls_wrappermode"));
	const char *set = e->kind == EDGE_FALLBACK ? "smtp_fallback_relay" :
	    "relayhost";
	struct finding *f;

	if ((e->target.port == 465) == wrap)
		return;
	f = chk_add_hosts(c, "relayhost-wrappermode", SEV_CRITICAL, e->from,
	    e->to);
	chk_evidence(f, "%s: %s = %s, smtp_tls_wrappermode = %s",
	    chk_name(c, e->from), set, chk_val(o, set), wrap ? "yes" : "no");
	if (!wrap) {
		chk_what(f, "%s sends to %s on port 465, which speaks TLS from "
		    "the first byte, without smtp_tls_wrappermode: the "
		    "connection hangs until it times out and mail is deferred",
		    chk_name(c, e->from), chk_name(c, e->to));
		chk_fix_main(c, f, e->from, "smtp_tls_wrappermode = yes and "
		    "smtp_tls_security_level = encrypt");
	} else {
		chk_what(f, "%s sends to %s on port %d with "
		    "smtp_tls_wrappermode = yes: that port expects plain SMTP "
		    "and STARTTLS, so the TLS handshake fails",
		    chk_name(c, e->from), chk_name(c, e->to), e->target.port);
		chk_fix_main(c, f, e->from, "smtp_tls_wrappermode = no (or "
		    "relayhost on port 465)");
	}
}

static void
rule_sasl_no_map(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	struct finding *f;

	if (!chk_yes(chk_val(o, "smtp_sasl_auth_enable")) ||
	    chk_val(o, "smtp_sasl_password_maps")[0] != '\0' ||
	    chk_find(c, "sasl-no-password-map", e->from, -1) != NULL)
		return;
	f = chk_add_hosts(c, "sasl-no-password-map", SEV_CRITICAL, e->from,
	    e->to);
	chk_what(f, "%s has smtp_sasl_auth_enable = yes but no "
	    "smtp_sasl_password_maps: it has no password to log in to %s "
	    "with, and a relay that requires SASL refuses its mail",
	    chk_name(c, e->from), chk_name(c, e->to));
	chk_evidence(f, "%s: smtp_sasl_auth_enable = yes, "
	    "smtp_sasl_password_maps empty", chk_name(c, e->from));
	chk_fix_main(c, f, e->from, "smtp_sasl_password_maps = "
	    "hash:/etc/postfix/sasl_passwd; in that file the line "
	    "\"%s USER:PASSWORD\" (the key exactly as relayhost says it), "
	    "then postmap /etc/postfix/sasl_passwd", chk_val(o, e->kind ==
	    EDGE_FALLBACK ? "smtp_fallback_relay" : "relayhost"));
}

/* Cross-host: the origin's client level against the relay's smtpd. */
static void
rule_starttls(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const struct host *r = &c->m->hosts[e->to];
	const char *l = chk_val(o, "smtp_tls_security_level");
	struct finding *f;

	if (!chk_usable(c, e->to) || offers_starttls(r) ||
	    chk_yes(chk_val(o, "smtp_tls_wrappermode")))
		return;
	if (level_requires(l)) {
		f = chk_add(c, "tls-required-not-offered", SEV_CRITICAL);
		chk_what(f, "%s requires TLS toward %s "
		    "(smtp_tls_security_level = %s) but %s does not offer "
		    "STARTTLS: every mail to it is deferred (\"TLS is "
		    "required, but was not offered\")", chk_name(c, e->from),
		    chk_name(c, e->to), l, chk_name(c, e->to));
	} else if (strcmp(l, "may") == 0) {
		f = chk_add(c, "tls-cleartext", SEV_WARNING);
		chk_what(f, "%s tries TLS toward %s (smtp_tls_security_level "
		    "= may) but %s offers no STARTTLS: mail goes in "
		    "cleartext, silently", chk_name(c, e->from),
		    chk_name(c, e->to), chk_name(c, e->to));
	} else {
		return;
	}
	chk_host(f, e->to);
	chk_host(f, e->from);
	chk_evidence(f, "%s: smtp_tls_security_level = %s; %s: "
	    "smtpd_tls_security_level = %s, smtpd_tls_cert_file = %s",
	    chk_name(c, e->from), l, chk_name(c, e->to),
	    chk_val(r, "smtpd_tls_security_level")[0] ?
	    chk_val(r, "smtpd_tls_security_level") : "(empty)",
	    chk_val(r, "smtpd_tls_cert_file")[0] ?
	    chk_val(r, "smtpd_tls_cert_file") : "(empty)");
	chk_fix_main(c, f, e->to, "smtpd_tls_security_level = may, with "
	    "smtpd_tls_cert_file and smtpd_tls_key_file set to its "
	    "certificate and key");
}

void
check_rules_tls(struct check_ctx *c)
{
	size_t k;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];

		if (!chk_edge_live(c, k) || e->kind == EDGE_ONWARD ||
		    !chk_usable(c, e->from))
			continue;
		rule_verify_no_ca(c, e);
		rule_wrappermode(c, e);
		rule_sasl_no_map(c, e);
		rule_starttls(c, e);
		check_rules_secfiles_edge(c, e);
	}
}
