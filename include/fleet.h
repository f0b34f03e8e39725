/* fleet.h: every host's session and its probe schedule, and the one poll()
 * loop that drives them together with an optional input fd (the console's
 * keyboard). Signal handlers only set flags that the loop reads. */
#ifndef RELAYTOP_FLEET_H
#define RELAYTOP_FLEET_H

#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "model.h"
#include "sshc.h"

struct fleet;

struct fleet *fleet_new(struct inventory *inv, struct model *m);
void	fleet_free(struct fleet *f);

/* The session and probe of inventory entry fleet_size() (one appended to
 * the inventory and the model since), in the room fleet_new kept. Returns
 * its index, or -1 (no room, ENOMEM). It connects on the next tick. */
int	fleet_add_host(struct fleet *f);

struct sshc *fleet_session(struct fleet *f, int host_index);

/* Asks for a probe of every host (or one, index >= 0) as soon as possible. */
void	fleet_refresh_now(struct fleet *f, int host_index);

/* Hosts whose first probe has finished (answered or failed). */
int	fleet_probed_all(const struct fleet *f);

/* Probes of host host_index finished (answered or failed) so far. */
unsigned fleet_probes_done(const struct fleet *f, int host_index);

/* After a deadline: each host that never answered takes its session's last
 * error as its state (the one writer of host_conn is this file). */
void	fleet_settle(struct fleet *f);

/* Hooks for the loop; any may be NULL. */
struct loop_hooks {
	int	input_fd;		/* -1: none */
	void	(*on_input)(void *arg);
	void	(*on_resize)(void *arg);	/* SIGWINCH seen */
	void	(*on_tick)(void *arg);	/* after each iteration */
	int	(*done)(void *arg);	/* non-zero: leave the loop */
	void	*arg;
	int	max_wait_ms;		/* cap on one poll() wait */
	/* A server beside the sessions (serve.h), NULL: none. aux_fd gives
	 * the fd to poll for input (-1: none now); on_aux runs after every
	 * poll(), fired or not (it also serves its own timeouts), after the
	 * sessions' step; when its fd fired, before that step too (a scrape
	 * does not wait for hundreds of sessions' work). */
	int	(*aux_fd)(void *aux_arg);
	void	(*on_aux)(void *aux_arg);
	void	*aux_arg;
	/* The longest the server lets poll() wait (ms, -1: any): it may hold
	 * work no fd will announce (libmicrohttpd's MHD_get_timeout). NULL:
	 * any. */
	int	(*aux_wait)(void *aux_arg);
};

/* Runs the loop until done() says so, or SIGINT/SIGTERM/SIGHUP arrive
 * (returns the signal number then), or deadline_ms (absolute, clock_ms;
 * 0 none) passes (returns -1). Returns 0 when done() ended it. */
int	fleet_run(struct fleet *f, const struct loop_hooks *hooks,
	    int64_t deadline_ms);

/* The loop's pieces, for a caller that runs its own poll(): fleet_run is
 * exactly "tick; poll(fleet_pollfds, fleet_deadline); step; tick". */
struct pollfd;
/* Starts idle sessions, mirrors session state into the model (host_conn),
 * starts probes that are due. */
void	fleet_tick(struct fleet *f, int64_t now_ms);
/* Fills one pollfd per host (fd -1 when it waits for nothing); returns
 * the number written (the host count; max must be at least that). */
int	fleet_pollfds(const struct fleet *f, struct pollfd *pfd, int max);
/* Steps the sessions whose fd fired or whose deadline passed. */
void	fleet_step(struct fleet *f, const struct pollfd *pfd, int n,
	    int64_t now_ms);
/* Earliest time something is due (a session deadline, a probe);
 * INT64_MAX when none. */
int64_t	fleet_deadline(const struct fleet *f);
/* Number of hosts. */
int	fleet_size(const struct fleet *f);
/* When the latest first contact began (at most FLEET_FIRST_MAX run at
 * once); now_ms while some host still waits for its turn. */
int64_t	fleet_first_started(const struct fleet *f, int64_t now_ms);
/* Most hosts it can hold (fleet_add_host adds up to that). */
int	fleet_capacity(const struct fleet *f);

/* Signals (src/signals.c). The handlers only set flags and write a byte
 * to a self-pipe so poll() wakes. SIGINT, SIGTERM, SIGHUP and SIGWINCH
 * are caught (a SIGWINCH handler installed before, e.g. ncurses', still
 * runs), SIGPIPE is ignored. Idempotent; returns the pipe's read end, or -1
 * when it could not be made (flags still work through EINTR). */
int	signals_install(void);
/* Takes the pending signals: returns the first terminating signal seen
 * (SIGINT/SIGTERM/SIGHUP) or 0; *winch = 1 when SIGWINCH arrived since the
 * last call (winch may be NULL). Drains the pipe. */
int	signals_take(int *winch);

#endif
