/* trace.h: a test mail followed hop by hop through the maillogs, as the seed
 * article reads them by hand: origin message-id= line -> queue id -> its
 * smtp delivery line (relay, dsn, status, "queued as ID2") -> the relay found
 * in the inventory -> ID2's client= and delivery lines -> ... */
#ifndef RELAYTOP_TRACE_H
#define RELAYTOP_TRACE_H

#include <stddef.h>
#include <time.h>

#include "model.h"

#define TRACE_MAX_HOPS		8
#define TRACE_MAX_ATTEMPTS	4

enum trace_state {
	TR_SUBMITTING = 0,	/* sendmail running on the origin */
	TR_WAITING,		/* following the logs */
	TR_DELIVERED,		/* left the inventory with status=sent */
	TR_DEFERRED,		/* ended at the timeout with a deferral */
	TR_BOUNCED,
	TR_TIMEOUT,		/* nothing conclusive before the timeout */
	TR_FAILED,		/* submission failed */
};

struct trace_hop {
	int	host;			/* inventory index */
	char	qid[24];
	time_t	when;
	char	client[128];		/* client= on this hop (relays) */
	char	relay[256];		/* relay=... of its delivery line */
	char	relay_addr[64];
	int	next_host;		/* -1: outside the inventory */
	int	via_fallback;		/* 1: relay is smtp_fallback_relay */
	int	status;			/* enum mail_status */
	char	dsn[12];
	char	reason[256];
	float	delay, delays[4];
	char	queued_as[24];
	char	attempts[TRACE_MAX_ATTEMPTS][192];	/* failed tries first */
	int	nattempts;
};

struct trace {
	int	id;
	char	token[48];		/* in Message-ID and Subject */
	int	origin;
	char	to[256];
	enum trace_state state;
	time_t	started, finished;
	struct trace_hop hops[TRACE_MAX_HOPS];
	int	nhops;
	char	summary[256];		/* "delivered via relay-c", "deferred at
					 * hop 1: ..." */
};

const char *trace_state_name(enum trace_state s);

#endif
