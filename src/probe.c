/* probe.c: one refresh of one host. Builds the script's values from what
 * the last refresh learned (config stamp, log cursor, when the queue was
 * last read), asks the host's resident probe script (or runs the script
 * once when no resident can run there), and turns the sections it prints
 * into model updates and problems. Never trusts the output: bounded,
 * sanitised, cursor-checked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postconf.h"
#include "probe.h"
#include "queue-summary.h"
#include "postmulti.h"
#include "probe-int.h"

void
probe_problem(struct findings_acc *f, unsigned bit, const char *fmt, ...)
{
	char one[200];
	size_t n = strlen(f->msg);
	va_list ap;

	if (f->bits & bit)
		return;
	f->bits |= bit;
	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	snprintf(f->msg + n, sizeof(f->msg) - n, "%s%s", n ? "; " : "", one);
}

struct probe *
probe_new(struct model *m, struct host *h)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->m = m;
	p->h = h;
	return p;
}

void
probe_free(struct probe *p)
{
	if (p == NULL)
		return;
	free(p->resident);
	free(p->last_key);
	free(p);
}

int
probe_running(const struct probe *p)
{
	return p->running;
}

unsigned
probe_runs_done(const struct probe *p)
{
	return p->runs;
}


static void probe_done(void *arg, const struct sshc_result *r);

static int
ask_resident(struct probe *p, struct sshc *c, const struct probe_args *a,
    int timeout_ms, char *err, size_t errlen)
{
	char req[PROBE_REQUEST_MAX], key[PROBE_REQUEST_MAX], marker[64], *kp;
	int n, k, same;

	if (p->resident == NULL &&
	    (p->resident = probe_resident_command(a->queue_awk, err,
	    errlen)) == NULL)
		return -2;
	if ((k = probe_request_key(a, key, sizeof(key), err, errlen)) < 0)
		return -2;
	same = p->last_key != NULL && p->last_key_len == (size_t)k &&
	    memcmp(p->last_key, key, (size_t)k) == 0;
	/* the resident that took the last request, asked the same again:
	 * the short form (a steady refresh's; the shell reads a byte a
	 * read) */
	n = same && sshc_resident_ready(c) ?
	    probe_request_again(a, req, sizeof(req)) : -1;
	if (n < 0 && (n = probe_request_build(a, req, sizeof(req), err,
	    errlen)) < 0)
		return -2;
	probe_done_marker(p->token, marker, sizeof(marker));
	n = sshc_ask(c, p->resident, req, (size_t)n, marker, PROBE_MAX_OUT,
	    timeout_ms, probe_done, p);
	if (n == 0 && !same) {
		if ((kp = realloc(p->last_key, (size_t)k)) != NULL) {
			memcpy(kp, key, (size_t)k);
			p->last_key = kp;
			p->last_key_len = (size_t)k;
		} else {	/* forgotten: the next request is whole */
			free(p->last_key);
			p->last_key = NULL;
		}
	}
	/* made again when a new resident is started (rare); 14 KB a host */
	free(p->resident);
	p->resident = NULL;
	return n;
}

int
probe_run(struct probe *p, struct sshc *c, int64_t now_ms)
{
	struct host *h = p->h;
	struct probe_args a;
	char err[160], *cmd = NULL;
	int timeout_ms, rc;

	if (p->running)
		return -1;
	probe_token_new(p->token);
	probe_args_fill(&a, h, p->token, p->stamp, &p->cur, p->journal.cursor,
	    p->queue_text);
	a.master = p->master;
	if (now_ms - p->journal_read_ms < PROBE_JOURNAL_RECHECK_MS)
		a.journal_stamp = p->journal_stamp;
	a.queue_awk = queue_summary_awk();
	p->queue_asked = probe_wants_queue(p, now_ms);
	a.no_queue = !p->queue_asked;
	/* the resident may say "same" between full runs, never before the
	 * settings are known; with the queue when it is wanted, but then
	 * only for a host whose one problem, if any, is that reading's to
	 * judge (probe_done) */
	a.quick = (!p->queue_asked || (h->problems & ~HP_QUEUE_UNREADABLE) ==
	    0) && h->settings_valid && p->full_at != 0 &&
	    now_ms - p->full_at < p->full_after_ms;
	timeout_ms = (h->cfg->timeout_s > 0 ? h->cfg->timeout_s : 10) * 1000;
	if (p->queue_asked && p->queue_known)
		timeout_ms += p->queue_cost_ms * 2 < PROBE_QUEUE_EXTRA_MAX_MS ?
		    p->queue_cost_ms * 2 : PROBE_QUEUE_EXTRA_MAX_MS;
	p->asked = !p->resident_off;
	if (!p->asked && (cmd = probe_script_build(&a, err, sizeof(err))) ==
	    NULL) {
		model_set_problems(p->m, h, h->problems | HP_PROBE_GARBLED, err);
		return -1;
	}
	/* running before the call: a callback run from inside sshc_exec
	 * (a failure at once) must find it set, and clears it */
	p->running = 1;
	h->last_attempt = time(NULL);
	if (p->asked)
		rc = ask_resident(p, c, &a, timeout_ms, err, sizeof(err));
	else
		rc = sshc_exec(c, cmd, NULL, 0, PROBE_MAX_OUT, timeout_ms,
		    probe_done, p);
	free(cmd);
	if (rc != 0) {
		p->running = 0;
		if (rc == -2)
			model_set_problems(p->m, h, h->problems |
			    HP_PROBE_GARBLED, err);
		return -1;
	}
	return 0;
}

static void
take_settings(struct probe *p, const struct probe_output *o,
    struct findings_acc *f, const char *stamp)
{
	const struct probe_section *s, *st;
	struct pc_settings set = { NULL, 0 };
	char err[160];
	int i = -1, j = -1, rc = -1;

	s = probe_section_next(o, "settings", &i);
	if (s == NULL)
		return;		/* unchanged since last time */
	st = probe_section_step(o, i, "settings", &rc);
	if (st == NULL || rc != 0) {
		probe_section_first_line(st, err, sizeof(err));
		probe_problem(f, HP_PROBE_GARBLED, "postconf failed: %s", err);
		return;
	}
	if (postconf_parse(s->body, s->body_len, &set, err, sizeof(err)) < 0) {
		probe_problem(f, HP_PROBE_GARBLED, "postconf output: %s", err);
		return;
	}
	s = probe_section_next(o, "postconf-n", &j);
	if (s != NULL && probe_section_step(o, j, "postconf-n", &rc) && rc == 0)
		postconf_mark_explicit(&set, s->body, s->body_len);
	model_set_settings(p->m, p->h, &set);
	postconf_free(&set);
	snprintf(p->stamp, sizeof(p->stamp), "%s",
	    probe_valid_stamp(stamp) ? stamp : "");
}

/* The files behind the TLS/SASL settings (sent with the settings, so
 * only when main.cf or one of those files changed; kept until then). */
static void
take_secfiles(struct probe *p, const struct probe_output *o)
{
	const struct probe_section *s;
	int i = -1;

	if ((s = probe_section_next(o, "secfiles", &i)) != NULL)
		hostsec_parse(s->body, s->body_len, &p->h->sec);
}

/* The other instances postmulti -l lists (sent with the settings, so
 * only when main.cf changed; kept until then). */
static void
take_instances(struct probe *p, const struct probe_output *o)
{
	const struct probe_section *s;
	struct host_instance v[HOST_INSTANCES_MAX];
	int i = -1;

	if ((s = probe_section_next(o, "instances", &i)) == NULL)
		return;
	model_set_instances(p->m, p->h, v,
	    postmulti_parse(s->body, s->body_len, v, HOST_INSTANCES_MAX));
}

/* First contact: whether master runs is told by postqueue (it fails at
 * once with "mail system is down" when not), sparing a sudo call; master's
 * pid is then learnt by a later refresh. 1 running, 0 stopped, -1 unknown
 * (the queue's own failure is reported by probe_take_queue). */
static int
status_by_queue(const struct probe_output *o, struct findings_acc *f)
{
	const struct probe_section *st;
	int i = -1, rc, down = 0;

	while (probe_section_next(o, "queue", &i) != NULL) {
		rc = -1;
		st = probe_section_step(o, i, "queue", &rc);
		if (st != NULL && rc == 0)
			return 1;
		down |= probe_section_has(st, "mail system is down");
	}
	if (!down)
		return -1;
	probe_problem(f, HP_POSTFIX_STOPPED, "Postfix is not running");
	return 0;
}

static int
take_status(struct probe *p, const struct probe_output *o,
    struct findings_acc *f)
{
	const struct probe_section *st;
	int i = -1, rc = -1;

	char via[8];

	if (probe_section_next(o, "status", &i) == NULL)
		return -1;
	p->master[0] = '\0';
	if (probe_section_arg(&o->v[i], "via", via, sizeof(via)) == 0 &&
	    strcmp(via, "queue") == 0)
		return status_by_queue(o, f);
	st = probe_section_step(o, i, "status", &rc);
	if (st == NULL)
		return -1;
	if (rc == 0) {
		char pid[24], mst[40];

		if (probe_section_arg(&o->v[i], "pid", pid, sizeof(pid)) == 0 &&
		    probe_section_arg(&o->v[i], "mst", mst, sizeof(mst)) == 0 &&
		    pid[0] != '\0' && strspn(pid, "0123456789") == strlen(pid) &&
		    mst[0] != '\0' && strspn(mst, "0123456789.") == strlen(mst))
			snprintf(p->master, sizeof(p->master), "%s %s", pid, mst);
		return 1;
	}
	if (probe_sudo_wants_password(st)) {
		probe_problem(f, HP_SUDO_PASSWORD, "sudo -n refused /usr/bin/cat "
		    "of master.pid (install the rule relaytop --sudoers "
		    "prints, or set sudo = no)");
		return -1;
	}
	probe_problem(f, HP_POSTFIX_STOPPED, "Postfix is not running");
	return 0;
}

void
probe_feed(struct probe *p, const char *token, const struct sshc_result *r)
{
	snprintf(p->token, sizeof(p->token), "%s", token);
	p->running = 1;
	probe_done(p, r);
}

/* Counts resident failures: a host where the resident cannot run (its
 * channel or shell fails each time) gets the script once per refresh. */
static void
resident_account(struct probe *p, const struct sshc_result *r)
{
	if (!p->asked)
		return;
	if (r->error == SSHE_CHANNEL) {
		if (++p->resident_fails >= PROBE_RESIDENT_TRIES)
			p->resident_off = 1;
	} else if (r->error == SSHE_NONE) {
		p->resident_fails = 0;
	}
}

/* The output without the resident's end marker. */
static size_t
answer_len(const struct probe *p, const struct sshc_result *r)
{
	char marker[64];
	size_t n;

	if (!p->asked)
		return r->out_len;
	probe_done_marker(p->token, marker, sizeof(marker));
	n = strlen(marker);
	if (r->out_len >= n && memcmp(r->out + r->out_len - n, marker, n) == 0)
		return r->out_len - n;
	return r->out_len;
}

int
probe_full_period_ms(size_t hosts)
{
	size_t ms = hosts * 1000 / PROBE_FULL_RATE;

	if (ms <= PROBE_FULL_MS)
		return PROBE_FULL_MS;
	return ms < PROBE_FULL_MAX_MS ? (int)ms : PROBE_FULL_MAX_MS;
}

/* A point of [0, range) picked by four hex digits of the run's random
 * token from at: the host's own spread, so that a fleet's hosts do not
 * all do the same thing in the same refresh. */
static int
token_pick(const char *token, int at, int range)
{
	unsigned v = 0;
	int i;

	if (range <= 0)
		return 0;
	for (i = at; i < at + 4 && token[i] != '\0'; i++)
		v = v * 16 + (unsigned)(token[i] <= '9' ? token[i] - '0' :
		    token[i] - 'a' + 10);
	return (int)(v % (unsigned)range);
}

/* A queue reading was taken from r: when it was, when the next timed one
 * comes, what it cost. */
static void
queue_taken(struct probe *p, const struct sshc_result *r,
    const struct probe_output *o)
{
	const struct host_config *cfg = p->h->cfg;
	int64_t prev = p->queue_at;
	int late, cost;

	/* this run's log lines were read before the queue */
	p->queue_at = clock_ms();
	/* the next timed read between 3/4 of queue_interval and it;
	 * after a first reading or one that came a quarter of it after it
	 * was due (many hosts held together, by a long first snapshot:
	 * then all read at once) anywhere in it, so that their timed reads
	 * part again instead of coming in waves. A refresh's own lateness
	 * (a second or two) does not count: reading sooner would make the
	 * refreshes slower, and more readings late. */
	late = prev == 0 || p->queue_at - (prev + (int64_t)
	    cfg->queue_interval_s * 1000 - p->queue_early_ms) >
	    (int64_t)cfg->queue_interval_s * 250;
	p->queue_early_ms = token_pick(p->token, 4,
	    cfg->queue_interval_s * (late ? 1000 : 250));
	/* the queue step's own time, not the whole run's: a first contact's
	 * elapsed time (SSH set-up under load) is about the same for every
	 * host and would hold them all, then free them in one refresh */
	cost = probe_queue_step_ms(r, o);
	p->queue_cost_ms = cost >= 0 ? cost : r->elapsed_ms;
	p->events_since_queue = 0;
}

static void
probe_done(void *arg, const struct sshc_result *r)
{
	struct probe *p = arg;
	struct host *h = p->h;
	struct probe_output *o;
	struct findings_acc f;
	const struct probe_section *meta;
	char stamp[256] = "", path[256];
	int i = -1, running, was = h->postfix_running, period;

	p->running = 0;
	p->runs++;
	resident_account(p, r);
	if (r->error != SSHE_NONE) {
		char msg[sizeof(h->conn_msg)];

		if (r->error == SSHE_TIMEOUT)
			probe_timeout_msg(msg, sizeof(msg), p->token, r);
		else
			snprintf(msg, sizeof(msg), "probe failed: %s",
			    sshc_error_name(r->error));
		model_set_conn(p->m, h, r->error == SSHE_TIMEOUT ||
		    r->error == SSHE_DISCONNECTED ? HC_UNREACHABLE : HC_ERROR,
		    msg);
		return;
	}
	memset(&f, 0, sizeof(f));
	o = malloc(sizeof(*o));
	if (o == NULL)
		return;
	model_mark_answer(p->m, h, time(NULL), r->elapsed_ms);
	if (probe_sections_split(r->out, answer_len(p, r), p->token, o) != 0 ||
	    o->n == 0) {
		char err[120] = "";

		snprintf(err, sizeof(err), "%.*s", (int)(r->err_len < 100 ?
		    r->err_len : 100), r->err ? r->err : "");
		probe_problem(&f, HP_PROBE_GARBLED, "probe output did not parse: %s",
		    err[0] ? err : "no sections");
		model_set_problems(p->m, h, f.bits, f.msg);
		free(o);
		return;
	}
	/* "same": the host checked that nothing changed since its last
	 * answer; all that answer told stands (problems included), and a
	 * queue reading with it is taken (Postfix runs: the check saw its
	 * master). That reading judges the queue's problem alone, and only
	 * when it is the host's one problem or none (as probe_run asks). */
	if (probe_section_next(o, "same", &i) != NULL && o->complete) {
		h->answers_same++;
		i = -1;
		if (probe_section_next(o, "queue", &i) != NULL) {
			if (probe_take_queue(p, o, &f, 1))
				queue_taken(p, r, o);
			if ((h->problems & ~HP_QUEUE_UNREADABLE) == 0)
				model_set_problems(p->m, h, f.bits, f.msg);
		}
		free(o);
		return;
	}
	i = -1;
	if ((meta = probe_section_next(o, "meta", &i)) != NULL) {
		const char *sp = meta->body, *e = meta->body + meta->body_len;

		while (sp < e) {
			const char *nl = memchr(sp, '\n', (size_t)(e - sp));
			size_t ln = nl ? (size_t)(nl - sp) : (size_t)(e - sp);

			if (ln > 6 && ln - 6 < sizeof(stamp) &&
			    memcmp(sp, "stamp=", 6) == 0) {
				memcpy(stamp, sp + 6, ln - 6);
				stamp[ln - 6] = '\0';
			}
			if (ln == 11 && memcmp(sp, "nopostfix=1", 11) == 0)
				probe_problem(&f, HP_NO_POSTFIX, "Postfix is not "
				    "installed (no postconf)");
			sp += ln + 1;
		}
	}
	take_settings(p, o, &f, stamp);
	take_secfiles(p, o);
	take_instances(p, o);	/* before the log: whose lines are whose */
	running = take_status(p, o, &f);
	probe_take_log(p, o, &f, path, sizeof(path));
	if (probe_take_queue(p, o, &f, running))
		queue_taken(p, r, o);
	if (!o->complete)
		probe_problem(&f, HP_PROBE_GARBLED, "%s", r->truncated ?
		    "probe output truncated" : "probe output cut short");
	model_set_status(p->m, h, running, path);
	if (was != -1 && h->postfix_running != was)
		p->events_since_queue++;	/* started or stopped */
	model_set_problems(p->m, h, f.bits, f.msg);
	if (o->complete) {
		p->full_at = clock_ms();
		/* the next full run in [period / 2, period) */
		period = probe_full_period_ms(p->m->n);
		p->full_after_ms = period / 2 +
		    token_pick(p->token, 0, period / 2);
		h->answers_full++;
	}
	free(o);
}
