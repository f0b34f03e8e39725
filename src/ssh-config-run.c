/* ssh-config-run.c: runs `ssh [-F PATH] -G -- NAME` on this machine, argv
 * only (no shell), stdin /dev/null, and collects its output within
 * SSHG_TIMEOUT_MS and SSHG_OUT_MAX bytes; a child that overruns is killed.
 * Used once per host while the inventory loads, before the poll loop. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sanitize.h"
#include "shquote.h"
#include "ssh-config.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One thread: the descriptors cannot leak to another fork in between. */
static int
cloexec(const int p[2])
{
	return fcntl(p[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(p[1], F_SETFD, FD_CLOEXEC) != 0;
}

/* In the child: wire stdin, stdout, stderr and exec ssh. */
static void
child(const char *cfgpath, const char *host, int out, int err)
{
	const char *argv[7];
	int i = 0, devnull = open("/dev/null", O_RDONLY);

	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0)
		_exit(127);
	argv[i++] = "ssh";
	if (cfgpath != NULL) {
		argv[i++] = "-F";
		argv[i++] = cfgpath;
	}
	argv[i++] = "-G";
	argv[i++] = "--";
	argv[i++] = host;
	argv[i] = NULL;
	execvp("ssh", (char *const *)argv);
	dprintf(2, "cannot run ssh: %s\n", strerror(errno));
	_exit(127);
}

/* Appends what is readable on fd to buf[cap]; 0 at EOF, 1 more to come,
 * -1 when buf is full. */
static int
drain(int fd, char *buf, size_t cap, size_t *len)
{
	ssize_t r;

	if (*len >= cap)
		return -1;
	r = read(fd, buf + *len, cap - *len);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (r == 0)
		return 0;
	*len += (size_t)r;
	return 1;
}

/* ssh's first stderr line, sanitised, for a message. */
static void
first_line(const char *err, size_t n, char *what, size_t whatlen)
{
	const char *nl = memchr(err, '\n', n);
	char buf[200];

	if (nl != NULL)
		n = (size_t)(nl - err);
	if (n > 0 && err[n - 1] == '\r')	/* ssh ends its lines "\r\n" */
		n--;
	sanitize_copy(buf, sizeof(buf), err, n);
	snprintf(what, whatlen, "%s", buf[0] ? buf : "failed");
}

int
sshg_run(const char *cfgpath, const char *host, char *out, size_t cap,
    size_t *len, char *what, size_t whatlen)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, open_n = 2, st = 0, r;
	char errbuf[1024];
	size_t elen = 0;
	struct pollfd pfd[2];
	long long deadline;
	pid_t pid;
	int rc = -1;

	*len = 0;
	if (cap < 2 || host == NULL || !valid_host_name(host)) {
		snprintf(what, whatlen, "bad host name for ssh -G");
		return -1;
	}
	if (cfgpath != NULL && !valid_path(cfgpath)) {
		snprintf(what, whatlen, "bad ssh_config path");
		return -1;
	}
	if (pipe(po) != 0 || pipe(pe) != 0 || cloexec(po) || cloexec(pe)) {
		snprintf(what, whatlen, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		snprintf(what, whatlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(cfgpath, host, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	deadline = now_ms() + SSHG_TIMEOUT_MS;
	pfd[0].fd = po[0];
	pfd[1].fd = pe[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (open_n > 0) {
		long long left = deadline - now_ms();

		if (left <= 0) {
			snprintf(what, whatlen, "no answer within %d s",
			    SSHG_TIMEOUT_MS / 1000);
			break;
		}
		if (poll(pfd, 2, (int)left) < 0 && errno != EINTR)
			break;
		if (pfd[0].fd >= 0 && (pfd[0].revents & (POLLIN | POLLHUP))) {
			if ((r = drain(po[0], out, cap - 1, len)) < 0) {
				snprintf(what, whatlen, "output over %zu bytes",
				    cap - 1);
				break;
			}
			if (r == 0) {
				pfd[0].fd = -1;
				open_n--;
			}
		}
		if (pfd[1].fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			/* Past the buffer, stderr is read and dropped. */
			if (elen >= sizeof(errbuf))
				elen = sizeof(errbuf) - 256;
			if (drain(pe[0], errbuf, sizeof(errbuf), &elen) == 0) {
				pfd[1].fd = -1;
				open_n--;
			}
		}
	}
	if (open_n > 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	out[*len] = '\0';
	if (open_n > 0)
		goto out;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		first_line(errbuf, elen, what, whatlen);
		goto out;
	}
	rc = 0;
out:
	for (r = 0; r < 2; r++) {
		if (po[r] >= 0)
			close(po[r]);
		if (pe[r] >= 0)
			close(pe[r]);
	}
	return rc;
}
