/* probe.c: one refresh of one host. Builds the script's arguments from what
 * the last refresh learned (config stamp, log cursor), runs it over the
 * host's session, and turns the sections it prints into model updates and
 * problems. Never trusts the output: bounded, sanitised, cursor-checked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postconf.h"
#include "probe.h"
#include "queue.h"
#include "shquote.h"

#define PROBE_MAX_OUT	(16u * 1024 * 1024)

struct probe {
	struct model *m;
	struct host *h;
	int	running;
	unsigned runs;
	char	token[PROBE_TOKEN_LEN + 1];
	char	stamp[128];		/* main.cf/master.cf stamp of settings */
	struct log_cursor cur;
	char	journal_cursor[256];
	char	master[64];		/* "PID STAMP" of master last seen up */
	int	queue_text;		/* postqueue -j did not work */
};

/* What one run found wrong, gathered then given to the model at once. */
struct findings_acc {
	unsigned bits;
	char	msg[256];
};

static void problem(struct findings_acc *f, unsigned bit, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
problem(struct findings_acc *f, unsigned bit, const char *fmt, ...)
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

int
probe_run(struct probe *p, struct sshc *c, int64_t now_ms)
{
	struct host *h = p->h;
	struct probe_args a;
	char err[160], *cmd;
	int timeout_ms;

	(void)now_ms;
	if (p->running)
		return -1;
	probe_token_new(p->token);
	probe_args_fill(&a, h, p->token, p->stamp, &p->cur, p->journal_cursor,
	    p->queue_text);
	a.master = p->master;
	cmd = probe_script_build(&a, err, sizeof(err));
	if (cmd == NULL) {
		model_set_problems(p->m, h, h->problems | HP_PROBE_GARBLED, err);
		return -1;
	}
	timeout_ms = (h->cfg->timeout_s > 0 ? h->cfg->timeout_s : 10) * 1000;
	/* running before the call: a callback run from inside sshc_exec
	 * (a failure at once) must find it set, and clears it */
	p->running = 1;
	h->last_attempt = time(NULL);
	if (sshc_exec(c, cmd, NULL, 0, PROBE_MAX_OUT, timeout_ms, probe_done,
	    p) != 0) {
		p->running = 0;
		free(cmd);
		return -1;
	}
	free(cmd);
	return 0;
}

static int
sudo_wants_password(const struct probe_section *s)
{
	return probe_section_has(s, "password is required") ||
	    probe_section_has(s, "a terminal is required");
}

/* Feeds complete lines of buf[0..n) to the parser and the model. */
static void
feed_lines(struct probe *p, const char *buf, size_t n, int journal)
{
	int year = maillog_year_now();
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) : n, ln = end - i;
		struct mail_event ev;

		if (ln > 0 && buf[i + ln - 1] == '\r')
			ln--;
		/* journalctl's own lines ("-- cursor: ...") are not mail */
		if (ln > 0 && !(journal && ln > 1 && buf[i] == '-' &&
		    buf[i + 1] == '-') &&
		    maillog_parse_line(buf + i, ln, year, &ev) == 0 &&
		    ev.kind != EV_NONE)
			model_add_event(p->m, p->h, &ev);
		i = end + 1;
	}
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
		problem(f, HP_PROBE_GARBLED, "postconf failed: %s", err);
		return;
	}
	if (postconf_parse(s->body, s->body_len, &set, err, sizeof(err)) < 0) {
		problem(f, HP_PROBE_GARBLED, "postconf output: %s", err);
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

static int
take_status(struct probe *p, const struct probe_output *o,
    struct findings_acc *f)
{
	const struct probe_section *st;
	int i = -1, rc = -1;

	if (probe_section_next(o, "status", &i) == NULL)
		return -1;
	st = probe_section_step(o, i, "status", &rc);
	p->master[0] = '\0';
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
	if (sudo_wants_password(st)) {
		problem(f, HP_SUDO_PASSWORD, "sudo -n wants a password (allow "
		    "NOPASSWD for postfix, tail, stat, dd or set sudo = no)");
		return -1;
	}
	problem(f, HP_POSTFIX_STOPPED, "Postfix is not running");
	return 0;
}

static void
log_error(struct findings_acc *f, const struct probe_section *st,
    const char *path)
{
	char err[120];

	probe_section_first_line(st, err, sizeof(err));
	if (sudo_wants_password(st))
		problem(f, HP_SUDO_PASSWORD, "sudo -n wants a password to read "
		    "the log (allow NOPASSWD for tail, stat, dd)");
	else if (probe_section_has(st, "No such file"))
		problem(f, HP_LOG_NONE, "no maillog at %s", path);
	else if (probe_section_has(st, "ermission denied") ||
	    probe_section_has(st, "not permitted"))
		problem(f, HP_LOG_UNREADABLE, "maillog unreadable: permission "
		    "denied (set sudo = yes)");
	else
		problem(f, HP_LOG_UNREADABLE, "maillog unreadable: %s", err);
}

/* One "log" section at index i: check it, move the cursor, feed lines. */
static void
take_chunk(struct probe *p, const struct probe_output *o, int i,
    const char *path, struct findings_acc *f)
{
	const struct probe_section *s = &o->v[i], *st;
	struct log_chunk ch;
	uint64_t base;
	char kind[8];
	size_t skip, n, lead;
	int rc = -1;

	memset(&ch, 0, sizeof(ch));
	if (probe_section_arg(s, "kind", kind, sizeof(kind)) != 0 ||
	    (ch.kind = chunk_kind_parse(kind)) == CHUNK_KIND_MAX ||
	    probe_section_arg_u64(s, "ino", &ch.ino) != 0 ||
	    probe_section_arg_u64(s, "start", &ch.start) != 0 ||
	    probe_section_arg_u64(s, "end", &ch.end) != 0 ||
	    probe_section_arg_u64(s, "fsize", &ch.fsize) != 0 ||
	    probe_section_arg_u64(s, "base", &base) != 0 ||
	    base > ch.start || ch.start - base >= 4096) {
		problem(f, HP_PROBE_GARBLED, "log chunk header garbled");
		return;
	}
	/* the data counts only when its step follows: else it was cut */
	st = probe_section_step(o, i, "logread", &rc);
	if (st == NULL) {
		problem(f, HP_PROBE_GARBLED, "log output cut short");
		return;
	}
	if (rc != 0) {
		log_error(f, st, path);
		return;
	}
	lead = (size_t)(ch.start - base);
	ch.data = s->body + (lead < s->body_len ? lead : s->body_len);
	ch.len = lead < s->body_len ? s->body_len - lead : 0;
	if (log_cursor_take(&p->cur, path, &ch, PROBE_LOG_CAP, &skip, &n) != 0)
		return;
	feed_lines(p, ch.data + skip, n, 0);
}

static void
take_log(struct probe *p, const struct probe_output *o,
    struct findings_acc *f, char *path, size_t plen)
{
	const struct probe_section *s, *st;
	int i = -1, rc = -1;
	size_t k;

	path[0] = '\0';
	if (probe_section_next(o, "nolog", &i) != NULL) {
		problem(f, HP_LOG_NONE, "no maillog found (maillog_file, "
		    "/var/log/maillog, /var/log/mail.log, journal)");
		return;
	}
	i = -1;
	if ((s = probe_section_next(o, "journal", &i)) != NULL) {
		const char *c = NULL, *e = s->body + s->body_len, *q;

		snprintf(path, plen, "journal");
		st = probe_section_step(o, i, "journal", &rc);
		if (st == NULL || rc != 0) {
			log_error(f, st, "journal");
			return;
		}
		/* the cursor line "-- cursor: s=..." comes last */
		for (q = s->body; q < e; q++)
			if ((q == s->body || q[-1] == '\n') && e - q > 11 &&
			    memcmp(q, "-- cursor: ", 11) == 0)
				c = q + 11;
		if (c != NULL) {
			const char *nl = memchr(c, '\n', (size_t)(e - c));
			size_t cn = nl ? (size_t)(nl - c) : (size_t)(e - c);
			char buf[256];

			if (cn < sizeof(buf)) {
				memcpy(buf, c, cn);
				buf[cn] = '\0';
				if (probe_valid_journal_cursor(buf))
					memcpy(p->journal_cursor, buf, cn + 1);
			}
		}
		feed_lines(p, s->body, s->body_len, 1);
		return;
	}
	i = -1;
	s = probe_section_next(o, "logfile", &i);
	if (s == NULL) {
		int j = -1;

		if (probe_section_next(o, "log", &j) != NULL)
			problem(f, HP_PROBE_GARBLED, "log data without its file");
		return;
	}
	k = s->body_len < plen ? s->body_len : plen - 1;
	memcpy(path, s->body, k);
	path[k] = '\0';
	if (strlen(path) != k || !valid_path(path)) {
		problem(f, HP_LOG_UNREADABLE, "maillog path not usable");
		path[0] = '\0';
		return;
	}
	if ((st = probe_section_step(o, i, "logstat", &rc)) != NULL) {
		log_error(f, st, path);
		return;
	}
	for (k = (size_t)i + 1; k < o->n; k++)
		if (strcmp(o->v[k].name, "log") == 0)
			take_chunk(p, o, (int)k, path, f);
}

static void
take_queue(struct probe *p, const struct probe_output *o,
    struct findings_acc *f, int running)
{
	const struct probe_section *s, *st, *ok = NULL, *bad = NULL;
	struct queue_summary q;
	char fmt[4], err[160];
	int i = -1, rc, okfmt_j = 0, r;

	if (probe_section_next(o, "queue-skipped", &i) != NULL) {
		/* master not running: postqueue would wait, then fail */
		model_clear_queue(p->m, p->h);
		return;
	}
	i = -1;
	while ((s = probe_section_next(o, "queue", &i)) != NULL) {
		rc = -1;
		st = probe_section_step(o, i, "queue", &rc);
		if (st != NULL && rc == 0) {
			ok = s;
			okfmt_j = probe_section_arg(s, "fmt", fmt,
			    sizeof(fmt)) == 0 && strcmp(fmt, "j") == 0;
		} else {
			bad = st;
		}
	}
	if (ok == NULL) {
		model_clear_queue(p->m, p->h);
		if (bad != NULL && running != 0) {
			probe_section_first_line(bad, err, sizeof(err));
			problem(f, HP_QUEUE_UNREADABLE, "postqueue failed: %s",
			    err);
		}
		return;
	}
	memset(&q, 0, sizeof(q));
	if (okfmt_j)
		r = queue_parse_json(ok->body, ok->body_len, &q, err,
		    sizeof(err));
	else
		r = queue_parse_text(ok->body, ok->body_len, time(NULL), &q,
		    err, sizeof(err));
	if (r != 0) {
		if (okfmt_j)
			p->queue_text = 1;	/* try -p next time */
		problem(f, HP_QUEUE_UNREADABLE, "queue listing: %s", err);
		return;
	}
	model_set_queue(p->m, p->h, &q);
}

void
probe_feed(struct probe *p, const char *token, const struct sshc_result *r)
{
	snprintf(p->token, sizeof(p->token), "%s", token);
	p->running = 1;
	probe_done(p, r);
}

static void
probe_done(void *arg, const struct sshc_result *r)
{
	struct probe *p = arg;
	struct host *h = p->h;
	struct probe_output *o;
	struct findings_acc f;
	const struct probe_section *meta;
	char stamp[128] = "", path[256];
	int i = -1, running;

	p->running = 0;
	p->runs++;
	if (r->error != SSHE_NONE) {
		char msg[200];

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
	if (probe_sections_split(r->out, r->out_len, p->token, o) != 0 ||
	    o->n == 0) {
		char err[120] = "";

		snprintf(err, sizeof(err), "%.*s", (int)(r->err_len < 100 ?
		    r->err_len : 100), r->err ? r->err : "");
		problem(&f, HP_PROBE_GARBLED, "probe output did not parse: %s",
		    err[0] ? err : "no sections");
		model_set_problems(p->m, h, f.bits, f.msg);
		free(o);
		return;
	}
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
				problem(&f, HP_NO_POSTFIX, "Postfix is not "
				    "installed (no postconf)");
			sp += ln + 1;
		}
	}
	take_settings(p, o, &f, stamp);
	running = take_status(p, o, &f);
	take_log(p, o, &f, path, sizeof(path));
	take_queue(p, o, &f, running);
	if (!o->complete)
		problem(&f, HP_PROBE_GARBLED, "%s", r->truncated ?
		    "probe output truncated" : "probe output cut short");
	model_set_status(p->m, h, running, path);
	model_set_problems(p->m, h, f.bits, f.msg);
	free(o);
}
