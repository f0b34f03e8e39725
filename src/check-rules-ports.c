/* check-rules-ports.c: the doctor's port-25 rule. Each failed TCP/25 test
 * from an origin to its relay becomes a finding, unless a settings finding
 * already explains it (then it is added to that finding's evidence). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

const char *
port_state_name(enum port_state s)
{
	switch (s) {
	case PORT_UNTESTED:
		return "untested";
	case PORT_OPEN:
		return "open";
	case PORT_REFUSED:
		return "refused";
	case PORT_TIMEOUT:
		return "timed out (filtered)";
	case PORT_UNREACHABLE:
		return "unreachable (rejected by a firewall or no route)";
	case PORT_ERROR:
		return "not tested";
	case PORT_READ_ONLY:
		return "not run (read-only)";
	}
	return "?";
}

/* The configured edge a result belongs to; -1 when none. */
static long
edge_of(const struct check_ctx *c, const struct port_result *r)
{
	size_t k;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];

		if (e->from == r->from && (int)e->kind == r->kind &&
		    strcasecmp(e->target.host, r->host) == 0)
			return (long)k;
	}
	return -1;
}

/* A settings finding that explains the failure; NULL when none. */
static struct finding *
explained(struct check_ctx *c, const struct port_result *r)
{
	struct finding *f;

	if (r->to < 0)
		return NULL;
	if ((f = chk_find(c, "relay-loopback-only", r->to, -1)) != NULL ||
	    (f = chk_find(c, "relayhost-unknown", r->to, r->from)) != NULL)
		return f;
	return NULL;
}

static void
port_fix(struct check_ctx *c, struct finding *f, const struct port_result *r)
{
	const struct host *o = &c->m->hosts[r->from];
	struct cidr a;
	const char *fam = "ip";
	const char *where = r->to >= 0 ? chk_name(c, r->to) : r->host;

	if (chk_host_cidr(o, &a) == 0 && a.family == 6)
		fam = "ip6";
	if (r->state == PORT_REFUSED)
		chk_fix(f, r->to, "on %s: make smtpd listen on %s:%d "
		    "(postfix status, inet_interfaces = all, the smtp inet "
		    "line in master.cf) or drop the firewall's reject of "
		    "TCP/%d from %s", where, r->host, r->port, r->port,
		    o->cfg->address);
	else
		chk_fix(f, r->to, "firewall: allow TCP %s -> %s port %d on "
		    "the path (e.g. on %s: nft insert rule inet filter input "
		    "%s saddr %s tcp dport %d accept)", o->cfg->address,
		    r->host, r->port, where, fam, o->cfg->address, r->port);
}

void
check_rules_ports(struct check_ctx *c)
{
	size_t i;

	for (i = 0; c->ports != NULL && i < c->ports->n; i++) {
		const struct port_result *r = &c->ports->v[i];
		long k;
		struct finding *f;
		const char *to;

		if (r->from < 0 || (size_t)r->from >= c->m->n ||
		    r->state == PORT_OPEN || r->state == PORT_UNTESTED)
			continue;
		k = edge_of(c, r);
		if (k >= 0 && c->bad_edge[k])
			continue;	/* relay-loop: the edge should go */
		to = r->to >= 0 ? chk_name(c, r->to) : r->host;
		if (r->state == PORT_READ_ONLY) {
			f = chk_add(c, "port25-not-run", SEV_INFO);
			chk_host(f, r->from);
			chk_host(f, r->to);
			chk_what(f, "the TCP/25 test from %s to %s was not run: "
			    "read-only mode opens no connection from the "
			    "origins", chk_name(c, r->from), to);
			chk_evidence(f, "%s -> %s:%d: %s", chk_name(c, r->from),
			    r->host, r->port, r->detail);
			chk_fix(f, r->from, "to test that hop, run relaytop "
			    "--check without --read-only (and read_only = no)");
			continue;
		}
		if (r->state == PORT_ERROR) {
			if (c->m->hosts[r->from].conn != HC_UP)
				continue;	/* probe-failed says so */
			f = chk_add(c, "port25-untested", SEV_UNKNOWN);
			chk_host(f, r->from);
			chk_host(f, r->to);
			chk_what(f, "the TCP/25 test from %s to %s could not "
			    "run: that hop's reachability is unknown",
			    chk_name(c, r->from), to);
			chk_evidence(f, "%s -> %s:%d: %s", chk_name(c, r->from),
			    r->host, r->port, r->detail);
			chk_fix(f, r->from, "make bash and timeout available "
			    "to user %s on %s",
			    c->m->hosts[r->from].cfg->user,
			    chk_name(c, r->from));
			continue;
		}
		if ((f = explained(c, r)) != NULL) {
			chk_evidence_append(f, "; port 25 %s from %s",
			    r->state == PORT_REFUSED ? "refused" :
			    "unreachable", chk_name(c, r->from));
			continue;
		}
		if (chk_find(c, "port25-unreachable", r->from, r->to >= 0 ?
		    r->to : r->from) && r->to >= 0)
			continue;
		f = chk_add(c, "port25-unreachable", r->kind == EDGE_PRIMARY ?
		    SEV_CRITICAL : SEV_WARNING);
		chk_host(f, r->from);
		chk_host(f, r->to);
		if (r->kind == EDGE_PRIMARY)
			chk_what(f, "%s cannot open TCP/%d on its relay %s "
			    "(%s): its mail waits in the queue or goes to "
			    "the fallback", chk_name(c, r->from), r->port, to,
			    port_state_name(r->state));
		else
			chk_what(f, "%s cannot open TCP/%d on its fallback "
			    "relay %s (%s): when the primary relay fails its "
			    "mail has nowhere to go", chk_name(c, r->from),
			    r->port, to, port_state_name(r->state));
		chk_evidence(f, "from %s: connect to %s:%d: %s after %d ms%s%s",
		    chk_name(c, r->from), r->host, r->port,
		    r->state == PORT_REFUSED ? "refused" :
		    r->state == PORT_TIMEOUT ? "timed out" : "unreachable",
		    r->elapsed_ms, r->detail[0] ? ": " : "", r->detail);
		port_fix(c, f, r);
	}
}
