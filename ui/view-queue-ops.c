/* view-queue-ops.c: the queue view's acts: tags (one, all the filter
 * shows), hold / release / requeue / delete of the tagged messages (or the
 * selected one) through the watch's queue jobs after a confirmation that
 * says how many messages on how many hosts (delete: the word typed, as
 * k9s asks), deliver-now of one message, and a message's envelope and
 * headers (postcat -ehq) sanitised line by line into a pager. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "ui.h"
#include "ui-queue.h"
#include "watch-postcat.h"

#define ESC	27

/* The targets asked for between the question and the answer. */
static struct qkey *pend;
static size_t npend;
static enum queue_op pend_op;

static const char *const op_flag[QOP_MAX] = { "postsuper -h",
	"postsuper -H", "postsuper -r", "postsuper -d", "postqueue -i" };

/* The tagged messages (unless one), else the selected one, into pend;
 * hosts in *nh. */
static size_t
targets(struct ui *u, struct queue_view *q, int one, int *nh)
{
	const struct queue_msg *m;
	size_t n, i;
	int host;

	free(pend);
	pend = NULL;
	npend = 0;
	*nh = 0;
	n = one ? 0 : qidx_ntagged(&q->idx, NULL);
	if (n > 0) {
		if ((pend = calloc(n, sizeof *pend)) == NULL)
			return 0;
		npend = qidx_tagged_keys(&q->idx, pend, n);
		for (i = 0; i < npend; i++)
			*nh += i == 0 || pend[i].host != pend[i - 1].host;
		return npend;
	}
	if ((m = queue_view_selected(u, &host)) == NULL ||
	    (pend = calloc(1, sizeof *pend)) == NULL)
		return 0;
	pend->host = host;
	pend->arrival = m->arrival;
	memcpy(pend->id, m->id, sizeof pend->id);
	*nh = 1;
	return npend = 1;
}

/* Starts one job per host over pend. */
static void
op_run(struct ui *u, int unused, const char *text)
{
	struct queue_view *q = u->queue;
	struct queue_ref *refs;
	struct watch_queue_job *j;
	char err[300];
	size_t i, k, n;
	int started = 0;

	if (q == NULL || npend == 0 || ui_refuse_read_only(u))
		return;
	if (pend_op == QOP_DELETE && (text == NULL ||
	    strcmp(text, "delete") != 0)) {
		ui_message(u, 1, "nothing deleted: the word delete was not "
		    "typed");
		return;
	}
	if ((refs = calloc(npend, sizeof *refs)) == NULL)
		return;
	for (i = 0; i < npend; i = k) {
		for (k = i, n = 0; k < npend && pend[k].host == pend[i].host;
		    k++, n++) {
			refs[n].host = pend[k].host;
			refs[n].arrival = pend[k].arrival;
			memcpy(refs[n].id, pend[k].id, sizeof refs[n].id);
		}
		if (q->njobs >= QV_JOBS_MAX)
			break;
		j = watch_queue_job_start(u->w, pend[i].host, pend_op, refs, n,
		    0, 0, err, sizeof err);
		if (j == NULL) {
			ui_message(u, 1, "%s %s: %s", queue_op_name(pend_op),
			    host_name(u->m, pend[i].host), err);
			continue;
		}
		q->jobs[q->njobs++] = j;
		started++;
	}
	free(refs);
	q->op = pend_op;
	if (started > 0)
		ui_message(u, 0, "%s: started on %d host%s",
		    queue_op_name(pend_op), started, started == 1 ? "" : "s");
}

static void
op_ask(struct ui *u, struct queue_view *q, enum queue_op op)
{
	char label[160];
	size_t n;
	int nh;

	if (ui_refuse_read_only(u))
		return;
	if (q->njobs > 0) {
		ui_message(u, 1, "a queue operation is still running");
		return;
	}
	if ((n = targets(u, q, op == QOP_DELIVER, &nh)) == 0) {
		ui_message(u, 1, "no message selected or tagged");
		return;
	}
	pend_op = op;
	if (op == QOP_DELETE) {
		snprintf(label, sizeof label, "delete %zu message%s on %d "
		    "host%s (%s)? type delete: ", n, n == 1 ? "" : "s", nh,
		    nh == 1 ? "" : "s", op_flag[op]);
		prompt_open_text(u, label, "", -1, op_run, NULL, NULL);
		return;
	}
	if (op == QOP_DELIVER)
		snprintf(label, sizeof label, "deliver %s on %s now (%s)?",
		    pend[0].id, host_name(u->m, pend[0].host), op_flag[op]);
	else
		snprintf(label, sizeof label, "%s %zu message%s on %d host%s "
		    "(%s)?", queue_op_name(op), n, n == 1 ? "" : "s", nh,
		    nh == 1 ? "" : "s", op_flag[op]);
	prompt_open_confirm(u, label, -1, op_run);
}

/* Called each loop turn: the status line follows the jobs; when all are
 * over, one summary, the tags go and the queues are listed again. */
void
queue_view_tick(struct ui *u)
{
	struct queue_view *q = u->queue;
	size_t c[QR_NOT_RUN + 1], sum[QR_NOT_RUN + 1], acted, i;
	char last[512];
	int k, running = -1;

	if (q == NULL || q->njobs == 0)
		return;
	memset(sum, 0, sizeof sum);
	for (k = 0; k < q->njobs; k++) {
		if (!watch_queue_job_done(q->jobs[k]) && running < 0)
			running = k;
		watch_queue_job_counts(q->jobs[k], c, &acted);
		for (i = 0; i <= QR_NOT_RUN; i++)
			sum[i] += c[i];
	}
	if (running >= 0) {
		if (strcmp(u->msg, watch_queue_job_status(q->jobs[running])))
			ui_message(u, 0, "%s",
			    watch_queue_job_status(q->jobs[running]));
		return;
	}
	snprintf(last, sizeof last, "%s", watch_queue_job_status(q->jobs[0]));
	for (k = 0; k < q->njobs; k++)
		watch_queue_job_free(q->jobs[k]);
	k = q->njobs;
	q->njobs = 0;
	qidx_untag_all(&q->idx);
	queue_view_relist(u);
	/* after relist's "listing...": the summary matters more */
	if (k == 1)
		ui_message(u, sum[QR_FAILED] > 0, "%s", last);
	else
		ui_message(u, sum[QR_FAILED] > 0, "%s on %d hosts: %zu done, "
		    "%zu gone, %zu id reused (skipped), %zu failed, %zu not run",
		    queue_op_name(q->op), k, sum[QR_DONE], sum[QR_GONE],
		    sum[QR_REUSED], sum[QR_FAILED], sum[QR_NOT_RUN]);
}

/* --- postcat ----------------------------------------------------------------- */

static void
cat_done(void *arg, int host, const char *id, int ok, const char *text,
    size_t len, const char *why)
{
	struct ui *u = arg;
	struct queue_view *q = u->queue;
	const char *p = text, *end = text + len, *nl;
	size_t o = 0;

	if (q == NULL)
		return;
	q->cat_pending = 0;
	free(q->cat);
	q->cat = NULL;
	q->catlen = 0;
	q->cat_lines = 0;
	if (!ok) {
		/* the why is sanitised already; the hint names what is needed */
		ui_message(u, 1, "postcat %s on %s failed", id,
		    host_name(u->m, host));
		if ((q->cat = malloc(1024)) == NULL)
			return;
		snprintf(q->cat, 1024, "postcat -ehq %s failed:\n  %s\n\n"
		    "Postfix's queue files are readable by root and postfix\n"
		    "only. A login that is neither needs this sudoers line\n"
		    "(visudo -f /etc/sudoers.d/relaytop):\n"
		    "  %s ALL=(root) NOPASSWD: %s\n", id, why,
		    u->inv->hosts[host].user, WATCH_POSTCAT_SUDO);
		q->catlen = strlen(q->cat);
		q->cat_lines = 7;
		u->dirty = 1;
		return;
	}
	/* each line sanitised on its own: the newlines stay lines */
	if ((q->cat = malloc(len + 1)) == NULL)
		return;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		o += sanitize_copy(q->cat + o, len + 1 - o, p,
		    (size_t)(nl - p));
		q->cat[o++] = '\n';
		q->cat_lines++;
		p = nl + 1;
		if (o >= len)
			break;
	}
	q->cat[o < len + 1 ? o : len] = '\0';
	q->catlen = strlen(q->cat);
	u->dirty = 1;
}

static void
cat_open(struct ui *u, struct queue_view *q)
{
	const struct queue_msg *m;
	char err[300];
	int host;

	if ((m = queue_view_selected(u, &host)) == NULL) {
		ui_message(u, 1, "no message selected");
		return;
	}
	if (watch_postcat(u->w, host, m->id, cat_done, u, err,
	    sizeof err) != 0) {
		ui_message(u, 1, "postcat: %s", err);
		return;
	}
	free(q->cat);
	q->cat = NULL;
	q->catlen = 0;
	q->cat_lines = q->cat_scroll = 0;
	q->cat_pending = 1;
	snprintf(q->cat_title, sizeof q->cat_title, "postcat -ehq %s on %s "
	    "(Esc: back)", m->id, host_name(u->m, host));
	q->mode = QV_CAT;
}

void
queue_cat_draw(struct ui *u, struct queue_view *q, int top, int h)
{
	const char *p, *nl;
	char line[1024];
	size_t n;
	int y, i = 0;

	if (h < 2)
		return;
	ui_text(top, 0, COLS, q->cat_title, ui_attr(u, R_DIM));
	if (q->cat_pending || q->cat == NULL) {
		ui_text(top + 1, 2, COLS - 2, q->cat_pending ? "(reading...)" :
		    "(nothing)", ui_attr(u, R_DIM));
		return;
	}
	vl_clamp(&q->cat_scroll, q->cat_lines, h - 1);
	for (p = q->cat, y = top + 1; *p != '\0' && y < top + h; i++) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (i >= q->cat_scroll) {
			if (n >= sizeof line)
				n = sizeof line - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			ui_text(y++, 0, COLS, line, ui_attr(u, R_NORMAL));
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

int
queue_cat_key(struct ui *u, struct queue_view *q, int ch)
{
	int delta;

	if (list_key(ch, list_page(LINES - 3), &delta)) {
		q->cat_scroll = (int)list_move(q->cat_scroll, delta,
		    q->cat_lines > 0 ? q->cat_lines : 1);
		return 1;
	}
	if (ch == ESC || ch == 'h' || ch == KEY_LEFT) {
		q->mode = QV_LIST;
		return 1;
	}
	return 0;
}

int
queue_ops_key(struct ui *u, struct queue_view *q, int ch)
{
	size_t n;

	switch (ch) {
	case 'm':
		if (qidx_tag(&q->idx, (size_t)q->sel, -1) != 0)
			ui_message(u, 1, "out of memory");
		q->sel = list_move(q->sel, 1, (long)q->idx.n);
		return 1;
	case 'M':
		if (qidx_tag_shown(&q->idx) != 0)
			ui_message(u, 1, "out of memory");
		n = qidx_ntagged(&q->idx, NULL);
		ui_message(u, 0, "%zu message%s tagged", n, n == 1 ? "" : "s");
		return 1;
	case 'u':
		qidx_untag_all(&q->idx);
		ui_message(u, 0, "tags cleared");
		return 1;
	case 'H':
	case 'U':
	case 'R':
	case 'D':
	case 'i':	/* deliver: the selected one only */
		op_ask(u, q, ch == 'H' ? QOP_HOLD : ch == 'U' ? QOP_RELEASE :
		    ch == 'R' ? QOP_REQUEUE : ch == 'D' ? QOP_DELETE :
		    QOP_DELIVER);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		cat_open(u, q);
		return 1;
	default:
		return 0;
	}
}
