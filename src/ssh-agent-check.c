/* ssh-agent-check.c: relaytop's own ssh-agent client, every call bounded
 * by a deadline. libssh2 1.10's agent calls block on the agent's socket
 * with no timeout (and no access to the fd): an agent that accepts and then
 * never answers (a list or a sign request) would freeze the one loop. So
 * the keys are listed here, and each signature is asked for here, from the
 * sign callback that libssh2_userauth_publickey() calls. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ssh-internal.h"

#define AGENT_FAILURE			5
#define AGENTC_REQUEST_IDENTITIES	11
#define AGENT_IDENTITIES_ANSWER		12
#define AGENTC_SIGN_REQUEST		13
#define AGENT_SIGN_RESPONSE		14
#define AGENT_REPLY_MAX			(256u * 1024)	/* ssh-agent's own bound */

/* Waits for fd to become ready for `events` until deadline (clock_ms). */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { fd, events, 0 };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - clock_ms();
		if (left <= 0)
			return -1;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return p.revents & (events | POLLHUP | POLLERR) ? 0 : -1;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* Moves n bytes to (out = 1) or from the socket before deadline: 0, or -1
 * (timed out, closed, error). */
static int
xfer(int fd, int out, unsigned char *p, size_t n, int64_t deadline)
{
	size_t off = 0;
	ssize_t r;

	while (off < n) {
		if (wait_fd(fd, out ? POLLOUT : POLLIN, deadline) != 0)
			return -1;
		r = out ? send(fd, p + off, n - off, MSG_NOSIGNAL) :
		    recv(fd, p + off, n - off, 0);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			return -1;
		if (r > 0)
			off += (size_t)r;
	}
	return 0;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One request (req, n bytes with its length in front) and its reply in a
 * new malloc'd *reply (type byte first) of *rn bytes; 0, or -1 and why.
 * `what` names the request in the message. */
static int
agent_call(const char *path, unsigned char *req, size_t n, int timeout_ms,
    const char *what, unsigned char **reply, size_t *rn, char *why,
    size_t whylen)
{
	struct sockaddr_un sa;
	unsigned char hdr[4], *body = NULL;
	int64_t deadline = clock_ms() + timeout_ms;
	uint32_t len;
	int fd;

	*reply = NULL;
	snprintf(why, whylen, "ssh-agent at %s did not answer %s within "
	    "%d ms", path, what, timeout_ms);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "ssh-agent: socket path too long");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
	    (errno != EINPROGRESS && errno != EAGAIN)) {
		snprintf(why, whylen, "ssh-agent at %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (xfer(fd, 1, req, n, deadline) != 0 ||
	    xfer(fd, 0, hdr, sizeof(hdr), deadline) != 0)
		goto fail;
	len = get32(hdr);
	if (len == 0 || len > AGENT_REPLY_MAX) {
		snprintf(why, whylen, "ssh-agent at %s: unexpected answer",
		    path);
		goto fail;
	}
	if (!(body = malloc(len)) || xfer(fd, 0, body, len, deadline) != 0)
		goto fail;
	close(fd);
	*reply = body;
	*rn = len;
	why[0] = '\0';
	return 0;
fail:
	free(body);
	close(fd);
	return -1;
}

/* A string at *p (4-byte length, then bytes) within end: its bytes and
 * length, *p moved past it; NULL when it does not fit. */
static const unsigned char *
get_string(const unsigned char **p, const unsigned char *end, uint32_t *len)
{
	const unsigned char *s;

	if (end - *p < 4)
		return NULL;
	*len = get32(*p);
	if ((size_t)(end - *p - 4) < *len)
		return NULL;
	s = *p + 4;
	*p = s + *len;
	return s;
}

void
sshc_agent_keys_free(struct agent_keys *k)
{
	int i;

	for (i = 0; i < k->n; i++)
		free(k->blob[i]);
	k->n = 0;
}

int
sshc_agent_list(const char *path, int timeout_ms, struct agent_keys *k,
    char *why, size_t whylen)
{
	unsigned char req[5] = { 0, 0, 0, 1, AGENTC_REQUEST_IDENTITIES }, *r;
	const unsigned char *p, *end, *b;
	uint32_t nkeys, i, blen, clen;
	size_t rn;

	k->n = 0;
	if (agent_call(path, req, sizeof(req), timeout_ms, "a request for "
	    "its keys", &r, &rn, why, whylen) != 0)
		return -1;
	p = r + 1;
	end = r + rn;
	if (r[0] != AGENT_IDENTITIES_ANSWER || end - p < 4) {
		i = r[0] == AGENT_FAILURE;
		free(r);
		if (i)
			return 0;
		snprintf(why, whylen, "ssh-agent at %s: unexpected answer",
		    path);
		return -1;
	}
	nkeys = get32(p);
	p += 4;
	for (i = 0; i < nkeys && k->n < AGENT_KEYS_MAX; i++) {
		if (!(b = get_string(&p, end, &blen)) ||
		    !get_string(&p, end, &clen))
			break;
		if (blen == 0 || !(k->blob[k->n] = malloc(blen)))
			continue;
		memcpy(k->blob[k->n], b, blen);
		k->len[k->n++] = blen;
	}
	free(r);
	return k->n;
}

/* The signature flags for data, a publickey userauth request (RFC 4252
 * 7: string session id, byte 50, string user, string service, string
 * "publickey", boolean TRUE, string algorithm, ...): an RSA key asked to
 * sign for "rsa-sha2-256" or "-512" (libssh2 1.11 picks them from the
 * server's server-sig-algs) must say so, or the agent signs with SHA-1
 * ssh-rsa, which OpenSSH 8.8 and later refuse. 0 for anything else. */
static uint32_t
sign_flags(const unsigned char *data, size_t dlen)
{
	size_t off = 0, i;
	uint32_t n;

	for (i = 0; i < 6; i++) {	/* id, byte, user, service, method, bool */
		if (i == 1 || i == 5) {
			off += 1;
			continue;
		}
		if (off + 4 > dlen)
			return 0;
		n = get32(data + off);
		if (n > dlen - off - 4)
			return 0;
		off += 4 + n;
	}
	if (off + 4 > dlen)
		return 0;
	n = get32(data + off);
	if (n > dlen - off - 4)
		return 0;
	if (n == 12 && memcmp(data + off + 4, "rsa-sha2-256", 12) == 0)
		return 2;		/* SSH_AGENT_RSA_SHA2_256 */
	if (n == 12 && memcmp(data + off + 4, "rsa-sha2-512", 12) == 0)
		return 4;		/* SSH_AGENT_RSA_SHA2_512 */
	return 0;
}

int
sshc_agent_sign(const char *path, const unsigned char *blob, size_t blen,
    const unsigned char *data, size_t dlen, int timeout_ms,
    unsigned char **sig, size_t *slen, char *why, size_t whylen)
{
	size_t n = 4 + 1 + 4 + blen + 4 + dlen + 4, rn;
	unsigned char *req, *r, *q;
	const unsigned char *p, *end, *s;
	uint32_t len, alen;
	int rc = -1;

	*sig = NULL;
	if (blen > AGENT_REPLY_MAX || dlen > AGENT_REPLY_MAX ||
	    !(req = malloc(n)))
		return -1;
	q = req;
	put32(q, (uint32_t)(n - 4));
	q[4] = AGENTC_SIGN_REQUEST;
	put32(q + 5, (uint32_t)blen);
	memcpy(q + 9, blob, blen);
	q += 9 + blen;
	put32(q, (uint32_t)dlen);
	memcpy(q + 4, data, dlen);
	put32(q + 4 + dlen, sign_flags(data, dlen));
	if (agent_call(path, req, n, timeout_ms, "a sign request", &r, &rn,
	    why, whylen) != 0) {
		free(req);
		return -1;
	}
	free(req);
	p = r + 1;
	end = r + rn;
	/* string signature = (string algorithm, string the signature bytes):
	 * libssh2 wants the bytes, it names the algorithm itself */
	if (r[0] == AGENT_SIGN_RESPONSE && (s = get_string(&p, end, &len)) &&
	    (p = s, end = s + len, get_string(&p, end, &alen)) &&
	    (s = get_string(&p, end, &len)) && (*sig = malloc(len ? len : 1))) {
		memcpy(*sig, s, len);
		*slen = len;
		rc = 0;
	} else {
		snprintf(why, whylen, "ssh-agent at %s refused to sign", path);
	}
	free(r);
	return rc;
}

int
sshc_agent_answers(const char *path, int timeout_ms, char *why,
    size_t whylen)
{
	struct agent_keys k;

	if (sshc_agent_list(path, timeout_ms, &k, why, whylen) < 0)
		return 0;
	sshc_agent_keys_free(&k);
	return 1;
}
