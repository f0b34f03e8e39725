/* view-trace.c: a test mail followed hop by hop, live: each hop's host and
 * queue id, the relay it went to (primary or fallback), the failed tries,
 * status, dsn and "queued as" id; then the earlier traces (j/k pick one). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

static enum ui_role
trace_role(enum trace_state s)
{
	switch (s) {
	case TR_DELIVERED:
		return R_GOOD;
	case TR_SUBMITTING:
	case TR_WAITING:
		return R_ACCENT;
	case TR_DEFERRED:
		return R_WARN;
	default:
		return R_BAD;
	}
}

static enum ui_role
status_role(int st)
{
	return st == ST_SENT ? R_GOOD : st == ST_DEFERRED ? R_WARN :
	    st == ST_NONE ? R_DIM : R_BAD;
}

static void
trace_hop(struct ui *u, struct vlines *v, const struct trace *t, int k,
    time_t now)
{
	const struct trace_hop *hp = &t->hops[k];
	char clk[32], buf[512];
	int y, x, j;

	if ((y = vl_next(v)) >= 0) {
		x = ui_textf(y, 2, COLS - 2, A_BOLD, "hop %d  %s", k + 1,
		    host_name(u->m, hp->host));
		x += 2;
		x += ui_textf(y, x + 1, COLS - x - 1, 0, " qid %s  %s ",
		    hp->qid[0] ? hp->qid : "?", clock_text(hp->when, now, clk,
		    sizeof clk));
		snprintf(buf, sizeof buf, " %s dsn=%s delay=%.1fs",
		    hp->status == ST_NONE ? "(waiting)" :
		    mail_status_name(hp->status), hp->dsn[0] ? hp->dsn : "-",
		    (double)hp->delay);
		ui_text(y, x + 1, COLS - x - 1, buf,
		    ui_attr(u, status_role(hp->status)));
	}
	if (hp->client[0] && (y = vl_next(v)) >= 0)
		ui_textf(y, 8, COLS - 8, ui_attr(u, R_DIM), "from client=%s",
		    hp->client);
	for (j = 0; j < hp->nattempts && j < TRACE_MAX_ATTEMPTS; j++)
		if ((y = vl_next(v)) >= 0)
			ui_textf(y, 8, COLS - 8, ui_attr(u, R_WARN),
			    "failed try: %s", hp->attempts[j]);
	if (hp->relay[0] && (y = vl_next(v)) >= 0)
		ui_textf(y, 8, COLS - 8, hp->via_fallback ? ui_attr(u,
		    R_ACCENT) : 0, "%s relay=%s%s  next: %s",
		    ui_utf8() ? "\u2192" : "->", hp->relay, hp->via_fallback ?
		    " (FALLBACK)" : "", hp->next_host >= 0 ?
		    host_name(u->m, hp->next_host) : "outside the inventory");
	if (hp->sec.state != SEC_UNKNOWN && (y = vl_next(v)) >= 0) {
		char st[300];

		ui_textf(y, 8, COLS - 8, ui_attr(u, sec_fact_is_bad(&hp->sec) ?
		    R_WARN : R_DIM), "tls: %s",
		    sec_fact_line(&hp->sec, st, sizeof st));
	}
	if ((hp->reason[0] || hp->queued_as[0]) && (y = vl_next(v)) >= 0)
		ui_textf(y, 8, COLS - 8, ui_attr(u, status_role(hp->status)),
		    "%s%s%s(%s)", hp->queued_as[0] ? "queued as " : "",
		    hp->queued_as, hp->queued_as[0] ? "  " : "", hp->reason);
}

static int
trace_body(struct ui *u, int top, int h, const struct trace *t)
{
	struct vlines v = { top, h, 0, 0 };
	const struct trace *o;
	time_t now = time(NULL);
	char age[16];
	size_t i;
	int y, k, x;

	if ((y = vl_next(&v)) >= 0) {
		x = ui_textf(y, 0, COLS, ui_attr(u, R_TITLE), "Trace #%d", t->id);
		x += 1 + ui_textf(y, x + 1, COLS - x - 1,
		    ui_attr(u, trace_role(t->state)), " %s%s ",
		    trace_state_name(t->state), t->state == TR_WAITING &&
		    t->deferred ? " (deferred for now)" : "");
		ui_textf(y, x + 1, COLS - x - 1, 0, "from %s to %s, started %s "
		    "ago", host_name(u->m, t->origin), t->to,
		    age_text(now - t->started, age, sizeof age));
	}
	if ((y = vl_next(&v)) >= 0)
		ui_textf(y, 2, COLS - 2, ui_attr(u, R_DIM), "token %s",
		    t->token);
	if (t->summary[0] && (y = vl_next(&v)) >= 0)
		ui_text(y, 2, COLS - 2, t->summary,
		    ui_attr(u, trace_role(t->state)) | A_BOLD);
	if (t->nhops == 0 && (y = vl_next(&v)) >= 0)
		ui_text(y, 2, COLS - 2, t->state == TR_SUBMITTING ?
		    "(sendmail running on the origin)" :
		    "(waiting for the origin's log)", ui_attr(u, R_DIM));
	for (k = 0; k < t->nhops && k < TRACE_MAX_HOPS; k++)
		trace_hop(u, &v, t, k, now);
	vl_next(&v);
	if (actions_trace(u->a, 1) != NULL && (y = vl_next(&v)) >= 0)
		ui_text(y, 0, COLS, "Traces  (j/k: pick)", ui_attr(u, R_TITLE));
	for (i = 0; actions_trace(u->a, 1) != NULL &&
	    (o = actions_trace(u->a, i)) != NULL; i++) {
		if ((y = vl_next(&v)) < 0)
			continue;
		ui_text(y, 0, 1, (int)i == u->trace.sel ? ">" : " ", A_BOLD);
		ui_textf(y, 2, COLS - 2, ui_attr(u, trace_role(o->state)),
		    "#%-3d %-10s %-10s %s ago  %s", o->id,
		    trace_state_name(o->state), host_name(u->m, o->origin),
		    age_text(now - o->started, age, sizeof age), o->summary);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	return v.n;
}

static void
trace_draw(struct ui *u, int top, int h)
{
	const struct trace *t;

	if (u->trace.sel < 0)
		u->trace.sel = 0;
	while (u->trace.sel > 0 && actions_trace(u->a, (size_t)u->trace.sel)
	    == NULL)
		u->trace.sel--;
	t = actions_trace(u->a, (size_t)u->trace.sel);
	if (t == NULL) {
		ui_text(top, 0, COLS, "Trace", ui_attr(u, R_TITLE));
		ui_text(top + 1, 2, COLS - 2, actions_read_only(u->a) ?
		    "no test mail sent (read-only)" : "no test mail sent yet: "
		    "t sends one from the selected origin, T from every "
		    "origin", ui_attr(u, R_DIM));
		return;
	}
	trace_body(u, top, h, t);
}

static int
trace_key(struct ui *u, int ch)
{
	int delta, n = 0;

	if (!list_key(ch, list_page(LINES - 4), &delta))
		return 0;
	while (n < 1000 && actions_trace(u->a, (size_t)n) != NULL)
		n++;
	u->trace.sel = (int)list_move(u->trace.sel, delta, n);
	return 1;
}

static void
trace_click(struct ui *u, int y)
{
	if (y < u->rowmap_n && u->rowmap[y] >= 0)
		u->trace.sel = u->rowmap[y];
}

const struct view view_trace = {
	.name = "trace",
	.draw = trace_draw,
	.key = trace_key,
	.click = trace_click,
};
