/* parse-maillog-int.h: internal pieces of the maillog parser shared between
 * src/parse-maillog.c (header, queue id, dispatch) and
 * src/parse-maillog-msg.c (the message bodies). Not a public contract. */
#ifndef RELAYTOP_PARSE_MAILLOG_INT_H
#define RELAYTOP_PARSE_MAILLOG_INT_H

#include "event.h"

/* Each parses the message text m[0..end) (after "qid: ") into ev. */
void	maillog_msg_delivery(const char *m, const char *end,
	    struct mail_event *ev);
void	maillog_msg_client(const char *m, const char *end,
	    struct mail_event *ev);
void	maillog_msg_reject(const char *m, const char *end,
	    struct mail_event *ev);
void	maillog_msg_said(const char *m, const char *end,
	    struct mail_event *ev);
void	maillog_msg_connect(const char *m, const char *end,
	    struct mail_event *ev);
/* TLS and SASL lines (parse-maillog-sec.c): 1 when it took the line. */
int	maillog_msg_sec(const char *m, const char *end, int has_qid,
	    struct mail_event *ev);
/* Splits "name[addr]:port" into ev relay fields (relay = whole span). */
void	maillog_split_relay(const char *p, const char *end,
	    struct mail_event *ev);
/* Value inside <..> at p ('<' expected): sets *v, returns the byte after
 * the closing '>' (the last '>' before ", "/" "/end), or p if none. */
const char *maillog_angle(const char *p, const char *end, struct span *v);

/* 1 when the syslog program name p[0..n) is Postfix (see event.h); sets
 * *service to its last path element. */
int	maillog_prog_is_postfix(const char *p, size_t n, struct span *service);

#endif
