/* view-queue-shape.c: the queue view's qshape sub-view (Tab): deferred
 * messages by recipient domain and age bucket, merged and per host, then
 * the top deferral reasons (normalised) with their counts per host. Built
 * from the listed messages (src/queue-shape.c) when they change. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "ui-queue.h"

#define DOMW	18	/* domain column */
#define NUMW	5	/* each count */

static void
shape_build(struct ui *u, struct queue_view *q)
{
	if (q->shape_ok && !q->shape_stale)
		return;
	if (q->shape_ok)
		qshape_free(&q->shape);
	q->shape_ok = qshape_init(&q->shape, (int)q->nlists) == 0 &&
	    qshape_add_lists(&q->shape, q->lp, q->nlists, q->all_hosts ? -1 :
	    u->sel_host, time(NULL)) == 0;
	if (!q->shape_ok)
		ui_message(u, 1, "queue shape: out of memory");
	q->shape_stale = 0;
}

static void
head_line(struct ui *u, int y)
{
	char buf[160];
	int i, n;

	n = snprintf(buf, sizeof buf, " %-*s %*s", DOMW - 1, "DOMAIN", NUMW,
	    "T");
	for (i = 0; i < QSHAPE_BUCKETS; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " %*s", NUMW,
		    qshape_bucket_name(i));
	ui_blank(y, 0, COLS, ui_attr(u, R_HEADER));
	ui_text(y, 0, COLS, buf, ui_attr(u, R_HEADER));
}

static void
row_line(struct ui *u, int y, const char *name, const struct qshape_row *r,
    int attr)
{
	char buf[160];
	int i, n;

	n = snprintf(buf, sizeof buf, " %*u", NUMW, r->total);
	for (i = 0; i < QSHAPE_BUCKETS; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " %*u", NUMW,
		    r->b[i]);
	ui_text_pad(y, 1, DOMW - 1, name, attr);
	ui_text(y, DOMW, COLS - DOMW, buf, attr);
}

/* One table: its TOTAL row and its domains. */
static void
table_lines(struct ui *u, struct vlines *v, const struct qshape_table *t)
{
	size_t i;
	int y;

	if ((y = vl_next(v)) >= 0)
		row_line(u, y, "TOTAL", &t->all,
		    (int)(ui_attr(u, R_NORMAL) | A_BOLD));
	for (i = 0; i < t->n; i++)
		if ((y = vl_next(v)) >= 0)
			row_line(u, y, t->rows[i].domain[0] ?
			    t->rows[i].domain : "(no domain)", &t->rows[i],
			    ui_attr(u, R_NORMAL));
}

static void
reason_lines(struct ui *u, struct vlines *v, const struct qshape *s)
{
	char per[512];
	size_t i, k;
	int y, n;

	if ((y = vl_next(v)) >= 0)
		ui_text(y, 0, COLS, "Top deferral reasons (recipients; "
		    "numbers, ids, addresses as #)", ui_attr(u, R_TITLE));
	if (s->nreasons == 0 && (y = vl_next(v)) >= 0)
		ui_text(y, 2, COLS - 2, "(none)", ui_attr(u, R_DIM));
	for (i = 0; i < s->nreasons; i++) {
		if ((y = vl_next(v)) >= 0)
			ui_textf(y, 1, COLS - 1, ui_attr(u, R_WARN), "%*u  %s",
			    NUMW, s->reasons[i].total, s->reasons[i].text);
		per[0] = '\0';
		n = 0;
		for (k = 0; k < (size_t)s->nhosts && n < (int)sizeof per;
		    k++)
			if (s->reasons[i].host[k] > 0)
				n += snprintf(per + n, sizeof per - (size_t)n,
				    "%s%s %u", n ? ", " : "",
				    host_name(u->m, (int)k),
				    s->reasons[i].host[k]);
		if ((y = vl_next(v)) >= 0)
			ui_textf(y, NUMW + 3, COLS - NUMW - 3, ui_attr(u, R_DIM),
			    "on %s", per);
	}
}

/* Every line of the sub-view, drawn where it falls in v. */
static void
shape_lines(struct ui *u, struct queue_view *q, struct vlines *v)
{
	const struct qshape *s = &q->shape;
	int y, i, hosts = 0;

	for (i = 0; i < s->nhosts; i++)
		hosts += s->host[i].all.total > 0;
	if ((y = vl_next(v)) >= 0)
		ui_textf(y, 0, COLS, ui_attr(u, R_TITLE), "Deferred by "
		    "recipient domain and age in minutes, %s",
		    q->all_hosts ? "all hosts" : host_name(u->m, u->sel_host));
	table_lines(u, v, &s->merged);
	for (i = 0; q->all_hosts && hosts > 1 && i < s->nhosts; i++) {
		if (s->host[i].all.total == 0)
			continue;
		if ((y = vl_next(v)) >= 0)
			ui_text(y, 0, COLS, host_name(u->m, i),
			    ui_attr(u, R_TITLE));
		table_lines(u, v, &s->host[i]);
	}
	vl_next(v);
	reason_lines(u, v, s);
}

void
queue_shape_draw(struct ui *u, struct queue_view *q, int top, int h)
{
	struct vlines v;

	if (h < 2)
		return;
	shape_build(u, q);
	head_line(u, top);
	if (!q->shape_ok)
		return;
	/* count the lines first (nothing drawn: all scrolled out), then
	 * draw the window */
	memset(&v, 0, sizeof v);
	v.top = top + 1;
	v.h = 0;
	v.scroll = 1 << 30;
	shape_lines(u, q, &v);
	vl_clamp(&q->shape_scroll, v.n, h - 1);
	memset(&v, 0, sizeof v);
	v.top = top + 1;
	v.h = h - 1;
	v.scroll = q->shape_scroll;
	shape_lines(u, q, &v);
}

int
queue_shape_key(struct ui *u, struct queue_view *q, int ch)
{
	int delta;

	if (list_key(ch, list_page(LINES - 4), &delta)) {
		q->shape_scroll = (int)list_move(q->shape_scroll, delta,
		    1 << 30);
		return 1;
	}
	return 0;
}
