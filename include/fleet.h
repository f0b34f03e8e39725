/* fleet.h: every host's session and its probe schedule, and the one poll()
 * loop that drives them together with an optional input fd (the console's
 * keyboard). Signal handlers only set flags that the loop reads. */
#ifndef RELAYTOP_FLEET_H
#define RELAYTOP_FLEET_H

#include <stdint.h>

#include "config.h"
#include "model.h"
#include "sshc.h"

struct fleet;

struct fleet *fleet_new(struct inventory *inv, struct model *m);
void	fleet_free(struct fleet *f);

struct sshc *fleet_session(struct fleet *f, int host_index);

/* Asks for a probe of every host (or one, index >= 0) as soon as possible. */
void	fleet_refresh_now(struct fleet *f, int host_index);

/* Hosts whose first probe has finished (answered or failed). */
int	fleet_probed_all(const struct fleet *f);

/* Hooks for the loop; any may be NULL. */
struct loop_hooks {
	int	input_fd;		/* -1: none */
	void	(*on_input)(void *arg);
	void	(*on_resize)(void *arg);	/* SIGWINCH seen */
	void	(*on_tick)(void *arg);	/* after each iteration */
	int	(*done)(void *arg);	/* non-zero: leave the loop */
	void	*arg;
	int	max_wait_ms;		/* cap on one poll() wait */
};

/* Runs the loop until done() says so, or SIGINT/SIGTERM/SIGHUP arrive
 * (returns the signal number then), or deadline_ms (absolute, clock_ms;
 * 0 none) passes (returns -1). Returns 0 when done() ended it. */
int	fleet_run(struct fleet *f, const struct loop_hooks *hooks,
	    int64_t deadline_ms);

#endif
