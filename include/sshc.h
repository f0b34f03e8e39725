/* sshc.h: one persistent, non-blocking libssh2 session per host, driven by
 * the single poll() loop. Connect, handshake, auth and each command have
 * their own deadline; a lost session reconnects with backoff. Host keys are
 * checked against known_hosts before any credential is sent. */
#ifndef RELAYTOP_SSHC_H
#define RELAYTOP_SSHC_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct sshc;

enum sshc_state {
	SSHC_IDLE = 0,		/* not started */
	SSHC_CONNECTING,	/* TCP (or jump channel) */
	SSHC_HANDSHAKE,
	SSHC_AUTH,
	SSHC_READY,		/* commands may run */
	SSHC_BACKOFF,		/* failed; retries at next_try */
};

enum sshc_error {
	SSHE_NONE = 0,
	SSHE_RESOLVE,
	SSHE_REFUSED,		/* TCP connection refused */
	SSHE_UNREACHABLE,	/* no route / network unreachable */
	SSHE_TIMEOUT,		/* a deadline passed */
	SSHE_HANDSHAKE,
	SSHE_HOSTKEY_CHANGED,	/* loud: possible MITM; no credentials sent */
	SSHE_HOSTKEY_UNKNOWN,	/* not in known_hosts and policy strict */
	SSHE_AUTH,		/* no accepted key */
	SSHE_DISCONNECTED,
	SSHE_JUMP,		/* the jump host's session is not usable */
	SSHE_CHANNEL,		/* channel or exec failed */
	SSHE_MAX
};

/* When stdout had reached len bytes: ms after the command (or resident
 * request) started. Reads closer than SSHC_MARK_MS are one mark; the last
 * mark is moved forward once SSHC_MARKS are used. */
#define SSHC_MARKS	64
#define SSHC_MARK_MS	20
struct sshc_mark {
	uint32_t len;
	int32_t	ms;
};

struct sshc_result {
	int	exit_status;	/* -1 when the command did not finish */
	enum sshc_error error;	/* SSHE_NONE when the command ran */
	const char *out;	/* stdout, NUL-terminated, valid during cb */
	size_t	out_len;
	const char *err;	/* stderr */
	size_t	err_len;
	int	truncated;	/* output exceeded max_out, rest discarded */
	int	elapsed_ms;
	const char *msg;	/* why, when error != SSHE_NONE; else "" */
	const struct sshc_mark *marks;	/* stdout's arrival, in order */
	int	nmarks;
};

typedef void (*sshc_exec_cb)(void *arg, const struct sshc_result *r);

/* New session for cfg; via is the jump host's session or NULL (free the
 * sessions that use a jump host before it). A DNS name is resolved here,
 * once, blocking: never in the loop. Nothing else happens until
 * sshc_start. */
struct sshc *sshc_new(const struct host_config *cfg, struct sshc *via);
void	sshc_free(struct sshc *c);

/* Begins connecting if idle (or backing off and due). */
void	sshc_start(struct sshc *c, int64_t now_ms);

/* The fd the loop must watch and the events wanted; -1 when none. For a
 * session through a jump host this is its tunnel's pump end; the jump
 * host's own steps also step the sessions tunnelled through it. */
int	sshc_poll_fd(const struct sshc *c, short *events);

/* Advances connection and every running command; never blocks. Callbacks
 * of finished commands run from here. */
void	sshc_step(struct sshc *c, short revents, int64_t now_ms);

/* Earliest time (ms) sshc_step must be called even without I/O; INT64_MAX
 * when none. */
int64_t	sshc_deadline(const struct sshc *c);

enum sshc_state sshc_state(const struct sshc *c);
/* Last error and a one-line human message ("" when none). */
enum sshc_error sshc_last_error(const struct sshc *c, const char **msg);
const char *sshc_error_name(enum sshc_error e);

/* Runs command (a complete POSIX sh command line, all values in it already
 * validated and quoted) on a new channel. stdin_data may be NULL. At most
 * max_out bytes of stdout and of stderr are kept. cb runs exactly once:
 * on completion, on timeout, or when the session fails, always from
 * sshc_step/sshc_close/sshc_free, never from inside sshc_exec. cb may start
 * new commands or close the session, but must not free it. timeout_ms <= 0
 * means cfg->timeout_s. The command starts at the next sshc_step (its
 * sshc_deadline() is now). At most 8 channels are open per session (sshd's
 * MaxSessions is 10); further commands wait their turn. A command timeout
 * with nothing at all heard from the host for as long fails the whole
 * session (dead peer) and it reconnects. Returns 0, or -1 when the session
 * is not READY (cb not called). */
int	sshc_exec(struct sshc *c, const char *command, const char *stdin_data,
	    size_t stdin_len, size_t max_out, int timeout_ms, sshc_exec_cb cb,
	    void *arg);

/* sshc_exec whose stdout is not kept: on_out(arg, p, n) gets it as it
 * arrives, in chunks of at most SSHC_STREAM_CHUNK bytes cut anywhere
 * (p valid during the call only), from inside sshc_step; on_out must not
 * start or end commands or close the session. cb then runs as for
 * sshc_exec with out_len 0; stderr is kept up to max_err. Lets a long
 * output (a 100,000-message queue) pass through in bounded memory. */
#define SSHC_STREAM_CHUNK	(64u * 1024)
typedef void (*sshc_out_cb)(void *arg, const char *p, size_t n);
int	sshc_exec_stream(struct sshc *c, const char *command,
	    const char *stdin_data, size_t stdin_len, size_t max_err,
	    int timeout_ms, sshc_out_cb on_out, sshc_exec_cb cb, void *arg);

/* Asks the session's resident command: command (validated and quoted, as
 * for sshc_exec) is started on its own channel at the first request and
 * kept running; request is written to its stdin (no EOF) and the answer is
 * its stdout up to and including end_marker (1..64 bytes, which the
 * command prints at the end of each answer and nowhere else). cb gets the
 * answer (exit_status 0) as for sshc_exec. When the command ends, a request
 * times out or the channel fails, cb gets the error and the resident is
 * closed; the next sshc_ask starts it again. One request at a time. Returns
 * 0, or -1 when the session is not READY or a request is in flight. */
int	sshc_ask(struct sshc *c, const char *command, const char *request,
	    size_t len, const char *end_marker, size_t max_out, int timeout_ms,
	    sshc_exec_cb cb, void *arg);

/* 1 when the next sshc_ask goes to the resident already running (the one
 * that took the last request), 0 when it would start a new one. */
int	sshc_resident_ready(const struct sshc *c);

/* Number of commands in flight. */
int	sshc_busy(const struct sshc *c);

/* Closes the session politely (disconnect message), back to IDLE. */
void	sshc_close(struct sshc *c);

/* Reconnect backoff: 1 s after the first failure, doubling to 30 s; reset
 * to 0 on success. backoff_next(0) == SSHC_BACKOFF_MIN_MS. */
#define SSHC_BACKOFF_MIN_MS	1000
#define SSHC_BACKOFF_MAX_MS	30000
int	backoff_next(int cur_ms);

/* Caps the reconnect delay at ms (at least SSHC_BACKOFF_MIN_MS is still
 * waited): the fleet sets it to the host's refresh interval, so a healed
 * host is back within a refresh or two. 0: SSHC_BACKOFF_MAX_MS. */
void	sshc_set_backoff_max(struct sshc *c, int ms);

/* Lets a session that is backing off retry at once (the delay it would
 * double next time is kept). No effect in other states. */
void	sshc_retry_now(struct sshc *c);

/* known_hosts: see knownhosts.h. */

#endif
