/* check-rules-family.c: the doctor's address-family rule: an origin and
 * its relay (or the relayhost literal between them) with no family in
 * common in inet_protocols / inet_interfaces, so Postfix cannot connect
 * (origin-not-in-mynetworks, per family, is in check-rules-settings.c). */
#include <stdio.h>
#include <string.h>

#include "check-int.h"
#include "topology.h"

static const char *
raw_or(const struct host *h, const char *name, const char *dflt)
{
	const char *v = chk_raw(h, name);

	return v ? v : dflt;
}

static void
mismatch(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from], *r = &c->m->hosts[e->to];
	const char *set = e->kind == EDGE_PRIMARY ? "relayhost" :
	    "smtp_fallback_relay";
	unsigned fo = chk_families(o), fr = chk_listen_families(r),
	    ft = chk_target_families(&e->target);
	int fixh;
	struct finding *f;

	f = chk_add(c, "inet-protocols-mismatch", SEV_CRITICAL);
	if ((fo & ft) == 0) {
		/* the origin itself will not use the target's family */
		fixh = e->from;
		chk_host(f, e->from);
		chk_host(f, e->to);
		chk_what(f, "%s's %s %s is an %s address but its "
		    "inet_protocols allows %s only: Postfix does not connect "
		    "to %s and the mail waits", chk_name(c, e->from), set,
		    raw_or(o, set, ""), chk_family_name(ft),
		    chk_family_name(fo), chk_name(c, e->to));
	} else {
		fixh = e->to;
		chk_host(f, e->to);
		chk_host(f, e->from);
		chk_what(f, "%s accepts mail over %s only, but %s reaches it "
		    "over %s only (its inet_protocols and %s): the connection "
		    "is refused and the mail waits", chk_name(c, e->to),
		    chk_family_name(fr), chk_name(c, e->from),
		    chk_family_name(fo & ft), set);
	}
	chk_evidence(f, "%s: inet_protocols = %s, %s = %s; %s: "
	    "inet_protocols = %s, inet_interfaces = %s", chk_name(c, e->from),
	    raw_or(o, "inet_protocols", "all"), set, raw_or(o, set, ""),
	    chk_name(c, e->to), raw_or(r, "inet_protocols", "all"),
	    raw_or(r, "inet_interfaces", "all"));
	if (fixh == e->to && (chk_families(r) & fo & ft) != 0)
		chk_fix(f, fixh, "%s main.cf: inet_interfaces = all (or add "
		    "its %s address; then postfix stop; postfix start)",
		    chk_name(c, fixh), chk_family_name(fo & ft));
	else
		chk_fix(f, fixh, "%s main.cf: inet_protocols = all (then "
		    "postfix stop; postfix start: reload keeps the old one)",
		    chk_name(c, fixh));
}

void
check_rules_family(struct check_ctx *c)
{
	size_t k;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];

		if (!chk_edge_live(c, k) || e->from == e->to ||
		    !chk_usable(c, e->to) || !chk_usable(c, e->from))
			continue;
		if ((chk_families(&c->m->hosts[e->from]) &
		    chk_listen_families(&c->m->hosts[e->to]) &
		    chk_target_families(&e->target)) != 0 ||
		    chk_find(c, "inet-protocols-mismatch", e->from, e->to))
			continue;
		mismatch(c, e);
	}
}
