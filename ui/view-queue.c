/* view-queue.c: the queue view (key Q): every host's queued messages,
 * listed through the watch (postqueue -j streamed), kept one list per
 * host, shown through an index that sorts and filters only when asked
 * (scrolling touches neither). Tab shows the qshape table; the tags and
 * operations live in view-queue-ops.c, the drawing in view-queue-draw.c. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ui.h"
#include "ui-queue.h"

#define ESC	27

static const char *const sort_names[QIDX_SORTS] = { "age", "size", "host" };

struct queue_view *
queue_view_get(struct ui *u)
{
	struct queue_view *q = u->queue;
	size_t i, n = u->m->n;

	if (q != NULL)
		return q;
	if ((q = calloc(1, sizeof *q)) == NULL)
		return NULL;
	q->lists = calloc(n + 1, sizeof *q->lists);
	q->lp = calloc(n + 1, sizeof *q->lp);
	q->hstate = calloc(n + 1, 1);
	q->herr = calloc(n + 1, sizeof *q->herr);
	if (q->lists == NULL || q->lp == NULL || q->hstate == NULL ||
	    q->herr == NULL) {
		free(q->lists);
		free(q->lp);
		free(q->hstate);
		free(q->herr);
		free(q);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		queue_list_init(&q->lists[i], 0);
		q->lp[i] = &q->lists[i];
	}
	q->nlists = n;
	q->all_hosts = 1;
	qidx_init(&q->idx);
	qidx_set_lists(&q->idx, q->lp, n, 0);
	u->queue = q;
	return q;
}

void
queue_view_free(struct ui *u)
{
	struct queue_view *q = u->queue;
	size_t i;

	if (q == NULL)
		return;
	if (u->w != NULL)
		watch_queue_list_cancel(u->w, u);
	for (i = 0; i < q->nlists; i++) {
		queue_list_clear(&q->lists[i]);
		free(q->herr[i]);
	}
	free(q->lists);
	free(q->lp);
	free(q->hstate);
	free(q->herr);
	qidx_free(&q->idx);
	queue_match_free(q->qm);
	if (q->shape_ok)
		qshape_free(&q->shape);
	free(q->cat);
	free(q);
	u->queue = NULL;
}

/* --- the listing's callbacks (from watch_run) ------------------------------ */

static void
on_msg(void *arg, const struct queue_msg *m)
{
	struct ui *u = arg;
	struct queue_view *q = u->queue;
	struct queue_msg c;

	if (q == NULL || m->host < 0 || (size_t)m->host >= q->nlists ||
	    queue_msg_copy(&c, m) != 0)
		return;
	queue_list_take(&q->lists[m->host], &c);
	q->changed = 1;
	u->dirty = 1;
}

static void
on_done(void *arg, int host, int ok, const char *msg, unsigned long bad)
{
	struct ui *u = arg;
	struct queue_view *q = u->queue;
	char why[300];

	if (q == NULL || host < 0 || (size_t)host >= q->nlists)
		return;
	q->listing--;
	q->hstate[host] = ok ? QVH_DONE : QVH_FAILED;
	free(q->herr[host]);
	q->herr[host] = NULL;
	if (!ok || bad > 0) {
		snprintf(why, sizeof why, "%s%s%lu line%s not understood",
		    ok ? "" : (msg != NULL ? msg : "failed"), ok ? "" : "; ",
		    bad, bad == 1 ? "" : "s");
		q->herr[host] = strdup(why);
	}
	if (q->lists[host].dropped > 0)
		ui_message(u, 1, "%s: %zu messages past the first %zu not kept",
		    host_name(u->m, host), q->lists[host].dropped,
		    q->lists[host].cap);
	q->changed = 1;
	u->dirty = 1;
}

void
queue_view_relist(struct ui *u)
{
	struct queue_view *q = queue_view_get(u);
	char err[256];
	size_t i;
	int started = 0, failed = 0;

	if (q == NULL) {
		ui_message(u, 1, "queue view: out of memory");
		return;
	}
	for (i = 0; i < q->nlists; i++) {
		if (!q->all_hosts && (int)i != u->sel_host)
			continue;
		if (q->hstate[i] == QVH_LISTING)
			continue;
		queue_list_clear(&q->lists[i]);
		free(q->herr[i]);
		q->herr[i] = NULL;
		if (watch_queue_list(u->w, (int)i, on_msg, on_done, u, err,
		    sizeof err) != 0) {
			q->hstate[i] = QVH_FAILED;
			q->herr[i] = strdup(err);
			failed++;
			continue;
		}
		q->hstate[i] = QVH_LISTING;
		q->listing++;
		started++;
	}
	q->changed = 1;
	q->shape_stale = 1;
	ui_message(u, failed > 0, "listing the queue of %d host%s%s", started,
	    started == 1 ? "" : "s", failed > 0 ? "; some hosts are not "
	    "connected (see the title)" : "");
}

void
queue_view_open(struct ui *u)
{
	ui_set_view(u, VIEW_QUEUE);
	queue_view_relist(u);
}

void
queue_view_sync(struct ui *u, struct queue_view *q)
{
	int64_t now = clock_ms();

	qidx_set_scope(&q->idx, q->all_hosts ? -1 : u->sel_host);
	/* while a listing arrives, sorting what came so far takes at most
	 * a quarter of the time */
	if (q->changed && (q->listing == 0 || now - q->built_ms >=
	    QV_REBUILD_MS + 3 * q->build_cost_ms)) {
		qidx_set_lists(&q->idx, q->lp, q->nlists, q->listing == 0);
		q->changed = 0;
		q->shape_stale = 1;
		q->built_ms = now;
	}
	if (qidx_update(&q->idx) != 0)
		ui_message(u, 1, "queue view: out of memory");
	if (q->built_ms == now)
		q->build_cost_ms = clock_ms() - now;
	if (q->sel >= (long)q->idx.n)
		q->sel = q->idx.n > 0 ? (long)q->idx.n - 1 : 0;
}

const struct queue_msg *
queue_view_selected(struct ui *u, int *host)
{
	struct queue_view *q = u->queue;

	if (q == NULL || q->sel < 0)
		return NULL;
	return qidx_msg(&q->idx, (size_t)q->sel, host);
}

/* --- the filter (/): narrowed as the text is typed ------------------------- */

static void
filter_live(struct ui *u, int host, const char *text)
{
	struct queue_view *q = u->queue;
	struct queue_match *qm;
	char err[200];

	if (q == NULL)
		return;
	qm = queue_match_new(text != NULL ? text : "", err, sizeof err);
	if (qm == NULL) {
		/* half-typed /re/: keep the last good filter */
		ui_message(u, 1, "filter: %s", err);
		return;
	}
	queue_match_free(q->qm);
	q->qm = qm;
	snprintf(q->filter, sizeof q->filter, "%s", text != NULL ? text : "");
	qidx_set_filter(&q->idx, q->filter[0] ? q->qm : NULL);
	q->sel = q->scroll = 0;
	u->dirty = 1;
}

static void
filter_cancel(struct ui *u, int host, const char *text)
{
	filter_live(u, host, "");
	ui_message(u, 0, "filter cleared");
}

/* --- the view ---------------------------------------------------------------- */

static void
queue_draw(struct ui *u, int top, int h)
{
	struct queue_view *q = queue_view_get(u);

	if (q == NULL) {
		ui_text(top, 0, COLS, "queue view: out of memory",
		    ui_attr(u, R_BAD));
		return;
	}
	queue_view_sync(u, q);
	queue_title_draw(u, q, top);
	if (q->mode == QV_SHAPE)
		queue_shape_draw(u, q, top + 1, h - 1);
	else if (q->mode == QV_CAT)
		queue_cat_draw(u, q, top + 1, h - 1);
	else
		queue_list_draw(u, q, top + 1, h - 1);
}

static int
queue_key(struct ui *u, int ch)
{
	struct queue_view *q = queue_view_get(u);
	int delta;

	if (q == NULL)
		return 0;
	if (q->mode == QV_CAT)
		return queue_cat_key(u, q, ch);
	if (ch == '\t') {
		q->mode = q->mode == QV_SHAPE ? QV_LIST : QV_SHAPE;
		return 1;
	}
	if (ch == 'a') {
		q->all_hosts = !q->all_hosts;
		if (!q->all_hosts && (u->sel_host < 0 ||
		    (size_t)u->sel_host >= u->m->n))
			q->all_hosts = 1;
		q->sel = q->scroll = 0;
		q->shape_stale = 1;
		ui_message(u, 0, "queue view: %s", q->all_hosts ? "all hosts" :
		    host_name(u->m, u->sel_host));
		return 1;
	}
	if (ch == 'r') {
		queue_view_relist(u);
		return 1;
	}
	if (q->mode == QV_SHAPE)
		return queue_shape_key(u, q, ch);
	if (list_key(ch, list_page(q->list_rows), &delta)) {
		q->sel = list_move(q->sel, delta, (long)q->idx.n);
		return 1;
	}
	switch (ch) {
	case 's':
	case 'S':
		qidx_set_sort(&q->idx, ch == 's' ? (enum qidx_sort)
		    ((q->idx.sort + 1) % QIDX_SORTS) : q->idx.sort,
		    ch == 'S' ? !q->idx.rev : q->idx.rev);
		ui_message(u, 0, "sorted by %s%s", sort_names[q->idx.sort],
		    q->idx.rev ? ", reversed" : "");
		return 1;
	case '/':
		prompt_open_text(u, "filter queue: ", q->filter, -1,
		    filter_live, filter_live, filter_cancel);
		return 1;
	case ESC:
		if (q->filter[0] != '\0') {
			filter_cancel(u, -1, NULL);
			return 1;
		}
		return 0;
	default:
		return queue_ops_key(u, q, ch);
	}
}

static void
queue_click(struct ui *u, int y)
{
	struct queue_view *q = u->queue;

	if (q != NULL && q->mode == QV_LIST && y < u->rowmap_n &&
	    u->rowmap[y] >= 0)
		q->sel = u->rowmap[y];
}

const struct view view_queue = {
	.name = "queue",
	.draw = queue_draw,
	.key = queue_key,
	.click = queue_click,
};

const char *
queue_sort_name(int s)
{
	return s >= 0 && s < QIDX_SORTS ? sort_names[s] : "?";
}
