/* ssh-exec.c: commands on a READY session, each on its own channel, several
 * at once: open, exec, optional stdin then EOF, bounded stdout/stderr, exit
 * status, deadline. Every step is one non-blocking libssh2 call. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh-internal.h"

static int
open_channels(const struct sshc *c)
{
	const struct sshc_cmd *k;
	int n = 0;

	for (k = c->cmds; k; k = k->next)
		n += k->ch != NULL || k->st == CMD_OPENING;
	return n;
}

static int
runnable(const struct sshc *c, const struct sshc_cmd *k)
{
	return k->st == CMD_WAIT_OPEN && k->cb && c->opening == NULL &&
	    open_channels(c) < SSHC_MAX_CHANNELS && sshc_may_send(c, k);
}

int
sshc_exec(struct sshc *c, const char *command, const char *stdin_data,
    size_t stdin_len, size_t max_out, int timeout_ms, sshc_exec_cb cb,
    void *arg)
{
	struct sshc_cmd *k, **pp;
	int64_t now = clock_ms();

	if (c->state != SSHC_READY || !command || !cb)
		return -1;
	if (!(k = calloc(1, sizeof(*k))) || !(k->command = strdup(command)))
		goto nomem;
	if (stdin_data) {
		if (!(k->in = malloc(stdin_len ? stdin_len : 1)))
			goto nomem;
		memcpy(k->in, stdin_data, stdin_len);
		k->in_len = stdin_len;
	}
	k->out.max = k->err.max = max_out;
	k->start_ms = now;
	if (timeout_ms <= 0)
		timeout_ms = c->cfg->timeout_s * 1000;
	k->deadline = deadline_after(now, timeout_ms);
	k->exit_status = -1;
	k->cb = cb;
	k->arg = arg;
	for (pp = &c->cmds; *pp; pp = &(*pp)->next)
		;
	*pp = k;
	c->idle_inbound = 0;	/* the channel's reads will drain it */
	return 0;		/* sshc_deadline() is now: the loop steps us */
nomem:
	if (k) {
		free(k->command);
		free(k);
	}
	return -1;
}

int
sshc_exec_stream(struct sshc *c, const char *command, const char *stdin_data,
    size_t stdin_len, size_t max_err, int timeout_ms, sshc_out_cb on_out,
    sshc_exec_cb cb, void *arg)
{
	struct sshc_cmd *k;

	if (on_out == NULL || sshc_exec(c, command, stdin_data, stdin_len,
	    max_err, timeout_ms, cb, arg) != 0)
		return -1;
	for (k = c->cmds; k->next != NULL; k = k->next)
		;
	k->on_out = on_out;	/* sshc_exec appended it last */
	k->out.max = SSHC_STREAM_CHUNK;
	return 0;
}

int
sshc_cmds_active(const struct sshc *c)
{
	const struct sshc_cmd *k;

	for (k = c->cmds; k; k = k->next)
		if (!(k->resident && k->st == CMD_IDLE))
			return 1;
	return 0;
}

int
sshc_busy(const struct sshc *c)
{
	const struct sshc_cmd *k;
	int n = 0;

	for (k = c->cmds; k; k = k->next)
		n += k->cb != NULL && !k->finished;
	return n;
}

void
sshc_cmd_add_zombie(struct sshc *c, LIBSSH2_CHANNEL *ch)
{
	struct sshc_cmd *k = calloc(1, sizeof(*k));

	if (!k)
		return;		/* freed with the session */
	k->ch = ch;
	k->st = CMD_CLOSE;
	k->exit_status = -1;
	k->start_ms = clock_ms();
	k->deadline = deadline_after(k->start_ms, c->cfg->timeout_s * 1000);
	k->next = c->cmds;
	c->cmds = k;
}

int64_t
sshc_cmds_deadline(const struct sshc *c)
{
	const struct sshc_cmd *k;
	int64_t d = INT64_MAX;

	for (k = c->cmds; k; k = k->next) {
		if (runnable(c, k) || (k->finished && k->cb))
			return 0;
		if (k->deadline < d)
			d = k->deadline;
	}
	return d;
}

static void
finish(struct sshc_cmd *k, enum sshc_error e, const char *why)
{
	if (k->finished)
		return;
	k->finished = 1;
	if (e != SSHE_NONE && k->error == SSHE_NONE) {
		k->error = e;
		snprintf(k->errmsg, sizeof(k->errmsg), "%s", why);
	}
}

/* Notes when stdout reached its length (for a timeout's message). */
static void
mark(struct sshc_cmd *k)
{
	int32_t ms = (int32_t)(clock_ms() - k->start_ms);
	struct sshc_mark *m = k->nmarks ? &k->marks[k->nmarks - 1] : NULL;

	if (m == NULL || (ms - m->ms >= SSHC_MARK_MS &&
	    k->nmarks < SSHC_MARKS)) {
		m = &k->marks[k->nmarks++];
		m->ms = ms;
	} else if (k->nmarks == SSHC_MARKS) {
		m->ms = ms;
	}
	m->len = (uint32_t)k->out.len;
}

/* Reads what a stream has, up to the session's budget for this step (the
 * rest on the next step, after poll() and the other sessions: sets
 * c->again); keeps up to max bytes, discards the rest. */
static int
read_stream(struct sshc *c, struct sshc_cmd *k, int stream, struct outbuf *b)
{
	char scratch[16384], *dst, *np;
	size_t room, ncap;
	ssize_t n;
	int progress = 0;

	for (;;) {
		if (c->rx_budget == 0) {
			c->again = 1;
			return progress;
		}
		if (b->len < b->max && b->cap - b->len <= 1) {
			ncap = b->cap ? b->cap * 2 : 16384;
			if (ncap > b->max + 1)
				ncap = b->max + 1;
			if (!(np = realloc(b->p, ncap)))
				return -2;
			b->p = np;
			b->cap = ncap;
		}
		if (b->len < b->max) {
			dst = b->p + b->len;
			room = b->cap - 1 - b->len;
		} else {
			dst = scratch;
			room = sizeof(scratch);
		}
		if (room > c->rx_budget)
			room = c->rx_budget;
		if (room > SSHC_READ_CHUNK)
			room = SSHC_READ_CHUNK;
		n = libssh2_channel_read_ex(k->ch, stream, dst, room);
		if (n == LIBSSH2_ERROR_EAGAIN) {
			sshc_note_block(c, k);
			return progress;
		}
		if (n < 0)
			return (int)n;
		if (n == 0)
			return progress;
		if (k->resident && stream == 0)
			sshc_resident_keep_tail(k, dst, (size_t)n);
		if (dst == scratch)
			b->truncated = 1;
		else
			b->len += (size_t)n;
		if (stream == 0 && dst != scratch)
			mark(k);
		c->rx_budget -= (size_t)n;
		progress = 1;
		if (k->on_out != NULL && stream == 0 && b->len > 0) {
			k->on_out(k->arg, b->p, b->len);
			b->len = 0;	/* handed over: nothing held */
		}
	}
}

static int
read_both(struct sshc *c, struct sshc_cmd *k)
{
	int a = read_stream(c, k, 0, &k->out), e;

	if (a < 0)
		return a;
	e = read_stream(c, k, SSH_EXTENDED_DATA_STDERR, &k->err);
	if (e < 0)
		return e;
	return a | e;
}

static int
signal_status(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch)
{
	static const struct { const char *n; int s; } sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "KILL", SIGKILL },
		{ "PIPE", SIGPIPE }, { "TERM", SIGTERM }, { "SEGV", SIGSEGV },
		{ "ABRT", SIGABRT }, { "ALRM", SIGALRM },
	};
	char *name = NULL;
	size_t len = 0, i;

	libssh2_channel_get_exit_signal(ch, &name, &len, NULL, NULL, NULL,
	    NULL);
	if (!name)
		return -1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(name, sigs[i].n) == 0)
			break;
	i = i < sizeof(sigs) / sizeof(sigs[0]) ? 128 + (size_t)sigs[i].s : 255;
	libssh2_free(s, name);
	return (int)i;
}

/* A libssh2 rc of the command's current step. 1/0: progress or not;
 * -1: the session failed (sshc_fail done). */
static int
handle_rc(struct sshc *c, struct sshc_cmd *k, int rc, int64_t now,
    const char *what)
{
	if (rc == LIBSSH2_ERROR_EAGAIN) {
		sshc_note_block(c, k);
		return 0;
	}
	if (c->out_owner == k)
		c->out_owner = NULL;
	if (rc == 0)
		return 1;
	if (sshc_rc_fatal(rc)) {
		sshc_fail(c, SSHE_DISCONNECTED, now, "%s: %s: %s", c->cfg->name,
		    what, sshc_lasterr(c));
		return -1;
	}
	finish(k, SSHE_CHANNEL, sshc_lasterr(c));
	return 2;	/* channel-level failure: caller cleans up */
}

static int
timed_out(struct sshc *c, struct sshc_cmd *k, int64_t now)
{
	int64_t span = k->deadline - k->start_ms;

	/* Nothing at all heard for the whole span: the peer is gone. */
	if (now - c->last_rx >= span) {
		sshc_fail(c, SSHE_TIMEOUT, now, "%s (%s): no answer for %d s",
		    c->cfg->name, c->cfg->address, (int)(span / 1000));
		return -1;
	}
	if (!k->cb || k->finished) {
		/* A cleanup that does not end: drop the channel (freed with the
		 * session) unless libssh2 is mid-open, which must complete. */
		if (k->st == CMD_OPENING) {
			sshc_fail(c, SSHE_TIMEOUT, now, "%s: channel open hangs",
			    c->cfg->name);
			return -1;
		}
		k->ch = NULL;
		k->st = CMD_DONE;
		return 1;
	}
	finish(k, SSHE_TIMEOUT, k->st == CMD_WAIT_OPEN ? "timed out waiting "
	    "for a channel" : k->st == CMD_OPENING ? "timed out in channel open" :
	    k->st == CMD_EXEC ? "timed out in exec" : k->st == CMD_STDIN ?
	    "timed out writing the request" : "timed out reading the answer");
	if (k->st == CMD_EXEC && c->opening == k)
		c->opening = NULL;
	if (k->st == CMD_WAIT_OPEN)
		k->st = CMD_DONE;
	else if (k->st != CMD_OPENING && k->st < CMD_CLOSE)
		k->st = CMD_CLOSE;
	k->deadline = deadline_after(now, (int)span);
	return 1;
}

static int
cmd_step1(struct sshc *c, struct sshc_cmd *k, int64_t now)
{
	ssize_t w;
	int rc, r = 0;

	if (k->st == CMD_DONE)
		return 0;
	if (now >= k->deadline)
		if ((r = timed_out(c, k, now)) != 0 || k->st == CMD_DONE)
			return r;
	if (!sshc_may_send(c, k))
		return 0;
	switch (k->st) {
	case CMD_WAIT_OPEN:
		if (!runnable(c, k))
			return 0;
		c->opening = k;
		k->st = CMD_OPENING;
		/* FALLTHROUGH */
	case CMD_OPENING:
		k->ch = libssh2_channel_open_ex(c->s, "session",
		    sizeof("session") - 1, SSHC_CHANNEL_WINDOW,
		    LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
		if (!k->ch) {
			rc = libssh2_session_last_errno(c->s);
			if (rc != LIBSSH2_ERROR_EAGAIN)
				c->opening = NULL;
			r = handle_rc(c, k, rc, now, "channel open");
			if (r == 2)
				k->st = CMD_DONE;
			return r < 0 ? -1 : r != 0;
		}
		if (c->out_owner == k)
			c->out_owner = NULL;
		k->st = k->cb && !k->finished ? CMD_EXEC : CMD_CLOSE;
		/* the lock is kept through the exec: libssh2 1.10 fails a
		 * channel request whose reply arrives while another channel
		 * of the session waits for its own (issue 671 upstream) */
		if (k->st != CMD_EXEC)
			c->opening = NULL;
		return 1;
	case CMD_EXEC:
		rc = libssh2_channel_exec(k->ch, k->command);
		r = handle_rc(c, k, rc, now, "exec");
		if (r != 0 && c->opening == k)
			c->opening = NULL;
		if (r == 1) {
			k->st = k->in ? CMD_STDIN : CMD_EOF;
			/* sent: the probe's 14 KB command is not kept for
			 * the resident's life (500 hosts: 7 MB) */
			free(k->command);
			k->command = NULL;
		} else if (r == 2)
			k->st = CMD_CLOSE;
		return r < 0 ? -1 : r != 0;
	case CMD_STDIN:
		if ((r = read_both(c, k)) < 0)
			break;
		if (k->in_off < k->in_len) {
			w = libssh2_channel_write(k->ch, k->in + k->in_off,
			    k->in_len - k->in_off);
			if (w > 0) {
				if (c->out_owner == k)
					c->out_owner = NULL;
				k->in_off += (size_t)w;
				return 1;
			}
			rc = handle_rc(c, k, (int)w, now, "stdin");
			if (rc == 2)
				k->st = CMD_CLOSE;
			return rc < 0 ? -1 : (rc != 0) | r;
		}
		k->st = k->resident ? CMD_READ : CMD_EOF;
		return 1;
	case CMD_EOF:
		rc = libssh2_channel_send_eof(k->ch);
		r = handle_rc(c, k, rc, now, "eof");
		if (r == 1)
			k->st = CMD_READ;
		else if (r == 2)
			k->st = CMD_CLOSE;
		return r < 0 ? -1 : r != 0;
	case CMD_READ:
		if ((r = read_both(c, k)) < 0)
			break;
		if (k->resident && sshc_resident_answered(k)) {
			k->exit_status = 0;
			finish(k, SSHE_NONE, "");
			k->deadline = INT64_MAX;
			k->st = CMD_IDLE;
			return 1;
		}
		if (libssh2_channel_eof(k->ch)) {
			if (k->resident)
				finish(k, SSHE_CHANNEL, "resident command ended");
			k->st = CMD_CLOSE;
			return 1;
		}
		return r;
	case CMD_IDLE:
		if (libssh2_channel_eof(k->ch)) {
			k->st = CMD_CLOSE;
			return 1;
		}
		return 0;
	case CMD_CLOSE:
		rc = libssh2_channel_close(k->ch);
		r = handle_rc(c, k, rc, now, "close");
		if (r)
			k->st = CMD_WAIT_CLOSED;
		return r < 0 ? -1 : r != 0;
	case CMD_WAIT_CLOSED:
		rc = libssh2_channel_wait_closed(k->ch);
		r = handle_rc(c, k, rc, now, "close");
		if (r == 1) {
			k->exit_status = libssh2_channel_get_exit_status(k->ch);
			if ((rc = signal_status(c->s, k->ch)) >= 0)
				k->exit_status = rc;
		}
		if (r)
			k->st = CMD_FREE;
		return r < 0 ? -1 : r != 0;
	case CMD_FREE:
		rc = libssh2_channel_free(k->ch);
		r = handle_rc(c, k, rc, now, "free");
		if (r) {
			k->ch = NULL;
			k->st = CMD_DONE;
			finish(k, SSHE_NONE, "");
		}
		return r < 0 ? -1 : r != 0;
	case CMD_DONE:
		return 0;
	}
	/* Reading failed. */
	if (r == -2) {
		finish(k, SSHE_CHANNEL, "out of memory");
		k->st = CMD_CLOSE;
		return 1;
	}
	rc = handle_rc(c, k, r, now, "read");
	if (rc == 2)
		k->st = CMD_CLOSE;
	return rc < 0 ? -1 : 1;
}

/* One step; a resident that failed or ended is no longer the session's. */
static int
cmd_step(struct sshc *c, struct sshc_cmd *k, int64_t now)
{
	int r = cmd_step1(c, k, now);

	if (r >= 0 && k->resident && k->st >= CMD_CLOSE && k->st != CMD_IDLE)
		sshc_resident_detach(c, k);
	return r;
}

/* Whether k must be stepped again at once: every libssh2 read drains the
 * socket for all channels and both streams, so the stderr read of a step's
 * last pass (or another channel's read) may have queued k's stdout, or its
 * EOF, inside libssh2 with nothing left on the socket for poll() to see;
 * k would then wait for its deadline with its answer in memory. What a
 * step could not take (not ours to read, or k may not send while another
 * command's packet is half-sent) wakes it once, not every turn: the loop
 * must not spin while a stalled peer holds the other send. */
static int
queued_unread(struct sshc_cmd *k)
{
	unsigned long avail = 0;

	if (k->ch == NULL || (k->st != CMD_STDIN && k->st != CMD_READ))
		return 0;
	if (k->st == CMD_READ && libssh2_channel_eof(k->ch))
		avail = ULONG_MAX;	/* the EOF: seen as a size of its own */
	else
		libssh2_channel_window_read_ex(k->ch, &avail, NULL);
	if (avail == 0 || avail == k->queued_seen) {
		k->queued_seen = avail;
		return 0;
	}
	k->queued_seen = avail;
	return 1;
}

int
sshc_cmds_step(struct sshc *c, int64_t now_ms)
{
	struct sshc_cmd *k;
	int r, any = 0, progress, rounds = 0;

	if (c->state != SSHC_READY)
		return 0;
	/* Repeat while anything moved: one channel's read may have queued
	 * another's data inside libssh2, with nothing left on the socket. */
	do {
		progress = 0;
		for (k = c->cmds; k; k = k->next) {
			r = cmd_step(c, k, now_ms);
			if (r < 0 || c->state != SSHC_READY)
				return -1;
			progress |= r;
		}
		any |= progress;
	} while (progress && c->rx_budget > 0 && ++rounds < 10000);
	for (k = c->cmds; k; k = k->next)
		if (queued_unread(k))
			c->again = 1;	/* sshc_deadline() is now */
	return any;
}

void
sshc_cmds_fail(struct sshc *c, enum sshc_error e)
{
	struct sshc_cmd *k;

	for (k = c->cmds; k; k = k->next) {
		k->ch = NULL;	/* dies with the session */
		k->st = CMD_DONE;
		finish(k, e, c->msg);
	}
	c->opening = NULL;
}

static void
cmd_free(struct sshc_cmd *k)
{
	free(k->command);
	free(k->in);
	free(k->out.p);
	free(k->err.p);
	free(k);
}

void
sshc_cmds_finish(struct sshc *c)
{
	struct sshc_cmd **pp, *k;
	struct sshc_result r;
	sshc_exec_cb cb;
	int64_t now = clock_ms();

again:
	for (pp = &c->cmds; (k = *pp); ) {
		if (k->cb && k->finished) {
			memset(&r, 0, sizeof(r));
			r.exit_status = k->error == SSHE_NONE ?
			    k->exit_status : -1;
			r.error = k->error;
			r.out = k->out.p ? k->out.p : "";
			r.out_len = k->out.len;
			r.err = k->err.p ? k->err.p : "";
			r.err_len = k->err.len;
			if (k->out.p)
				k->out.p[k->out.len] = '\0';
			if (k->err.p)
				k->err.p[k->err.len] = '\0';
			r.truncated = k->out.truncated || k->err.truncated;
			r.elapsed_ms = (int)(now - k->start_ms);
			r.msg = k->error == SSHE_NONE ? "" : k->errmsg;
			r.marks = k->marks;
			r.nmarks = k->nmarks;
			cb = k->cb;
			k->cb = NULL;
			cb(k->arg, &r);	/* may add commands or fail us */
			goto again;
		}
		if (k->st == CMD_DONE && !k->cb) {
			if (c->resident == k)
				c->resident = NULL;
			*pp = k->next;
			cmd_free(k);
			continue;
		}
		sshc_resident_trim(k);	/* an answer handed over: let go */
		pp = &k->next;
	}
}
