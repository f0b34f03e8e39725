/* action-int.h: what actions.c uses of action-cmd.c (command and message
 * building). Not a public face. */
#ifndef RELAYTOP_ACTION_INT_H
#define RELAYTOP_ACTION_INT_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "sshc.h"
#include "trace.h"

/* "/usr/sbin/PROG[ CFLAG 'dir']" into cmd (dir: the host's
 * postfix_config, validated as a path); never under sudo: postqueue -f and
 * sendmail need no root. Returns 0, -1 when invalid or too long. */
int	action_postfix_cmd(char *cmd, size_t len, const struct host_config *cfg,
	    const char *prog, const char *cflag);

/* Deadline for an action's command: the host's timeout, at least 30 s. */
int	action_exec_ms(const struct host_config *cfg);

/* First line of the command's stderr (else stdout, else the error or the
 * exit status), sanitised. */
void	action_result_msg(const struct sshc_result *r, char *buf, size_t len);

/* The test message for t from origin (headers with the token, a short
 * body). Returns its length, -1 when it does not fit. */
int	action_message_build(char *buf, size_t len, const struct trace *t,
	    const char *origin, time_t now);

#endif
