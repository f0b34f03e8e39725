/* trace-int.h: what trace.c (a trace's life and its chain) uses of
 * trace-scan.c (one hop read from one host's events) and trace-follow.c
 * (the next hop's queue id). Not a public face. */
#ifndef RELAYTOP_TRACE_INT_H
#define RELAYTOP_TRACE_INT_H

#include "trace.h"
#include "words.h"

/* 1: name/addr is h's relayhost, 2: in its smtp_fallback_relay, 0: neither
 * (or h's settings unknown). */
int	trace_target_kind(const struct host *h, const char *name,
	    const char *addr);

/* Reads hop hp (host and qid set) from its host's events, oldest first:
 * client=, delivery lines (deferrals become attempts), connect failures to
 * the host's relays after the qid appeared. A hand-off on the host
 * (model_rec_is_handoff: content filter, re-injection) is followed to its
 * new id (hp->qid stays the first). *final_ev: the sent/bounced line, or
 * NULL. Returns 1 when any line of the qid was seen. */
int	trace_hop_scan(const struct model *m, struct trace_hop *hp,
	    const struct ev_rec **final_ev);

/* Adds "relay-c rejected: 454 4.7.1 ...: Relay access denied" attempts from
 * the hop's relays' logs (this host as client, t->to as recipient, between
 * hp->when and until (0: now)), unless one is listed already. */
void	trace_hop_relay_denials(const struct model *m, const struct trace *t,
	    struct trace_hop *hp, time_t until);

/* Queue id of the message whose message-id holds token on h, "" none. */
void	trace_find_token_qid(const struct host *h, const char *token,
	    char *qid, size_t len);

/* 1 when any retained event of h has queue id qid. */
int	trace_qid_seen(const struct host *h, const char *qid);

/* The queue id on host next of a message handed to it under "queued as"
 * id queued_as (trace-follow.c): that id when next logged it; else the id
 * of next's mail whose Message-ID holds token (NULL or "": none); else
 * queued_as as is (its lines may still come). */
void	trace_next_qid(const struct host *next, const char *queued_as,
	    const char *token, char *qid, size_t len);

/* Postfix instances of one machine (postmulti, trace-follow.c): the other
 * host of host's machine (instance entries and the host they run on) that
 * logged qid, -1 none; 1 when host's machine has other instances at all. */
int	trace_instance_next(const struct model *m, int host, const char *qid);
int	trace_has_instances(const struct model *m, int host);

#endif
