/* signals.c: SIGINT/SIGTERM/SIGHUP/SIGWINCH handlers that only set flags
 * and poke a self-pipe, so the one poll() loop wakes and acts outside the
 * handler. SIGPIPE is ignored (a dead peer is an error code, not a death). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fleet.h"

static volatile sig_atomic_t term_sig, winch_seen;
static int pipe_fd[2] = { -1, -1 };
static int installed;
static struct sigaction old_winch;

static void
on_signal(int sig)
{
	int saved = errno;
	char b = 0;

	if (sig == SIGWINCH) {
		winch_seen = 1;
		if (old_winch.sa_handler != SIG_DFL &&
		    old_winch.sa_handler != SIG_IGN &&
		    !(old_winch.sa_flags & SA_SIGINFO))
			old_winch.sa_handler(sig);
	} else if (!term_sig) {
		term_sig = sig;
	}
	if (pipe_fd[1] >= 0)
		(void)!write(pipe_fd[1], &b, 1);	/* full pipe: fine */
	errno = saved;
}

int
signals_install(void)
{
	struct sigaction sa;
	int i;

	if (installed)
		return pipe_fd[0];
	if (pipe(pipe_fd) == 0) {
		for (i = 0; i < 2; i++) {
			fcntl(pipe_fd[i], F_SETFL, fcntl(pipe_fd[i], F_GETFL) |
			    O_NONBLOCK);
			fcntl(pipe_fd[i], F_SETFD, FD_CLOEXEC);
		}
	} else {
		pipe_fd[0] = pipe_fd[1] = -1;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() sees EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGWINCH, &sa, &old_winch);
	if (old_winch.sa_handler == on_signal)
		old_winch.sa_handler = SIG_DFL;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	installed = 1;
	return pipe_fd[0];
}

int
signals_take(int *winch)
{
	char buf[64];
	int sig;

	if (pipe_fd[0] >= 0)
		while (read(pipe_fd[0], buf, sizeof(buf)) > 0)
			;
	if (winch) {
		*winch = winch_seen != 0;
		winch_seen = 0;
	}
	sig = term_sig;
	term_sig = 0;
	return sig;
}
