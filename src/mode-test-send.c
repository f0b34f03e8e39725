/* mode-test-send.c: `relaytop --test-send ORIGIN|all`: connects, sends one
 * test mail from each origin with its own sendmail, follows it hop by hop
 * through the maillogs and prints the chain. Exit 0 only when every mail was
 * delivered end to end; 1 otherwise; 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "modes.h"
#include "output-locale.h"
#include "shquote.h"
#include "trace.h"
#include "watch.h"

struct ts_run {
	const struct options *o;
	struct inventory *inv;
	struct watch *w;
	struct model *m;
	struct actions *a;
	int	all;
	int	*target;	/* per host: 1 to send, 2 started, 3 failed */
	int	*trace_id;
	char	**fail_msg;
	int	timeout_s;
	int64_t	start;		/* clock_ms: the connection grace began */
	int	done;
};

/* Gives up on origin i before anything was sent (logged as an outcome). */
static void
target_fail_log(struct ts_run *r, size_t i, const char *msg, int log)
{
	const char *to = r->o->to && *r->o->to ? r->o->to :
	    r->inv->hosts[i].test_to;
	char args[300], res[600];

	r->target[i] = 3;
	free(r->fail_msg[i]);
	r->fail_msg[i] = strdup(msg);
	if (!log)
		return;
	snprintf(args, sizeof(args), "to=%s", *to ? to : "(none)");
	if (snprintf(res, sizeof(res), "not sent: %s", msg) < 0)
		res[0] = '\0';
	action_log_append(r->inv->hosts[i].name, "test-send", args, res);
}

static void
target_fail(struct ts_run *r, size_t i, const char *msg)
{
	target_fail_log(r, i, msg, 1);
}

/* Starts the sends whose origin is ready; picks "all" origins once every
 * host's first probe is in. */
static void
ts_start(struct ts_run *r)
{
	char err[512];
	size_t i;

	if (r->all) {
		if (!watch_probed_all(r->w) && clock_ms() < r->start +
		    (int64_t)WATCH_CONNECT_GRACE_S * 1000)
			return;
		for (i = 0; i < r->inv->n; i++)
			if (host_effective_role(&r->m->hosts[i]) == ROLE_ORIGIN &&
			    r->m->hosts[i].conn == HC_UP)
				r->target[i] = 1;
			else if (r->inv->hosts[i].role == ROLE_ORIGIN)
				target_fail(r, i, r->m->hosts[i].conn_msg[0] ?
				    r->m->hosts[i].conn_msg : "not reachable");
		r->all = 0;
	}
	for (i = 0; i < r->inv->n; i++) {
		const struct host *h = &r->m->hosts[i];
		int id;

		if (r->target[i] != 1)
			continue;
		if (watch_host_given_up(r->w, (int)i, r->start, clock_ms())) {
			target_fail(r, i, h->conn_msg[0] ? h->conn_msg :
			    "could not connect in time");
			continue;
		}
		/* logged in is enough: a first probe that is still to come
		 * reads the log's last PROBE_FIRST_BYTES, the mail's lines
		 * included (a loaded host may take long to answer one) */
		if (!watch_host_ready(r->w, (int)i))
			continue;
		id = action_test_send(r->a, (int)i, r->o->to, r->timeout_s, err,
		    sizeof(err));
		if (id < 0)
			target_fail_log(r, i, err, 0);	/* the action logged */
		else {
			r->target[i] = 2;
			r->trace_id[i] = id;
		}
	}
}

static void
ts_tick(void *arg)
{
	struct ts_run *r = arg;
	size_t i;
	int pending = 0;

	ts_start(r);
	for (i = 0; i < r->inv->n; i++)
		if (r->target[i] == 1)
			pending = 1;
	r->done = !r->all && !pending && actions_open(r->a) == 0;
}

static int
ts_done(void *arg)
{
	return ((struct ts_run *)arg)->done;
}

static const struct trace *
trace_of(const struct ts_run *r, int id)
{
	const struct trace *t;
	size_t i;

	for (i = 0; (t = actions_trace(r->a, i)) != NULL; i++)
		if (t->id == id)
			return t;
	return NULL;
}

static void
print_line(const char *line, void *arg)
{
	out_printf(arg, "%s\n", line);
}

/* Prints every outcome; returns the exit status. */
static int
ts_report(struct ts_run *r)
{
	int ok = 1, first = 1, any = 0;
	size_t i;

	if (r->o->json)
		printf("[");
	for (i = 0; i < r->inv->n; i++) {
		const struct trace *t = NULL;

		if (r->target[i] == 2)
			t = trace_of(r, r->trace_id[i]);
		if (r->target[i] == 0)
			continue;
		any = 1;
		if (t == NULL || t->state != TR_DELIVERED)
			ok = 0;
		if (r->o->json) {
			char *js = t ? trace_format_json(t, r->inv) : NULL;

			printf("%s", first ? "" : ",");
			if (js != NULL)
				printf("%s", js);
			else
				printf("{\"origin\":\"%s\",\"state\":\"failed\","
				    "\"delivered\":false,\"summary\":\"not sent\","
				    "\"hops\":[]}", r->inv->hosts[i].name);
			free(js);
		} else if (t != NULL)
			trace_format_text(t, r->inv, print_line, stdout);
		else
			out_printf(stdout, "test mail from %s: not sent: %s\n",
			    r->inv->hosts[i].name, r->fail_msg[i] ?
			    r->fail_msg[i] : "not connected");
		if (r->fail_msg[i] && r->o->json)
			fprintf(stderr, "relaytop: %s: %s\n",
			    r->inv->hosts[i].name, r->fail_msg[i]);
		first = 0;
	}
	if (r->o->json)
		printf("]\n");
	if (!any) {
		fprintf(stderr, "relaytop: --test-send: no origin to send from\n");
		return 1;
	}
	return ok ? 0 : 1;
}

static int
ts_alloc(struct ts_run *r, size_t n)
{
	r->target = calloc(n ? n : 1, sizeof(int));
	r->trace_id = calloc(n ? n : 1, sizeof(int));
	r->fail_msg = calloc(n ? n : 1, sizeof(char *));
	return r->target && r->trace_id && r->fail_msg ? 0 : -1;
}

static void
ts_free(struct ts_run *r)
{
	size_t i;

	watch_free(r->w);
	for (i = 0; r->fail_msg && i < r->inv->n; i++)
		free(r->fail_msg[i]);
	free(r->fail_msg);
	free(r->target);
	free(r->trace_id);
}

/* Refusals that need no connection: read-only, bad or missing recipient. */
static int
ts_precheck(const struct options *o, struct inventory *inv, int one)
{
	struct watch *w;
	char err[256];
	int rc = 0;

	if (o->to != NULL && !valid_email(o->to)) {
		fprintf(stderr, "relaytop: --to: invalid address\n");
		return 2;
	}
	if (one >= 0 && (o->to == NULL || !*o->to) &&
	    !inv->hosts[one].test_to[0]) {
		fprintf(stderr, "relaytop: --test-send: no recipient: give --to "
		    "or set test_to in %s\n", inv->path);
		return 2;
	}
	if (!(o->read_only || inv->read_only))
		return 0;
	/* the action refuses (and logs) before any session starts */
	if ((w = watch_new(inv, 1, 0)) == NULL)
		return 1;
	if (action_test_send(watch_actions(w), one >= 0 ? one : 0, o->to, 0,
	    err, sizeof(err)) < 0) {
		fprintf(stderr, "relaytop: %s\n", err);
		rc = 1;
	}
	watch_free(w);
	return rc ? rc : 1;
}

int
mode_test_send(const struct options *o, struct inventory *inv)
{
	struct ts_run r;
	int one = -1, rc, lr;

	memset(&r, 0, sizeof(r));
	if (o->test_send == NULL)
		return 2;
	if (strcmp(o->test_send, "all") != 0) {
		one = config_find(inv, o->test_send);
		if (one < 0) {
			fprintf(stderr, "relaytop: --test-send: no host '%s'\n",
			    o->test_send);
			return 2;
		}
	}
	if ((rc = ts_precheck(o, inv, one)) != 0)
		return rc;
	/* every origin: say so, and go ahead only when confirmed */
	if (one < 0 && (rc = cli_confirm_all(o, inv, 1)) != 0)
		return rc;
	r.o = o;
	r.inv = inv;
	r.all = one < 0;
	r.timeout_s = o->timeout_s > 0 ? o->timeout_s : TRACE_DEFAULT_TIMEOUT;
	if (ts_alloc(&r, inv->n) != 0 || (r.w = watch_new(inv, 0, 0)) == NULL) {
		fprintf(stderr, "relaytop: out of memory\n");
		ts_free(&r);
		return 1;
	}
	r.m = watch_model(r.w);
	r.a = watch_actions(r.w);
	if (one >= 0)
		r.target[one] = 1;
	r.start = clock_ms();
	lr = watch_run_until(r.w, ts_tick, ts_done, &r, clock_ms() +
	    (int64_t)(WATCH_CONNECT_GRACE_S + r.timeout_s + 5) * 1000);
	if (lr > 0)
		fprintf(stderr, "relaytop: interrupted\n");
	else if (lr < 0) {
		size_t i;

		for (i = 0; i < inv->n; i++)
			if (r.target[i] == 1)
				target_fail(&r, i, "could not connect in time");
	}
	rc = ts_report(&r);
	ts_free(&r);
	return lr > 0 ? 1 : rc;
}
