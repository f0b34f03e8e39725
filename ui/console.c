/* console.c: mode_console, the interactive console. A client of the watch:
 * runs watch_run with the console's hooks (keys, resize, one redraw per
 * loop turn when something changed) and restores the terminal on every way
 * out: q, a signal, or a fatal error (atexit). */
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "knownhosts.h"
#include "serve.h"
#include "ui.h"

static const struct view *const views[VIEW_MAX] = {
	[VIEW_MAIN] = &view_main,
	[VIEW_DETAIL] = &view_detail,
	[VIEW_LOG] = &view_log,
	[VIEW_CHECKS] = &view_checks,
	[VIEW_TRACE] = &view_trace,
	[VIEW_QUEUE] = &view_queue,
};

static SCREEN *ui_screen;

/* atexit and error paths: leave the terminal as we found it. */
static void
ui_restore(void)
{
	if (ui_screen != NULL && !isendwin()) {
		endwin();
		fflush(stdout);
	}
}

void
ui_message(struct ui *u, int bad, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_bad = bad;
	u->msg_time = time(NULL);
	u->dirty = 1;
}

/* accept-new's "added KEY to FILE" goes to the message line, not stderr. */
static void
console_notice(void *arg, const char *line)
{
	ui_message(arg, 0, "%s", line);
}

void
ui_set_view(struct ui *u, enum view_id v)
{
	if (v == u->view)
		return;
	if (v != VIEW_MAIN)
		u->back = u->view == VIEW_DETAIL ? VIEW_MAIN : u->view;
	u->view = v;
	u->dirty = 1;
}

void
ui_derive(struct ui *u)
{
	u->derived_ok = watch_derive(u->w, time(NULL)) == 0;
}

static void
draw_header(struct ui *u)
{
	char buf[256], clk[32];
	size_t i;
	int up = 0, bad = 0, x, ncrit = 0, nwarn = 0;
	time_t now = time(NULL);
	enum ui_role r;

	for (i = 0; i < u->m->n; i++) {
		r = role_for_host(&u->m->hosts[i], now);
		if (r == R_GOOD)
			up++;
		else if (r != R_DIM)
			bad++;
	}
	for (i = 0; i < u->finds->n; i++) {
		if (u->finds->v[i].sev == SEV_CRITICAL)
			ncrit++;
		else if (u->finds->v[i].sev == SEV_WARNING)
			nwarn++;
	}
	ui_blank(0, 0, COLS, ui_attr(u, R_HEADER));
	if (COLS >= 100)
		snprintf(buf, sizeof buf, " relaytop  %zu hosts: %d up, %d with "
		    "problems  findings: %d critical, %d warning  [%s]", u->m->n,
		    up, bad, ncrit, nwarn, views[u->view]->name);
	else
		snprintf(buf, sizeof buf, " relaytop [%s] %zu hosts %d up %d "
		    "bad | %d crit %d warn", views[u->view]->name, u->m->n, up,
		    bad, ncrit, nwarn);
	x = ui_text(0, 0, COLS, buf, ui_attr(u, R_HEADER));
	clock_text(now, now, clk, sizeof clk);
	if (u->a != NULL && actions_read_only(u->a)) {
		snprintf(buf, sizeof buf, " READ-ONLY  %s ", clk);
		if (x + 12 > COLS - ui_width(buf))
			snprintf(buf, sizeof buf, " READ-ONLY ");
		ui_text(0, COLS - ui_width(buf), ui_width(buf), buf,
		    ui_attr(u, R_BADGE));
	} else if (x + 10 < COLS) {
		snprintf(buf, sizeof buf, " %s ", clk);
		ui_text(0, COLS - ui_width(buf), ui_width(buf), buf,
		    ui_attr(u, R_HEADER));
	}
}

static void
draw_status(struct ui *u)
{
	const char *hints, *msg = "";
	int y = LINES - 1, hw, attr = ui_attr(u, R_STATUS);
	time_t now = time(NULL);

	ui_blank(y, 0, COLS, attr);
	if (u->prompt.kind != PROMPT_NONE) {
		prompt_draw(u, y);
		return;
	}
	if (u->msg[0] != '\0' && now - u->msg_time < 30)
		msg = u->msg;
	else if (u->a != NULL)
		msg = actions_status(u->a);
	hints = COLS >= 110 ?
	    " ?:help q:quit Tab Enter s/S:sort /:filter l:log c:checks "
	    "v:trace Q:queue t/T:test f/F:flush r:refresh " :
	    " ?:help q:quit l c v Q t f r ";
	hw = ui_width(hints);
	/* a message the hints would cut (a host key's fingerprint and file)
	 * is shown whole: the hints step aside while it shows */
	if (hw > COLS / 2 || (msg[0] != '\0' && ui_width(msg) > COLS - hw - 2))
		hw = 0;
	if (msg[0] != '\0')
		ui_text(y, 1, COLS - hw - 2, msg, u->msg_bad && msg == u->msg ?
		    ui_attr(u, R_BADGE) : (int)(attr | A_BOLD));
	if (hw > 0)
		ui_text(y, COLS - hw, hw, hints, ui_attr(u, R_KEY));
}

void
ui_draw(struct ui *u)
{
	int body;

	if ((int)u->rowmap_n != LINES) {
		free(u->rowmap);
		u->rowmap = calloc((size_t)LINES, sizeof *u->rowmap);
		u->rowmap_n = u->rowmap != NULL ? LINES : 0;
	}
	for (body = 0; body < u->rowmap_n; body++)
		u->rowmap[body] = -1;
	erase();
	if (COLS < 30 || LINES < 8) {
		ui_text(0, 0, COLS, "relaytop: terminal too small", A_BOLD);
		refresh();
		return;
	}
	ui_derive(u);
	body = LINES - 2;
	draw_header(u);
	views[u->view]->draw(u, 1, body);
	draw_status(u);
	if (u->help)
		help_draw(u);
	refresh();
	u->drawn_gen = u->m->generation;
	u->drawn_sec = time(NULL);
	u->dirty = 0;
}

const struct view *
ui_view(const struct ui *u)
{
	return views[u->view];
}

/* A cheap fingerprint of what the trace view and status line show, so a
 * trace that advances without a model change still gets drawn. */
static unsigned
actions_sig(const struct ui *u)
{
	const struct trace *t = actions_trace(u->a, 0);
	const char *s = actions_status(u->a);
	unsigned h = 5381;

	if (t != NULL)
		h = h * 33 + (unsigned)t->id * 131 + (unsigned)t->state * 7 +
		    (unsigned)t->nhops;
	while (s != NULL && *s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void
hook_input(void *arg)
{
	struct ui *u = arg;
	int ch;

	while (!u->quit && (ch = getch()) != ERR)
		ui_key(u, ch);
}

static void
hook_resize(void *arg)
{
	struct ui *u = arg;
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	u->dirty = 1;
}

static void
hook_tick(void *arg)
{
	struct ui *u = arg;
	unsigned sig;

	ui_ports_tick(u);
	queue_view_tick(u);
	sig = actions_sig(u);
	if (u->quit)
		return;
	if (u->dirty || u->m->generation != u->drawn_gen ||
	    time(NULL) != u->drawn_sec || sig != u->drawn_sig) {
		u->drawn_sig = sig;
		ui_draw(u);
	}
}

static int
hook_done(void *arg)
{
	return ((struct ui *)arg)->quit;
}

static int
console_screen(struct ui *u)
{
	crash_save_tty();
	ui_screen = newterm(NULL, stdout, stdin);
	if (ui_screen == NULL)
		return -1;
	set_term(ui_screen);
	atexit(ui_restore);
	crash_install();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_init(u);
	if (!u->o->no_mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
		    BUTTON5_PRESSED, NULL);
		mouseinterval(0);
		u->mouse = 1;
	}
	return 0;
}

static void
console_free(struct ui *u)
{
	free(u->log.v);
	free(u->rowmap);
	watch_free(u->w);
	u->w = NULL;
	queue_view_free(u);	/* after: the watch's callbacks use it */
}

int
mode_console(const struct options *o, struct inventory *inv)
{
	static struct ui ui;	/* static: reachable from the atexit path */
	struct watch_client c;
	struct serve *srv = NULL;
	char err[256];
	int rc;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "relaytop: the console needs a terminal; "
		    "use --once, --json or --check\n");
		return 2;
	}
	memset(&ui, 0, sizeof ui);
	ui.o = o;
	ui.inv = inv;
	ui.back = VIEW_MAIN;
	ui.w = watch_new(inv, o->read_only || inv->read_only, 0);
	if (ui.w == NULL) {
		fprintf(stderr, "relaytop: cannot start the fleet\n");
		return 2;
	}
	if (o->serve != NULL &&
	    (srv = serve_start(ui.w, o->serve, o->web_config, err,
	    sizeof(err))) == NULL) {
		console_free(&ui);
		fprintf(stderr, "relaytop: %s\n", err);
		return 2;
	}
	ui.m = watch_model(ui.w);
	ui.a = watch_actions(ui.w);
	ui.topo = watch_topology(ui.w);
	ui.finds = watch_findings(ui.w);
	if (console_screen(&ui) != 0) {
		serve_stop(srv);
		console_free(&ui);
		fprintf(stderr, "relaytop: cannot open the terminal "
		    "(TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		return 2;
	}
	ui_message(&ui, 0, "watching %zu hosts; ? lists the keys", inv->n);
	knownhosts_set_notice(console_notice, &ui);
	ui_draw(&ui);
	memset(&c, 0, sizeof c);
	c.input_fd = STDIN_FILENO;
	c.on_input = hook_input;
	c.on_resize = hook_resize;
	c.on_tick = hook_tick;
	c.until = hook_done;
	c.arg = &ui;
	c.max_wait_ms = 1000;
	rc = watch_run(ui.w, &c, 0);
	ui_restore();
	serve_stop(srv);
	console_free(&ui);
	delscreen(ui_screen);
	ui_screen = NULL;
	if (rc > 0)
		return 128 + rc;
	return 0;
}
