/* actions.c: the operator's acts from an allowlist: a traced test mail
 * (the origin's own sendmail over its SSH session) and a queue flush
 * (postqueue -f). Arguments are validated and quoted, read-only mode refuses
 * them, and every act and outcome goes to the local action log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action-int.h"
#include "actions.h"
#include "clock.h"
#include "shquote.h"
#include "sshc.h"

#define ACT_TRACES	32	/* traces kept, newest first */
#define ACT_CMD_MAX	2048
#define ACT_OUT_MAX	4096
#define ACT_REFRESH_MS	1000	/* quick refreshes while a trace is open */

enum act_kind { ACT_TEST_SEND, ACT_FLUSH };

/* One remote command in flight; outlives actions_free (a set to NULL) until
 * its callback runs. */
struct pending {
	struct actions *a;
	enum act_kind kind;
	int	host;
	int	trace_id;
	struct pending *next;
};

struct actions {
	struct fleet *f;
	struct model *m;
	const struct inventory *inv;
	int	read_only;
	struct trace traces[ACT_TRACES];	/* ring */
	size_t	ntraces, head;			/* head: next slot */
	int	next_id;
	char	status[256];
	struct pending *pending;
	int	nflush;
	signed char *flush_result;		/* per host */
	int64_t	last_refresh;
};

static const char *
hname(const struct actions *a, int i)
{
	return i >= 0 && (size_t)i < a->inv->n ? a->inv->hosts[i].name : "?";
}

struct actions *
actions_new(struct fleet *f, struct model *m, const struct inventory *inv,
    int read_only)
{
	struct actions *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	/* room for instances added later (fleet_add_host) */
	a->flush_result = calloc((f ? (size_t)fleet_capacity(f) : inv->n) + 1,
	    1);
	if (a->flush_result == NULL) {
		free(a);
		return NULL;
	}
	a->f = f;
	a->m = m;
	a->inv = inv;
	a->read_only = read_only || inv->read_only;
	a->next_id = 1;
	return a;
}

void
actions_free(struct actions *a)
{
	struct pending *p;

	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->ntraces; i++) {
		const struct trace *t = actions_trace(a, i);
		char args[400], res[300];

		if (trace_finished(t))
			continue;
		snprintf(args, sizeof(args), "to=%s token=%s", t->to, t->token);
		if (snprintf(res, sizeof(res), "abandoned: %s", t->summary) < 0)
			res[0] = '\0';
		action_log_append(hname(a, t->origin), "test-send", args, res);
	}
	/* commands still in flight free their record from the callback */
	for (p = a->pending; p != NULL; p = p->next)
		p->a = NULL;
	free(a->flush_result);
	free(a);
}

int
actions_read_only(const struct actions *a)
{
	return a->read_only;
}

const char *
actions_status(const struct actions *a)
{
	return a->status;
}

const struct trace *
actions_trace(const struct actions *a, size_t i)
{
	if (i >= a->ntraces)
		return NULL;
	return &a->traces[(a->head + ACT_TRACES - 1 - i) % ACT_TRACES];
}

static struct trace *
trace_by_id(struct actions *a, int id)
{
	size_t i;

	for (i = 0; i < a->ntraces; i++) {
		struct trace *t = (struct trace *)actions_trace(a, i);

		if (t->id == id)
			return t;
	}
	return NULL;
}

int
actions_open(const struct actions *a)
{
	size_t i;
	int n = 0;

	for (i = 0; i < a->ntraces; i++)
		n += !trace_finished(actions_trace(a, i));
	return n;
}

int
actions_flush_pending(const struct actions *a)
{
	return a->nflush;
}

int
actions_flush_result(const struct actions *a, int host)
{
	if (host < 0 || (size_t)host >= a->inv->n)
		return 0;
	return a->flush_result[host];
}

static void
status_set(struct actions *a, const char *host, const char *what,
    const char *result)
{
	/* cut to fit: the status line is one screen line */
	if (snprintf(a->status, sizeof(a->status), "%s %s: %s", what, host,
	    result) < 0)
		a->status[0] = '\0';
}

/* Refuses with msg: into err, the status line and the action log. */
static int
refuse(struct actions *a, int host, const char *action, const char *args,
    const char *msg, char *err, size_t errlen)
{
	const char *hn = host >= 0 ? hname(a, host) : "-";

	if (msg != err)
		snprintf(err, errlen, "%s", msg);
	status_set(a, hn, action, msg);
	action_log_append(hn, action, args, msg);
	return -1;
}

/* Writes the act's first action-log line before anything runs on the host;
 * when it cannot be written the act is refused: no record, no act. */
static int
log_first(struct actions *a, int host, const char *action, const char *args,
    const char *result, char *err, size_t errlen)
{
	char path[1024];
	int e;

	if (action_log_append(hname(a, host), action, args, result) == 0)
		return 0;
	e = errno;
	if (action_log_path(path, sizeof(path)) != 0)
		snprintf(path, sizeof(path), "(no absolute $XDG_STATE_HOME or "
		    "$HOME)");
	snprintf(err, errlen, "action log %s: %s; %s not run", path,
	    strerror(e), action);
	status_set(a, hname(a, host), action, err);
	return -1;
}

/* The host's session when commands may run on it, else NULL with err. */
static struct sshc *
ready_session(struct actions *a, int host, char *err, size_t errlen)
{
	struct sshc *c = a->f ? fleet_session(a->f, host) : NULL;
	const char *msg = "";

	if (c != NULL && sshc_state(c) == SSHC_READY)
		return c;
	if (c != NULL)
		sshc_last_error(c, &msg);
	snprintf(err, errlen, "%s: not connected%s%s", hname(a, host),
	    msg && *msg ? ": " : "", msg ? msg : "");
	return NULL;
}

static void
pending_unlink(struct pending *p)
{
	struct pending **pp;

	if (p->a == NULL)
		return;
	for (pp = &p->a->pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
}

static struct pending *
pending_new(struct actions *a, enum act_kind kind, int host, int trace_id)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->a = a;
	p->kind = kind;
	p->host = host;
	p->trace_id = trace_id;
	p->next = a->pending;
	a->pending = p;
	return p;
}

static void
send_done(void *arg, const struct sshc_result *r)
{
	struct pending *p = arg;
	struct actions *a = p->a;
	struct trace *t;
	char msg[200], args[400];
	int ok = r->error == SSHE_NONE && r->exit_status == 0;
	/* no answer in time: sendmail may well have queued it; the logs
	 * will tell, and the trace times out otherwise */
	int unsure = r->error == SSHE_TIMEOUT;

	pending_unlink(p);
	if (a != NULL && (t = trace_by_id(a, p->trace_id)) != NULL) {
		if (ok || unsure)
			msg[0] = '\0';
		else
			action_result_msg(r, msg, sizeof(msg));
		trace_submitted(t, ok || unsure, msg, time(NULL));
		snprintf(args, sizeof(args), "to=%s token=%s", t->to, t->token);
		if (!ok)	/* "submitted" went first, before the act */
			action_log_append(hname(a, p->host), "test-send", args,
			    unsure ? "no answer from sendmail in time; "
			    "tracing anyway" : t->summary);
		status_set(a, hname(a, p->host), "test mail from",
		    ok ? "submitted, tracing" : t->summary);
		if (ok && a->f)
			fleet_refresh_now(a->f, p->host);
	}
	free(p);
}

int
action_test_send(struct actions *a, int origin, const char *to,
    int timeout_s, char *err, size_t errlen)
{
	char cmd[ACT_CMD_MAX], msg[2048], token[48], args[400];
	const struct host_config *cfg;
	struct pending *p;
	struct trace *t;
	struct sshc *c;
	time_t now = time(NULL);
	int len;

	if (origin < 0 || (size_t)origin >= a->inv->n) {
		snprintf(err, errlen, "no such host");
		return -1;
	}
	cfg = &a->inv->hosts[origin];
	if (to == NULL || *to == '\0')
		to = cfg->test_to;	/* [defaults] test_to applied by config */
	snprintf(args, sizeof(args), "to=%s", to && *to ? to : "(none)");
	if (a->read_only)
		return refuse(a, origin, "test-send", args,
		    ACTIONS_READ_ONLY_MSG, err, errlen);
	if (to == NULL || *to == '\0')
		return refuse(a, origin, "test-send", args, "no recipient: "
		    "give --to or set test_to in hosts.ini", err, errlen);
	if (!valid_email(to))
		return refuse(a, origin, "test-send", "to=(invalid)",
		    "invalid recipient address", err, errlen);
	if ((c = ready_session(a, origin, err, errlen)) == NULL)
		return refuse(a, origin, "test-send", args, err, err, errlen);
	/* sendmail needs no root: it runs as the operator, like a user's
	 * mail; the envelope sender is operator@$myorigin of the origin */
	if (action_postfix_cmd(cmd, sizeof(cmd), cfg, "sendmail", "-C") != 0 ||
	    strlen(cmd) + 8 >= sizeof(cmd))
		return refuse(a, origin, "test-send", args,
		    "bad postfix_config path", err, errlen);
	strcat(cmd, " -i -- ");
	if (shquote_append(cmd, sizeof(cmd), to) != 0 ||
	    trace_make_token(token, sizeof(token), now) != 0)
		return refuse(a, origin, "test-send", args, "command too long",
		    err, errlen);
	/* take a ring slot (drops the oldest trace when full) */
	t = &a->traces[a->head];
	trace_init(t, a->next_id++, origin, token, to, timeout_s, now);
	len = action_message_build(msg, sizeof(msg), t, cfg->name, now);
	if (len < 0)
		return refuse(a, origin, "test-send", args, "message too long",
		    err, errlen);
	snprintf(args, sizeof(args), "to=%s token=%s", t->to, t->token);
	if (log_first(a, origin, "test-send", args, "submitted", err,
	    errlen) != 0)
		return -1;
	if ((p = pending_new(a, ACT_TEST_SEND, origin, t->id)) == NULL)
		return refuse(a, origin, "test-send", args, "out of memory",
		    err, errlen);
	if (sshc_exec(c, cmd, msg, (size_t)len, ACT_OUT_MAX,
	    action_exec_ms(cfg), send_done, p) != 0) {
		pending_unlink(p);
		free(p);
		snprintf(msg, sizeof(msg), "%s: session busy or lost",
		    cfg->name);
		return refuse(a, origin, "test-send", args, msg, err, errlen);
	}
	a->head = (a->head + 1) % ACT_TRACES;
	if (a->ntraces < ACT_TRACES)
		a->ntraces++;
	status_set(a, cfg->name, "test mail from", "submitting");
	return t->id;
}

static void
flush_done(void *arg, const struct sshc_result *r)
{
	struct pending *p = arg;
	struct actions *a = p->a;
	char msg[200];
	int ok = r->error == SSHE_NONE && r->exit_status == 0;

	pending_unlink(p);
	if (a != NULL) {
		a->nflush--;
		a->flush_result[p->host] = ok ? 1 : -1;
		if (ok)
			snprintf(msg, sizeof(msg), "done");
		else {
			char why[160];

			action_result_msg(r, why, sizeof(why));
			snprintf(msg, sizeof(msg), "failed: %s", why);
		}
		action_log_append(hname(a, p->host), "flush", "postqueue -f",
		    msg);
		status_set(a, hname(a, p->host), "flush", msg);
		if (a->f)
			fleet_refresh_now(a->f, p->host);
	}
	free(p);
}

int
action_flush(struct actions *a, int host, char *err, size_t errlen)
{
	char cmd[ACT_CMD_MAX];
	const struct host_config *cfg;
	struct pending *p;
	struct sshc *c;

	if (host < 0 || (size_t)host >= a->inv->n) {
		snprintf(err, errlen, "no such host");
		return -1;
	}
	cfg = &a->inv->hosts[host];
	if (a->read_only)
		return refuse(a, host, "flush", "postqueue -f",
		    ACTIONS_READ_ONLY_MSG, err, errlen);
	if ((c = ready_session(a, host, err, errlen)) == NULL)
		return refuse(a, host, "flush", "postqueue -f", err, err,
		    errlen);
	if (action_postfix_cmd(cmd, sizeof(cmd), cfg, "postqueue", "-c") != 0 || strlen(cmd) + 4 >= sizeof(cmd))
		return refuse(a, host, "flush", "postqueue -f",
		    "bad postfix_config path", err, errlen);
	strcat(cmd, " -f");
	if (log_first(a, host, "flush", "postqueue -f", "started", err,
	    errlen) != 0)
		return -1;
	if ((p = pending_new(a, ACT_FLUSH, host, -1)) == NULL)
		return refuse(a, host, "flush", "postqueue -f", "out of memory",
		    err, errlen);
	if (sshc_exec(c, cmd, NULL, 0, ACT_OUT_MAX, action_exec_ms(cfg), flush_done,
	    p) != 0) {
		pending_unlink(p);
		free(p);
		snprintf(err, errlen, "%s: session busy or lost", cfg->name);
		return refuse(a, host, "flush", "postqueue -f", err, err,
		    errlen);
	}
	a->nflush++;
	a->flush_result[host] = 0;
	status_set(a, cfg->name, "flush", "running");
	return 0;
}

void
actions_tick(struct actions *a)
{
	time_t now = time(NULL);
	int waiting = 0;
	size_t i;

	for (i = 0; i < a->ntraces; i++) {
		struct trace *t = (struct trace *)actions_trace(a, i);
		char args[400];

		if (trace_finished(t))
			continue;
		if (trace_advance(t, a->m, now) && trace_finished(t)) {
			snprintf(args, sizeof(args), "to=%s token=%s", t->to,
			    t->token);
			action_log_append(hname(a, t->origin), "test-send",
			    args, t->summary);
			status_set(a, hname(a, t->origin), "test mail from",
			    t->summary);
		} else if (!trace_finished(t))
			status_set(a, hname(a, t->origin), "test mail from",
			    t->summary);
		waiting += !trace_finished(t);
	}
	/* logs of every host the mail may cross, without waiting refresh_s */
	if ((waiting || a->nflush) && a->f != NULL &&
	    clock_ms() - a->last_refresh >= ACT_REFRESH_MS) {
		a->last_refresh = clock_ms();
		fleet_refresh_now(a->f, -1);
	}
}
