/* secfact.h: the security facts of one hop, read from the sending host's
 * maillog: TLS as Postfix logged the handshake (or its failure, or none:
 * cleartext), the address family and port that carried it, and whether the
 * receiving relay logged SASL for the mail. Shared by the topology (per
 * edge) and the trace (per hop). */
#ifndef RELAYTOP_SECFACT_H
#define RELAYTOP_SECFACT_H

#include "model.h"

enum sec_state {
	SEC_UNKNOWN = 0,	/* nothing seen, or TLS not logged (loglevel 0) */
	SEC_PLAIN,		/* cleartext, as configured (level none/empty) */
	SEC_CLEAR_FALLBACK,	/* cleartext although TLS is enabled ("may") */
	SEC_TLS,		/* a handshake was logged: see tls */
	SEC_TLS_UNVERIFIED,	/* TLS, but weaker than verify/secure asks */
	SEC_FAILED,		/* a TLS failure line (see fail) */
	SEC_MAX
};

struct sec_fact {
	enum sec_state state;
	enum tls_level tls;	/* SEC_TLS / SEC_TLS_UNVERIFIED */
	char	proto[16];	/* "TLSv1.3" */
	char	cipher[48];	/* "TLS_AES_256_GCM_SHA384" */
	char	fail[160];	/* SEC_FAILED: what Postfix said */
	int	family;		/* 4, 6; 0 unknown */
	int	port;		/* 0 unknown */
	int	sasl;		/* 1 the relay logged sasl_method, 0 it logged
				 * none, -1 unknown */
	char	sasl_method[24];
};

/* Facts of the delivery event at newest-first index i of host h (an
 * EV_DELIVERY with a relay): the EV_TLS "to" line of the same process and
 * relay address logged before it (up to 64 events back), else cleartext
 * (plain or fallback by h's smtp_tls_security_level) when h logs TLS
 * (smtp_tls_loglevel >= 1) or does not try it, else unknown. sasl is -1. */
void	sec_fact_delivery(const struct host *h, size_t i, struct sec_fact *f);

/* Facts of the newest hop from h to a relay named by one of keys[] (its
 * address or host name as the events give it): the newest of an EV_TLS to
 * it, a TLS failure naming it, or a sent delivery to it (then as
 * sec_fact_delivery); with the relay host `to` (-1: none in the model),
 * sasl from its client= line of the mail's "queued as" id. */
void	sec_fact_edge(const struct model *m, const struct host *h, int to,
	    const char *const keys[], size_t nk, struct sec_fact *f);

/* SASL of the mail queued as qid on host r: 1 and the method when its
 * client= line has sasl_method, 0 when the line has none, -1 not found. */
int	sec_sasl_of(const struct host *r, const char *qid, char *method,
	    size_t len);

/* "Verified TLSv1.3 TLS_AES_256_GCM_SHA384", "cleartext (fallback)", ...:
 * a short line for a view (never NULL; buf holds it). */
const char *sec_fact_text(const struct sec_fact *f, char *buf, size_t len);

/* sec_fact_text plus "  sasl no|yes METHOD|?  ipv4 port 25": the whole
 * hop in one line (never NULL; buf holds it); "ipv? port ?" when unseen. */
const char *sec_fact_line(const struct sec_fact *f, char *buf, size_t len);

/* "tls", "plain", "cleartext-fallback", "tls-unverified", "failed",
 * "unknown". */
const char *sec_state_name(enum sec_state s);

/* 1 when the topology should mark the hop: cleartext although TLS is on,
 * TLS weaker than required, or a failure. */
int	sec_fact_is_bad(const struct sec_fact *f);

#endif
