/* mode-queue.c: `relaytop --queue HOST|all [--match EXPR | --id ID...]`:
 * lists the queued messages of the host(s) as they stream in (one a line,
 * or JSON lines), and with --hold/--release/--requeue/--delete/--deliver
 * acts on the ones selected: says how many on how many hosts, asks (delete:
 * the word typed), then runs the watch's queue jobs (re-check of each id's
 * arrival, throttled batches, action log) and says exactly what was done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "modes.h"
#include "output-locale.h"
#include "queue-format.h"
#include "queue-match.h"
#include "watch.h"

#define MQ_LIST_S	600	/* default limit on connecting and listing */
#define MQ_LINE_MAX	8192

enum mq_phase { MQ_IDLE = 0, MQ_WAIT, MQ_LISTING, MQ_LISTED, MQ_FAILED };

struct mq_host {
	enum mq_phase phase;
	char	msg[300];
	unsigned long seen, matched, bad;
	int	short_ids;
	struct queue_ref *refs;
	size_t	nrefs, caprefs;
	struct watch_queue_job *job;
	size_t	shown_done;
};

struct mq_run {
	const struct options *o;
	struct inventory *inv;
	struct watch *w;
	struct mq_host *h;
	struct queue_match *qm;
	int	op;		/* -1 list, else enum queue_op */
	char	**ids;		/* --id, split at commas, without @ARRIVAL */
	long long *id_arrival;	/* its @ARRIVAL; -1 none */
	size_t	nids;
	int64_t	start;
	int	print;		/* print each selected message */
	int	oom;
};

/* 0 when m is not selected; else 1, or for an --id 2 + its index. */
static size_t
selected(const struct mq_run *r, const struct queue_msg *m)
{
	size_t i;

	if (r->nids == 0)
		return (size_t)queue_match(r->qm, m);
	for (i = 0; i < r->nids; i++)
		if (strcmp(r->ids[i], m->id) == 0)
			return 2 + i;
	return 0;
}

static void
print_msg(const struct mq_run *r, const struct queue_msg *m)
{
	const char *host = r->inv->hosts[m->host].name;
	char line[MQ_LINE_MAX], *s;
	json_t *o;

	if (r->o->json) {
		if ((o = queue_msg_json(m, host)) == NULL)
			return;
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_ENSURE_ASCII);
		json_decref(o);
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		return;
	}
	queue_msg_line(line, sizeof(line), m, host);
	out_printf(stdout, "%s\n", line);
}

static void
on_msg(void *arg, const struct queue_msg *m)
{
	struct mq_run *r = arg;
	struct mq_host *h = &r->h[m->host];
	struct queue_ref *nv;
	size_t nc, sel;

	h->seen++;
	if (!queue_id_is_long(m->id))
		h->short_ids = 1;
	if ((sel = selected(r, m)) == 0)
		return;
	h->matched++;
	if (r->print)
		print_msg(r, m);
	if (r->op < 0)
		return;
	if (h->nrefs == h->caprefs) {
		nc = h->caprefs ? h->caprefs * 2 : 256;
		if ((nv = realloc(h->refs, nc * sizeof(*nv))) == NULL) {
			r->oom = 1;
			return;
		}
		h->refs = nv;
		h->caprefs = nc;
	}
	h->refs[h->nrefs].host = m->host;
	snprintf(h->refs[h->nrefs].id, sizeof(h->refs[0].id), "%s", m->id);
	h->refs[h->nrefs].arrival = m->arrival;
	/* ID@ARRIVAL names the message exactly: the job checks that one */
	if (sel >= 2 && r->id_arrival[sel - 2] >= 0)
		h->refs[h->nrefs].arrival = (time_t)r->id_arrival[sel - 2];
	h->nrefs++;
}

static void
on_listed(void *arg, int host, int ok, const char *msg, unsigned long bad)
{
	struct mq_run *r = arg;
	struct mq_host *h = &r->h[host];

	h->bad = bad;
	h->phase = ok ? MQ_LISTED : MQ_FAILED;
	if (!ok)
		snprintf(h->msg, sizeof(h->msg), "postqueue -j failed: %s",
		    msg);
}

static void
list_tick(void *arg)
{
	struct mq_run *r = arg;
	char err[300];
	size_t i;

	for (i = 0; i < r->inv->n; i++) {
		struct mq_host *h = &r->h[i];

		if (h->phase != MQ_WAIT)
			continue;
		if (watch_host_ready(r->w, (int)i)) {
			if (watch_queue_list(r->w, (int)i, on_msg, on_listed, r,
			    err, sizeof(err)) == 0)
				h->phase = MQ_LISTING;
		} else if (watch_host_given_up(r->w, (int)i, r->start,
		    clock_ms())) {
			const struct host *mh = &watch_model(r->w)->hosts[i];

			snprintf(h->msg, sizeof(h->msg), "not connected: %s",
			    mh->conn_msg[0] ? mh->conn_msg :
			    host_conn_name(mh->conn));
			h->phase = MQ_FAILED;
		}
	}
}

static int
list_done(void *arg)
{
	struct mq_run *r = arg;
	size_t i;

	for (i = 0; i < r->inv->n; i++)
		if (r->h[i].phase == MQ_WAIT || r->h[i].phase == MQ_LISTING)
			return 0;
	return 1;
}

/* --- the operation ------------------------------------------------------- */

static void
op_tick(void *arg)
{
	struct mq_run *r = arg;
	size_t i, cnt[QR_NOT_RUN + 1];

	for (i = 0; i < r->inv->n; i++) {
		struct mq_host *h = &r->h[i];

		if (h->job == NULL)
			continue;
		watch_queue_job_counts(h->job, cnt, NULL);
		/* progress on big selections: a line per batch */
		if (h->nrefs > WATCH_QUEUE_BATCH && cnt[QR_DONE] != h->shown_done) {
			h->shown_done = cnt[QR_DONE];
			fprintf(stderr, "relaytop: %s\n",
			    watch_queue_job_status(h->job));
		}
	}
}

static int
op_done(void *arg)
{
	struct mq_run *r = arg;
	size_t i;

	for (i = 0; i < r->inv->n; i++)
		if (r->h[i].job != NULL && !watch_queue_job_done(r->h[i].job))
			return 0;
	return 1;
}

static const char *const state_words[] = { "pending", "done",
	"skipped: no longer queued",
	("skipped: the id now names another message (arrival changed)"),
	"failed", "not run" };

/* What each host's job did; returns 0 when every ref was done or skipped
 * as stale, 1 otherwise. */
static int
op_report(struct mq_run *r)
{
	const struct queue_ref *ref;
	enum queue_ref_state st;
	size_t i, k, cnt[QR_NOT_RUN + 1], acted;
	char when[32];
	int rc = 0;

	for (i = 0; i < r->inv->n; i++) {
		struct mq_host *h = &r->h[i];

		if (h->job == NULL)
			continue;
		for (k = 0; (ref = watch_queue_job_ref(h->job, k, &st)) != NULL;
		    k++) {
			if (st == QR_DONE && !r->o->verbose)
				continue;
			queue_time_iso(when, sizeof(when), ref->arrival);
			out_printf(stdout, "%s %s %s: %s\n",
			    r->inv->hosts[i].name, ref->id, when,
			    state_words[st]);
		}
		watch_queue_job_counts(h->job, cnt, &acted);
		out_printf(stdout, "%s (%s said %zu)\n",
		    watch_queue_job_status(h->job), r->op == QOP_DELIVER ?
		    "postqueue" : "postsuper", acted);
		if (cnt[QR_FAILED] || cnt[QR_NOT_RUN] || cnt[QR_PENDING])
			rc = 1;
	}
	return rc;
}

/* One answer line read from the terminal inside the watch's loop, so the
 * sessions stay served (a blocking read would let their deadlines pass
 * while the operator thinks, and the re-read would find them gone). */
struct mq_answer {
	char	line[64];
	size_t	len;
	int	done;
};

static void
answer_input(void *arg)
{
	struct mq_answer *a = arg;
	char c;
	ssize_t n = -1;

	while (!a->done && (n = read(STDIN_FILENO, &c, 1)) == 1) {
		if (c == '\n')
			a->done = 1;
		else if (a->len + 1 < sizeof(a->line))
			a->line[a->len++] = c;
	}
	if (!a->done && n == 0)
		a->done = 1;		/* end of input: no answer */
	a->line[a->len] = '\0';
}

static int
answer_done(void *arg)
{
	return ((struct mq_answer *)arg)->done;
}

/* The question before the act: how many on how many hosts; a y (delete:
 * the word typed) goes ahead. 0 go ahead, 1 not confirmed, 2 refused (no
 * terminal and no --yes). */
static int
confirm(const struct mq_run *r, size_t total, size_t hosts)
{
	struct watch_client c;
	struct mq_answer a;
	char what[1024];
	size_t i, at;
	int del = r->op == QOP_DELETE, ok, sig;

	at = (size_t)snprintf(what, sizeof(what), "--%s: %zu message%s on %zu "
	    "host%s:", queue_op_name((enum queue_op)r->op), total,
	    total == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
	for (i = 0; i < r->inv->n && at < sizeof(what); i++)
		if (r->h[i].nrefs > 0)
			at += (size_t)snprintf(what + at, sizeof(what) - at,
			    " %s (%zu)", r->inv->hosts[i].name, r->h[i].nrefs);
	if (r->o->yes || !isatty(STDIN_FILENO))
		return cli_confirm_io(what, r->o->yes, 0, stdin, stderr);
	fprintf(stderr, "relaytop: %s\n%s", what, del ?
	    "Type delete to delete them: " : "Go ahead? [y/N] ");
	fflush(stderr);
	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	c.input_fd = STDIN_FILENO;
	c.on_input = answer_input;
	c.until = answer_done;
	c.arg = &a;
	c.max_wait_ms = WATCH_WAIT_MS;
	if ((sig = watch_run(r->w, &c, 0)) != 0)
		a.line[0] = '\0';	/* interrupted: no */
	a.line[strcspn(a.line, "\r")] = '\0';
	ok = del ? strcmp(a.line, "delete") == 0 :
	    (strcasecmp(a.line, "y") == 0 || strcasecmp(a.line, "yes") == 0);
	if (ok)
		return 0;
	fprintf(stderr, "%srelaytop: not confirmed: nothing done\n",
	    sig != 0 ? "\n" : "");
	return 1;
}

static int
run_op(struct mq_run *r)
{
	char err[400];
	size_t i, total = 0, hosts = 0;
	int rc, lr;

	for (i = 0; i < r->inv->n; i++) {
		if (r->h[i].nrefs == 0)
			continue;
		total += r->h[i].nrefs;
		hosts++;
		if (r->h[i].short_ids)
			fprintf(stderr, "relaytop: %s runs short queue ids, "
			    "which Postfix reuses: each message is checked "
			    "by its arrival time first\n",
			    r->inv->hosts[i].name);
	}
	if (total == 0) {
		fprintf(stderr, "relaytop: --%s: no message selected; nothing "
		    "done\n", queue_op_name((enum queue_op)r->op));
		return r->nids > 0 ? 1 : 0;
	}
	if (r->o->dry_run) {
		fprintf(stderr, "relaytop: --dry-run: --%s would touch %zu "
		    "message%s on %zu host%s (listed above); nothing done\n",
		    queue_op_name((enum queue_op)r->op), total,
		    total == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
		return 0;
	}
	if ((rc = confirm(r, total, hosts)) != 0)
		return rc;
	rc = 0;
	for (i = 0; i < r->inv->n; i++) {
		if (r->h[i].nrefs == 0)
			continue;
		r->h[i].job = watch_queue_job_start(r->w, (int)i,
		    (enum queue_op)r->op, r->h[i].refs, r->h[i].nrefs, 0,
		    WATCH_QUEUE_PAUSE_MS, err, sizeof(err));
		if (r->h[i].job == NULL) {
			out_printf(stderr, "relaytop: %s: %s\n",
			    r->inv->hosts[i].name, err);
			rc = 1;
		}
	}
	lr = watch_run_until(r->w, op_tick, op_done, r, 0);
	if (lr > 0) {
		/* interrupted: no new batch; the one in flight finishes */
		fprintf(stderr, "relaytop: interrupted: stopping after the "
		    "batches in flight\n");
		for (i = 0; i < r->inv->n; i++)
			watch_queue_job_stop(r->h[i].job);
		watch_run_until(r->w, NULL, op_done, r, clock_ms() + 120000);
	}
	if (op_report(r) != 0 || lr > 0)
		rc = 1;
	return rc;
}

/* --- the mode ------------------------------------------------------------- */

static int
split_ids(struct mq_run *r)
{
	const char *p, *c;
	char *at;
	size_t n = 0;
	int i;

	for (i = 0; i < r->o->nids; i++)
		for (p = r->o->ids[i]; p != NULL; p = c ? c + 1 : NULL) {
			c = strchr(p, ',');
			n++;
		}
	if (n == 0)
		return 0;
	if ((r->ids = calloc(n, sizeof(*r->ids))) == NULL ||
	    (r->id_arrival = calloc(n, sizeof(*r->id_arrival))) == NULL)
		return -1;
	for (i = 0; i < r->o->nids; i++)
		for (p = r->o->ids[i]; p != NULL; p = c ? c + 1 : NULL) {
			c = strchr(p, ',');
			r->ids[r->nids] = c ? strndup(p, (size_t)(c - p)) :
			    strdup(p);
			if (r->ids[r->nids] == NULL)
				return -1;
			/* cli_queue_check let only digits follow an '@' */
			at = strchr(r->ids[r->nids], '@');
			r->id_arrival[r->nids] = at ? strtoll(at + 1, NULL, 10) :
			    -1;
			if (at != NULL)
				*at = '\0';
			r->nids++;
		}
	return 0;
}

/* Each --id not found in the queue: said on stderr. */
static void
ids_missing(const struct mq_run *r, int host)
{
	size_t i, k;

	for (i = 0; i < r->nids; i++) {
		for (k = 0; k < r->h[host].nrefs; k++)
			if (strcmp(r->h[host].refs[k].id, r->ids[i]) == 0)
				break;
		if (k == r->h[host].nrefs)
			fprintf(stderr, "relaytop: %s: %s is not queued\n",
			    r->inv->hosts[host].name, r->ids[i]);
	}
}

static int
list_report(const struct mq_run *r)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < r->inv->n; i++) {
		const struct mq_host *h = &r->h[i];

		if (h->phase == MQ_IDLE)
			continue;
		if (h->phase != MQ_LISTED) {
			out_printf(stderr, "relaytop: %s: %s\n",
			    r->inv->hosts[i].name, h->msg[0] ? h->msg :
			    "not listed in time");
			rc = 1;
			continue;
		}
		if (r->o->verbose || r->op >= 0 || h->bad)
			fprintf(stderr, "relaytop: %s: %lu queued, %lu "
			    "selected\n", r->inv->hosts[i].name, h->seen,
			    h->matched);
		if (h->bad)
			fprintf(stderr, "relaytop: %s: %lu lines of postqueue "
			    "-j not understood (skipped)\n",
			    r->inv->hosts[i].name, h->bad);
		if (r->op >= 0 && r->nids > 0)
			ids_missing(r, (int)i);
	}
	return rc;
}

int
mode_queue(const struct options *o, struct inventory *inv)
{
	struct mq_run r;
	char err[400];
	int one = -1, rc = 1, lr, limit_s;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.inv = inv;
	r.op = o->queue_op - 1;
	if (strcmp(o->queue, "all") != 0 &&
	    (one = config_find(inv, o->queue)) < 0) {
		fprintf(stderr, "relaytop: --queue: no host '%s'\n", o->queue);
		return 2;
	}
	if (o->match != NULL &&
	    (r.qm = queue_match_new(o->match, err, sizeof(err))) == NULL) {
		out_printf(stderr, "relaytop: %s\n", err);
		return 2;
	}
	if (r.op >= 0 && (o->read_only || inv->read_only)) {
		/* refused and logged before any session starts */
		struct watch *rw = watch_new(inv, 1, 0);

		for (i = 0; rw != NULL && i < inv->n; i++)
			if (one < 0 || (int)i == one)
				watch_queue_job_start(rw, (int)i,
				    (enum queue_op)r.op, NULL, 0, 0, 0, err,
				    sizeof(err));
		fprintf(stderr, "relaytop: --%s: %s\n",
		    queue_op_name((enum queue_op)r.op), ACTIONS_READ_ONLY_MSG);
		watch_free(rw);
		queue_match_free(r.qm);
		return 1;
	}
	r.print = r.op < 0 || o->dry_run || o->verbose;
	r.h = calloc(inv->n ? inv->n : 1, sizeof(*r.h));
	if (r.h == NULL || split_ids(&r) != 0 ||
	    (r.w = watch_new(inv, 0, 0)) == NULL) {
		fprintf(stderr, "relaytop: out of memory\n");
		goto out;
	}
	for (i = 0; i < inv->n; i++)
		r.h[i].phase = one < 0 || (int)i == one ? MQ_WAIT : MQ_IDLE;
	r.start = clock_ms();
	limit_s = o->timeout_s > 0 ? o->timeout_s : MQ_LIST_S;
	lr = watch_run_until(r.w, list_tick, list_done, &r, clock_ms() +
	    (int64_t)limit_s * 1000);
	fflush(stdout);
	rc = list_report(&r);
	if (lr > 0) {
		fprintf(stderr, "relaytop: interrupted while listing; nothing "
		    "done\n");
		rc = 1;
	} else if (r.oom) {
		fprintf(stderr, "relaytop: out of memory\n");
		rc = 1;
	} else if (r.op >= 0) {
		if (rc != 0)
			fprintf(stderr, "relaytop: --%s: the hosts above were "
			    "not listed: nothing done on them\n",
			    queue_op_name((enum queue_op)r.op));
		rc = run_op(&r) | rc;
	}
out:
	watch_free(r.w);
	for (i = 0; r.h != NULL && i < inv->n; i++)
		free(r.h[i].refs);
	for (i = 0; i < r.nids; i++)
		free(r.ids[i]);
	free(r.ids);
	free(r.id_arrival);
	free(r.h);
	queue_match_free(r.qm);
	return rc;
}
