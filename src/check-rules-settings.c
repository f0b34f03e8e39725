/* check-rules-settings.c: the doctor's rules over each relay's and origin's
 * effective main.cf: open relays, origins outside mynetworks, relays on
 * loopback only, relay restrictions, and myhostname clashes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

#define ORIGINS_MAX	64

/* Origins relaying to r over live edges; returns how many. */
static size_t
origins_of(const struct check_ctx *c, int r, int *out, size_t max)
{
	size_t k, n = 0, j;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		int dup = 0;

		if (!chk_edge_live(c, k) || e->to != r || e->from == r)
			continue;
		for (j = 0; j < n; j++)
			dup |= out[j] == e->from;
		if (!dup && n < max)
			out[n++] = e->from;
	}
	return n;
}

static const char *
raw_or(const struct host *h, const char *name, const char *dflt)
{
	const char *v = chk_raw(h, name);

	return v ? v : dflt;
}

/* Appends sep + s[0..n) to buf when it fits whole. */
static void
append(char *buf, size_t len, const char *sep, const char *s, size_t n)
{
	size_t l = strlen(buf), sl = buf[0] ? strlen(sep) : 0;

	if (l + sl + n + 1 > len)
		return;
	memcpy(buf + l, sep, sl);
	memcpy(buf + l + sl, s, n);
	buf[l + sl + n] = '\0';
}

/* "127.0.0.1, 172.16.10.5, [fd16:172::10:5], ..." : loopback items kept,
 * origins' addresses added (of the families both ends' inet_protocols
 * allow; IPv6 bracketed, as mynetworks needs). */
static void
mynetworks_suggest(const struct check_ctx *c, int r, const char *cur,
    const int *orig, size_t norig, char *buf, size_t len)
{
	const char *p = cur ? cur : "", *it;
	size_t n, i;
	struct cidr v[HOST_ADDRS_MAX + 1];
	char a[64];
	int j, k;
	unsigned fam;

	buf[0] = '\0';
	while (postconf_list_next(&p, &it, &n)) {
		struct cidr x;

		if (cidr_parse(it, n, &x) == 0 && cidr_is_loopback(&x))
			append(buf, len, ", ", it, n);
	}
	if (buf[0] == '\0')
		append(buf, len, "", "127.0.0.0/8", 11);
	for (i = 0; i < norig; i++) {
		const struct host *o = &c->m->hosts[orig[i]];

		fam = chk_families(o) & chk_listen_families(&c->m->hosts[r]);
		k = host_addrs(o->cfg, v, HOST_ADDRS_MAX + 1);
		for (j = 0; j < k; j++)
			if ((fam & (v[j].family == 4 ? CHK_FAM4 : CHK_FAM6)) &&
			    cidr_format(&v[j], a, sizeof(a)) > 0)
				append(buf, len, ", ", a, strlen(a));
	}
	if (norig == 0)
		append(buf, len, ", ", "<your origins' addresses>", 26);
}

static int
listens_beyond_loopback(const struct host *h)
{
	char v[CHECK_EXPAND_MAX];

	if (chk_setting(h, "inet_interfaces", v, sizeof(v)) != 0)
		return chk_raw(h, "inet_interfaces") == NULL;	/* default all */
	return !chk_loopback_only(v);
}

/* An item of mynetworks that makes r an open relay, or 0. */
static int
too_wide(const struct check_ctx *c, int r, const char *nets,
    const int *orig, size_t norig, char *item, size_t ilen, char *why,
    size_t wlen)
{
	const char *p = nets, *it;
	size_t n, i;

	while (postconf_list_next(&p, &it, &n)) {
		struct cidr net, cover, a;
		int have = 0, lim;

		if (n > 0 && it[0] == '!')
			continue;
		if (cidr_parse(it, n, &net) != 0 || cidr_is_loopback(&net))
			continue;
		snprintf(item, ilen, "%.*s", (int)n, it);
		lim = net.family == 4 ? CHECK_WIDE_V4 : CHECK_WIDE_V6;
		if (net.prefix < lim) {
			snprintf(why, wlen, net.prefix == 0 ? "every address "
			    "on the internet" : "a /%d network (%s than /%d)",
			    net.prefix, "wider", lim);
			return 1;
		}
		for (i = 0; i < norig; i++) {
			if (chk_host_cidr(&c->m->hosts[orig[i]], &a) != 0 ||
			    a.family != net.family)
				continue;
			if (!have)
				cover = a;
			else
				cidr_cover(&cover, &a, &cover);
			have = 1;
		}
		lim = net.family == 4 ? CHECK_SLACK_MIN_PREFIX : 64;
		if (have && net.prefix < lim &&
		    net.prefix < cover.prefix - CHECK_SLACK_BITS) {
			char cb[64];

			cidr_format(&cover, cb, sizeof(cb));
			snprintf(why, wlen, "a /%d network, %d times the "
			    "addresses its origins need (%s)", net.prefix,
			    1 << (cover.prefix - net.prefix > 30 ? 30 :
			    cover.prefix - net.prefix), cb);
			return 1;
		}
	}
	return 0;
}

static void
rule_open_relay(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		char nets[CHECK_EXPAND_MAX], item[80], why[160], sug[256];
		int orig[ORIGINS_MAX];
		size_t norig;
		struct finding *f;

		if (!chk_usable(c, (int)i) || !listens_beyond_loopback(h) ||
		    chk_setting(h, "mynetworks", nets, sizeof(nets)) != 0)
			continue;
		norig = origins_of(c, (int)i, orig, ORIGINS_MAX);
		if (!too_wide(c, (int)i, nets, orig, norig, item,
		    sizeof(item), why, sizeof(why)))
			continue;
		f = chk_add(c, "open-relay", SEV_CRITICAL);
		chk_host(f, (int)i);
		chk_what(f, "%s relays mail for %s (mynetworks holds %s) "
		    "while listening beyond loopback: an open relay that "
		    "spammers will use and blocklists will list",
		    chk_name(c, (int)i), why, item);
		chk_evidence(f, "%s: mynetworks = %s", chk_name(c, (int)i),
		    raw_or(h, "mynetworks", nets));
		mynetworks_suggest(c, (int)i, nets, orig, norig, sug,
		    sizeof(sug));
		chk_fix(f, (int)i, "%s main.cf: mynetworks = %s",
		    chk_name(c, (int)i), sug);
	}
}

static void
rule_loopback_only(struct check_ctx *c)
{
	size_t i, k;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		int orig[ORIGINS_MAX];
		size_t norig;
		struct finding *f;

		if (!chk_usable(c, (int)i) || !c->has_origins[i] ||
		    listens_beyond_loopback(h))
			continue;
		norig = origins_of(c, (int)i, orig, ORIGINS_MAX);
		f = chk_add(c, "relay-loopback-only", SEV_CRITICAL);
		chk_host(f, (int)i);
		for (k = 0; k < norig; k++)
			chk_host(f, orig[k]);
		chk_what(f, "%s listens on loopback only, so the %zu "
		    "origin(s) that relay through it (%s%s) cannot connect: "
		    "their mail waits in their queues", chk_name(c, (int)i),
		    norig, norig ? chk_name(c, orig[0]) : "",
		    norig > 1 ? ", ..." : "");
		chk_evidence(f, "%s: inet_interfaces = %s",
		    chk_name(c, (int)i), raw_or(h, "inet_interfaces", ""));
		chk_fix(f, (int)i, "%s main.cf: inet_interfaces = all (then "
		    "postfix stop; postfix start: reload does not rebind)",
		    chk_name(c, (int)i));
	}
}

/* Each of o's addresses of a family in fam that mynetworks does not hold,
 * as mynetworks writes them ("172.16.10.6, [fd16:172::10:5]") into buf;
 * returns the families missing (CHK_FAM4/6 bits), 0 when none. */
static unsigned
missing_addrs(const struct host *o, const char *nets, unsigned fam,
    char *buf, size_t len)
{
	struct cidr v[HOST_ADDRS_MAX + 1];
	int i, k = host_addrs(o->cfg, v, HOST_ADDRS_MAX + 1);
	unsigned miss = 0, f;
	char a[64];

	buf[0] = '\0';
	for (i = 0; i < k; i++) {
		f = v[i].family == 4 ? CHK_FAM4 : CHK_FAM6;
		if (!(fam & f) || chk_netlist_match(nets, &v[i]) != 0 ||
		    cidr_format(&v[i], a, sizeof(a)) < 0)
			continue;
		append(buf, len, ", ", a, strlen(a));
		miss |= f;
	}
	return miss;
}

/* Over the families both ends' inet_protocols allow (and the target's
 * literal, when it is one), each origin address must be in mynetworks. */
static void
rule_not_in_mynetworks(struct check_ctx *c)
{
	size_t k;

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		const struct host *r, *o;
		char nets[CHECK_EXPAND_MAX], miss[200];
		unsigned fam, mf;
		struct finding *f;
		const char *cur;

		if (!chk_edge_live(c, k) || e->from == e->to ||
		    !chk_usable(c, e->to))
			continue;
		r = &c->m->hosts[e->to];
		o = &c->m->hosts[e->from];
		fam = chk_families(o) & chk_listen_families(r) &
		    chk_target_families(&e->target);
		if (fam == 0 ||		/* inet-protocols-mismatch says it */
		    chk_setting(r, "mynetworks", nets, sizeof(nets)) != 0 ||
		    (mf = missing_addrs(o, nets, fam, miss,
		    sizeof(miss))) == 0 ||
		    chk_find(c, "origin-not-in-mynetworks", e->to, e->from))
			continue;
		cur = raw_or(r, "mynetworks", nets);
		f = chk_add(c, "origin-not-in-mynetworks", SEV_CRITICAL);
		chk_host(f, e->to);
		chk_host(f, e->from);
		if (mf & CHK_FAM6)
			chk_what(f, "%s's address %s is not in %s's mynetworks "
			    "while inet_protocols lets it connect over %s: %s "
			    "refuses its mail with \"Relay access denied\" "
			    "(454 4.7.1 or 554 5.7.1) and it waits or bounces",
			    chk_name(c, e->from), miss, chk_name(c, e->to),
			    chk_family_name(fam), chk_name(c, e->to));
		else
			chk_what(f, "%s (%s) is not in %s's mynetworks: %s "
			    "refuses its mail with \"Relay access denied\" "
			    "(454 4.7.1 or 554 5.7.1) and it waits or bounces",
			    chk_name(c, e->from), miss, chk_name(c, e->to),
			    chk_name(c, e->to));
		chk_evidence(f, "%s: mynetworks = %s", chk_name(c, e->to),
		    cur);
		if (mf & CHK_FAM6)
			chk_evidence_append(f, "; %s: inet_protocols = %s; "
			    "%s: inet_protocols = %s, %s = %s",
			    chk_name(c, e->to), raw_or(r, "inet_protocols",
			    "all"), chk_name(c, e->from), raw_or(o,
			    "inet_protocols", "all"), e->kind == EDGE_PRIMARY ?
			    "relayhost" : "smtp_fallback_relay", raw_or(o,
			    e->kind == EDGE_PRIMARY ? "relayhost" :
			    "smtp_fallback_relay", ""));
		chk_fix(f, e->to, "%s main.cf: mynetworks = %s%s%s (then "
		    "postfix reload)", chk_name(c, e->to), cur,
		    cur[0] ? ", " : "", miss);
	}
}

enum verdict { V_NONE = 0, V_ALLOW, V_OPEN, V_DENY };

static enum verdict
verdict(const char *list, char *item, size_t ilen)
{
	static const char *const deny[] = { "reject_unauth_destination",
		"defer_unauth_destination", "reject", "defer",
		"defer_if_permit", NULL };
	const char *p = list, *it;
	size_t n, j;

	while (postconf_list_next(&p, &it, &n)) {
		if (n == 17 && strncasecmp(it, "permit_mynetworks", n) == 0)
			return V_ALLOW;
		if (n == 6 && strncasecmp(it, "permit", n) == 0)
			return V_OPEN;
		for (j = 0; deny[j]; j++)
			if (strlen(deny[j]) == n &&
			    strncasecmp(it, deny[j], n) == 0) {
				snprintf(item, ilen, "%s", deny[j]);
				return V_DENY;
			}
	}
	return V_NONE;
}

static void
rule_restrictions(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		char v[CHECK_EXPAND_MAX], item[40] = "";
		const char *name = "smtpd_relay_restrictions";
		enum verdict vd;
		struct finding *f;

		if (!chk_usable(c, (int)i) || !c->has_origins[i] ||
		    chk_setting(h, name, v, sizeof(v)) != 0)
			continue;
		vd = verdict(v, item, sizeof(item));
		if (vd == V_NONE) {
			name = "smtpd_recipient_restrictions";
			if (chk_setting(h, name, v, sizeof(v)) != 0)
				continue;
			vd = verdict(v, item, sizeof(item));
		}
		if (vd == V_ALLOW)
			continue;
		f = chk_add(c, vd == V_OPEN ? "open-relay" :
		    "relay-restrictions", SEV_CRITICAL);
		chk_host(f, (int)i);
		if (vd == V_OPEN)
			chk_what(f, "%s's %s permits every client before any "
			    "destination check: an open relay",
			    chk_name(c, (int)i), name);
		else if (vd == V_DENY)
			chk_what(f, "%s's %s has %s before permit_mynetworks: "
			    "origins' mail is refused (Relay access denied)",
			    chk_name(c, (int)i), name, item);
		else
			chk_what(f, "neither smtpd_relay_restrictions nor "
			    "smtpd_recipient_restrictions on %s has "
			    "permit_mynetworks or reject_unauth_destination: "
			    "smtpd answers 451 Server configuration error",
			    chk_name(c, (int)i));
		chk_evidence(f, "%s: %s = %s", chk_name(c, (int)i), name,
		    v[0] ? v : "(empty)");
		chk_fix(f, (int)i, "%s main.cf: smtpd_relay_restrictions = "
		    "permit_mynetworks, permit_sasl_authenticated, "
		    "defer_unauth_destination", chk_name(c, (int)i));
	}
}

static int
same_name(const struct host *a, const struct host *b, char *name,
    size_t len)
{
	char x[256], y[256];
	size_t n;

	if (chk_setting(a, "myhostname", x, sizeof(x)) != 0 ||
	    chk_setting(b, "myhostname", y, sizeof(y)) != 0 || x[0] == '\0')
		return 0;
	n = strlen(x);
	if (n > 1 && x[n - 1] == '.')
		x[n - 1] = '\0';
	n = strlen(y);
	if (n > 1 && y[n - 1] == '.')
		y[n - 1] = '\0';
	snprintf(name, len, "%s", x);
	return strcasecmp(x, y) == 0;
}

/* A hash of h's myhostname as same_name compares it (no trailing dot, any
 * case); 0 when same_name would find no name. Equal names hash equal, so
 * a pair whose hashes differ is no pair (500 origins: 125,000 pairs). */
static unsigned long
name_hash(const struct host *h)
{
	char x[256];
	unsigned long v = 5381;
	size_t i, n;

	if (chk_setting(h, "myhostname", x, sizeof(x)) != 0 || x[0] == '\0')
		return 0;
	n = strlen(x);
	if (n > 1 && x[n - 1] == '.')
		n--;
	for (i = 0; i < n; i++)
		v = v * 33 + (unsigned char)tolower((unsigned char)x[i]);
	return v | 1;
}

/* Which of a, b should change its myhostname, and to what. */
static int
rename_fix(const struct check_ctx *c, int a, int b, const char *shared,
    char *to, size_t len)
{
	const char *dot = strchr(shared, '.');
	const char *na = chk_name(c, a);
	int who = a;

	/* the name that starts with a's own inventory name is a's */
	if (strncasecmp(shared, na, strlen(na)) == 0)
		who = b;
	snprintf(to, len, "%s%s", chk_name(c, who), dot ? dot : "");
	return who;
}

static void
rule_myhostname(struct check_ctx *c)
{
	size_t k, i, j;
	char name[256], to[320];
	unsigned long *hash = calloc(c->m->n + 1, sizeof(*hash));

	for (k = 0; k < c->t->n; k++) {
		const struct edge *e = &c->t->v[k];
		struct finding *f;
		int who;

		if (!chk_edge_live(c, k) || e->from == e->to ||
		    !chk_usable(c, e->from) || !chk_usable(c, e->to) ||
		    !same_name(&c->m->hosts[e->from], &c->m->hosts[e->to],
		    name, sizeof(name)) ||
		    chk_find(c, "myhostname-loop", e->from, e->to))
			continue;
		f = chk_add_hosts(c, "myhostname-loop", SEV_CRITICAL, e->from,
		    e->to);
		chk_what(f, "%s and its relay %s share myhostname %s: %s "
		    "sees its own name in the relay's greeting and bounces "
		    "the mail (5.4.6 loops back to myself)",
		    chk_name(c, e->from), chk_name(c, e->to), name,
		    chk_name(c, e->from));
		chk_evidence(f, "%s: myhostname = %s; %s: myhostname = %s",
		    chk_name(c, e->from), name, chk_name(c, e->to), name);
		who = rename_fix(c, e->from, e->to, name, to, sizeof(to));
		chk_fix_main(c, f, who, "myhostname = %s (any name unique to "
		    "%s)", to, chk_name(c, who));
	}
	for (i = 0; i < c->m->n && hash != NULL; i++)
		hash[i] = chk_usable(c, (int)i) ? name_hash(&c->m->hosts[i]) : 0;
	for (i = 0; i < c->m->n; i++) {
		for (j = i + 1; j < c->m->n; j++) {
			struct finding *f;
			int who;

			if ((hash != NULL && (hash[i] == 0 ||
			    hash[i] != hash[j])) ||
			    !chk_usable(c, (int)i) || !chk_usable(c, (int)j) ||
			    c->has_origins[i] || c->has_origins[j] ||
			    c->m->hosts[i].role == ROLE_RELAY ||
			    c->m->hosts[j].role == ROLE_RELAY ||
			    !same_name(&c->m->hosts[i], &c->m->hosts[j], name,
			    sizeof(name)) ||
			    chk_find(c, "myhostname-loop", (int)i, (int)j))
				continue;
			f = chk_add_hosts(c, "origins-share-myhostname",
			    SEV_WARNING, (int)i, (int)j);
			chk_what(f, "%s and %s share myhostname %s: Received "
			    "headers and logs cannot tell their mail apart",
			    chk_name(c, (int)i), chk_name(c, (int)j), name);
			chk_evidence(f, "%s, %s: myhostname = %s",
			    chk_name(c, (int)i), chk_name(c, (int)j), name);
			who = rename_fix(c, (int)j, (int)i, name, to,
			    sizeof(to));
			chk_fix_main(c, f, who, "myhostname = %s", to);
		}
	}
	free(hash);
}

void
check_rules_settings(struct check_ctx *c)
{
	rule_open_relay(c);
	rule_restrictions(c);
	rule_loopback_only(c);
	rule_not_in_mynetworks(c);
	rule_myhostname(c);
}
