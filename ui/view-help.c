/* view-help.c: the help overlay (? or F1): every key, in a box drawn over
 * the current view, in two columns when the terminal is short. Any key
 * closes it. The key list is the same as the man page's KEYS section. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* Every key the console handles, by the spelling of the man page's KEYS
 * tags (tests/e2e/e2e-cli-help.sh compares the two); keys NULL: a heading. */
static const struct help_row {
	const char *keys, *what;
} help_rows[] = {
	{ NULL, "Move" },
	{ "j k Up Down", "select / scroll" },
	{ "PgUp PgDn Space", "a page" },
	{ "g G Home End", "first / last" },
	{ "Tab Shift-Tab", "topology <-> table" },
	{ "Enter Right", "host detail" },
	{ "n p", "detail: next/prev host" },
	{ "Esc h Left", "back, clear the filter" },
	{ "click wheel", "select (again: detail)" },
	{ NULL, "Views" },
	{ "1", "main: topology, hosts" },
	{ "l 2", "log of all hosts" },
	{ "/", "filter the log, queue" },
	{ "o", "log: follow a queue id" },
	{ "c 3", "checks, fixes, port 25" },
	{ "p", "checks: probe port 25" },
	{ "v 4", "test-mail trace" },
	{ "s S", "sort column / reverse" },
	{ NULL, "Queue view" },
	{ "Q 5", "queued mail, all hosts" },
	{ "a", "all hosts / selected" },
	{ "Tab", "list <-> qshape table" },
	{ "Enter", "envelope, headers" },
	{ "m M u", "tag one/shown/none" },
	{ "H U R D", "hold/release/rq/delete" },
	{ "i", "deliver one now" },
	{ NULL, "Acts (off in --read-only)" },
	{ "t", "test mail, selected" },
	{ "T", "test mail, all origins" },
	{ "f F", "flush selected / all" },
	{ "r", "refresh now" },
	{ NULL, "Other" },
	{ "? F1", "this help" },
	{ "q", "quit" },
	{ "y n", "answer a confirmation" },
	{ "^A ^E ^B ^F", "prompt: move" },
	{ "^D ^H ^U ^K ^W", "prompt: delete" },
	{ "Esc ^G", "prompt: cancel" },
};

static const char *const help_legend[] = {
	"States: up, stale AGE, unreachable,",
	"  host key, no permission, stopped",
	"Edges: sent deferred refused unknown",
	"  solid primary, dashed fallback",
};

#define HELP_ROWS	((int)(sizeof help_rows / sizeof help_rows[0]))
#define HELP_LEGEND	((int)(sizeof help_legend / sizeof help_legend[0]))
#define HELP_N		(HELP_ROWS + HELP_LEGEND)
#define HELP_KEYW	17	/* keys column */

/* Line i of the overlay into buf; 1 when it is a heading. */
static int
help_line(int i, char *buf, size_t len)
{
	if (i >= HELP_ROWS) {
		snprintf(buf, len, "%s", help_legend[i - HELP_ROWS]);
		return help_legend[i - HELP_ROWS][0] != ' ';
	}
	if (help_rows[i].keys == NULL) {
		snprintf(buf, len, "%s", help_rows[i].what);
		return 1;
	}
	snprintf(buf, len, "  %-*s %s", HELP_KEYW - 1, help_rows[i].keys,
	    help_rows[i].what);
	return 0;
}

void
help_draw(struct ui *u)
{
	int cw = 0, ncol, rows, w, h, x0, y0, i, l;
	int attr = ui_attr(u, R_STATUS), head;
	char line[128];

	for (i = 0; i < HELP_N; i++) {
		help_line(i, line, sizeof line);
		l = ui_width(line);
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
		head = help_line(i, line, sizeof line);
		ui_text(y0 + 1 + l, x0 + 2 + (i / rows) * (cw + 2), cw,
		    line, head ? (int)(attr | A_BOLD) : attr);
	}
	ui_text(y0 + h - 1, x0 + 2, w - 4, "any key closes",
	    (int)(attr | A_BOLD));
}
