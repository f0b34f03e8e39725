/* watch.h: the layer every front end stands on. A watch owns the
 * inventory's model, every host's session and probe, the actions, the
 * derived topology and findings (recomputed in one place when the model
 * changes), the port-25 test, and the rules that say when a host is worth
 * waiting for. A front end runs the watch until its own condition holds,
 * then reads the model; it never builds a fleet or a model itself. */
#ifndef RELAYTOP_WATCH_H
#define RELAYTOP_WATCH_H

#include <stdint.h>
#include <time.h>

#include "actions.h"
#include "check.h"
#include "clock.h"
#include "config.h"
#include "model.h"
#include "topology.h"

struct watch;

/* Builds the model (ring events per host, 0: the default), the sessions
 * (none connects before watch_run) and the actions over inv, which must
 * outlive the watch. read_only: every action refuses. Returns NULL on
 * ENOMEM. */
struct watch *watch_new(struct inventory *inv, int read_only, size_t ring);
/* Closes every session (callbacks run now) and frees all. NULL: no-op. */
void	watch_free(struct watch *w);

/* Borrowed, valid until watch_free. The model changes during watch_run. */
struct model *watch_model(struct watch *w);
struct actions *watch_actions(struct watch *w);

/* What a front end's loop is told; any callback may be NULL. */
struct watch_client {
	int	input_fd;		/* -1: none */
	void	(*on_input)(void *arg);
	void	(*on_resize)(void *arg);	/* SIGWINCH seen */
	/* After each loop turn, once the watch has advanced its actions
	 * and the port test. */
	void	(*on_tick)(void *arg);
	int	(*until)(void *arg);	/* non-zero: the run is over */
	void	*arg;
	int	max_wait_ms;		/* cap on one poll() wait; 0: none */
};

/* A server polled in the watch's loop, whatever front end runs it (the
 * /metrics server of serve.h): fd(arg) gives its fd (-1: none now), run(arg)
 * is called after every poll(). One at most; fd NULL detaches it. */
void	watch_set_server(struct watch *w, int (*fd)(void *),
	    void (*run)(void *), void *arg);

/* Runs the one poll() loop until c->until() holds (returns 0), a
 * SIGINT/SIGTERM/SIGHUP arrives (returns the signal number), or
 * deadline_ms (absolute, clock_ms; 0 none) passes (returns -1). May be
 * called again. */
int	watch_run(struct watch *w, const struct watch_client *c,
	    int64_t deadline_ms);

/* watch_run for a front end with no input: on_tick and until (either may
 * be NULL) get arg; one poll() waits at most WATCH_WAIT_MS. */
#define WATCH_WAIT_MS	250
int	watch_run_until(struct watch *w, void (*on_tick)(void *),
	    int (*until)(void *), void *arg, int64_t deadline_ms);

/* Runs until every host's first probe has finished (answered or failed),
 * or deadline_ms; returns as watch_run. */
int	watch_run_first_probes(struct watch *w, int64_t deadline_ms);

/* Asks for a probe of every host (host < 0) or one as soon as possible;
 * a session waiting to reconnect tries at once. */
void	watch_refresh_now(struct watch *w, int host);

/* 1 when every host's first probe has finished (answered or failed). */
int	watch_probed_all(const struct watch *w);
/* Probes of host finished (answered or failed) so far. */
unsigned watch_probes_done(const struct watch *w, int host);

/* --- the host-state rules ------------------------------------------------ */

/* Waiting to connect: a host gets WATCH_CONNECT_GRACE_S to log in, only
 * WATCH_UNREACHABLE_S when it refuses or does not route. */
#define WATCH_CONNECT_GRACE_S	30
#define WATCH_UNREACHABLE_S	10

/* 1 when host's session is logged in and ready for commands. */
int	watch_host_ready(const struct watch *w, int host);
/* 1 when the host failed in a way a retry will not mend: its host key
 * changed or is unknown, or the login was refused. */
int	watch_host_hopeless(const struct host *h);
/* 1 when a front end that began waiting for host at since_ms (clock_ms)
 * should give up at now_ms: the host is hopeless after an attempt, or it
 * is not ready and its grace (above) is over. */
int	watch_host_given_up(const struct watch *w, int host, int64_t since_ms,
	    int64_t now_ms);
/* After a deadline: each host that never answered takes its session's
 * last error as its state ("logged in, but the probe did not answer
 * before the deadline" when the session is up). */
void	watch_settle(struct watch *w);

/* --- what the watch derives from the model ------------------------------- */

/* Topology and findings (port results merged) of the model now; recomputed
 * when the model changed, a port test finished, or 5 s passed (findings
 * depend on ages). Borrowed: the pointers stay valid until watch_free, the
 * contents until the next watch_derive or watch_run. Returns 0, -1 when
 * the topology could not be built (ENOMEM): both are empty then. */
int	watch_derive(struct watch *w, time_t now);
const struct topology *watch_topology(const struct watch *w);
const struct findings *watch_findings(const struct watch *w);
/* Forces the next watch_derive to recompute. */
void	watch_derive_again(struct watch *w);

/* --- the port-25 test from the origins (src/watch-ports.c) --------------- */

/* Starts a test over the origins' sessions, on the topology of now, unless
 * one is in flight. Returns 0 started, 1 one already running, -1 no
 * topology or ENOMEM, 2 read-only (the inventory's read_only, which
 * --read-only sets): no test runs, every hop is kept at once as
 * PORT_READ_ONLY. Never blocks; watch_run advances it. */
int	watch_ports_start(struct watch *w, int timeout_s);
/* Ends the test in flight: what has answered is kept as the last test,
 * the tests still out stay PORT_UNTESTED. No test in flight: no-op. */
void	watch_ports_stop(struct watch *w);
/* 1 while a test is in flight. */
int	watch_ports_running(const struct watch *w);
/* The last finished test, NULL none; *when (may be NULL) its end time.
 * The findings merge it from the next watch_derive on. */
const struct port_results *watch_ports(const struct watch *w, time_t *when);

#endif
