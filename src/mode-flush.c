/* mode-flush.c: `relaytop --flush HOST|all`: connects, reads each queue,
 * runs postqueue -f on the host(s), then refreshes until the queue drains
 * (or the timeout) and prints the depth before and after. Exit 0 when every
 * flush ran, 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "modes.h"
#include "output-locale.h"
#include "watch.h"

#define FLUSH_GRACE_S		WATCH_CONNECT_GRACE_S	/* log in, read once */
#define FLUSH_DRAIN_S		20	/* default wait for the drain */
#define FLUSH_MIN_PROBES	2	/* refreshes after the flush, at least */

enum fl_phase { FL_WAIT = 0, FL_RUNNING, FL_DRAIN, FL_DONE, FL_FAILED };

struct fl_host {
	int	target;
	enum fl_phase phase;
	struct queue_summary before;
	int	before_valid;
	time_t	seen_answer;	/* last_answer when last counted */
	int	probes_after;
	char	msg[512];
};

struct fl_run {
	struct inventory *inv;
	struct watch *w;
	struct model *m;
	struct actions *a;
	struct fl_host *h;
	int64_t	start;		/* clock_ms: the connection grace began */
	int64_t	drain_until;	/* clock_ms */
	int	drain_s;
	int64_t	last_refresh;
	int	done;
};

static unsigned
queue_total(const struct queue_summary *q)
{
	unsigned n = 0;
	int i;

	for (i = 0; i < Q_MAX; i++)
		n += q->count[i];
	return n;
}

static void
fl_step_host(struct fl_run *r, size_t i)
{
	struct fl_host *fh = &r->h[i];
	const struct host *h = &r->m->hosts[i];
	char err[256];
	int res;

	switch (fh->phase) {
	case FL_WAIT:
		/* unreachable or a slow probe: the watch retries until the
		 * grace is over; a key or auth failure will not mend */
		if (watch_host_given_up(r->w, (int)i, r->start, clock_ms())) {
			snprintf(fh->msg, sizeof(fh->msg), "not connected: %s",
			    h->conn_msg[0] ? h->conn_msg :
			    host_conn_name(h->conn));
			fh->phase = FL_FAILED;
			action_log_append(r->inv->hosts[i].name, "flush",
			    "postqueue -f", fh->msg);
			return;
		}
		/* the queue before comes with the first answer; a loaded
		 * host that is slow to give one is flushed anyway, its
		 * "before" unknown */
		if (!(h->conn == HC_UP && h->last_answer != 0) &&
		    !(watch_host_ready(r->w, (int)i) &&
		    clock_ms() >= r->start + FLUSH_GRACE_S * 1000 / 2))
			return;
		fh->before = h->queue;
		fh->before_valid = h->queue_valid;
		if (action_flush(r->a, (int)i, err, sizeof(err)) != 0) {
			snprintf(fh->msg, sizeof(fh->msg), "%s", err);
			fh->phase = FL_FAILED;
			return;
		}
		fh->phase = FL_RUNNING;
		return;
	case FL_RUNNING:
		res = actions_flush_result(r->a, (int)i);
		if (res == 0)
			return;
		if (res < 0) {
			snprintf(fh->msg, sizeof(fh->msg), "%s",
			    actions_status(r->a));
			fh->phase = FL_FAILED;
			return;
		}
		fh->phase = FL_DRAIN;
		fh->seen_answer = h->last_answer;
		if (r->drain_until == 0)
			r->drain_until = clock_ms() + (int64_t)r->drain_s * 1000;
		return;
	case FL_DRAIN:
		if (h->last_answer != fh->seen_answer) {
			fh->seen_answer = h->last_answer;
			fh->probes_after++;
		}
		if (fh->probes_after >= FLUSH_MIN_PROBES &&
		    (queue_total(&h->queue) == 0 || clock_ms() >= r->drain_until))
			fh->phase = FL_DONE;
		else if (clock_ms() >= r->drain_until + 10000)
			fh->phase = FL_DONE;	/* probes stopped answering */
		return;
	default:
		return;
	}
}

static void
fl_tick(void *arg)
{
	struct fl_run *r = arg;
	size_t i;
	int open = 0, draining = 0;

	for (i = 0; i < r->inv->n; i++) {
		if (!r->h[i].target)
			continue;
		fl_step_host(r, i);
		open += r->h[i].phase < FL_DONE;
		draining += r->h[i].phase == FL_DRAIN;
	}
	if (draining && clock_ms() - r->last_refresh >= 1000) {
		r->last_refresh = clock_ms();
		watch_refresh_now(r->w, -1);
	}
	r->done = open == 0;
}

static int
fl_done(void *arg)
{
	return ((struct fl_run *)arg)->done;
}

static void
queue_line(char *buf, size_t len, const struct queue_summary *q)
{
	snprintf(buf, len, "%u (active %u, deferred %u, hold %u, incoming %u, "
	    "maildrop %u)", queue_total(q), q->count[Q_ACTIVE],
	    q->count[Q_DEFERRED], q->count[Q_HOLD], q->count[Q_INCOMING],
	    q->count[Q_MAILDROP]);
}

static int
fl_report(struct fl_run *r)
{
	char b[160], a[160];
	size_t i;
	int ok = 1;

	for (i = 0; i < r->inv->n; i++) {
		const struct fl_host *fh = &r->h[i];
		const struct host *h = &r->m->hosts[i];

		if (!fh->target)
			continue;
		if (fh->phase == FL_DONE) {
			if (fh->before_valid)
				queue_line(b, sizeof(b), &fh->before);
			else
				snprintf(b, sizeof(b), "unknown");
			if (h->queue_valid)
				queue_line(a, sizeof(a), &h->queue);
			else
				snprintf(a, sizeof(a), "unknown");
			out_printf(stdout, "%s: flushed; queue before: %s; "
			    "after: %s\n",
			    r->inv->hosts[i].name, b, a);
		} else if (fh->phase != FL_WAIT || fh->msg[0]) {
			ok = 0;
			out_printf(stdout, "%s: flush failed: %s\n",
			    r->inv->hosts[i].name,
			    fh->msg[0] ? fh->msg : "did not finish in time");
		} else {
			ok = 0;
			printf("%s: flush not run: could not connect in time\n",
			    r->inv->hosts[i].name);
		}
	}
	return ok ? 0 : 1;
}

int
mode_flush(const struct options *o, struct inventory *inv)
{
	struct fl_run r;
	char err[256];
	int one = -1, rc, lr;
	size_t i;

	memset(&r, 0, sizeof(r));
	if (o->flush == NULL)
		return 2;
	if (strcmp(o->flush, "all") != 0 &&
	    (one = config_find(inv, o->flush)) < 0) {
		fprintf(stderr, "relaytop: --flush: no host '%s'\n", o->flush);
		return 2;
	}
	if (o->read_only || inv->read_only) {
		/* the action refuses and logs before any session starts */
		struct watch *rw = watch_new(inv, 1, 0);

		if (rw != NULL && action_flush(watch_actions(rw), one >= 0 ?
		    one : 0, err, sizeof(err)) < 0)
			fprintf(stderr, "relaytop: %s\n", err);
		watch_free(rw);
		return 1;
	}
	/* every host: say so, and go ahead only when confirmed */
	if (one < 0 && (rc = cli_confirm_all(o, inv, 0)) != 0)
		return rc;
	r.inv = inv;
	r.drain_s = o->timeout_s > 0 ? o->timeout_s : FLUSH_DRAIN_S;
	r.h = calloc(inv->n ? inv->n : 1, sizeof(*r.h));
	if (r.h == NULL || (r.w = watch_new(inv, 0, 0)) == NULL) {
		fprintf(stderr, "relaytop: out of memory\n");
		rc = 1;
		goto out;
	}
	r.m = watch_model(r.w);
	r.a = watch_actions(r.w);
	for (i = 0; i < inv->n; i++)
		r.h[i].target = one < 0 || (int)i == one;
	r.start = clock_ms();
	lr = watch_run_until(r.w, fl_tick, fl_done, &r, clock_ms() +
	    (int64_t)(FLUSH_GRACE_S + r.drain_s + 15) * 1000);
	if (lr > 0)
		fprintf(stderr, "relaytop: interrupted\n");
	rc = fl_report(&r);
	if (lr > 0)
		rc = 1;
out:
	watch_free(r.w);
	free(r.h);
	return rc;
}
