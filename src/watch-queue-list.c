/* watch-queue-list.c: a host's queue listed message by message
 * (postqueue -j streamed over its session, never held whole, each line
 * parsed as it comes), for the queue view and for the operations'
 * re-check (watch-queue.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action-int.h"
#include "sshc.h"
#include "watch-int.h"

#define WQ_LIST_MS	600000	/* a 100,000-message queue takes a while */
#define WQ_ERR_MAX	4096	/* stderr kept */

struct wq_list {
	struct watch *w;	/* NULL: cancelled or the watch is gone */
	struct wq_list *next;
	int	host;
	struct queue_lines lines;
	watch_queue_msg_fn on_msg;
	watch_queue_done_fn on_done;
	void	*arg;
	unsigned long bad;
};

static void
list_line(void *arg, const char *line, size_t len)
{
	struct wq_list *l = arg;
	struct queue_msg m;

	if (l->w == NULL || len == 0)
		return;
	if (queue_msg_parse(line, len, l->host, &m, NULL, 0) != 0) {
		l->bad++;
		return;
	}
	if (l->on_msg != NULL)
		l->on_msg(l->arg, &m);
	queue_msg_clear(&m);
}

static void
list_out(void *arg, const char *p, size_t n)
{
	struct wq_list *l = arg;

	if (queue_lines_feed(&l->lines, p, n, list_line, l) != 0)
		l->bad++;
}

static void
list_unlink(struct wq_list *l)
{
	struct wq_list **pp;

	if (l->w == NULL)
		return;
	for (pp = &l->w->qlists; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
}

static void
list_done(void *arg, const struct sshc_result *r)
{
	struct wq_list *l = arg;
	char msg[300];
	int ok = r->error == SSHE_NONE && r->exit_status == 0;

	queue_lines_end(&l->lines, list_line, l);
	l->bad += l->lines.toolong;
	list_unlink(l);
	if (l->w != NULL && l->on_done != NULL) {
		msg[0] = '\0';
		if (!ok)
			action_result_msg(r, msg, sizeof(msg));
		l->on_done(l->arg, l->host, ok, msg, l->bad);
	}
	free(l);
}

struct sshc *
watch_session_ready(struct watch *w, int host, char *err, size_t errlen)
{
	struct sshc *c;
	const char *why = "";

	if (host < 0 || (size_t)host >= w->inv->n) {
		snprintf(err, errlen, "no such host");
		return NULL;
	}
	c = fleet_session(w->f, host);
	if (c != NULL && sshc_state(c) == SSHC_READY)
		return c;
	if (c != NULL)
		sshc_last_error(c, &why);
	snprintf(err, errlen, "%s: not connected%s%s", w->inv->hosts[host].name,
	    why && *why ? ": " : "", why ? why : "");
	return NULL;
}

int
watch_queue_list(struct watch *w, int host, watch_queue_msg_fn on_msg,
    watch_queue_done_fn on_done, void *arg, char *err, size_t errlen)
{
	char cmd[1024];
	struct wq_list *l;
	struct sshc *c;

	if ((c = watch_session_ready(w, host, err, errlen)) == NULL)
		return -1;
	if (action_postfix_cmd(cmd, sizeof(cmd), &w->inv->hosts[host],
	    "postqueue", "-c") != 0 || strlen(cmd) + 4 >= sizeof(cmd)) {
		snprintf(err, errlen, "%s: bad postfix_config path",
		    w->inv->hosts[host].name);
		return -1;
	}
	strcat(cmd, " -j");
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->w = w;
	l->host = host;
	l->on_msg = on_msg;
	l->on_done = on_done;
	l->arg = arg;
	if (sshc_exec_stream(c, cmd, NULL, 0, WQ_ERR_MAX, WQ_LIST_MS,
	    list_out, list_done, l) != 0) {
		free(l);
		snprintf(err, errlen, "%s: session busy or lost",
		    w->inv->hosts[host].name);
		return -1;
	}
	l->next = w->qlists;
	w->qlists = l;
	return 0;
}

int
watch_queue_listing(const struct watch *w)
{
	const struct wq_list *l;
	int n = 0;

	for (l = w->qlists; l != NULL; l = l->next)
		n++;
	return n;
}

void
watch_queue_list_cancel(struct watch *w, void *arg)
{
	struct wq_list **pp = &w->qlists, *l;

	while ((l = *pp) != NULL) {
		if (l->arg == arg) {
			*pp = l->next;
			l->w = NULL;	/* its callback frees it */
		} else
			pp = &l->next;
	}
}

void
watch_queue_lists_drop(struct watch *w)
{
	struct wq_list *l;

	for (l = w->qlists; l != NULL; l = l->next)
		l->w = NULL;	/* their callbacks free them */
	w->qlists = NULL;
}
