/* view-topology.c: the topology pane of the main view. One row per edge,
 * level by level (topology_levels: origins, relays, outbound relays ...):
 * each host with a solid arrow to its primary relay and a dashed one
 * labelled "fallback", a relay with its onward delivery; edges and hosts
 * coloured by state and labelled in words, so colour is optional. The
 * title counts the levels. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"
#include "ui.h"

#define TROWS_MAX	(UI_HOSTS_MAX * 3)

struct trow {
	int	host;
	int	edge;		/* index in u->topo, -1: none */
	int	first;		/* first row of its host */
};

static int
edge_rank(enum edge_kind k)
{
	return k == EDGE_PRIMARY ? 0 : k == EDGE_FALLBACK ? 1 : 2;
}

static int
trows_host(const struct ui *u, int h, struct trow *r, int n, int max)
{
	int first = 1, rank;
	size_t e;

	for (rank = 0; rank < 3; rank++) {
		for (e = 0; e < u->topo->n && n < max; e++) {
			if (u->topo->v[e].from != h ||
			    edge_rank(u->topo->v[e].kind) != rank)
				continue;
			r[n].host = h;
			r[n].edge = (int)e;
			r[n].first = first;
			first = 0;
			n++;
		}
	}
	if (first && n < max) {
		r[n].host = h;
		r[n].edge = -1;
		r[n].first = 1;
		n++;
	}
	return n;
}

/* Level by level (origins, relays, outbound relays ...), each host with
 * its edges; the number of levels into *nlev when not NULL. Without memory
 * for the levels: origins first, then every other host. */
static int
trows_build(const struct ui *u, struct trow *r, int max, int *nlev)
{
	int n = 0, pass, lv, deep = 2;
	int *level = malloc((u->m->n ? u->m->n : 1) * sizeof(*level));
	size_t i;

	if (level != NULL) {
		deep = topology_levels(u->m, u->topo, level);
		for (lv = 0; lv < deep; lv++)
			for (i = 0; i < u->m->n; i++)
				if (level[i] == lv)
					n = trows_host(u, (int)i, r, n, max);
		free(level);
	} else {
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < u->m->n; i++)
				if ((host_effective_role(&u->m->hosts[i]) ==
				    ROLE_ORIGIN) == (pass == 0))
					n = trows_host(u, (int)i, r, n, max);
	}
	if (nlev != NULL)
		*nlev = deep;
	return n;
}

int
topology_rows(const struct ui *u, int *hosts, int max)
{
	struct trow r[TROWS_MAX];
	int i, n = trows_build(u, r, TROWS_MAX, NULL), k = 0;

	for (i = 0; i < n && k < max; i++)
		if (r[i].first)
			hosts[k++] = r[i].host;
	return k;
}

/* "── primary: sent 12s ──▶" in w columns. */
static void
draw_arrow(struct ui *u, int y, int x, int w, const struct edge *e)
{
	char label[64], age[16], buf[256];
	const char *fill, *head, *kind;
	int attr, used, i, utf = ui_utf8();
	time_t now = time(NULL);

	kind = e->kind == EDGE_PRIMARY ? "primary" : e->kind == EDGE_FALLBACK ?
	    "fallback" : "onward";
	if (e->last > 0)
		snprintf(label, sizeof label, " %s: %s %s ", kind,
		    edge_state_name(e->state), age_text(now - e->last, age,
		    sizeof age));
	else
		snprintf(label, sizeof label, " %s: %s ", kind,
		    edge_state_name(e->state));
	if (e->kind == EDGE_FALLBACK) {
		fill = utf ? "\u2504" : ".";
		head = utf ? "\u25b7" : ">";
	} else {
		fill = utf ? "\u2500" : "-";
		head = utf ? "\u25b6" : ">";
	}
	attr = ui_attr(u, role_for_edge(e->state));
	if (e->kind == EDGE_FALLBACK && e->state == EDGE_UNKNOWN)
		attr |= A_DIM;
	buf[0] = '\0';
	for (i = 0; i < 2; i++)
		strcat(buf, fill);
	strncat(buf, label, sizeof buf - strlen(buf) - 1);
	used = ui_width(buf);
	for (; used < w - 2 && strlen(buf) + 8 < sizeof buf; used++)
		strcat(buf, fill);
	strcat(buf, head);
	ui_text(y, x, w - 1, buf, attr);
}

/* The host cell: selection mark, name, state, findings badge. */
static void
draw_host(struct ui *u, int y, int x, int w, int h, int sel, int focused)
{
	char st[64], badge[16];
	const struct host *hh = &u->m->hosts[h];
	time_t now = time(NULL);
	enum severity worst;
	int used, nf, nattr = A_BOLD;

	if (sel && focused)
		nattr = ui_attr(u, R_SELECTED) | A_BOLD;
	ui_text(y, x, 1, sel ? ">" : " ", A_BOLD);
	used = 1 + ui_text(y, x + 1, w - 1, host_name(u->m, h), nattr);
	host_state_text(hh, now, st, sizeof st);
	used += 1 + ui_text(y, x + used + 1, w - used - 1, st,
	    ui_attr(u, role_for_host(hh, now)));
	nf = host_findings(u->finds, h, &worst);
	if (nf > 0 && used + 4 < w) {
		snprintf(badge, sizeof badge, "!%d", nf);
		ui_text(y, x + used + 1, w - used - 1, badge,
		    ui_attr(u, worst == SEV_CRITICAL ? R_BADGE : R_WARN));
	}
}

/* " tls:verified+sasl", " !cleartext", " !unverified", " !tls-failed"
 * (with "/v6" over IPv6): the hop's security in a few columns, warned when
 * it falls back to cleartext or fails to verify. Returns columns used. */
static int
sec_tag(struct ui *u, int y, int x, int w, const struct sec_fact *f)
{
	static const char *const lv[TLS_L_MAX] = { "?", "anon", "untrusted",
	    "trusted", "verified" };
	char tag[48];
	const char *base;

	switch (f->state) {
	case SEC_TLS:
		base = lv[f->tls < TLS_L_MAX ? f->tls : 0];
		break;
	case SEC_CLEAR_FALLBACK:
		base = "!cleartext";
		break;
	case SEC_TLS_UNVERIFIED:
		base = "!unverified";
		break;
	case SEC_FAILED:
		base = "!tls-failed";
		break;
	default:
		if (f->sasl != 1 && f->family != 6)
			return 0;
		base = f->state == SEC_PLAIN ? "plain" : "?";
		break;
	}
	snprintf(tag, sizeof tag, "%s%s%s%s", f->state == SEC_TLS ? "tls:" :
	    "", base, f->sasl == 1 ? "+sasl" : "", f->family == 6 ? "/v6" : "");
	if (w < 6)
		return 0;
	return 1 + ui_text(y, x + 1, w - 1, tag, ui_attr(u,
	    sec_fact_is_bad(f) ? R_WARN : f->state == SEC_TLS ? R_GOOD :
	    R_DIM));
}

static void
draw_target(struct ui *u, int y, int x, int w, const struct edge *e)
{
	char st[64], buf[512];
	const struct host *th;
	time_t now = time(NULL);
	enum severity worst;
	int used = 0, nf;

	if (w <= 0)
		return;
	nf = edge_findings(u->finds, e->from, e->to, &worst);
	if (nf > 0 && w > 8) {
		/* this hop has findings: a badge before its target */
		snprintf(buf, sizeof buf, "!%d", nf);
		used = ui_text(y, x, w, buf, ui_attr(u, worst == SEV_CRITICAL ?
		    R_BADGE : R_WARN)) + 1;
		x += used;
		w -= used;
		used = 0;
	}
	if (e->to >= 0 && (size_t)e->to < u->m->n) {
		th = &u->m->hosts[e->to];
		used = ui_text(y, x, w, host_name(u->m, e->to), A_BOLD);
		host_state_text(th, now, st, sizeof st);
		used += 1 + ui_text(y, x + used + 1, w - used - 1, st,
		    ui_attr(u, role_for_host(th, now)));
	} else if (shard_edge_to(u->m, e) != NULL) {
		/* a host of another --shard: named, not watched here */
		snprintf(buf, sizeof buf, "%s (other shard)",
		    shard_edge_to(u->m, e));
		used = ui_text(y, x, w, buf, A_BOLD);
	} else {
		snprintf(buf, sizeof buf, "%s%s%s:%d", e->target.bracketed ?
		    "[" : "", e->target.host, e->target.bracketed ? "]" : "",
		    e->target.port);
		used = ui_text(y, x, w, buf, A_BOLD);
	}
	used += sec_tag(u, y, x + used, w - used, &e->sec);
	if (e->state != EDGE_SENT && e->last_reason[0] != '\0' &&
	    used + 6 < w) {
		snprintf(buf, sizeof buf, "(%s)", e->last_reason);
		ui_text(y, x + used + 1, w - used - 1, buf,
		    ui_attr(u, R_DIM));
	}
}

static void
draw_noedge(struct ui *u, int y, int x, int w, int h)
{
	const struct host *hh = &u->m->hosts[h];
	const char *s;

	if (!hh->settings_valid)
		s = "(settings not read yet)";
	else if (host_effective_role(hh) == ROLE_ORIGIN)
		s = "(no relayhost: delivers directly)";
	else
		s = "(no onward delivery seen yet)";
	ui_text(y, x, w, s, ui_attr(u, R_DIM));
}

void
topology_draw(struct ui *u, int top, int h, int focused)
{
	struct trow r[TROWS_MAX];
	int nlev, n = trows_build(u, r, TROWS_MAX, &nlev), i, y, c1, c2;
	int selrow = -1;
	const char *legend;
	char levels[24];
	enum edge_state r0;

	if (h <= 0)
		return;
	legend = ui_utf8() ? "  \u2500\u25b6 primary  \u2504\u25b7 fallback  " :
	    "  --> primary  ..> fallback  ";
	i = ui_text(top, 0, COLS, "Topology", ui_attr(u, R_TITLE));
	i += ui_text(top, i, COLS - i, legend, ui_attr(u, R_DIM));
	for (y = EDGE_SENT; y <= EDGE_REFUSED + 1 && i < COLS; y++) {
		/* the edge words in their own colours, unknown last */
		r0 = y <= EDGE_REFUSED ? (enum edge_state)y : EDGE_UNKNOWN;
		i += 1 + ui_text(top, i + 1, COLS - i - 1, edge_state_name(r0),
		    ui_attr(u, role_for_edge(r0)));
	}
	/* "3 levels": origin -> relay -> outbound relay, as the rows go */
	snprintf(levels, sizeof levels, "%d level%s", nlev, nlev == 1 ? "" :
	    "s");
	if (i + 2 + (int)strlen(levels) <= COLS)
		ui_text(top, i + 2, COLS - i - 2, levels, ui_attr(u, R_DIM));
	h--;
	top++;
	c1 = COLS >= 110 ? 34 : COLS >= 90 ? 28 : COLS / 3;
	c2 = COLS >= 100 ? 30 : 26;
	if (c1 + c2 + 10 > COLS)
		c2 = COLS - c1 - 10 > 12 ? COLS - c1 - 10 : 12;
	for (i = 0; i < n; i++)
		if (r[i].host == u->sel_host && r[i].first)
			selrow = i;
	list_show(&u->main.topo_scroll, selrow, n, h);
	for (i = u->main.topo_scroll, y = top; i < n && y < top + h; i++, y++) {
		if (y < u->rowmap_n)
			u->rowmap[y] = r[i].host;
		if (r[i].first)
			draw_host(u, y, 0, c1, r[i].host,
			    r[i].host == u->sel_host, focused);
		if (r[i].edge < 0) {
			draw_noedge(u, y, c1, COLS - c1, r[i].host);
			continue;
		}
		draw_arrow(u, y, c1, c2, &u->topo->v[r[i].edge]);
		draw_target(u, y, c1 + c2, COLS - c1 - c2,
		    &u->topo->v[r[i].edge]);
	}
}

/* Rows the pane wants, with its title. */
int
topology_height(const struct ui *u)
{
	struct trow r[TROWS_MAX];

	return trows_build(u, r, TROWS_MAX, NULL) + 1;
}
