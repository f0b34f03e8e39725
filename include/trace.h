/* trace.h: a test mail followed hop by hop through the maillogs, as the seed
 * article reads them by hand: origin message-id= line -> queue id -> its
 * smtp delivery line (relay, dsn, status, "queued as ID2") -> the relay found
 * in the inventory -> ID2's client= and delivery lines -> ... */
#ifndef RELAYTOP_TRACE_H
#define RELAYTOP_TRACE_H

#include <stddef.h>
#include <time.h>

#include "model.h"
#include "secfact.h"

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
	char	qid[QUEUE_ID_SIZE];
	time_t	when;
	char	client[128];		/* client= on this hop (relays) */
	char	relay[256];		/* relay=... of its delivery line */
	char	relay_addr[64];
	int	next_host;		/* -1: outside the inventory */
	int	via_fallback;		/* 1: relay is smtp_fallback_relay */
	int	handoff;		/* 1: handed to another Postfix
					 * instance of the same machine
					 * (next_host): no delivery */
	int	status;			/* enum mail_status */
	char	dsn[12];
	char	reason[256];
	float	delay, delays[4];
	char	queued_as[QUEUE_ID_SIZE];
	char	attempts[TRACE_MAX_ATTEMPTS][192];	/* failed tries first */
	int	nattempts;
	struct sec_fact sec;	/* TLS/family/port of its delivery; sasl
				 * from the next hop's client= line */
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
	int	timeout_s;		/* from started; <= 0: default 60 */
	int	deferred;		/* 1: the last hop has a deferral now
					 * (shown live while TR_WAITING) */
};

#define TRACE_DEFAULT_TIMEOUT	60

const char *trace_state_name(enum trace_state s);

/* Writes a fresh token "relaytop-<epoch>-<16 hex>" (random from
 * /dev/urandom, else time and pid) into buf. Returns 0, -1 when it does not
 * fit (buf needs 48 bytes). */
int	trace_make_token(char *buf, size_t len, time_t now);

/* Starts t in TR_SUBMITTING. token and to are copied (cut to fit). */
void	trace_init(struct trace *t, int id, int origin, const char *token,
	    const char *to, int timeout_s, time_t now);

/* The origin's sendmail finished: ok -> TR_WAITING; else TR_FAILED with msg
 * (already sanitised by the caller) in summary. */
void	trace_submitted(struct trace *t, int ok, const char *msg, time_t now);

/* Follows t through the model's retained events (pure: reads only m).
 * Starts at the origin's message-id= line that holds the token, then each
 * hop's delivery line, the next hop found in the inventory by relay address
 * or name, and its queue id ("queued as", else the token's message-id=).
 * Failed tries (connect failures to the host's relays, "host X said:" lines,
 * deferrals, relays' "Relay access denied" rejects of this origin) are kept
 * per hop. Ends TR_DELIVERED when status=sent leaves the inventory,
 * TR_BOUNCED on a bounce, and at started + timeout_s TR_DEFERRED (the last
 * hop has a deferral reason) or TR_TIMEOUT. Returns 1 when t changed. */
int	trace_advance(struct trace *t, const struct model *m, time_t now);

/* 1 when t is in a final state (delivered, deferred, bounced, timeout,
 * failed). */
int	trace_finished(const struct trace *t);

/* trace-format.c: renders a trace. Host names come from inv (may be NULL:
 * indexes are printed). emit gets one NUL-terminated line (no newline) at a
 * time; returns the number of lines. Text is the model's (sanitised). */
size_t	trace_format_text(const struct trace *t, const struct inventory *inv,
	    void (*emit)(const char *line, void *arg), void *arg);

/* The trace as one JSON object (compact, no newline); caller frees. NULL on
 * ENOMEM. */
char	*trace_format_json(const struct trace *t, const struct inventory *inv);

/* trace-follow.c: the one message follower, for the trace and the log
 * view. One hop of a message: a host and its queue id there. */
struct mail_hop {
	int	host;
	char	qid[QUEUE_ID_SIZE];
};

/* Every queue id the message that has qid on host had along the chain,
 * origin first, at most max: back through the sent delivery on another
 * host whose "queued as" is the id and whose relay is the host (the one
 * host matcher), on through the host's sent delivery to a relay of the
 * inventory and the relay's id (its "queued as", else the one with the
 * same Message-ID). Returns the number written (0: bad host or qid). */
size_t	trace_follow(const struct model *m, int host, const char *qid,
	    struct mail_hop *out, size_t max);

#endif
