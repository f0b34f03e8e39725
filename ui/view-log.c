/* view-log.c: every host's retained maillog events merged, newest first,
 * with a filter (/: text, queue id or status) and Enter/o to follow one
 * message across hosts, hop by hop, as the trace does (trace_follow). */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define ESC	27

static int
follow_has(const struct log_state *l, const char *qid)
{
	int i;

	if (qid[0] == '\0')
		return 0;
	for (i = 0; i < l->nfollow; i++)
		if (strcmp(l->follow[i], qid) == 0)
			return 1;
	return 0;
}

static int
ref_cmp(const void *pa, const void *pb)
{
	const struct log_ref *a = pa, *b = pb;

	if (a->when != b->when)
		return a->when < b->when ? 1 : -1;
	if (a->host != b->host)
		return a->host - b->host;
	return a->seq < b->seq ? 1 : a->seq > b->seq ? -1 : 0;
}

static int
log_line(const struct ui *u, int host, const struct ev_rec *e, char *buf,
    size_t len, enum ui_role *role)
{
	char clk[32], ev[1024];
	enum word_tone t;

	clock_text(e->when, time(NULL), clk, sizeof clk);
	event_text(e, ev, sizeof ev, &t);
	if (role != NULL)
		*role = role_for_tone(t);
	return snprintf(buf, len, "%-8s %-10s %s", clk, host_name(u->m, host),
	    ev);
}

static int
log_push(struct log_state *l, int host, size_t idx, const struct ev_rec *e,
    uint64_t total)
{
	struct log_ref *nv;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		nv = realloc(l->v, cap * sizeof *nv);
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n].host = host;
	l->v[l->n].idx = idx;
	l->v[l->n].when = e->when;
	l->v[l->n].seq = total - 1 - idx;
	l->n++;
	return 0;
}

static void
log_build(struct ui *u)
{
	struct log_state *l = &u->log;
	const struct ev_rec *e;
	const struct host *hh;
	char line[1536];
	int keep_host = -1;
	uint64_t keep_seq = 0;
	size_t h, i;

	if (l->built_gen == u->m->generation && l->v != NULL &&
	    strcmp(l->built_filter, l->filter) == 0 &&
	    l->built_follow == l->nfollow)
		return;
	if (l->sel > 0 && l->sel < l->n) {
		keep_host = l->v[l->sel].host;
		keep_seq = l->v[l->sel].seq;
	}
	l->n = 0;
	for (h = 0; h < u->m->n; h++) {
		hh = &u->m->hosts[h];
		for (i = 0; (e = model_event(hh, i)) != NULL; i++) {
			if (l->nfollow > 0 && !follow_has(l, rec_qid(e)) &&
			    !follow_has(l, rec_queued_as(e)))
				continue;
			if (l->filter[0] != '\0') {
				log_line(u, (int)h, e, line, sizeof line, NULL);
				if (!text_match(line, l->filter))
					continue;
			}
			if (log_push(l, (int)h, i, e, hh->events.total) != 0)
				break;
		}
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, ref_cmp);
	/* keep the selected line selected while new lines arrive above */
	if (keep_host >= 0)
		for (i = 0; i < l->n; i++)
			if (l->v[i].host == keep_host &&
			    l->v[i].seq == keep_seq) {
				l->scroll += i - l->sel;
				l->sel = i;
				break;
			}
	if (l->sel >= l->n)
		l->sel = l->n ? l->n - 1 : 0;
	l->built_gen = u->m->generation;
	snprintf(l->built_filter, sizeof l->built_filter, "%s", l->filter);
	l->built_follow = l->nfollow;
}

static void
log_title(struct ui *u, int y)
{
	struct log_state *l = &u->log;
	char buf[512];
	int x, i;

	x = ui_text(y, 0, COLS, "Log", ui_attr(u, R_TITLE));
	x += ui_textf(y, x, COLS - x, ui_attr(u, R_DIM), "  %zu lines, newest "
	    "first", l->n);
	if (l->filter[0] != '\0')
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_ACCENT),
		    "  filter \"%s\"", l->filter);
	if (l->nfollow > 0) {
		buf[0] = '\0';
		for (i = 0; i < l->nfollow; i++)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "%s%s", i ? (ui_utf8() ? " \u2192 " : " -> ") :
			    "", l->follow[i]);
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_ACCENT),
		    "  following %s", buf);
	}
	if (l->filter[0] != '\0' || l->nfollow > 0)
		ui_text(y, x, COLS - x, "  (Esc clears)", ui_attr(u, R_DIM));
	else
		ui_text(y, x, COLS - x, "  (/ filter, Enter follows a queue "
		    "id)", ui_attr(u, R_DIM));
}

static void
log_draw(struct ui *u, int top, int h)
{
	struct log_state *l = &u->log;
	const struct ev_rec *e;
	char line[1536];
	enum ui_role r;
	size_t i;
	int y, attr;

	log_build(u);
	log_title(u, top);
	top++;
	h--;
	if (h <= 0)
		return;
	if (l->sel < l->scroll)
		l->scroll = l->sel;
	if (l->sel >= l->scroll + (size_t)h)
		l->scroll = l->sel - (size_t)h + 1;
	if (l->n == 0)
		ui_text(top, 2, COLS - 2, l->filter[0] || l->nfollow ?
		    "(no line matches)" : "(no maillog line seen yet)",
		    ui_attr(u, R_DIM));
	for (i = l->scroll, y = top; i < l->n && y < top + h; i++, y++) {
		e = model_event(&u->m->hosts[l->v[i].host], l->v[i].idx);
		if (e == NULL)
			continue;
		log_line(u, l->v[i].host, e, line, sizeof line, &r);
		attr = i == l->sel ? ui_attr(u, R_SELECTED) : ui_attr(u, r);
		if (i == l->sel)
			ui_blank(y, 0, COLS, attr);
		ui_text(y, 0, COLS, line, attr);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
}

static void
log_follow(struct ui *u)
{
	struct log_state *l = &u->log;
	struct mail_hop hops[FOLLOW_MAX];
	const struct ev_rec *e;
	size_t i, n;

	if (l->sel >= l->n)
		return;
	e = model_event(&u->m->hosts[l->v[l->sel].host], l->v[l->sel].idx);
	if (e == NULL || rec_qid(e)[0] == '\0') {
		ui_message(u, 1, "this line has no queue id to follow");
		return;
	}
	/* following shows the whole chain: a filter would hide the next hops */
	l->filter[0] = '\0';
	l->nfollow = 0;
	n = trace_follow(u->m, l->v[l->sel].host, rec_qid(e), hops, FOLLOW_MAX);
	for (i = 0; i < n; i++)
		if (!follow_has(l, hops[i].qid))
			snprintf(l->follow[l->nfollow++], sizeof l->follow[0],
			    "%s", hops[i].qid);
	l->sel = l->scroll = 0;
	l->built_follow = -1;
	ui_message(u, 0, "following %s across hosts (%d ids); Esc clears",
	    rec_qid(e), l->nfollow);
}

static int
log_key(struct ui *u, int ch)
{
	struct log_state *l = &u->log;
	int page = list_page(LINES - 3), delta;

	if (list_key(ch, page, &delta)) {
		l->sel = (size_t)list_move((long)l->sel, delta, (long)l->n);
		return 1;
	}
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
	case 'o':
		log_follow(u);
		return 1;
	case ESC:
		if (l->nfollow > 0) {
			l->nfollow = 0;
			ui_message(u, 0, "stopped following");
			return 1;
		}
		if (l->filter[0] != '\0') {
			l->filter[0] = '\0';
			ui_message(u, 0, "filter cleared");
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* The filter prompt's callbacks: the filter follows the text. */
static void
filter_set(struct ui *u, int host, const char *text)
{
	snprintf(u->log.filter, sizeof u->log.filter, "%s",
	    text != NULL ? text : "");
	u->log.sel = u->log.scroll = 0;
	u->dirty = 1;
}

static void
filter_clear(struct ui *u, int host, const char *text)
{
	u->log.filter[0] = '\0';
	ui_message(u, 0, "filter cleared");
}

void
log_filter_prompt(struct ui *u)
{
	prompt_open_text(u, "filter log: ", u->log.filter, -1, filter_set,
	    filter_set, filter_clear);
}

static void
log_click(struct ui *u, int y)
{
	if (y < u->rowmap_n && u->rowmap[y] >= 0)
		u->log.sel = (size_t)u->rowmap[y];
}

const struct view view_log = {
	.name = "log",
	.draw = log_draw,
	.key = log_key,
	.click = log_click,
};

/* Outcome kinds the main view's recent pane shows. */
static int
is_outcome(const struct ev_rec *e)
{
	return e->kind == EV_DELIVERY || e->kind == EV_CONNECT_FAIL ||
	    e->kind == EV_RELAY_DENIED || e->kind == EV_LOOP ||
	    e->kind == EV_WARNING;
}

/* Index of host h's next outcome event at or after *i; NULL when none. */
static const struct ev_rec *
next_outcome(const struct host *h, size_t *i)
{
	const struct ev_rec *e;

	for (; (e = model_event(h, *i)) != NULL; (*i)++)
		if (is_outcome(e))
			return e;
	return NULL;
}

void
log_recent_draw(struct ui *u, int top, int h)
{
	size_t at[UI_HOSTS_MAX], k, n = u->m->n < UI_HOSTS_MAX ? u->m->n :
	    UI_HOSTS_MAX;
	const struct ev_rec *e, *best;
	char line[1536];
	enum ui_role r;
	int y, bh;

	if (h < 2)
		return;
	y = ui_text(top, 0, COLS, "Recent outcomes", ui_attr(u, R_TITLE));
	ui_text(top, y, COLS - y, "  all hosts, newest first (l: full log)",
	    ui_attr(u, R_DIM));
	memset(at, 0, sizeof at);
	for (y = top + 1; y < top + h; y++) {
		best = NULL;
		bh = -1;
		/* merge: the newest next outcome of any host */
		for (k = 0; k < n; k++) {
			e = next_outcome(&u->m->hosts[k], &at[k]);
			if (e != NULL && (best == NULL || e->when > best->when)) {
				best = e;
				bh = (int)k;
			}
		}
		if (best == NULL) {
			if (y == top + 1)
				ui_text(y, 2, COLS - 2, "(none seen yet)",
				    ui_attr(u, R_DIM));
			return;
		}
		at[bh]++;
		log_line(u, bh, best, line, sizeof line, &r);
		ui_text(y, 0, COLS, line, ui_attr(u, r));
	}
}
