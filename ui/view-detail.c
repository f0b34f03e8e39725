/* view-detail.c: everything known about the selected host: its state, the
 * effective settings read (main.cf ones marked with '*'), the queue per
 * queue with oldest age and top deferral reasons, and its recent outcomes
 * newest first. Scrolls; n/p step to the next/previous host. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

#define DETAIL_EVENTS	500	/* events scanned for the outcome list */

static void
detail_head(struct ui *u, struct vlines *v, const struct host *h, time_t now)
{
	char st[64], age[16], buf[512];
	enum severity worst;
	int y, x, nf = host_findings(u->finds, h->index, &worst);
	size_t i;
	int j;

	if ((y = vl_next(v)) >= 0) {
		x = ui_text(y, 0, COLS, h->cfg->name, ui_attr(u, R_TITLE));
		snprintf(buf, sizeof buf, "  %s  %s@%s:%d  ",
		    host_role_name(host_effective_role(h)), h->cfg->user,
		    h->cfg->address, h->cfg->port);
		x += ui_text(y, x, COLS - x, buf, A_NORMAL);
		host_state_text(h, now, st, sizeof st);
		ui_text(y, x, COLS - x, st, ui_attr(u, role_for_host(h, now)));
	}
	if ((y = vl_next(v)) >= 0) {
		if (h->last_answer > 0)
			snprintf(buf, sizeof buf, "last answer %s ago (probe %d "
			    "ms)  postfix: %s",
			    age_text(now - h->last_answer, age, sizeof age),
			    h->probe_ms,
			    h->postfix_running > 0 ? "running" :
			    h->postfix_running == 0 ? "STOPPED" : "?");
		else
			snprintf(buf, sizeof buf, "no answer yet");
		ui_text(y, 0, COLS, buf, A_NORMAL);
	}
	/* how the log is read, on a line of its own: it fits 80 columns */
	if (h->last_answer > 0 && (y = vl_next(v)) >= 0)
		ui_textf(y, 0, COLS, A_NORMAL, "maillog: %s%s%s%s%s%s",
		    h->maillog_path[0] ? h->maillog_path : "?",
		    h->maillog_via[0] ? " (read " : "", h->maillog_via,
		    h->maillog_group[0] ? ", group " : "", h->maillog_group,
		    h->maillog_via[0] ? ")" : "");
	if (h->conn_msg[0] != '\0' && (y = vl_next(v)) >= 0)
		ui_textf(y, 0, COLS, ui_attr(u, h->conn == HC_UP ? R_DIM :
		    R_BAD), "connection: %s", h->conn_msg);
	if (h->problem_msg[0] != '\0' && (y = vl_next(v)) >= 0)
		ui_textf(y, 0, COLS, ui_attr(u, R_WARN), "problem: %s",
		    h->problem_msg);
	if (nf > 0 && (y = vl_next(v)) >= 0)
		ui_textf(y, 0, COLS, ui_attr(u, worst == SEV_CRITICAL ? R_BAD :
		    R_WARN), "findings: %d (c: checks view)", nf);
	for (i = 0; nf > 0 && i < u->finds->n; i++)
		for (j = 0; j < u->finds->v[i].nhosts; j++) {
			if (u->finds->v[i].hosts[j] != h->index)
				continue;
			if ((y = vl_next(v)) >= 0)
				ui_textf(y, 2, COLS - 2, A_NORMAL, "%s %s: %s",
				    severity_name(u->finds->v[i].sev),
				    u->finds->v[i].id, u->finds->v[i].what);
			break;
		}
}

static void
detail_settings(struct ui *u, struct vlines *v, const struct host *h)
{
	const struct pc_setting *s;
	size_t i;
	int y, nw = 28;

	vl_next(v);
	if ((y = vl_next(v)) >= 0) {
		ui_text(y, 0, COLS, "Settings", ui_attr(u, R_TITLE));
		ui_text(y, 9, COLS - 9, "  (* set in main.cf, others are "
		    "defaults)", ui_attr(u, R_DIM));
	}
	if (!h->settings_valid) {
		if ((y = vl_next(v)) >= 0)
			ui_text(y, 2, COLS - 2, "(not read yet)",
			    ui_attr(u, R_DIM));
		return;
	}
	if (COLS < 70)
		nw = 22;
	for (i = 0; i < h->settings.n; i++) {
		s = &h->settings.v[i];
		if ((y = vl_next(v)) < 0)
			continue;
		ui_text(y, 0, 2, s->explicit_set ? "*" : " ", A_BOLD);
		ui_text(y, 2, nw, s->name, s->explicit_set ? A_BOLD :
		    A_NORMAL);
		ui_text(y, 2 + nw, 2, "=", A_NORMAL);
		ui_text(y, 4 + nw, COLS - 4 - nw, s->value != NULL ?
		    s->value : "", s->explicit_set ? 0 :
		    ui_attr(u, R_DIM));
	}
}

static void
detail_queue(struct ui *u, struct vlines *v, const struct host *h,
    time_t now)
{
	char age[16];
	int y, q;
	size_t i;

	vl_next(v);
	if ((y = vl_next(v)) >= 0)
		ui_text(y, 0, COLS, "Queue", ui_attr(u, R_TITLE));
	if (!h->queue_valid) {
		if ((y = vl_next(v)) >= 0)
			ui_text(y, 2, COLS - 2, "(not read yet)",
			    ui_attr(u, R_DIM));
		return;
	}
	for (q = 0; q < Q_MAX; q++) {
		if ((y = vl_next(v)) < 0)
			continue;
		ui_textf(y, 2, COLS - 2, h->queue.count[q] > 0 &&
		    q != Q_ACTIVE ? ui_attr(u, R_WARN) : 0,
		    "%-9s %5u   oldest %s", queue_name_str((enum queue_name)q),
		    h->queue.count[q], h->queue.oldest[q] > 0 ?
		    age_text(now - h->queue.oldest[q], age, sizeof age) : "-");
	}
	if ((y = vl_next(v)) >= 0)
		ui_textf(y, 2, COLS - 2, A_NORMAL, "%llu bytes queued%s",
		    h->queue.bytes, h->queue.malformed ? ", some lines "
		    "unreadable" : "");
	if (h->queue.ntop > 0 && (y = vl_next(v)) >= 0)
		ui_text(y, 2, COLS - 2, "top deferral reasons:", A_BOLD);
	for (i = 0; i < h->queue.ntop && i < QUEUE_TOP_REASONS; i++)
		if ((y = vl_next(v)) >= 0)
			ui_textf(y, 4, COLS - 4, ui_attr(u, R_WARN), "%ux %s",
			    h->queue.top[i].count, h->queue.top[i].text);
}

static void
detail_events(struct ui *u, struct vlines *v, const struct host *h,
    time_t now)
{
	const struct ev_rec *e;
	char clk[32], buf[1024];
	enum word_tone t;
	size_t i;
	int y, shown = 0;

	vl_next(v);
	if ((y = vl_next(v)) >= 0)
		ui_text(y, 0, COLS, "Recent outcomes, newest first",
		    ui_attr(u, R_TITLE));
	for (i = 0; i < DETAIL_EVENTS && (e = model_event(h, i)) != NULL;
	    i++) {
		if (e->kind != EV_DELIVERY && e->kind != EV_CONNECT_FAIL &&
		    e->kind != EV_RELAY_DENIED && e->kind != EV_LOOP &&
		    e->kind != EV_WARNING)
			continue;
		shown++;
		if ((y = vl_next(v)) < 0)
			continue;
		ui_text(y, 0, 9, clock_text(e->when, now, clk, sizeof clk),
		    ui_attr(u, R_DIM));
		event_text(e, buf, sizeof buf, &t);
		ui_text(y, 9, COLS - 9, buf, ui_attr(u, role_for_tone(t)));
	}
	if (shown == 0 && (y = vl_next(v)) >= 0)
		ui_text(y, 2, COLS - 2, "(none seen yet)", ui_attr(u, R_DIM));
}

static int
detail_body(struct ui *u, int top, int h)
{
	struct vlines v = { top, h, u->detail.scroll, 0 };
	const struct host *hh = &u->m->hosts[u->sel_host];
	time_t now = time(NULL);

	detail_head(u, &v, hh, now);
	detail_hops(u, &v, u->sel_host);
	detail_settings(u, &v, hh);
	detail_queue(u, &v, hh, now);
	detail_events(u, &v, hh, now);
	return v.n;
}

static void
detail_draw(struct ui *u, int top, int h)
{
	int n, old = u->detail.scroll, y;

	if (u->m->n == 0)
		return;
	if (u->sel_host < 0 || (size_t)u->sel_host >= u->m->n)
		u->sel_host = 0;
	n = detail_body(u, top, h);
	vl_clamp(&u->detail.scroll, n, h);
	if (u->detail.scroll != old) {
		for (y = top; y < top + h; y++)
			ui_blank(y, 0, COLS, A_NORMAL);
		detail_body(u, top, h);
	}
}

static void
detail_step(struct ui *u, int delta)
{
	int order[UI_HOSTS_MAX], n, i, at = 0;

	n = hosts_order(u, order, UI_HOSTS_MAX);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (order[i] == u->sel_host)
			at = i;
	at = (at + delta + n) % n;
	u->sel_host = order[at];
	u->detail.scroll = 0;
}

static int
detail_key(struct ui *u, int ch)
{
	int page = list_page(LINES - 2), delta;

	/* the view clamps the end when it draws */
	if (list_key(ch, page, &delta)) {
		u->detail.scroll = (int)list_move(u->detail.scroll, delta,
		    LIST_END + 1);
		return 1;
	}
	switch (ch) {
	case 'n':
		if (u->m->n > 0)
			detail_step(u, 1);
		return 1;
	case 'p':
		if (u->m->n > 0)
			detail_step(u, -1);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui_set_view(u, u->back);
		return 1;
	default:
		return 0;
	}
}

const struct view view_detail = {
	.name = "detail",
	.draw = detail_draw,
	.key = detail_key,
	.click = NULL,
};
