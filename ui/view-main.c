/* view-main.c: the main view, the topology pane above the host table. Both
 * panes share one selected host; Tab moves the focus, the arrows move the
 * selection in the focused pane's order, Enter opens the detail. */
#include <curses.h>

#include "ui.h"

#define ORDER_MAX	UI_HOSTS_MAX

/* The focused pane's host order. */
static int
main_order(const struct ui *u, int *order)
{
	if (u->main.focus == 0)
		return topology_rows(u, order, ORDER_MAX);
	return hosts_order(u, order, ORDER_MAX);
}

/* Moves the selection by delta rows (clamped); INT_MAX-ish for ends. */
void
main_move(struct ui *u, int delta)
{
	int order[ORDER_MAX], n = main_order(u, order), i, at = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (order[i] == u->sel_host)
			at = i;
	u->sel_host = order[list_move(at, delta, n)];
}

static void
main_draw(struct ui *u, int top, int h)
{
	int th = topology_height(u), need = (int)u->m->n + 2, tp, hh;

	if (u->sel_host < 0 || (size_t)u->sel_host >= u->m->n)
		u->sel_host = 0;
	if (th + 1 + need <= h)
		tp = th;
	else {
		tp = h - need - 1;
		if (tp < h / 2)
			tp = h / 2;
		if (tp > th)
			tp = th;
	}
	topology_draw(u, top, tp, u->main.focus == 0);
	hh = h - tp - 1;
	/* room beyond the table goes to the newest outcomes */
	if (hh - need - 1 >= 4) {
		log_recent_draw(u, top + tp + 1 + need + 1, hh - need - 1);
		hh = need;
	}
	hosts_draw(u, top + tp + 1, hh, u->main.focus == 1);
}

static int
main_key(struct ui *u, int ch)
{
	int page = list_page((LINES - 2) / 2), delta;

	if (list_key(ch, page, &delta)) {
		main_move(u, delta);
		return 1;
	}
	switch (ch) {
	case '\t':
	case KEY_BTAB:
		u->main.focus = !u->main.focus;
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		u->detail.scroll = 0;
		ui_set_view(u, VIEW_DETAIL);
		return 1;
	case 's':
		u->main.sort_col = (u->main.sort_col + 1) % HOSTS_COLS;
		u->main.focus = 1;
		ui_message(u, 0, "hosts sorted by %s%s",
		    hosts_col_name(u->main.sort_col), u->main.sort_rev ?
		    " (reversed)" : "");
		return 1;
	case 'S':
		u->main.sort_rev = !u->main.sort_rev;
		u->main.focus = 1;
		ui_message(u, 0, "hosts sorted by %s%s",
		    hosts_col_name(u->main.sort_col), u->main.sort_rev ?
		    " (reversed)" : "");
		return 1;
	default:
		return 0;
	}
}

static void
main_click(struct ui *u, int y)
{
	int th = topology_height(u);

	if (y >= u->rowmap_n || u->rowmap[y] < 0)
		return;
	if (u->sel_host == u->rowmap[y]) {
		/* a second click on the selected host opens its detail */
		u->detail.scroll = 0;
		ui_set_view(u, VIEW_DETAIL);
		return;
	}
	u->sel_host = u->rowmap[y];
	u->main.focus = y > th ? 1 : 0;
}

const struct view view_main = {
	.name = "main",
	.draw = main_draw,
	.key = main_key,
	.click = main_click,
};
