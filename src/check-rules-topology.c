/* check-rules-topology.c: the doctor's rules over the relay graph: loops
 * (marked first, so other rules skip the edge that closes one), brackets,
 * fallback relays and relays that are unknown or not running Postfix. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

#define LOOP_HOSTS_MAX	2048	/* above this, loop detection is skipped */

static int
configured(const struct edge *e, size_t nh)
{
	return (e->kind == EDGE_PRIMARY || e->kind == EDGE_FALLBACK) &&
	    e->from >= 0 && (size_t)e->from < nh && e->to >= 0 &&
	    (size_t)e->to < nh;
}

static const char *
setting_of(enum edge_kind k)
{
	return k == EDGE_FALLBACK ? "smtp_fallback_relay" : "relayhost";
}

/* reach[u * n + v]: v reachable from u over configured edges. Each
 * host's targets are listed first (out[first[x] .. first[x + 1])), so a
 * search looks at a host's own edges, not every edge, per step. */
static unsigned char *
reach_build(const struct check_ctx *c, size_t n)
{
	unsigned char *reach = calloc(n * n, 1);
	int *stack = malloc(n * sizeof(int));
	size_t *first = calloc(n + 1, sizeof(*first));
	int *out = malloc((c->t->n + 1) * sizeof(*out));
	size_t u, k;

	if (reach == NULL || stack == NULL || first == NULL || out == NULL) {
		free(reach);
		reach = NULL;
		goto done;
	}
	for (k = 0; k < c->t->n; k++)
		if (configured(&c->t->v[k], n))
			first[c->t->v[k].from + 1]++;
	for (u = 0; u < n; u++)
		first[u + 1] += first[u];
	for (k = 0; k < c->t->n; k++)
		if (configured(&c->t->v[k], n))
			out[first[c->t->v[k].from]++] = c->t->v[k].to;
	for (u = n; u > 0; u--)		/* back to each list's start */
		first[u] = first[u - 1];
	first[0] = 0;
	for (u = 0; u < n; u++) {
		size_t sp = 0;

		reach[u * n + u] = 1;
		stack[sp++] = (int)u;
		while (sp > 0) {
			int x = stack[--sp];

			for (k = first[x]; k < first[x + 1]; k++) {
				if (reach[u * n + (size_t)out[k]])
					continue;
				reach[u * n + (size_t)out[k]] = 1;
				stack[sp++] = out[k];
			}
		}
	}
done:
	free(stack);
	free(first);
	free(out);
	return reach;
}

static void
loop_finding(struct check_ctx *c, const unsigned char *cyc, size_t comp,
    const int *compof)
{
	struct finding *f = chk_add(c, "relay-loop", SEV_CRITICAL);
	const struct edge *first = NULL;
	size_t k;

	if (f == NULL)
		return;
	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];

		if (!cyc[k] || (size_t)compof[e->from] != comp)
			continue;
		if (c->bad_edge[k]) {
			chk_host(f, e->from);
			if (first == NULL)
				first = e;
		}
	}
	for (k = 0; k < c->t->n; k++)
		if (cyc[k] && (size_t)compof[c->t->v[k].from] == comp)
			chk_host(f, c->t->v[k].to);
	if (first == NULL)
		return;
	chk_what(f, "%s relays back into its own chain (to %s): mail "
	    "circles between the hosts until Postfix bounces it (5.4.6 "
	    "mail forwarding loop) or it expires in the queue",
	    chk_name(c, first->from), chk_name(c, first->to));
	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		const char *raw;

		if (!cyc[k] || (size_t)compof[e->from] != comp)
			continue;
		raw = chk_raw(&c->m->hosts[e->from], setting_of(e->kind));
		chk_evidence_append(f, "%s%s: %s = %s (-> %s)",
		    f->evidence[0] ? "; " : "", chk_name(c, e->from),
		    setting_of(e->kind), raw ? raw : e->target.host,
		    chk_name(c, e->to));
	}
	if (first->kind == EDGE_PRIMARY)
		chk_fix(f, first->from, "%s main.cf: relayhost =  (empty: "
		    "deliver directly; or name a relay outside this chain)",
		    chk_name(c, first->from));
	else
		chk_fix(f, first->from, "%s main.cf: smtp_fallback_relay =  "
		    "(the list without %s)", chk_name(c, first->from),
		    first->target.host);
}

int
check_loops_mark(struct check_ctx *c)
{
	size_t n = c->m->n, k, u;
	unsigned char *reach, *cyc;
	int *score, *compof;

	if (n == 0 || n > LOOP_HOSTS_MAX || c->t->n == 0)
		goto origins;
	reach = reach_build(c, n);
	cyc = calloc(c->t->n, 1);
	score = calloc(n, sizeof(int));
	compof = calloc(n, sizeof(int));
	if (reach == NULL || cyc == NULL || score == NULL || compof == NULL) {
		free(reach);
		free(cyc);
		free(score);
		free(compof);
		return -1;
	}
	for (u = 0; u < n; u++) {
		size_t w;

		for (w = 0; w < n; w++)
			if (reach[u * n + w] && reach[w * n + u])
				break;
		compof[u] = (int)w;	/* smallest member of u's cycle set */
		if (c->m->hosts[u].cfg && c->m->hosts[u].cfg->role ==
		    ROLE_RELAY)
			score[u] += 1000;
	}
	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];

		if (!configured(e, n))
			continue;
		if (e->from != e->to)
			score[e->to]++;
		if (reach[(size_t)e->to * n + (size_t)e->from])
			cyc[k] = 1;
	}
	for (u = 0; u < n; u++) {
		int best = -1, any = 0;

		for (k = 0; k < c->t->n; k++) {
			const struct edge *e = &c->t->v[k];

			if (cyc[k] && (size_t)compof[e->from] == u) {
				any = 1;
				if (score[e->from] > best)
					best = score[e->from];
			}
		}
		if (!any)
			continue;
		/* the edge out of the most relied-upon host closes it */
		for (k = 0; k < c->t->n; k++)
			if (cyc[k] && (size_t)compof[c->t->v[k].from] == u &&
			    score[c->t->v[k].from] == best)
				c->bad_edge[k] = 1;
		loop_finding(c, cyc, u, compof);
	}
	free(reach);
	free(cyc);
	free(score);
	free(compof);
origins:
	for (k = 0; k < c->t->n; k++)
		if (chk_edge_live(c, k) && c->t->v[k].from != c->t->v[k].to)
			c->has_origins[c->t->v[k].to] = 1;
	return 0;
}

static const char *
raw_or(const struct host *h, const char *name, const char *dflt)
{
	const char *v = chk_raw(h, name);

	return v ? v : dflt;
}

static int
is_ip(const char *s)
{
	struct cidr x;

	return cidr_parse_addr(s, strlen(s), &x) == 0;
}

/* Edge k is configured, not loop-closing (to may be -1). */
static int
edge_cfg(const struct check_ctx *c, size_t k)
{
	const struct edge *e = &c->t->v[k];

	return (e->kind == EDGE_PRIMARY || e->kind == EDGE_FALLBACK) &&
	    e->from >= 0 && (size_t)e->from < c->m->n && !c->bad_edge[k];
}

static void
rule_unbracketed(struct check_ctx *c)
{
	size_t k, j;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		char val[1200] = "";
		struct finding *f;
		const char *raw;

		if (!edge_cfg(c, k) || e->target.bracketed ||
		    (!is_ip(e->target.host) && e->to < 0))
			continue;
		if (chk_find(c, "relayhost-unbracketed", e->from, -1) &&
		    strstr(chk_find(c, "relayhost-unbracketed", e->from,
		    -1)->evidence, setting_of(e->kind)))
			continue;
		f = chk_add(c, "relayhost-unbracketed", SEV_WARNING);
		chk_host(f, e->from);
		chk_host(f, e->to);
		if (is_ip(e->target.host))
			chk_what(f, "%s's %s names the address %s without "
			    "[brackets]: Postfix 3.7 still connects to it "
			    "directly, but the form asks for an MX lookup; the "
			    "seed set-up brackets relays so none is ever tried",
			    chk_name(c, e->from), setting_of(e->kind),
			    e->target.host);
		else
			chk_what(f, "%s's %s names %s without [brackets]: "
			    "Postfix follows its MX records, which may lead "
			    "away from the relay host %s",
			    chk_name(c, e->from), setting_of(e->kind),
			    e->target.host, chk_name(c, e->to));
		raw = raw_or(&c->m->hosts[e->from], setting_of(e->kind),
		    e->target.host);
		chk_evidence(f, "%s: %s = %s", chk_name(c, e->from),
		    setting_of(e->kind), raw);
		/* rebuild the whole value with brackets where needed */
		for (j = 0; j < c->t->n; j++) {
			const struct edge *o = &c->t->v[j];
			size_t l = strlen(val);
			int r;
			int br = o->target.bracketed || is_ip(o->target.host) ||
			    o->to >= 0;

			if (o->from != e->from || o->kind != e->kind)
				continue;
			if (l + sizeof(o->target.host) + 16 > sizeof(val))
				break;
			if (o->target.port != 25)
				r = snprintf(val + l, sizeof(val) - l, "%s%s%s%s:%d",
				    l ? ", " : "", br ? "[" : "",
				    o->target.host, br ? "]" : "",
				    o->target.port);
			else
				r = snprintf(val + l, sizeof(val) - l, "%s%s%s%s",
				    l ? ", " : "", br ? "[" : "",
				    o->target.host, br ? "]" : "");
			if (r < 0)
				break;
		}
		chk_fix(f, e->from, "%s main.cf: %s = %s",
		    chk_name(c, e->from), setting_of(e->kind), val);
	}
}

/* A relay other than `not` that origins could fall back to, or -1. */
static int
other_relay(const struct check_ctx *c, int self, int not)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];

		if ((int)i == self || (int)i == not)
			continue;
		if (c->has_origins[i] || (h->cfg && h->cfg->role ==
		    ROLE_RELAY))
			return (int)i;
	}
	return -1;
}

static void
fallback_fix(struct check_ctx *c, struct finding *f, int from, int primary)
{
	int o = other_relay(c, from, primary);

	if (o >= 0)
		chk_fix(f, from, "%s main.cf: smtp_fallback_relay = [%s]",
		    chk_name(c, from), c->m->hosts[o].cfg->address);
	else
		chk_fix(f, from, "%s main.cf: smtp_fallback_relay = "
		    "[<a second relay's address>]", chk_name(c, from));
}

static void
rule_fallback(struct check_ctx *c)
{
	size_t i, k;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		const struct edge *p = NULL, *fb = NULL, *same = NULL;
		struct finding *f;

		if (!chk_usable(c, (int)i) || c->has_origins[i] ||
		    (h->cfg && h->cfg->role == ROLE_RELAY))
			continue;
		for (k = 0; k < c->t->n; k++) {
			const struct edge *e = &c->t->v[k];

			if (e->from != (int)i || !edge_cfg(c, k))
				continue;
			if (e->kind == EDGE_PRIMARY && p == NULL)
				p = e;
			else if (e->kind == EDGE_FALLBACK && fb == NULL)
				fb = e;
		}
		for (k = 0; p && k < c->t->n; k++) {
			const struct edge *e = &c->t->v[k];

			if (e->from == (int)i && e->kind == EDGE_FALLBACK &&
			    edge_cfg(c, k) && ((p->to >= 0 && e->to == p->to) ||
			    strcasecmp(p->target.host, e->target.host) == 0))
				same = e;
		}
		if (p == NULL)
			continue;
		if (fb == NULL) {
			f = chk_add(c, "no-fallback", SEV_WARNING);
			chk_host(f, (int)i);
			chk_host(f, p->to);
			chk_what(f, "%s has no smtp_fallback_relay: when %s "
			    "is down, its mail waits in the queue (single "
			    "point of failure)", chk_name(c, (int)i),
			    p->to >= 0 ? chk_name(c, p->to) : p->target.host);
			chk_evidence(f, "%s: relayhost = %s, "
			    "smtp_fallback_relay is empty", chk_name(c, (int)i),
			    raw_or(h, "relayhost", p->target.host));
			fallback_fix(c, f, (int)i, p->to);
		} else if (same != NULL) {
			f = chk_add(c, "fallback-equals-primary", SEV_WARNING);
			chk_host(f, (int)i);
			chk_host(f, p->to);
			chk_what(f, "%s's fallback relay is its primary relay "
			    "%s: when that is down there is nowhere else to "
			    "go", chk_name(c, (int)i), p->to >= 0 ?
			    chk_name(c, p->to) : p->target.host);
			chk_evidence(f, "%s: relayhost = %s, "
			    "smtp_fallback_relay = %s", chk_name(c, (int)i),
			    raw_or(h, "relayhost", ""),
			    raw_or(h, "smtp_fallback_relay", ""));
			fallback_fix(c, f, (int)i, p->to);
		}
	}
}

static void
rule_unknown(struct check_ctx *c)
{
	size_t k;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		struct finding *f;
		const struct host *r;

		if (!edge_cfg(c, k))
			continue;
		if (e->to < 0) {
			f = chk_add(c, "relayhost-unknown", SEV_INFO);
			chk_host(f, e->from);
			chk_what(f, "%s's %s %s is not in the inventory: "
			    "relaytop cannot check that hop",
			    chk_name(c, e->from), setting_of(e->kind),
			    e->target.host);
			chk_evidence(f, "%s: %s = %s", chk_name(c, e->from),
			    setting_of(e->kind),
			    raw_or(&c->m->hosts[e->from],
			    setting_of(e->kind), e->target.host));
			chk_fix(f, -1, "add %s to hosts.ini if it is one of "
			    "your relays", e->target.host);
			continue;
		}
		if ((size_t)e->to >= c->m->n || e->to == e->from)
			continue;
		r = &c->m->hosts[e->to];
		if (r->conn != HC_UP)
			continue;	/* probe-failed says so */
		if (!(r->problems & (HP_NO_POSTFIX | HP_POSTFIX_STOPPED)) &&
		    r->postfix_running != 0)
			continue;
		if (chk_find(c, "relayhost-unknown", e->from, e->to))
			continue;
		/* a dead fallback costs redundancy, a dead relayhost mail */
		f = chk_add(c, "relayhost-unknown", e->kind == EDGE_PRIMARY ?
		    SEV_CRITICAL : SEV_WARNING);
		chk_host(f, e->to);
		chk_host(f, e->from);
		chk_what(f, "%s's %s %s %s: nothing answers on port 25 and "
		    "%s", chk_name(c, e->from), e->kind == EDGE_PRIMARY ?
		    "relay" : "fallback relay", chk_name(c, e->to),
		    (r->problems & HP_NO_POSTFIX) ? "does not have Postfix "
		    "installed" : "does not run Postfix",
		    e->kind == EDGE_PRIMARY ? "its mail waits in the queue "
		    "or goes to the fallback" : "when the primary relay "
		    "fails its mail has nowhere to go");
		chk_evidence(f, "%s: %s", chk_name(c, e->to),
		    r->problem_msg[0] ? r->problem_msg :
		    "postfix status: not running");
		if (r->problems & HP_NO_POSTFIX)
			chk_fix(f, e->from, "%s main.cf: %s = [<a host that "
			    "runs Postfix>]", chk_name(c, e->from),
			    setting_of(e->kind));
		else
			chk_fix(f, e->to, "on %s: postfix start",
			    chk_name(c, e->to));
	}
}

/* Postfix down on a host no relayhost-unknown finding already covers. */
static void
rule_stopped(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		struct finding *f;

		if (h->conn != HC_UP || (h->problems & HP_NO_POSTFIX) ||
		    (!(h->problems & HP_POSTFIX_STOPPED) &&
		    h->postfix_running != 0) ||
		    chk_find(c, "relayhost-unknown", (int)i, -1))
			continue;
		f = chk_add(c, "postfix-stopped", SEV_CRITICAL);
		chk_host(f, (int)i);
		chk_what(f, "Postfix is not running on %s: mail submitted "
		    "there waits in its maildrop queue and nothing is sent or "
		    "received", chk_name(c, (int)i));
		chk_evidence(f, "%s: %s", chk_name(c, (int)i),
		    h->problem_msg[0] ? h->problem_msg :
		    "postfix status: not running");
		chk_fix(f, (int)i, "on %s: postfix start", chk_name(c, (int)i));
	}
}

void
check_rules_topology(struct check_ctx *c)
{
	rule_unbracketed(c);
	rule_fallback(c);
	rule_unknown(c);
	rule_stopped(c);
}
