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
	EV_KIND_MAX
};

enum mail_status {
	ST_NONE = 0, ST_SENT, ST_DEFERRED, ST_BOUNCED, ST_EXPIRED,
	ST_MAX
};

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

/* "sent", "deferred", ... ; "" for ST_NONE. */
const char *mail_status_name(enum mail_status st);
const char *ev_kind_name(enum ev_kind k);

#endif
