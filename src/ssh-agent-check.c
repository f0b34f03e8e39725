/* ssh-agent-check.c: a bounded look at the ssh-agent before libssh2 talks
 * to it. libssh2 1.10's agent calls block on the agent's socket with no
 * timeout (and no access to the fd), so a hung agent would freeze the
 * loop: this asks it for its identities with a deadline first. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ssh-internal.h"

#define AGENTC_REQUEST_IDENTITIES	11
#define AGENT_IDENTITIES_ANSWER		12
#define AGENT_FAILURE			5

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

int
sshc_agent_answers(const char *path, int timeout_ms, char *why,
    size_t whylen)
{
	static const unsigned char req[5] = { 0, 0, 0, 1,
		AGENTC_REQUEST_IDENTITIES };
	struct sockaddr_un sa;
	unsigned char hdr[5];
	int64_t deadline = clock_ms() + timeout_ms;
	size_t off = 0;
	ssize_t n;
	int fd, ok = 0;

	snprintf(why, whylen, "ssh-agent at %s did not answer within %d ms",
	    path, timeout_ms);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "ssh-agent: socket path too long");
		return 0;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		return 0;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
	    (errno != EINPROGRESS && errno != EAGAIN)) {
		snprintf(why, whylen, "ssh-agent at %s: %s", path,
		    strerror(errno));
		goto out;
	}
	while (off < sizeof(req)) {
		if (wait_fd(fd, POLLOUT, deadline) != 0)
			goto out;
		n = send(fd, req + off, sizeof(req) - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			goto out;
		if (n > 0)
			off += (size_t)n;
	}
	/* the reply's length and type are enough: it is alive */
	for (off = 0; off < sizeof(hdr); ) {
		if (wait_fd(fd, POLLIN, deadline) != 0)
			goto out;
		n = recv(fd, hdr + off, sizeof(hdr) - off, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			goto out;
		if (n > 0)
			off += (size_t)n;
	}
	ok = hdr[4] == AGENT_IDENTITIES_ANSWER || hdr[4] == AGENT_FAILURE;
	if (!ok)
		snprintf(why, whylen, "ssh-agent at %s: unexpected answer",
		    path);
out:
	close(fd);
	return ok;
}
