/* ui.h: the console's shared state and the faces of its small rooms (views,
 * keys, prompt, colours, safe text). Only ui/ includes this; it pulls in
 * curses, so src/ must never include it. */
#ifndef RELAYTOP_UI_H
#define RELAYTOP_UI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actions.h"
#include "check.h"
#include "config.h"
#include "model.h"
#include "modes.h"
#include "topology.h"
#include "watch.h"
#include "words.h"

/* Views: each one a small table of functions (tmux window_mode). */
enum view_id { VIEW_MAIN = 0, VIEW_DETAIL, VIEW_LOG, VIEW_CHECKS,
	VIEW_TRACE, VIEW_QUEUE, VIEW_MAX };

struct ui;

struct view {
	const char *name;
	/* Draws rows [top, top + h) of the screen from the model only. */
	void	(*draw)(struct ui *u, int top, int h);
	/* Handles a key the global keys did not take; returns 1 when used. */
	int	(*key)(struct ui *u, int ch);
	/* Selects the row at screen line y (mouse); may be NULL. */
	void	(*click)(struct ui *u, int y);
};

extern const struct view view_main, view_detail, view_log, view_checks,
    view_trace;
extern const struct view view_queue;	/* ui/view-queue.c, include/ui-queue.h */

/* Colour pairs / attribute roles; ui_attr() maps them to curses attributes
 * (colour, or bold/reverse/underline/dim when monochrome). */
enum ui_role {
	R_NORMAL = 0, R_HEADER, R_TITLE, R_SELECTED, R_GOOD, R_WARN, R_BAD,
	R_DIM, R_ACCENT, R_STATUS, R_KEY, R_BADGE, R_MAX
};

/* The line editor behind the recipient prompt. */
#define PROMPT_MAX	256
enum prompt_kind { PROMPT_NONE = 0, PROMPT_TEXT, PROMPT_CONFIRM };

/* What a prompt calls (tmux status_prompt_set): host is the one given at
 * open, text the line typed (NULL for a confirmation). */
typedef void prompt_fn(struct ui *u, int host, const char *text);

struct prompt {
	enum prompt_kind kind;
	prompt_fn *done;		/* Enter, or y */
	prompt_fn *live;		/* after each edit; may be NULL */
	prompt_fn *cancel;		/* Esc, n; NULL: says "cancelled" */
	char	label[96];
	char	buf[PROMPT_MAX];
	size_t	len, cur;		/* bytes; ASCII only */
	int	host;			/* target of the act, -1 all */
};

/* The merged log across hosts (view-log.c keeps it). */
struct log_ref {
	int	host;
	size_t	idx;			/* model_event index at build time */
	time_t	when;
	uint64_t seq;			/* ring total - idx: stable order */
};

#define FOLLOW_MAX	8

struct log_state {
	struct log_ref *v;
	size_t	n, cap;
	uint64_t built_gen;		/* model generation of v */
	char	built_filter[PROMPT_MAX];
	int	built_follow;
	size_t	sel, scroll;
	char	filter[PROMPT_MAX];	/* "" none */
	char	follow[FOLLOW_MAX][QUEUE_ID_SIZE];	/* ids followed, [0] first */
	int	nfollow;
};

/* Each view's own state (the log view's is struct log_state). */
struct main_state {
	int	focus;			/* 0 topology pane, 1 host table */
	int	sort_col, sort_rev;
	int	table_scroll, topo_scroll;
};

struct detail_state {
	int	scroll;
};

struct checks_state {
	int	sel, scroll;
};

struct trace_view_state {
	int	sel;
};

struct ui {
	const struct options *o;
	struct inventory *inv;
	struct watch *w;		/* owns all below that is borrowed */
	struct model *m;
	struct actions *a;

	/* the watch's, as of the last ui_derive */
	const struct topology *topo;
	const struct findings *finds;
	int	derived_ok;

	int	ports_running;		/* a port-25 test was in flight */

	enum view_id view, back;
	int	help;			/* help overlay shown */
	int	quit;
	int	color, mouse;
	int	dirty;			/* redraw asked by keys or resize */
	uint64_t drawn_gen;
	time_t	drawn_sec;
	unsigned drawn_sig;		/* actions/traces signature drawn */

	/* the selected host (a host index): the main view's two panes and
	 * the detail view share it */
	int	sel_host;

	/* each view's own state */
	struct main_state main;
	struct detail_state detail;
	struct checks_state checks;
	struct trace_view_state trace;
	struct log_state log;
	struct prompt prompt;

	char	msg[256];		/* status line message */
	int	msg_bad;
	time_t	msg_time;

	/* the queue view's state (ui-queue.h), made on first use */
	struct queue_view *queue;

	/* screen line -> host index (or row) for mouse clicks; -1 none */
	int	*rowmap;
	int	rowmap_n;
};

/* --- console.c --- */
void	ui_message(struct ui *u, int bad, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_set_view(struct ui *u, enum view_id v);
/* Brings the watch's topology and findings up to date (watch_derive). */
void	ui_derive(struct ui *u);
void	ui_draw(struct ui *u);
const struct view *ui_view(const struct ui *u);

/* --- ports.c: what the console says about the watch's port-25 test --- */
/* Asks the watch for a test unless one is in flight; never blocks. The
 * findings of the previous test stay until it answers. */
void	ui_ports_start(struct ui *u);
/* Called each loop turn: tells when the test has answered. */
void	ui_ports_tick(struct ui *u);
/* "probing port 25...", "port 25 tested 42s ago" or "not tested". */
const char *ui_ports_status(const struct ui *u, char *buf, size_t len);

/* --- crash.c --- */
/* Saves the tty modes; call before the screen is set up. */
void	crash_save_tty(void);
/* After newterm: fatal signals restore the terminal, then re-raise. */
void	crash_install(void);

/* --- keys.c --- */
/* Handles one key from getch(): prompt, help, global keys, then the view. */
void	ui_key(struct ui *u, int ch);
/* In read-only mode: says so on the status line and returns 1; else 0. */
int	ui_refuse_read_only(struct ui *u);
/* The act keys (shared by views): t T f F r. Returns 1 when used. */
int	ui_act_key(struct ui *u, int ch);

/* --- prompt.c --- */
/* Opens a line editor on the status line with init in it; done gets the
 * text on Enter, live after each edit, cancel on Esc (either may be
 * NULL). */
void	prompt_open_text(struct ui *u, const char *label, const char *init,
	    int host, prompt_fn *done, prompt_fn *live, prompt_fn *cancel);
/* Opens a y/n question; done runs on y. */
void	prompt_open_confirm(struct ui *u, const char *label, int host,
	    prompt_fn *done);
/* Feeds one key to the open prompt. */
void	prompt_key(struct ui *u, int ch);
void	prompt_draw(struct ui *u, int y);

/* --- colors.c --- */
void	colors_init(struct ui *u);
int	ui_attr(const struct ui *u, enum ui_role r);
/* Role (colour) for an edge's outcome. */
enum ui_role role_for_edge(enum edge_state s);

/* --- text.c: the only way text reaches the screen --- */
/* Draws s (n bytes, or -1 for NUL-terminated) at y,x in at most w columns,
 * after sanitize_copy; never emits a control character; cuts at a
 * character boundary by display width (wcwidth), ending with an ellipsis
 * when cut. Returns the columns used. */
int	ui_text(int y, int x, int w, const char *s, int attr);
/* Same, then pads with spaces to exactly w columns. */
int	ui_text_pad(int y, int x, int w, const char *s, int attr);
int	ui_textf(int y, int x, int w, int attr, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Display width of s as ui_text would draw it (after sanitising). */
int	ui_width(const char *s);
/* 1 when the locale is UTF-8 and box/arrow glyphs may be used. */
int	ui_utf8(void);
/* Fills columns [x, x+w) of line y with spaces. */
void	ui_blank(int y, int x, int w, int attr);

/* A scrolled list of virtual lines: each vl_next() is one line, drawn on
 * the returned screen row, or skipped (-1) when scrolled out of view. */
struct vlines {
	int	top, h, scroll, n;
};
int	vl_next(struct vlines *v);
/* Clamps *scroll so that a list of n lines fills h rows. */
void	vl_clamp(int *scroll, int n, int h);

/* --- detail-hops.c: the detail view's per-hop TLS/SASL section --- */
void	detail_hops(struct ui *u, struct vlines *v, int host);

/* --- view-main.c --- */
/* Moves the main view's selection by delta rows in the focused pane. */
void	main_move(struct ui *u, int delta);

/* --- list.c: the list keys every view shares --- */
/* Rows a PgUp/PgDn moves in a list of h rows. */
int	list_page(int h);
/* A move to the end of any list. */
#define LIST_END	(1 << 20)
/* When ch is a list key (j k arrows, PgUp PgDn space, g G Home End), sets
 * *delta to its move (page rows for a page, +-LIST_END for the ends) and
 * returns 1; 0 otherwise. */
int	list_key(int ch, int page, int *delta);
/* pos moved by delta, kept within [0, n) (0 when n <= 0). */
long	list_move(long pos, long delta, long n);
/* Scrolls *scroll so that row sel (< 0: none) of a list of n rows shows in
 * h rows, and the list fills them. */
void	list_show(int *scroll, int sel, int n, int h);

/* The words themselves are the core's (words.h); colors.c gives a tone
 * its colour role. */
enum ui_role role_for_tone(enum word_tone t);
/* Role (colour) for a host's state. */
enum ui_role role_for_host(const struct host *h, time_t now);

/* --- view-hosts.c: the host table inside the main view --- */
#define HOSTS_COLS	11
const char *hosts_col_name(int col);
/* Hosts the console lists (the first ones of a larger inventory). */
#define UI_HOSTS_MAX	1024
/* Sorted order of at most max hosts into out for u->sort_col / sort_rev;
 * returns how many. */
int	hosts_order(const struct ui *u, int *out, int max);
void	hosts_draw(struct ui *u, int top, int h, int focused);
/* --- view-topology.c: the topology pane inside the main view --- */
/* Host shown on each topology row, in order; returns rows written. */
int	topology_rows(const struct ui *u, int *hosts, int max);
void	topology_draw(struct ui *u, int top, int h, int focused);
/* Rows the pane wants, title included. */
int	topology_height(const struct ui *u);

/* --- view-log.c: the recent pane of the main view --- */
/* The newest outcome lines of all hosts in rows [top, top + h). */
void	log_recent_draw(struct ui *u, int top, int h);
/* Opens the log view's filter prompt (/): the filter follows the text as
 * it is typed; Esc clears it. */
void	log_filter_prompt(struct ui *u);

/* --- view-queue.c: the queue view (key Q) --- */
/* Opens the view and lists every host's queue. */
void	queue_view_open(struct ui *u);
/* Each loop turn: follows the running queue operation. */
void	queue_view_tick(struct ui *u);
void	queue_view_free(struct ui *u);

/* --- view-help.c --- */
void	help_draw(struct ui *u);

#endif
