/* view-queue-draw.c: the queue view's title, its message list (only the
 * rows on screen are formatted: cheap at 100,000 messages) and the pane
 * under it with the selected message's envelope: every recipient with its
 * own delay reason. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "ui-queue.h"

/* "323", "12K", "3.4M" */
static const char *
size_text(unsigned long long n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%llu", n);
	else if (n < 10000ULL * 1024)
		snprintf(buf, len, "%lluK", (n + 512) / 1024);
	else
		snprintf(buf, len, "%.1fM", (double)n / (1024.0 * 1024.0));
	return buf;
}

void
queue_title_draw(struct ui *u, struct queue_view *q, int y)
{
	size_t i, total = 0, ntag;
	int x, failed = 0, nh = 0, th = 0;

	for (i = 0; i < q->nlists; i++) {
		if (!q->all_hosts && (int)i != u->sel_host)
			continue;
		total += q->lists[i].n;
		failed += q->hstate[i] == QVH_FAILED;
		nh++;
	}
	ntag = qidx_ntagged(&q->idx, &th);
	x = ui_text(y, 0, COLS, q->mode == QV_SHAPE ? "Queue shape" :
	    q->mode == QV_CAT ? "Message" : "Queue", ui_attr(u, R_TITLE));
	if (q->mode == QV_CAT)
		return;
	if (q->mode == QV_LIST && q->filter[0] != '\0')
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_DIM), " %zu of",
		    q->idx.n);
	x += ui_textf(y, x, COLS - x, ui_attr(u, R_DIM), " %zu on %s", total,
	    q->all_hosts ? "all hosts" : host_name(u->m, u->sel_host));
	if (q->mode == QV_LIST)
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_DIM), ", by %s%s",
		    queue_sort_name(q->idx.sort), q->idx.rev ? " rev" : "");
	if (ntag > 0)
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_ACCENT),
		    "  %zu tagged on %d host%s", ntag, th, th == 1 ? "" : "s");
	if (q->listing > 0)
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_WARN),
		    "  listing %d...", q->listing);
	if (failed > 0)
		x += ui_textf(y, x, COLS - x, ui_attr(u, R_BAD),
		    "  %d of %d not listed", failed, nh);
	if (q->mode == QV_LIST && q->filter[0] != '\0')
		ui_textf(y, x, COLS - x, ui_attr(u, R_ACCENT), "  /%s",
		    q->filter);
}

/* Why the list is empty, and each host that could not be listed. */
static void
empty_draw(struct ui *u, struct queue_view *q, int top, int h)
{
	size_t i;
	int y = top;

	ui_text(y++, 2, COLS - 2, q->listing > 0 ? "(listing...)" :
	    q->filter[0] ? "(no message matches; Esc clears the filter)" :
	    "(no message queued)", ui_attr(u, R_DIM));
	for (i = 0; i < q->nlists && y < top + h; i++)
		if (q->herr[i] != NULL && (q->all_hosts ||
		    (int)i == u->sel_host))
			ui_textf(y++, 2, COLS - 2, ui_attr(u, R_BAD), "%s: %s",
			    host_name(u->m, (int)i), q->herr[i]);
}

struct cols {
	int	host, queue, id, arr, age, size, from;
};

static void
cols_for(struct cols *c, int width)
{
	c->host = 9;
	c->queue = 8;
	c->id = 12;
	c->arr = 0;
	c->age = 5;
	c->size = 6;
	c->from = 14;
	if (width >= 110) {
		c->host = 12;
		c->id = 16;
		c->arr = 12;
		c->from = 24;
	}
}

static void
row_draw(struct ui *u, struct queue_view *q, long i, int y,
    const struct cols *c)
{
	const struct queue_msg *m;
	char age[16], sz[16], clk[32], rc[QMSG_ADDR_MAX + 600];
	time_t now = time(NULL);
	int host, x = 0, attr, sel = i == q->sel;
	enum ui_role role;

	if ((m = qidx_msg(&q->idx, (size_t)i, &host)) == NULL)
		return;
	role = m->queue == Q_HOLD ? R_ACCENT : m->queue == Q_DEFERRED ?
	    R_WARN : R_NORMAL;
	attr = sel ? ui_attr(u, R_SELECTED) : ui_attr(u, role);
	if (sel)
		ui_blank(y, 0, COLS, attr);
	x += ui_text_pad(y, x, 2, qidx_tagged(&q->idx, (size_t)i) ? "* " :
	    "  ", sel ? attr : (int)(ui_attr(u, R_ACCENT) | A_BOLD));
	x += ui_text_pad(y, x, c->host, host_name(u->m, host), attr) + 1;
	x += ui_text_pad(y, x, c->queue, queue_name_str(m->queue), attr) + 1;
	x += ui_text_pad(y, x, c->id, m->id, attr) + 1;
	if (c->arr > 0)
		x += ui_text_pad(y, x, c->arr, clock_text(m->arrival, now, clk,
		    sizeof clk), attr) + 1;
	x += ui_textf(y, x, c->age, attr, "%*s", c->age, m->arrival > 0 ?
	    age_text(now - m->arrival, age, sizeof age) : "?") + 1;
	x += ui_textf(y, x, c->size, attr, "%*s", c->size,
	    size_text(m->size, sz, sizeof sz)) + 1;
	x += ui_text_pad(y, x, c->from, m->sender[0] ? m->sender : "<>",
	    attr) + 1;
	if (x >= COLS)
		return;
	snprintf(rc, sizeof rc, "%s%s", m->nrcpt > 0 ? m->rcpt[0].addr : "",
	    m->nrcpt_all > 1 ? " +" : "");
	if (m->nrcpt_all > 1)
		snprintf(rc + strlen(rc), sizeof rc - strlen(rc), "%u",
		    m->nrcpt_all - 1);
	if (COLS >= 110 && m->nrcpt > 0 && m->rcpt[0].reason[0] != '\0')
		snprintf(rc + strlen(rc), sizeof rc - strlen(rc), " (%s)",
		    m->rcpt[0].reason);
	ui_text(y, x, COLS - x, rc, attr);
}

/* The selected message: its envelope and every recipient's reason. */
static void
pane_draw(struct ui *u, const struct queue_msg *m, int host, int top, int h)
{
	char clk[32], age[16];
	time_t now = time(NULL);
	unsigned i;
	int y = top;

	ui_blank(y, 0, COLS, ui_attr(u, R_HEADER));
	ui_textf(y++, 0, COLS, ui_attr(u, R_HEADER), " %s on %s, %s, arrived "
	    "%s (%s ago), %llu bytes, from %s", m->id, host_name(u->m, host),
	    queue_name_str(m->queue), clock_text(m->arrival, now, clk,
	    sizeof clk), age_text(now - m->arrival, age, sizeof age),
	    m->size, m->sender[0] ? m->sender : "<>");
	for (i = 0; i < m->nrcpt && y < top + h; i++) {
		if (y == top + h - 1 && i + 1 < m->nrcpt_all) {
			ui_textf(y++, 2, COLS - 2, ui_attr(u, R_DIM),
			    "... %u more recipients", m->nrcpt_all - i);
			break;
		}
		ui_textf(y++, 1, COLS - 1, ui_attr(u, R_NORMAL), "to %s%s%s",
		    m->rcpt[i].addr, m->rcpt[i].reason[0] ? ": " : "",
		    m->rcpt[i].reason);
	}
	if (y < top + h && m->nrcpt < m->nrcpt_all && i == m->nrcpt)
		ui_textf(y, 2, COLS - 2, ui_attr(u, R_DIM), "... %u more "
		    "recipients not kept", m->nrcpt_all - m->nrcpt);
}

void
queue_list_draw(struct ui *u, struct queue_view *q, int top, int h)
{
	const struct queue_msg *m;
	struct cols c;
	long i;
	int y, ph = 0, host = -1;

	if (h < 2)
		return;
	cols_for(&c, COLS);
	m = queue_view_selected(u, &host);
	if (m != NULL && h >= 10) {
		ph = 2 + (int)(m->nrcpt < 4 ? m->nrcpt : 4);
		if (ph > h / 3)
			ph = h / 3;
	}
	ui_blank(top, 0, COLS, ui_attr(u, R_HEADER));
	ui_textf(top, 0, COLS, ui_attr(u, R_HEADER), "  %-*s %-*s %-*s %s%*s "
	    "%*s %-*s %s", c.host, "HOST", c.queue, "QUEUE", c.id, "ID",
	    c.arr > 0 ? "ARRIVAL      " : "", c.age, "AGE", c.size, "SIZE",
	    c.from, "SENDER", "RECIPIENTS");
	top++;
	h -= 1 + ph;
	q->list_rows = h;
	if (q->idx.n == 0) {
		empty_draw(u, q, top, h);
		return;
	}
	if (q->sel < q->scroll)
		q->scroll = q->sel;
	if (q->sel >= q->scroll + h)
		q->scroll = q->sel - h + 1;
	if (q->scroll > (long)q->idx.n - h)
		q->scroll = (long)q->idx.n - h > 0 ? (long)q->idx.n - h : 0;
	for (i = q->scroll, y = top; i < (long)q->idx.n && y < top + h;
	    i++, y++) {
		row_draw(u, q, i, y, &c);
		if (y < u->rowmap_n)
			u->rowmap[y] = (int)i;
	}
	if (ph > 0)
		pane_draw(u, m, host, top + h, ph);
}
