/* event.h: one Postfix maillog line, parsed. The parser borrows: every span
 * points into the caller's line and is valid only as long as that line.
 * Copy what must outlive it (model.h does, sanitised). */
#ifndef RELAYTOP_EVENT_H
#define RELAYTOP_EVENT_H

#include <stddef.h>
#include <time.h>

struct span {
	const char *p;
	size_t	n;
};

enum ev_kind {
	EV_NONE = 0,
	EV_DELIVERY,		/* qid: to=<..>, relay=.., status=.. */
	EV_CLIENT,		/* smtpd qid: client=name[addr] */
	EV_MESSAGE_ID,		/* cleanup qid: message-id=<..> */
	EV_FROM,		/* qmgr qid: from=<..>, size=.., nrcpt=.. */
	EV_REMOVED,		/* qmgr qid: removed */
	EV_CONNECT_FAIL,	/* smtp: connect to H[A]:P: Connection refused */
	EV_RELAY_DENIED,	/* smtpd NOQUEUE: reject: ... Relay access denied */
	EV_LOOP,		/* ... loops back to myself */
	EV_WARNING,		/* warning:/fatal:/panic: lines */
	EV_REJECT,		/* smtpd NOQUEUE: reject: any other reason */
	EV_TLS,			/* "Verified TLS connection established to" */
	EV_KIND_MAX
};

enum mail_status {
	ST_NONE = 0, ST_SENT, ST_DEFERRED, ST_BOUNCED, ST_EXPIRED,
	ST_MAX
};

/* TLS as Postfix logs an established connection (smtp/smtpd_tls_loglevel
 * >= 1), weakest first; TLS_L_NONE: no such line. */
enum tls_level { TLS_L_NONE = 0, TLS_L_ANONYMOUS, TLS_L_UNTRUSTED,
	TLS_L_TRUSTED, TLS_L_VERIFIED, TLS_L_MAX };

/* What a TLS or SASL failure line says (parse-maillog-sec.c). */
enum sec_fail { SF_NONE = 0, SF_TLS_HANDSHAKE, SF_CERT_VERIFY,
	SF_TLS_NOT_OFFERED, SF_SASL_AUTH, SF_SASL_NO_MECH, SF_MAX };

struct mail_event {
	enum ev_kind kind;
	time_t	when;		/* epoch seconds (see maillog_parse_line) */
	long	usec;		/* 0 when the form has none */
	struct span host;	/* syslog host field */
	struct span prog;	/* "postfix/smtp", "postfix-out/smtp" ... */
	struct span service;	/* last path element: "smtp", "smtpd" ... */
	long	pid;
	struct span qid;	/* "761AD7BE4", long ids too; empty if none */
	struct span to, orig_to, from;
	struct span relay;	/* whole "172.16.1.11[172.16.1.11]:25" */
	struct span relay_name, relay_addr;
	int	relay_port;	/* 0 when none */
	double	delay;
	double	delays[4];	/* a/b/c/d; -1 when absent */
	struct span dsn;
	enum mail_status status;
	struct span reason;	/* text inside the outer (...) after status= */
	struct span queued_as;	/* last "queued as ID" in the reason */
	struct span client_name, client_addr;	/* EV_CLIENT, EV_RELAY_DENIED */
	struct span message_id;	/* without the angle brackets */
	struct span text;	/* the message part after "qid: " or "prog[pid]: " */
	enum tls_level tls;	/* EV_TLS: the level word */
	int	tls_in;		/* EV_TLS: 1 "from" a client (smtpd), 0 "to" */
	struct span tls_proto, tls_cipher;	/* EV_TLS: "TLSv1.3", cipher */
	enum sec_fail secfail;	/* a TLS/SASL failure line (see below) */
	struct span sasl_method;	/* EV_CLIENT: sasl_method=, else empty */
};

/* Parses one maillog line of any of the three timestamp forms: traditional
 * syslog ("Jun  3 15:51:44 host prog[pid]: ..."), RFC 3339 ("2026-01-05T13:
 * 54:43.262668+01:00 host ..."), and Postfix maillog_file ("Jun 03 15:51:44
 * host ..."). Forms without a year take it from year_hint (the year of "now";
 * a date more than a day in the future moves to the year before). Returns 0
 * and fills *ev, or -1 when the line is not a Postfix line. Never reads past
 * len; the line need not be NUL-terminated. */
int	maillog_parse_line(const char *line, size_t len, int year_hint,
	    struct mail_event *ev);

/* Details of maillog_parse_line (src/parse-maillog.c):
 * - Postfix lines are those whose program's first path element starts with
 *   "postfix" (postfix/smtp, postfix-out/smtp, postfix/submission/smtpd),
 *   or any "name/daemon" whose last element is a Postfix daemon (smtp,
 *   smtpd, qmgr, cleanup, ... : a custom syslog_name such as "mx/smtp").
 * - Syslog forms are local time: converted with the local zone's offset of
 *   that day (pf_local_offset, cached per thread). RFC 3339 honours its
 *   offset ("Z" or +hh:mm); without one it is local time too.
 * - Future rule: only when year_hint is the current year, a date more than
 *   a day after now is taken as the year before.
 * - Every time is then clamped into [2000-01-01, now + 1 day]
 *   (pf_time_clamp): a line dated 1969 or 9999 gets the window's edge.
 * - Queue ids: short and long (enable_long_queue_ids), exactly as
 *   queue_id_len() (queue-id.h) recognises them. NOQUEUE leaves qid
 *   empty. Unknown Postfix lines return 0 with kind EV_NONE.
 * - to, orig_to, from and message_id spans exclude the angle brackets.
 * - delay is -1 when absent, like delays[]. status is ST_NONE for other
 *   status words (e.g. "deliverable" from address probes).
 * - qmgr "from=<..>, status=expired, returned to sender" is EV_DELIVERY
 *   with status ST_EXPIRED and an empty to.
 * - EV_CONNECT_FAIL: relay/relay_name/relay_addr/relay_port from
 *   "connect to H[A]:P", reason = the text after it ("Connection refused").
 * - NOQUEUE rejects fill client_name/addr, reason (up to "; from="), dsn,
 *   from and to; kind EV_RELAY_DENIED for "Relay access denied", else
 *   EV_REJECT (unknown user, sender or client restrictions, ...): both are
 *   refusals (maillog_is_refusal).
 * - Content filters and re-injection: a delivery "status=sent" to a
 *   loopback address whose reply says "queued as ID" handed the mail to
 *   another smtpd of the same host (amavis's 127.0.0.1:10024, a Postfix
 *   re-injection listener on 10025, another instance): the mail lives on
 *   under ID, so it is no outcome (maillog_is_handoff).
 * - smtp "QID: host H[A] said: <reply> (in reply to ...)" (a reply that did
 *   not end the delivery, e.g. before a fallback relay) fills relay_* and
 *   reason, kind EV_NONE (EV_RELAY_DENIED stays the relay's own smtpd
 *   reject, with client_* set). The sending side of a denial is thus
 *   EV_NONE with relay_* and a reason holding "Relay access denied".
 * - A loop inside a delivery line ("status=bounced (mail for x loops back
 *   to myself)") keeps kind EV_DELIVERY: use maillog_reason_is_loop(). */

/* TLS and SASL (parse-maillog-sec.c):
 * - "LEVEL TLS connection established to H[A]:P: PROTO with cipher C ..."
 *   (smtp) is EV_TLS with relay_*, tls, tls_proto, tls_cipher and reason
 *   = "PROTO with cipher C (bits)"; "... established from H[A]: ..."
 *   (smtpd) the same with client_* and tls_in = 1. LEVEL is Anonymous,
 *   Untrusted, Trusted or Verified; any other word is not EV_TLS.
 * - Failures are kind EV_WARNING (their queue-id lines too) and set
 *   secfail, with relay_* or client_* where the line names a peer
 *   and reason = the text after the peer:
 *   "certificate verification failed for H[A]:P: R" (SF_CERT_VERIFY),
 *   "QID: Server certificate not verified" (SF_CERT_VERIFY),
 *   "QID: TLS is required, but was not offered by host H[A]"
 *   (SF_TLS_NOT_OFFERED), "SSL_connect error to H[A]:P: R",
 *   "SSL_accept error from H[A]: R", "warning: TLS library problem: R"
 *   (SF_TLS_HANDSHAKE), "warning: H[A]: SASL M authentication failed: R"
 *   (smtpd), "QID: SASL authentication failed; server H[A] said: R" (smtp)
 *   (SF_SASL_AUTH), "SASL authentication failed; cannot authenticate to
 *   server H[A]: no mechanism available" and "warning: SASL
 *   authentication failure: No worthy mechs found" (SF_SASL_NO_MECH).
 * - "QID: client=H[A], sasl_method=M, sasl_username=U" sets sasl_method. */

/* "Anonymous", ... ; "" for TLS_L_NONE. */
const char *tls_level_name(enum tls_level l);
/* "cert-verify", ... ; "" for SF_NONE. */
const char *sec_fail_name(enum sec_fail f);

/* 1 when ev is EV_LOOP, or its reason says "loops back to myself". */
int	maillog_reason_is_loop(const struct mail_event *ev);

/* Parses the timestamp at the start of p[0..n) (any of the three forms,
 * same year and zone rules as maillog_parse_line). Returns the number of
 * bytes used (not the following space), or 0 when there is none. */
size_t	maillog_parse_time(const char *p, size_t n, int year_hint,
	    time_t *when, long *usec);

/* The current year in local time (a year_hint for live logs). */
int	maillog_year_now(void);

/* The year of now in local time through a memo (zeroed at first) that is
 * asked again after a minute and at the local midnight ending its year;
 * maillog_year_now is this with a per-thread memo and time(NULL). */
struct year_memo {
	time_t	checked;	/* when the year was last read, 0 never */
	time_t	ends;		/* the next local Jan 1 00:00 */
	int	year;
};
int	maillog_year_memo(struct year_memo *y, time_t now);

/* 1 for a NOQUEUE reject (EV_RELAY_DENIED or EV_REJECT). */
int	maillog_is_refusal(const struct mail_event *ev);

/* 1 when ev hands the mail on inside its host (see above): status sent,
 * relay address loopback (127.0.0.0/8, ::1), a "queued as" id. */
int	maillog_is_handoff(const struct mail_event *ev);

/* 1 when p[0..n) is a loopback address: 127.0.0.0/8 or ::1 (also with an
 * "ipv6:" prefix as Postfix writes it in some forms). */
int	maillog_addr_is_loopback(const char *p, size_t n);

/* "sent", "deferred", ... ; "" for ST_NONE. */
const char *mail_status_name(enum mail_status st);
const char *ev_kind_name(enum ev_kind k);

#endif
