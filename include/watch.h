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
#include "queue-msg.h"
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
/* The longest the attached server lets the loop's poll() wait (wait(arg):
 * ms, -1 any); NULL: any. Set after watch_set_server, which clears it. */
void	watch_set_server_wait(struct watch *w, int (*wait)(void *));

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

/* --- the queue: messages listed, operations on them (watch-queue*.c) ---- */

/* Streams `/usr/sbin/postqueue [-c dir] -j` of host (as the login, no
 * sudo) on its own channel: on_msg gets each message as its line arrives
 * (m borrowed during the call; host set), on_done once at the end (ok 1:
 * the whole queue was read; 0: msg says why; bad: lines that were no
 * message record). Nothing but one partial line is held. Callbacks run
 * from watch_run; none after watch_queue_list_cancel(w, arg) or
 * watch_free. Returns 0 started, -1 with err (no such host, not
 * connected). */
typedef void (*watch_queue_msg_fn)(void *arg, const struct queue_msg *m);
typedef void (*watch_queue_done_fn)(void *arg, int host, int ok,
	    const char *msg, unsigned long bad);
int	watch_queue_list(struct watch *w, int host, watch_queue_msg_fn on_msg,
	    watch_queue_done_fn on_done, void *arg, char *err, size_t errlen);
/* Listings in flight (for any arg). */
int	watch_queue_listing(const struct watch *w);
/* No callback of the listings started with arg runs any more. */
void	watch_queue_list_cancel(struct watch *w, void *arg);

enum queue_op { QOP_HOLD = 0, QOP_RELEASE, QOP_REQUEUE, QOP_DELETE,
	QOP_DELIVER, QOP_MAX };
/* "hold", "release", "requeue", "delete", "deliver". */
const char *queue_op_name(enum queue_op op);
/* The fixed command line of op: "/usr/sbin/postsuper -d -" (ids on stdin;
 * postsuper needs root: run as "sudo -n " + this unless the login is
 * root, the line `relaytop --sudoers` pins), "/usr/sbin/postqueue -i"
 * (deliver: one quoted id after it, as the login). */
const char *queue_op_command(enum queue_op op);

/* A message named so that a reused short id cannot stand for it: host,
 * queue id and arrival time, as listed. */
struct queue_ref {
	int	host;
	char	id[QUEUE_ID_SIZE];
	time_t	arrival;
};

enum queue_ref_state { QR_PENDING = 0, QR_DONE, QR_GONE, QR_REUSED,
	QR_FAILED, QR_NOT_RUN };

#define WATCH_QUEUE_BATCH	1000	/* ids per postsuper run */
#define WATCH_QUEUE_PAUSE_MS	200	/* between two runs */

struct watch_queue_job;

/* Starts op on the n refs, all of host (copied). The job re-reads the
 * host's queue first and skips each ref whose id is gone (QR_GONE) or now
 * names a message of another arrival time (QR_REUSED), then runs the rest
 * in batches of batch ids (0: WATCH_QUEUE_BATCH; deliver: one id a run)
 * with pause_ms between them, every batch written to the action log
 * before (host, op, its ids) and after (postsuper's answer). No batch
 * starts when its log line cannot be written. Returns NULL with err
 * (refused, and logged) in read-only mode, for a host with postfix_config
 * (the pinned line names the default instance only), for a login other
 * than root without sudo = yes (postsuper needs root), an invalid or twice
 * given id, or a host not connected. The watch owns the job: valid until
 * watch_queue_job_free or watch_free; watch_run advances it. */
struct watch_queue_job *watch_queue_job_start(struct watch *w, int host,
	    enum queue_op op, const struct queue_ref *refs, size_t n,
	    size_t batch, int pause_ms, char *err, size_t errlen);
/* No new batch starts (the one in flight finishes); the refs not run
 * become QR_NOT_RUN. */
void	watch_queue_job_stop(struct watch_queue_job *j);
/* 1 when nothing more will happen. */
int	watch_queue_job_done(const struct watch_queue_job *j);
/* Refs in each state (array of QR_NOT_RUN + 1), and how many messages
 * postsuper said it acted on (its "Deleted: N messages"). */
void	watch_queue_job_counts(const struct watch_queue_job *j,
	    size_t count[QR_NOT_RUN + 1], size_t *acted);
/* Ref i and its state; NULL past the end. */
const struct queue_ref *watch_queue_job_ref(const struct watch_queue_job *j,
	    size_t i, enum queue_ref_state *st);
/* A one-line account of the job so far ("delete origin-a: 1000 of 2500
 * done, 2 gone, 1 id reused: skipped"); the last error when one failed. */
const char *watch_queue_job_status(const struct watch_queue_job *j);
void	watch_queue_job_free(struct watch_queue_job *j);

#endif
