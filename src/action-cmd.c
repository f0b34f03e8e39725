/* action-cmd.c: the fixed remote commands and the test message of the
 * actions, built from validated values only, and the one-line result of a
 * finished command. Pure: no session, no state. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "action-int.h"
#include "sanitize.h"
#include "shquote.h"

#define ACT_EXEC_MIN_MS	30000	/* sendmail/postqueue: slow hosts are slow */

/* "/usr/sbin/PROG[ -C|-c 'dir']" into cmd. */
int
action_postfix_cmd(char *cmd, size_t len, const struct host_config *cfg,
    const char *prog, const char *cflag)
{
	snprintf(cmd, len, "/usr/sbin/%s", prog);
	if (cfg->postfix_config[0] != '\0') {
		if (!valid_path(cfg->postfix_config))
			return -1;
		strncat(cmd, " ", len - strlen(cmd) - 1);
		strncat(cmd, cflag, len - strlen(cmd) - 1);
		strncat(cmd, " ", len - strlen(cmd) - 1);
		if (shquote_append(cmd, len, cfg->postfix_config) != 0)
			return -1;
	}
	return 0;
}

int
action_exec_ms(const struct host_config *cfg)
{
	int ms = cfg->timeout_s > 0 ? cfg->timeout_s * 1000 : 0;

	return ms > ACT_EXEC_MIN_MS ? ms : ACT_EXEC_MIN_MS;
}

/* First line of the command's stderr (else stdout, else the error). */
void
action_result_msg(const struct sshc_result *r, char *buf, size_t len)
{
	const char *s = r->err_len ? r->err : r->out;
	size_t n = r->err_len ? r->err_len : r->out_len;
	const char *nl;

	if (r->error != SSHE_NONE) {
		snprintf(buf, len, "%s", sshc_error_name(r->error));
		return;
	}
	if (s == NULL || n == 0) {
		snprintf(buf, len, "exit status %d", r->exit_status);
		return;
	}
	nl = memchr(s, '\n', n);
	if (nl != NULL)
		n = (size_t)(nl - s);
	sanitize_copy(buf, len, s, n);
}

/* The test message: the token in Message-ID and Subject. */
int
action_message_build(char *buf, size_t len, const struct trace *t,
    const char *origin, time_t now)
{
	char date[64];
	struct tm tm;
	int n;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		return -1;
	n = snprintf(buf, len,
	    "To: <%s>\n"
	    "Subject: relaytop test mail %s\n"
	    "Message-ID: <%s@relaytop>\n"
	    "Date: %s\n"
	    "X-Relaytop-Token: %s\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "\n"
	    "Test mail sent by relaytop from %s to follow the relay chain.\n"
	    "Token: %s\n",
	    t->to, t->token, t->token, date, t->token, origin, t->token);
	return (n < 0 || (size_t)n >= len) ? -1 : n;
}
