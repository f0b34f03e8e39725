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
 * err (read-only, bad address, host not ready...). */
int	action_test_send(struct actions *a, int origin, const char *to,
	    int timeout_s, char *err, size_t errlen);

/* Runs postqueue -f on host. Returns 0 when started, -1 with err. */
int	action_flush(struct actions *a, int host, char *err, size_t errlen);

/* Advances traces from the model's events; call after each loop turn. */
void	actions_tick(struct actions *a);

/* Traces, newest first (i = 0); NULL past the end. */
const struct trace *actions_trace(const struct actions *a, size_t i);

/* One-line status of the last action ("flush relay-c: done"), "" none. */
const char *actions_status(const struct actions *a);

int	actions_read_only(const struct actions *a);

#endif
