/* crash.c: leaves the terminal usable when relaytop crashes (SIGSEGV,
 * SIGABRT...): restores the saved tty modes and writes the terminal's own
 * strings to leave the alternate screen, then dies of the same signal. */
#include <curses.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ui.h"

/* The crash path: the terminal as it was, and the strings that leave the
 * alternate screen, show the cursor, reset attributes and stop mouse
 * reports, written with async-signal-safe calls only. */
static struct termios crash_tio;
static int crash_tio_ok;
static char crash_seq[256];
static size_t crash_len;

static void
crash_add(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (crash_len + n < sizeof crash_seq) {
		memcpy(crash_seq + crash_len, s, n);
		crash_len += n;
	}
}

static void
crash_handler(int sig)
{
	ssize_t w;

	if (crash_len > 0)
		w = write(STDOUT_FILENO, crash_seq, crash_len);
	(void)w;
	if (crash_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &crash_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
crash_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
		SIGABRT };
	struct sigaction sa;
	size_t i;

	crash_add("sgr0");
	crash_add("cnorm");
	crash_add("rmcup");
	if (crash_len + 8 < sizeof crash_seq) {
		/* mouse reporting off (xterm), whatever terminfo says */
		memcpy(crash_seq + crash_len, "\033[?1000l", 8);
		crash_len += 8;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

void
crash_save_tty(void)
{
	crash_tio_ok = tcgetattr(STDIN_FILENO, &crash_tio) == 0;
}
