/* action-log.c: the local record of every action relaytop took and its
 * outcome, one line each in $XDG_STATE_HOME/relaytop/actions.log (0600 in a
 * 0700 directory), so an operator can see later who flushed what and when. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"

int
action_log_path(char *buf, size_t len)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	/* the XDG spec: a relative XDG_STATE_HOME is invalid, ignore it */
	if (x != NULL && x[0] == '/')
		n = snprintf(buf, len, "%s/relaytop/actions.log", x);
	else if (home != NULL && home[0] == '/')
		n = snprintf(buf, len, "%s/.local/state/relaytop/actions.log",
		    home);
	else
		return -1;
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* mkdir -p of the directories above the file, new ones 0700. */
static int
make_parents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Copies s into dst, each control character (newline too) as '?'. */
static void
clean(char *dst, size_t len, const char *s)
{
	size_t i;

	snprintf(dst, len, "%s", s ? s : "");
	for (i = 0; dst[i]; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = '?';
}

int
action_log_append(const char *host, const char *action, const char *args,
    const char *result)
{
	char path[4096], line[2048], h[128], ac[64], ar[768], re[768];
	char when[32];
	struct tm tm;
	time_t now = time(NULL);
	int fd, n;
	ssize_t w;

	if (action_log_path(path, sizeof(path)) != 0) {
		errno = ENOENT;
		return -1;
	}
	if (make_parents(path) != 0)
		return -1;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)now);
	clean(h, sizeof(h), host);
	clean(ac, sizeof(ac), action);
	clean(ar, sizeof(ar), args);
	clean(re, sizeof(re), result);
	n = snprintf(line, sizeof(line), "%s %s %s%s%s: %s\n", when,
	    *h ? h : "-", ac, *ar ? " " : "", ar, re);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return -1;
	w = write(fd, line, (size_t)n);	/* one write: O_APPEND keeps lines whole */
	if (close(fd) != 0 || w != n)
		return -1;
	return 0;
}
