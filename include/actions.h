/* actions.h: the operator's acts on hosts, from an allowlist: test mail
 * (traced) and queue flush. Each validates its arguments, builds a fixed
 * command with quoted values, refuses in read-only mode, and appends to the
 * local action log ($XDG_STATE_HOME/relaytop/actions.log). */
#ifndef RELAYTOP_ACTIONS_H
#define RELAYTOP_ACTIONS_H

#include <stddef.h>

#include "config.h"
#include "fleet.h"
#include "model.h"
#include "trace.h"

struct actions;

struct actions *actions_new(struct fleet *f, struct model *m,
	    const struct inventory *inv, int read_only);
void	actions_free(struct actions *a);

/* Sends a test mail from origin (host index) to `to` (NULL: the host's or
 * [defaults] test_to). Returns the trace id (>= 0), or -1 with a message in
 * err (read-only, bad address, host not ready...).
 * The command is `/usr/sbin/sendmail [-C 'dir'] -i -- 'to'` run as the
 * operator's SSH user, never through sudo: sendmail is setgid postdrop and
 * needs no root, and this is how a user's mail enters the origin in the
 * seed. No -f: the envelope sender is user@$myorigin, as for a user's mail.
 * The message carries the token in Message-ID <TOKEN@relaytop> and Subject. */
int	action_test_send(struct actions *a, int origin, const char *to,
	    int timeout_s, char *err, size_t errlen);

/* Runs `/usr/sbin/postqueue [-c 'dir'] -f` on host as the SSH user, never
 * through sudo: Postfix lets any user flush (authorized_flush_users,
 * default static:anyone). Returns 0 when started, -1 with err. */
int	action_flush(struct actions *a, int host, char *err, size_t errlen);

/* Advances traces from the model's events; call after each loop turn. */
void	actions_tick(struct actions *a);

/* Traces, newest first (i = 0); NULL past the end. */
const struct trace *actions_trace(const struct actions *a, size_t i);

/* One-line status of the last action ("flush relay-c: done"), "" none. */
const char *actions_status(const struct actions *a);

int	actions_read_only(const struct actions *a);

/* The message every refused action gives in read-only mode. */
#define ACTIONS_READ_ONLY_MSG	"read-only: actions are disabled"

/* Number of traces still open (submitting or waiting). */
int	actions_open(const struct actions *a);

/* Flushes started and not yet answered. */
int	actions_flush_pending(const struct actions *a);

/* Result of the last flush of host: 0 none yet or running, 1 ok, -1 failed. */
int	actions_flush_result(const struct actions *a, int host);

/* --- the local action log (src/action-log.c) ---------------------------- */

/* Writes the log's path into buf: $XDG_STATE_HOME/relaytop/actions.log, or
 * $HOME/.local/state/relaytop/actions.log. Returns 0, -1 when neither is
 * set (absolute) or it does not fit. */
int	action_log_path(char *buf, size_t len);

/* Appends "ISO-time host action args: result" as one line (control chars
 * made '?'), creating missing directories 0700 and the file 0600 (no
 * symlink followed for the file). Returns 0, -1 on error (errno set). */
int	action_log_append(const char *host, const char *action,
	    const char *args, const char *result);

#endif
