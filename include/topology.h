/* topology.h: who relays to whom, read from each host's relayhost and
 * smtp_fallback_relay, matched against the inventory, with each edge's
 * recent outcome taken from the origin's delivery events. */
#ifndef RELAYTOP_TOPOLOGY_H
#define RELAYTOP_TOPOLOGY_H

#include <stddef.h>
#include <time.h>

#include "model.h"
#include "secfact.h"

/* One destination from a relayhost-style value: "[172.16.1.11]",
 * "relay.example.jp:587", "[host]:25". */
struct relay_target {
	char	host[256];	/* without brackets or port */
	int	port;		/* 25 when absent */
	int	bracketed;	/* [..]: no MX lookup */
};

/* Parses a relayhost / smtp_fallback_relay value (a list for the latter).
 * Returns the number of targets written (at most max), -1 on syntax error. */
int	relay_target_parse(const char *value, struct relay_target *out,
	    size_t max);

enum edge_kind { EDGE_PRIMARY = 0, EDGE_FALLBACK, EDGE_ONWARD };
/* EDGE_HANDOFF: handed to another Postfix instance of the same machine
 * (an onward edge to an instance entry): the mail's outcome is the
 * instance's delivery, not this one. */
enum edge_state { EDGE_UNKNOWN = 0, EDGE_SENT, EDGE_DEFERRED, EDGE_REFUSED,
	EDGE_BOUNCED, EDGE_HANDOFF };

struct edge {
	int	from;			/* host index */
	int	to;			/* host index, -1 outside the inventory */
	enum edge_kind kind;
	struct relay_target target;
	enum edge_state state;		/* last outcome seen on this edge */
	time_t	last;			/* when; 0 none */
	char	last_reason[160];	/* sanitised */
	struct sec_fact sec;		/* TLS, SASL, family, port (secfact.h) */
};

struct topology {
	struct edge *v;
	size_t	n;
};

/* Rebuilds t from the model. Returns 0, -1 on ENOMEM. */
int	topology_build(const struct model *m, struct topology *t);
void	topology_free(struct topology *t);

/* Each host's level in the chain, for chains of any depth: 0 for a host no
 * other host of the inventory hands mail to (an origin), else one more
 * than the deepest host that does (over any edge to it: relayhost,
 * fallback, onward, instance): a relay 1, an outbound relay behind the
 * relays 2, and so on. A loop stops growing after m->n rounds (levels stay
 * below m->n). level has m->n entries. Returns the number of levels (the
 * deepest host's level + 1; 0 without hosts). */
int	topology_levels(const struct model *m, const struct topology *t,
	    int *level);
const char *edge_state_name(enum edge_state s);

#endif
