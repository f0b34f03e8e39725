/* ssh-jump.c: a session through a jump host. libssh2 wants a socket, so the
 * jumped session talks to one end of a socketpair and this file pumps bytes
 * between the other end and a direct-tcpip channel of the jump host's
 * session, non-blocking both ways, from the one loop. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh-internal.h"

static int
alive(const struct sshc *c)
{
	return c->state == SSHC_CONNECTING || c->state == SSHC_HANDSHAKE ||
	    c->state == SSHC_AUTH || c->state == SSHC_READY;
}

int
sshc_jump_connect(struct sshc *c, int64_t now_ms)
{
	struct sshc *via = c->via;
	struct sshc_tunnel *t;
	LIBSSH2_CHANNEL *ch;
	int rc;

	if (via->state == SSHC_IDLE)
		sshc_start(via, now_ms);
	if (via->state == SSHC_BACKOFF) {
		sshc_fail(c, SSHE_JUMP, now_ms, "%s: jump host %s is not "
		    "connected: %s", c->cfg->name, via->cfg->name,
		    via->msg[0] ? via->msg : sshc_error_name(via->err));
		return -1;
	}
	if (via->state != SSHC_READY)
		return 0;
	if (!c->tun) {
		if (!(t = calloc(1, sizeof(*t)))) {
			sshc_fail(c, SSHE_JUMP, now_ms, "out of memory");
			return -1;
		}
		t->sp[0] = t->sp[1] = -1;
		c->tun = t;
	}
	t = c->tun;
	if ((via->opening && via->opening != c) || !sshc_may_send(via, c))
		return 0;
	via->opening = c;
	ch = libssh2_channel_direct_tcpip_ex(via->s, c->cfg->address,
	    c->cfg->port, "127.0.0.1", 22);
	if (!ch) {
		rc = libssh2_session_last_errno(via->s);
		if (rc == LIBSSH2_ERROR_EAGAIN) {
			sshc_note_block(via, c);
			return 0;
		}
		via->opening = NULL;
		if (via->out_owner == c)
			via->out_owner = NULL;
		if (sshc_rc_fatal(rc)) {
			sshc_fail(via, SSHE_DISCONNECTED, now_ms, "%s: %s",
			    via->cfg->name, sshc_lasterr(via));
			if (c->state == SSHC_CONNECTING)
				sshc_fail(c, SSHE_JUMP, now_ms, "%s: jump host "
				    "%s lost", c->cfg->name, via->cfg->name);
			return -1;
		}
		sshc_fail(c, SSHE_JUMP, now_ms, "%s: jump host %s cannot reach "
		    "%s:%d: %s", c->cfg->name, via->cfg->name,
		    c->cfg->address, c->cfg->port, sshc_lasterr(via));
		return -1;
	}
	via->opening = NULL;
	if (via->out_owner == c)
		via->out_owner = NULL;
	t->ch = ch;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    t->sp) < 0) {
		sshc_fail(c, SSHE_JUMP, now_ms, "socketpair: %s",
		    strerror(errno));
		return -1;
	}
	c->fd = t->sp[0];
	return 1;
}

static int
tunnel_failed(struct sshc *c, int rc, const char *what)
{
	struct sshc *via = c->via;
	int64_t now = clock_ms();

	if (rc < 0 && sshc_rc_fatal(rc)) {
		/* The jump host's session is gone; that fails us too. */
		sshc_fail(via, SSHE_DISCONNECTED, now, "%s: %s", via->cfg->name,
		    sshc_lasterr(via));
		return -1;
	}
	sshc_fail(c, SSHE_JUMP, now, "%s: tunnel through %s: %s", c->cfg->name,
	    via->cfg->name, what);
	return -1;
}

static int
pump_once(struct sshc *c)
{
	struct sshc_tunnel *t = c->tun;
	struct sshc *via = c->via;
	ssize_t n;
	int progress = 0;

	if (t->up_len < sizeof(t->up)) {
		n = read(t->sp[1], t->up + t->up_len, sizeof(t->up) - t->up_len);
		if (n > 0) {
			t->up_len += (size_t)n;
			progress = 1;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return tunnel_failed(c, 0, strerror(errno));
		}
	}
	if (t->up_len && sshc_may_send(via, c)) {
		n = libssh2_channel_write(t->ch, t->up, t->up_len);
		if (n > 0) {
			memmove(t->up, t->up + n, t->up_len - (size_t)n);
			t->up_len -= (size_t)n;
			progress = 1;
		}
		if (n == LIBSSH2_ERROR_EAGAIN)
			sshc_note_block(via, c);
		else if (via->out_owner == c)
			via->out_owner = NULL;
		if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
			return tunnel_failed(c, (int)n, sshc_lasterr(via));
	}
	if (t->down_len == 0 && !t->remote_eof && sshc_may_send(via, c)) {
		n = libssh2_channel_read(t->ch, t->down, sizeof(t->down));
		if (n > 0) {
			t->down_len = (size_t)n;
			t->down_off = 0;
			progress = 1;
		}
		if (n == LIBSSH2_ERROR_EAGAIN)
			sshc_note_block(via, c);
		else if (via->out_owner == c)
			via->out_owner = NULL;
		if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
			return tunnel_failed(c, (int)n, sshc_lasterr(via));
		if (n == 0 && libssh2_channel_eof(t->ch)) {
			t->remote_eof = 1;
			progress = 1;
		}
	}
	if (t->down_off < t->down_len) {
		n = send(t->sp[1], t->down + t->down_off,
		    t->down_len - t->down_off, MSG_NOSIGNAL);
		if (n > 0) {
			t->down_off += (size_t)n;
			if (t->down_off == t->down_len)
				t->down_off = t->down_len = 0;
			progress = 1;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return tunnel_failed(c, 0, strerror(errno));
		}
	}
	if (t->remote_eof == 1 && t->down_len == 0) {
		shutdown(t->sp[1], SHUT_WR);	/* the session sees EOF */
		t->remote_eof = 2;
	}
	return progress;
}

int
sshc_jump_pump(struct sshc *c)
{
	int r, any = 0, i;

	if (!c->tun || !c->tun->ch || c->tun->sp[1] < 0 ||
	    c->via->state != SSHC_READY)
		return 0;
	for (i = 0; i < 64; i++) {
		if ((r = pump_once(c)) < 0)
			return -1;
		if (!r)
			break;
		any = 1;
	}
	return any;
}

int
sshc_jump_poll(const struct sshc *c, short *events)
{
	const struct sshc_tunnel *t = c->tun;

	*events = 0;
	if (!t || t->sp[1] < 0)
		return -1;
	if (t->up_len < sizeof(t->up))
		*events |= POLLIN;
	if (t->down_off < t->down_len)
		*events |= POLLOUT;
	return *events ? t->sp[1] : -1;
}

void
sshc_jump_close(struct sshc *c)
{
	struct sshc_tunnel *t = c->tun;
	struct sshc *via = c->via;

	if (!t)
		return;
	c->tun = NULL;		/* detach first: failing via comes back here */
	if (t->sp[0] >= 0)
		close(t->sp[0]);
	if (t->sp[1] >= 0)
		close(t->sp[1]);
	c->fd = -1;
	if (via->opening == c) {
		/* libssh2 is half-way through opening our channel; its open
		 * state cannot be abandoned, so the jump session restarts. */
		via->opening = NULL;
		if (alive(via))
			sshc_fail(via, SSHE_TIMEOUT, clock_ms(), "%s: tunnel "
			    "open for %s did not finish", via->cfg->name,
			    c->cfg->name);
	} else if (t->ch && via->state == SSHC_READY) {
		sshc_cmd_add_zombie(via, t->ch);	/* closed politely */
	}
	if (via->out_owner == c)
		via->out_owner = NULL;
	free(t);
}

void
sshc_jump_lost(struct sshc *via, int64_t now_ms)
{
	struct sshc *d;

	for (d = via->deps; d; d = d->dep_next) {
		if (d->tun)
			d->tun->ch = NULL;	/* freed with via's session */
		if (via->opening == d)
			via->opening = NULL;
		if (alive(d))
			sshc_fail(d, SSHE_JUMP, now_ms, "%s: jump host %s lost: "
			    "%s", d->cfg->name, via->cfg->name,
			    via->msg[0] ? via->msg : "closed");
	}
}
