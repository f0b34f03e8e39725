/* view-checks.c: the relay doctor's findings (check_run_ports): severity,
 * id, hosts, what goes wrong, the evidence and the fix, worst first, under
 * the port-25 test's status. Enter opens the first host's detail. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

static enum ui_role
sev_role(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return R_BAD;
	case SEV_WARNING:
		return R_WARN;
	case SEV_UNKNOWN:
		return R_ACCENT;
	case SEV_OK:
		return R_GOOD;
	default:
		return R_DIM;
	}
}

static void
finding_hosts(const struct ui *u, const struct finding *f, char *buf,
    size_t len)
{
	int j;

	buf[0] = '\0';
	for (j = 0; j < f->nhosts && j < FINDING_MAX_HOSTS; j++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    j ? ", " : "", host_name(u->m, f->hosts[j]));
	if (buf[0] == '\0')
		snprintf(buf, len, "(fleet)");
}

/* Draws finding i as a block of lines; returns its first virtual line. */
static int
finding_block(struct ui *u, struct vlines *v, size_t i)
{
	const struct finding *f = &u->finds->v[i];
	char hosts[256];
	int y, x, first = v->n, sel = (int)i == u->checks.sel;
	int attr = sel ? ui_attr(u, R_SELECTED) : 0;

	finding_hosts(u, f, hosts, sizeof hosts);
	if ((y = vl_next(v)) >= 0) {
		if (sel)
			ui_blank(y, 0, COLS, attr);
		ui_text(y, 0, 1, sel ? ">" : " ", A_BOLD);
		x = 1 + ui_text_pad(y, 1, 9, severity_name(f->sev),
		    sel ? attr : ui_attr(u, sev_role(f->sev)));
		x += 1 + ui_text(y, x + 1, COLS - x - 1, f->id,
		    attr | A_BOLD);
		ui_textf(y, x + 2, COLS - x - 2, attr, "on %s", hosts);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	if (f->what[0] && (y = vl_next(v)) >= 0) {
		ui_textf(y, 11, COLS - 11, 0, "what: %s", f->what);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	if (f->evidence[0] && (y = vl_next(v)) >= 0) {
		ui_textf(y, 11, COLS - 11, ui_attr(u, R_DIM), "seen: %s",
		    f->evidence);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	if (f->fix[0] && (y = vl_next(v)) >= 0) {
		ui_textf(y, 11, COLS - 11, ui_attr(u, R_GOOD), "fix:  %s",
		    f->fix);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	return first;
}

static int
checks_body(struct ui *u, int top, int h, int *sel_first, int *sel_last)
{
	struct vlines v = { top, h, u->checks.scroll, 0 };
	size_t i;

	for (i = 0; i < u->finds->n; i++) {
		if ((int)i == u->checks.sel)
			*sel_first = finding_block(u, &v, i);
		else
			finding_block(u, &v, i);
		if ((int)i == u->checks.sel)
			*sel_last = v.n - 1;
	}
	return v.n;
}

static void
checks_draw(struct ui *u, int top, int h)
{
	int n, first = 0, last = 0, x, y, old;
	char ps[128];

	x = ui_text(top, 0, COLS, "Checks", ui_attr(u, R_TITLE));
	ui_textf(top, x, COLS - x, ui_attr(u, R_DIM), "  %zu findings, worst "
	    "first  (Enter: host detail, r: probe again)", u->finds->n);
	top++;
	h--;
	if (h <= 0)
		return;
	ui_text(top, 2, COLS - 2, ui_ports_status(u, ps, sizeof ps),
	    ui_attr(u, watch_ports_running(u->w) ? R_ACCENT : R_DIM));
	top++;
	h--;
	if (h <= 0)
		return;
	if (!u->derived_ok) {
		ui_text(top, 2, COLS - 2, "(checks could not run)",
		    ui_attr(u, R_BAD));
		return;
	}
	if (u->finds->n == 0) {
		ui_text(top, 2, COLS - 2, "no findings: the chain looks right",
		    ui_attr(u, R_GOOD));
		return;
	}
	if (u->checks.sel >= (int)u->finds->n)
		u->checks.sel = (int)u->finds->n - 1;
	if (u->checks.sel < 0)
		u->checks.sel = 0;
	old = u->checks.scroll;
	n = checks_body(u, top, h, &first, &last);
	/* keep the selected block in view */
	if (first < u->checks.scroll)
		u->checks.scroll = first;
	else if (last >= u->checks.scroll + h)
		u->checks.scroll = last - h + 1 > first ? first : last - h + 1;
	vl_clamp(&u->checks.scroll, n, h);
	if (u->checks.scroll != old) {
		for (y = top; y < top + h; y++) {
			ui_blank(y, 0, COLS, 0);
			if (y < u->rowmap_n)
				u->rowmap[y] = -1;
		}
		checks_body(u, top, h, &first, &last);
	}
}

static int
checks_key(struct ui *u, int ch)
{
	const struct finding *f;
	int delta;

	/* a page is 5 findings (each takes a few lines) */
	if (list_key(ch, 5, &delta)) {
		u->checks.sel = (int)list_move(u->checks.sel, delta,
		    (long)u->finds->n);
		return 1;
	}
	switch (ch) {
	case 'p':
		ui_ports_start(u);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (u->checks.sel < 0 || (size_t)u->checks.sel >= u->finds->n)
			return 1;
		f = &u->finds->v[u->checks.sel];
		if (f->nhosts > 0 && f->hosts[0] >= 0 &&
		    (size_t)f->hosts[0] < u->m->n) {
			u->sel_host = f->hosts[0];
			u->detail.scroll = 0;
			ui_set_view(u, VIEW_DETAIL);
		}
		return 1;
	default:
		return 0;
	}
}

static void
checks_click(struct ui *u, int y)
{
	if (y < u->rowmap_n && u->rowmap[y] >= 0)
		u->checks.sel = u->rowmap[y];
}

const struct view view_checks = {
	.name = "checks",
	.draw = checks_draw,
	.key = checks_key,
	.click = checks_click,
};
