/* view-help.c: the help overlay (? or F1): every key, in a box drawn over
 * the current view, in two columns when the terminal is short. Any key
 * closes it. */
#include <curses.h>
#include <string.h>

#include "ui.h"

static const char *const help_lines[] = {
	"Move",
	"  j/k Up/Down  select / scroll",
	"  PgUp PgDn    a page",
	"  g G          first / last",
	"  Tab          topology <-> table",
	"  Enter        host detail",
	"  n p          next/prev host",
	"  Esc h        back, clear filter",
	"  click        select; again: detail",
	"Views",
	"  1            main: topology, hosts",
	"  l 2          log of all hosts",
	"  /            filter the log",
	"  Enter o      follow a queue id",
	"  c 3          checks and fixes",
	"  v 4          test-mail trace",
	"  s S          sort column / reverse",
	"Acts (off in --read-only)",
	"  t            test mail, selected",
	"  T            test mail, all origins",
	"  f F          flush selected / all",
	"  r            refresh now",
	"Other",
	"  ? F1         help      q  quit",
	"  prompt: ^A ^E ^U ^K ^W, Esc",
	"States: up, stale AGE, unreachable,",
	"  host key, no permission, stopped",
	"Edges: sent deferred refused unknown",
	"  solid primary, dashed fallback",
};

#define HELP_N	((int)(sizeof help_lines / sizeof help_lines[0]))

void
help_draw(struct ui *u)
{
	int cw = 0, ncol, rows, w, h, x0, y0, i, l;
	int attr = ui_attr(u, R_STATUS);

	for (i = 0; i < HELP_N; i++) {
		l = ui_width(help_lines[i]);
		if (l > cw)
			cw = l;
	}
	ncol = HELP_N + 2 <= LINES ? 1 : 2;
	rows = (HELP_N + ncol - 1) / ncol;
	w = ncol * (cw + 2) + 2;
	h = rows + 2;
	if (w > COLS)
		w = COLS;
	if (h > LINES)
		h = LINES;
	x0 = (COLS - w) / 2;
	y0 = (LINES - h) / 2;
	for (i = 0; i < h; i++)
		ui_blank(y0 + i, x0, w, attr);
	ui_text(y0, x0 + 2, w - 4, "relaytop keys", (int)(attr | A_BOLD));
	for (i = 0; i < HELP_N; i++) {
		l = i % rows;
		if (l + 1 >= h - 1)
			continue;
		ui_text(y0 + 1 + l, x0 + 2 + (i / rows) * (cw + 2), cw,
		    help_lines[i], help_lines[i][0] != ' ' ?
		    (int)(attr | A_BOLD) : attr);
	}
	ui_text(y0 + h - 1, x0 + 2, w - 4, "any key closes",
	    (int)(attr | A_BOLD));
}
