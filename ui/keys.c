/* keys.c: what each key does. The open prompt and the help overlay see a
 * key first, then the current view, then the global keys; the act keys
 * (t T f F) ask src/actions for the act, after a prompt or confirmation. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

#define ESC	27

static int
act_timeout(const struct ui *u)
{
	return u->o->timeout_s > 0 ? u->o->timeout_s : 60;
}

static int
is_origin(const struct ui *u, int i)
{
	return host_effective_role(&u->m->hosts[i]) == ROLE_ORIGIN;
}

int
ui_refuse_read_only(struct ui *u)
{
	if (!actions_read_only(u->a))
		return 0;
	ui_message(u, 1, "%s", ACTIONS_READ_ONLY_MSG);
	return 1;
}

static void
run_test(struct ui *u, int host, const char *to, int *sent, char *ids,
    size_t idlen)
{
	char err[256];
	int id;

	id = action_test_send(u->a, host, to != NULL && to[0] ? to : NULL,
	    act_timeout(u), err, sizeof err);
	if (id < 0) {
		ui_message(u, 1, "test from %s: %s", host_name(u->m, host), err);
		return;
	}
	(*sent)++;
	snprintf(ids + strlen(ids), idlen - strlen(ids), "%s#%d",
	    ids[0] ? "," : "", id);
}

/* Sends from one origin (host) or every origin (host < 0) to text (NULL
 * or "": the configured recipient). */
static void
act_test_run(struct ui *u, int host, const char *text)
{
	char ids[128] = "";
	size_t i;
	int sent = 0, tried = 0;

	for (i = 0; i < u->m->n; i++) {
		if (host >= 0 ? (int)i != host : !is_origin(u, i))
			continue;
		tried++;
		run_test(u, (int)i, text, &sent, ids, sizeof ids);
	}
	if (sent > 0) {
		ui_message(u, 0, "test mail %s sent from %d origin%s; "
		    "following it (v: trace view)", ids, sent,
		    sent == 1 ? "" : "s");
		u->trace.sel = 0;
		ui_set_view(u, VIEW_TRACE);
	} else if (tried == 0)
		ui_message(u, 1, "no origin host known yet");
	u->dirty = 1;
}

/* Flushes one host's queue (host), or every host's (host < 0). */
static void
act_flush_run(struct ui *u, int host, const char *text)
{
	char err[256];
	size_t i;
	int sent = 0, bad = 0;

	if (host >= 0) {
		if (action_flush(u->a, host, err, sizeof err) != 0)
			ui_message(u, 1, "flush %s: %s", host_name(u->m, host),
			    err);
		else
			ui_message(u, 0, "flush %s: started",
			    host_name(u->m, host));
		u->dirty = 1;
		return;
	}
	for (i = 0; i < u->m->n; i++) {
		if (action_flush(u->a, (int)i, err, sizeof err) != 0) {
			ui_message(u, 1, "flush %s: %s",
			    host_name(u->m, (int)i), err);
			bad++;
		} else
			sent++;
	}
	if (bad == 0)
		ui_message(u, 0, "flush started on %d hosts", sent);
	u->dirty = 1;
}

/* Starts a test: asks for a recipient when none is configured. */
static void
act_test_go(struct ui *u, int all)
{
	char label[128];
	size_t i;
	int need = 0, any = 0;

	for (i = 0; i < u->m->n; i++) {
		if (all ? !is_origin(u, i) : (int)i != u->sel_host)
			continue;
		any = 1;
		if (u->inv->hosts[i].test_to[0] == '\0')
			need = 1;
	}
	if (!any) {
		ui_message(u, 1, all ? "no origin host known yet" :
		    "no host selected");
		return;
	}
	if (need) {
		if (all)
			snprintf(label, sizeof label, "test mail from every "
			    "origin to: ");
		else
			snprintf(label, sizeof label, "test mail from %s to: ",
			    host_name(u->m, u->sel_host));
		prompt_open_text(u, label, "", all ? -1 : u->sel_host,
		    act_test_run, NULL, NULL);
		return;
	}
	act_test_run(u, all ? -1 : u->sel_host, NULL);
}

/* T confirmed (y). */
static void
act_test_all_yes(struct ui *u, int host, const char *text)
{
	(void)host;
	(void)text;
	act_test_go(u, 1);
}

/* t goes ahead; T first says how many origins it sends from and asks. */
static void
act_test(struct ui *u, int all)
{
	char label[128];
	size_t i;
	int n = 0;

	if (!all) {
		act_test_go(u, 0);
		return;
	}
	for (i = 0; i < u->m->n; i++)
		n += is_origin(u, i);
	if (n == 0) {
		ui_message(u, 1, "no origin host known yet");
		return;
	}
	snprintf(label, sizeof label, "send a test mail from each of the %d "
	    "origin%s?", n, n == 1 ? "" : "s");
	prompt_open_confirm(u, label, -1, act_test_all_yes);
}

int
ui_act_key(struct ui *u, int ch)
{
	char label[128];

	switch (ch) {
	case 't':
	case 'T':
		if (!ui_refuse_read_only(u))
			act_test(u, ch == 'T');
		return 1;
	case 'f':
		if (ui_refuse_read_only(u))
			return 1;
		if (u->sel_host < 0 || (size_t)u->sel_host >= u->m->n) {
			ui_message(u, 1, "no host selected");
			return 1;
		}
		snprintf(label, sizeof label, "flush the queue on %s "
		    "(postqueue -f)?", host_name(u->m, u->sel_host));
		prompt_open_confirm(u, label, u->sel_host, act_flush_run);
		return 1;
	case 'F':
		if (ui_refuse_read_only(u))
			return 1;
		snprintf(label, sizeof label, "flush the queues on all %zu "
		    "hosts (postqueue -f)?", u->m->n);
		prompt_open_confirm(u, label, -1, act_flush_run);
		return 1;
	case 'r':
		watch_refresh_now(u->w, -1);
		ui_message(u, 0, "refreshing every host");
		return 1;
	default:
		return 0;
	}
}

static void
mouse_key(struct ui *u)
{
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK)
		return;
	if (u->help) {
		u->help = 0;
		return;
	}
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (i = 0; i < 3; i++)
			ui_view(u)->key(u, (ev.bstate & BUTTON4_PRESSED) ?
			    KEY_UP : KEY_DOWN);
		return;
	}
	if (ui_view(u)->click != NULL && ev.y > 0 && ev.y < LINES - 1)
		ui_view(u)->click(u, ev.y);
}

void
ui_key(struct ui *u, int ch)
{
	u->dirty = 1;
	if (ch == KEY_RESIZE)
		return;
	if (u->prompt.kind != PROMPT_NONE) {
		prompt_key(u, ch);
		return;
	}
	if (ch == KEY_MOUSE) {
		mouse_key(u);
		return;
	}
	if (u->help) {
		/* any key closes the overlay; q still quits */
		u->help = 0;
		if (ch == 'q')
			u->quit = 1;
		return;
	}
	if (ui_view(u)->key(u, ch))
		return;
	switch (ch) {
	case 'q':
		u->quit = 1;
		break;
	case '?':
	case KEY_F(1):
		u->help = 1;
		break;
	case ESC:
	case KEY_LEFT:
	case 'h':
		ui_set_view(u, u->view == VIEW_DETAIL ? u->back : VIEW_MAIN);
		break;
	case '1':
		ui_set_view(u, VIEW_MAIN);
		break;
	case 'l':
	case '2':
		ui_set_view(u, VIEW_LOG);
		break;
	case 'c':
	case '3':
		if (u->view != VIEW_CHECKS) {
			ui_set_view(u, VIEW_CHECKS);
			ui_ports_start(u);	/* the doctor's port-25 test */
		}
		break;
	case 'v':
	case '4':
		ui_set_view(u, VIEW_TRACE);
		break;
	case '/':
		ui_set_view(u, VIEW_LOG);
		log_filter_prompt(u);
		break;
	case 'Q':
	case '5':
		queue_view_open(u);
		break;
	default:
		if (!ui_act_key(u, ch))
			ui_message(u, 0, "key not bound here; ? lists the keys");
		break;
	}
}
