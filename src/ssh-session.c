/* ssh-session.c: one host's libssh2 session as a non-blocking state machine:
 * TCP connect (or jump tunnel), handshake, host key, auth, READY; failures
 * tear the session down and retry with backoff. Never blocks, never spins. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh-compat.h"
#include "ssh-internal.h"

static const char *const error_names[SSHE_MAX] = {
	[SSHE_NONE] = "ok",
	[SSHE_RESOLVE] = "cannot resolve",
	[SSHE_REFUSED] = "connection refused",
	[SSHE_UNREACHABLE] = "unreachable",
	[SSHE_TIMEOUT] = "timed out",
	[SSHE_HANDSHAKE] = "ssh handshake failed",
	[SSHE_HOSTKEY_CHANGED] = "HOST KEY CHANGED",
	[SSHE_HOSTKEY_UNKNOWN] = "host key unknown",
	[SSHE_AUTH] = "authentication failed",
	[SSHE_DISCONNECTED] = "disconnected",
	[SSHE_JUMP] = "jump host unusable",
	[SSHE_CHANNEL] = "channel failed",
};

const char *
sshc_error_name(enum sshc_error e)
{
	if ((int)e < 0 || e >= SSHE_MAX)
		return "?";
	return error_names[e];
}

static int libssh2_ready;

/* Counts received bytes so a command deadline can tell a slow command
 * from a dead peer. Same contract as libssh2's own recv. */
static LIBSSH2_RECV_FUNC(sshc_recv)
{
	struct sshc *c = *abstract;
	ssize_t n = recv(socket, buffer, length, flags);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n > 0 && c)
		c->last_rx = clock_ms();
	return n;
}

static void
resolve(struct sshc *c)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&c->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&c->addr;
	struct addrinfo hints, *res = NULL;
	const char *a = c->cfg->address;
	int rc;

	memset(&c->addr, 0, sizeof(c->addr));
	if (inet_pton(AF_INET, a, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)c->cfg->port);
		c->addrlen = sizeof(*in4);
		return;
	}
	if (inet_pton(AF_INET6, a, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)c->cfg->port);
		c->addrlen = sizeof(*in6);
		return;
	}
	/* A name: resolved once, here at start (blocking); never in the loop. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(a, NULL, &hints, &res);
	if (rc != 0 || !res || res->ai_addrlen > sizeof(c->addr)) {
		c->resolve_failed = 1;
		snprintf(c->msg, sizeof(c->msg), "cannot resolve %s: %s "
		    "(names are resolved once, at start)", a,
		    rc ? gai_strerror(rc) : "no address");
		if (res)
			freeaddrinfo(res);
		return;
	}
	memcpy(&c->addr, res->ai_addr, res->ai_addrlen);
	c->addrlen = res->ai_addrlen;
	if (c->addr.ss_family == AF_INET)
		in4->sin_port = htons((uint16_t)c->cfg->port);
	else
		in6->sin6_port = htons((uint16_t)c->cfg->port);
	freeaddrinfo(res);
}

struct sshc *
sshc_new(const struct host_config *cfg, struct sshc *via)
{
	struct sshc *c;

	if (!libssh2_ready) {
		if (libssh2_init(0) != 0)
			return NULL;
		libssh2_ready = 1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cfg = cfg;
	c->fd = -1;
	c->via = via;
	c->next_try = INT64_MAX;
	if (via) {
		c->dep_next = via->deps;
		via->deps = c;
	} else {
		resolve(c);
	}
	return c;
}

void
sshc_free(struct sshc *c)
{
	struct sshc **pp;

	if (!c)
		return;
	sshc_close(c);
	if (c->via) {
		for (pp = &c->via->deps; *pp; pp = &(*pp)->dep_next)
			if (*pp == c) {
				*pp = c->dep_next;
				break;
			}
	}
	free(c);
}

int
sshc_rc_fatal(int rc)
{
	switch (rc) {
	case LIBSSH2_ERROR_SOCKET_NONE: case LIBSSH2_ERROR_BANNER_RECV:
	case LIBSSH2_ERROR_BANNER_SEND: case LIBSSH2_ERROR_INVALID_MAC:
	case LIBSSH2_ERROR_KEX_FAILURE: case LIBSSH2_ERROR_SOCKET_SEND:
	case LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE: case LIBSSH2_ERROR_TIMEOUT:
	case LIBSSH2_ERROR_DECRYPT: case LIBSSH2_ERROR_SOCKET_DISCONNECT:
	case LIBSSH2_ERROR_PROTO: case LIBSSH2_ERROR_SOCKET_TIMEOUT:
	case LIBSSH2_ERROR_SOCKET_RECV: case LIBSSH2_ERROR_ENCRYPT:
	case LIBSSH2_ERROR_BAD_SOCKET: case LIBSSH2_ERROR_BAD_USE:
	case LIBSSH2_ERROR_ALLOC:
		return 1;
	}
	return 0;
}

const char *
sshc_lasterr(struct sshc *c)
{
	char *m = NULL;

	if (!c->s)
		return "no session";
	libssh2_session_last_error(c->s, &m, NULL, 0);
	return m && *m ? m : "unknown libssh2 error";
}

void
sshc_note_block(struct sshc *c, void *who)
{
	if (c->s && (libssh2_session_block_directions(c->s) &
	    LIBSSH2_SESSION_BLOCK_OUTBOUND))
		c->out_owner = who;
}

int
sshc_may_send(const struct sshc *c, const void *who)
{
	return c->out_owner == NULL || c->out_owner == who;
}

void
sshc_teardown(struct sshc *c)
{
	/* Sessions tunnelled through us lose their channel with our session. */
	if (c->deps)
		sshc_jump_lost(c, clock_ms());
	if (c->via)
		sshc_jump_close(c);
	/* Close the socket first: libssh2_session_free then fails its sends
	 * at once instead of returning EAGAIN half-way and leaking. */
	if (c->fd >= 0 && !c->via)
		close(c->fd);
	c->fd = -1;
	sshc_agent_keys_free(&c->akeys);
	/* Channels die with the session; commands forget theirs first. */
	sshc_cmds_fail(c, SSHE_DISCONNECTED);
	if (c->s)
		libssh2_session_free(c->s);
	c->s = NULL;
	c->out_owner = c->opening = NULL;
	c->idle_inbound = 0;
}

void
sshc_fail(struct sshc *c, enum sshc_error e, int64_t now_ms, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	c->err = e;
	c->state = SSHC_BACKOFF;
	c->backoff_ms = backoff_next(c->backoff_ms);
	if (c->backoff_max_ms > 0 && c->backoff_ms > c->backoff_max_ms)
		c->backoff_ms = c->backoff_max_ms;
	c->next_try = c->resolve_failed ? INT64_MAX :
	    deadline_after(now_ms, c->backoff_ms);
	/* Commands in flight learn the session's error, then it goes. */
	sshc_cmds_fail(c, e);
	sshc_teardown(c);
	if (!c->stepping)
		sshc_cmds_finish(c);
}

static enum sshc_error
errno_error(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return SSHE_REFUSED;
	case ETIMEDOUT:
		return SSHE_TIMEOUT;
	default:
		return SSHE_UNREACHABLE;
	}
}

static void
connect_failed(struct sshc *c, int e, int64_t now_ms)
{
	sshc_fail(c, errno_error(e), now_ms, "%s (%s:%d): %s%s", c->cfg->name,
	    c->cfg->address, c->cfg->port, strerror(e),
	    e == ECONNREFUSED ? " (is sshd running?)" : "");
}

static int
session_create(struct sshc *c, int64_t now_ms)
{
	c->s = libssh2_session_init_ex(NULL, NULL, NULL, c);
	if (!c->s) {
		sshc_fail(c, SSHE_HANDSHAKE, now_ms, "out of memory");
		return -1;
	}
	libssh2_session_set_blocking(c->s, 0);
	ssh_compat_set_recv(c->s, sshc_recv);
	libssh2_keepalive_config(c->s, 0, SSHC_KEEPALIVE_S);
	sshc_hostkey_prefer(c);
	return 0;
}

void
sshc_start(struct sshc *c, int64_t now_ms)
{
	int one = 1, fd;

	if (!(c->state == SSHC_IDLE ||
	    (c->state == SSHC_BACKOFF && now_ms >= c->next_try)))
		return;
	if (c->resolve_failed) {
		c->err = SSHE_RESOLVE;
		c->state = SSHC_BACKOFF;
		c->next_try = INT64_MAX;
		return;
	}
	c->state = SSHC_CONNECTING;
	c->phase_deadline = deadline_after(now_ms, c->cfg->timeout_s * 1000);
	c->last_rx = now_ms;
	c->next_try = INT64_MAX;
	sshc_auth_reset(c);
	if (session_create(c, now_ms) < 0)
		return;
	if (c->via)
		return;		/* sshc_step opens the tunnel */
	fd = socket(c->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		connect_failed(c, errno, now_ms);
		return;
	}
	c->fd = fd;
	/* Small request/answer exchanges: Nagle would add delayed-ACK waits. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&c->addr, c->addrlen) == 0)
		c->state = SSHC_HANDSHAKE;
	else if (errno != EINPROGRESS)
		connect_failed(c, errno, now_ms);
}

void
sshc_set_backoff_max(struct sshc *c, int ms)
{
	c->backoff_max_ms = ms;
}

void
sshc_retry_now(struct sshc *c)
{
	if (c->state == SSHC_BACKOFF && !c->resolve_failed)
		c->next_try = 0;
}

static short
block_events(const struct sshc *c)
{
	int d = c->s ? libssh2_session_block_directions(c->s) : 0;
	short ev = 0;

	if (d & LIBSSH2_SESSION_BLOCK_INBOUND)
		ev |= POLLIN;
	if (d & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev |= POLLOUT;
	return ev ? ev : POLLIN | POLLOUT;
}

static int
has_work(const struct sshc *c)
{
	const struct sshc *d;

	if (sshc_cmds_active(c) || c->opening)
		return 1;
	for (d = c->deps; d; d = d->dep_next)
		if (d->tun)
			return 1;
	return 0;
}

int
sshc_poll_fd(const struct sshc *c, short *events)
{
	*events = 0;
	switch (c->state) {
	case SSHC_IDLE:
	case SSHC_BACKOFF:
		return -1;
	case SSHC_CONNECTING:
		if (c->via)
			return -1;	/* woken by the jump host's steps */
		*events = POLLOUT;
		return c->fd;
	case SSHC_HANDSHAKE:
	case SSHC_AUTH:
		if (c->via)
			return sshc_jump_poll(c, events);
		*events = block_events(c);
		return c->fd;
	case SSHC_READY:
		if (c->via)
			return sshc_jump_poll(c, events);
		if (has_work(c) || !c->idle_inbound)
			*events = POLLIN;
		/* POLLOUT only for a half-sent packet that its owner will
		 * finish; a stale direction flag must not make us spin. */
		if (c->out_owner && c->s && (libssh2_session_block_directions(
		    c->s) & LIBSSH2_SESSION_BLOCK_OUTBOUND))
			*events |= POLLOUT;
		return *events ? c->fd : -1;
	}
	return -1;
}

int64_t
sshc_deadline(const struct sshc *c)
{
	int64_t d = INT64_MAX, x;

	if (c->again)
		return 0;
	switch (c->state) {
	case SSHC_IDLE:
		break;
	case SSHC_BACKOFF:
		d = c->next_try;
		break;
	case SSHC_CONNECTING:
	case SSHC_HANDSHAKE:
	case SSHC_AUTH:
		d = c->phase_deadline;
		break;
	case SSHC_READY:
		if (!has_work(c))
			d = c->keepalive_at;
		x = sshc_cmds_deadline(c);
		if (x < d)
			d = x;
		break;
	}
	return d;
}

/* A READY session with nothing in flight: only a close (or bytes we will
 * read with the next command) can arrive. Peek, never consume. */
static void
idle_check(struct sshc *c, int64_t now_ms)
{
	char b;
	ssize_t n;

	if (c->idle_inbound || c->fd < 0)
		return;
	n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n > 0) {
		c->idle_inbound = 1;
		c->last_rx = now_ms;
	} else if (n == 0) {
		sshc_fail(c, SSHE_DISCONNECTED, now_ms,
		    "%s: connection closed by the host", c->cfg->name);
	} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		sshc_fail(c, SSHE_DISCONNECTED, now_ms, "%s: %s",
		    c->cfg->name, strerror(errno));
	}
}

static void
step_connect(struct sshc *c, short revents, int64_t now_ms)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (c->via) {
		if (sshc_jump_connect(c, now_ms) == 1)
			c->state = SSHC_HANDSHAKE;
	} else if (revents & (POLLOUT | POLLERR | POLLHUP)) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
			e = errno;
		if (e == 0)
			c->state = SSHC_HANDSHAKE;
		else if (e != EINPROGRESS) {
			connect_failed(c, e, now_ms);
			return;
		}
	}
	if (c->state == SSHC_CONNECTING && now_ms >= c->phase_deadline)
		sshc_fail(c, SSHE_TIMEOUT, now_ms, "%s (%s:%d): TCP connect "
		    "timed out after %d s", c->cfg->name, c->cfg->address,
		    c->cfg->port, c->cfg->timeout_s);
}

static void
step_handshake(struct sshc *c, int64_t now_ms)
{
	int rc = libssh2_session_handshake(c->s, c->fd);

	if (rc == LIBSSH2_ERROR_EAGAIN) {
		if (now_ms >= c->phase_deadline)
			sshc_fail(c, SSHE_TIMEOUT, now_ms, "%s (%s:%d): no SSH "
			    "handshake within %d s (port open, no answer)",
			    c->cfg->name, c->cfg->address, c->cfg->port,
			    c->cfg->timeout_s);
		return;
	}
	if (rc) {
		sshc_fail(c, SSHE_HANDSHAKE, now_ms, "%s (%s:%d): SSH handshake "
		    "failed: %s", c->cfg->name, c->cfg->address, c->cfg->port,
		    sshc_lasterr(c));
		return;
	}
	if (sshc_hostkey_verify(c, now_ms) < 0)
		return;
	c->state = SSHC_AUTH;
	c->phase_deadline = deadline_after(now_ms, c->cfg->timeout_s * 1000);
}

/* Returns 1 when a command moved. */
static int
step_ready(struct sshc *c, short revents, int64_t now_ms)
{
	int secs = SSHC_KEEPALIVE_S, rc, progress = 0;

	if (has_work(c) || c->via) {
		progress = sshc_cmds_step(c, now_ms);
		if (progress < 0 || c->state != SSHC_READY)
			return 0;
	}
	if (!has_work(c) && (c->via || (revents & (POLLIN | POLLHUP |
	    POLLERR)))) {
		idle_check(c, now_ms);
		if (c->state != SSHC_READY)
			return 0;
	}
	/* Keepalives only on an idle session: commands are traffic enough,
	 * and an idle socket's buffer never makes this send half-way. */
	if (has_work(c))
		c->keepalive_at = deadline_after(now_ms,
		    SSHC_KEEPALIVE_S * 1000);
	else if (now_ms >= c->keepalive_at && !c->out_owner) {
		rc = libssh2_keepalive_send(c->s, &secs);
		if (rc && rc != LIBSSH2_ERROR_EAGAIN) {
			sshc_fail(c, SSHE_DISCONNECTED, now_ms, "%s: %s",
			    c->cfg->name, sshc_lasterr(c));
			return 0;
		}
		c->keepalive_at = deadline_after(now_ms,
		    (secs > 0 ? secs : SSHC_KEEPALIVE_S) * 1000);
	}
	return progress;
}

/* One pass over the state machine; returns 1 when the state changed or
 * bytes moved (then another pass may move more). */
static int
advance(struct sshc *c, short revents, int64_t now_ms)
{
	enum sshc_state before = c->state;
	struct sshc *d;
	int progress = 0, r;

	if (c->via && c->tun && (progress = sshc_jump_pump(c)) < 0)
		return c->state != before;
	switch (c->state) {
	case SSHC_IDLE:
		break;
	case SSHC_BACKOFF:
		if (now_ms >= c->next_try)
			sshc_start(c, now_ms);
		break;
	case SSHC_CONNECTING:
		step_connect(c, revents, now_ms);
		break;
	case SSHC_HANDSHAKE:
		step_handshake(c, now_ms);
		break;
	case SSHC_AUTH:
		if (sshc_auth_step(c, now_ms) == 1) {
			c->state = SSHC_READY;
			c->err = SSHE_NONE;
			c->msg[0] = '\0';
			c->backoff_ms = 0;
			c->keepalive_at = deadline_after(now_ms,
			    SSHC_KEEPALIVE_S * 1000);
			/* Hosts that failed only because we were down need
			 * not sit out their backoff. */
			for (d = c->deps; d; d = d->dep_next)
				if (d->state == SSHC_BACKOFF &&
				    d->err == SSHE_JUMP)
					sshc_retry_now(d);
		}
		break;
	case SSHC_READY:
		/* A direct session's commands drain their socket by
		 * themselves; a jumped one's refill from the pump. */
		if (step_ready(c, revents, now_ms) > 0 && c->via)
			progress = 1;
		break;
	}
	if (c->via && c->tun && (r = sshc_jump_pump(c)) != 0) {
		if (r < 0)
			return 1;
		progress = 1;
	}
	return c->state != before || progress;
}

void
sshc_step(struct sshc *c, short revents, int64_t now_ms)
{
	struct sshc *d;
	int i;

	if (c->stepping)
		return;
	c->stepping = 1;
	c->again = 0;
	c->rx_budget = SSHC_STEP_BYTES;
	for (i = 0; advance(c, revents, now_ms); i++) {
		revents = 0;
		if (i == 64) {
			c->again = 1;	/* more to do: sshc_deadline says now */
			break;
		}
	}
	/* Tunnels through us: their bytes may now wait in our session. */
	for (d = c->deps; d; d = d->dep_next)
		if (d->state != SSHC_IDLE && d->state != SSHC_BACKOFF)
			sshc_step(d, 0, now_ms);
	/* ...and a tunnel's reads may have queued our own commands' data. */
	if (c->deps && c->state == SSHC_READY && c->cmds)
		sshc_cmds_step(c, now_ms);
	c->stepping = 0;
	sshc_cmds_finish(c);
	/* A jumped session's writes drain the jump host's socket too. */
	if (c->via && !c->via->stepping && c->via->state == SSHC_READY)
		sshc_step(c->via, 0, now_ms);
}

enum sshc_state
sshc_state(const struct sshc *c)
{
	return c->state;
}

enum sshc_error
sshc_last_error(const struct sshc *c, const char **msg)
{
	if (msg)
		*msg = c->msg;
	return c->err;
}

void
sshc_close(struct sshc *c)
{
	if (c->s && c->state == SSHC_READY && c->fd >= 0)
		libssh2_session_disconnect(c->s, "relaytop closing");
	c->state = SSHC_IDLE;
	sshc_teardown(c);
	sshc_cmds_finish(c);
	c->backoff_ms = 0;
	c->next_try = INT64_MAX;
}
