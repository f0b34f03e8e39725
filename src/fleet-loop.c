/* fleet-loop.c: the one poll() loop: the signal pipe, the input fd (the
 * console's keyboard) and every session's fd, with the nearest deadline as
 * the timeout. No sleeps, no spinning: each wait ends on I/O or a timer. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "fleet.h"

/* The shorter of two poll() waits (-1: none). */
static int
wait_min(int a, int b)
{
	if (a < 0)
		return b;
	return b >= 0 && b < a ? b : a;
}

int
fleet_run(struct fleet *f, const struct loop_hooks *hooks,
    int64_t deadline_ms)
{
	static const struct loop_hooks none = { .input_fd = -1 };
	struct pollfd *pfd;
	int64_t now, d;
	int n, cap = fleet_capacity(f), sigfd, winch, sig, input_ok, rc = 0,
	    wait, aux;

	if (!hooks)
		hooks = &none;
	input_ok = hooks->input_fd >= 0;
	/* the fleet may grow (instances found): room for all it can hold,
	 * plus the signal, input and server fds */
	if (!(pfd = calloc((size_t)cap + 3, sizeof(*pfd))))
		return -1;
	sigfd = signals_install();
	for (;;) {
		now = clock_ms();
		sig = signals_take(&winch);
		if (winch && hooks->on_resize)
			hooks->on_resize(hooks->arg);
		if (sig) {
			rc = sig;
			break;
		}
		fleet_tick(f, now);
		if (hooks->done && hooks->done(hooks->arg)) {
			rc = 0;
			break;
		}
		if (deadline_ms > 0 && now >= deadline_ms) {
			rc = -1;
			break;
		}
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = input_ok ? hooks->input_fd : -1;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = fleet_pollfds(f, pfd + 2, cap);
		/* the server's fd goes last, after the sessions' */
		aux = hooks->aux_fd != NULL ? hooks->aux_fd(hooks->aux_arg) : -1;
		pfd[n + 2].fd = aux;
		pfd[n + 2].events = POLLIN;
		pfd[n + 2].revents = 0;
		d = fleet_deadline(f);
		if (deadline_ms > 0 && deadline_ms < d)
			d = deadline_ms;
		wait = deadline_wait_ms(now, d, hooks->max_wait_ms > 0 ?
		    hooks->max_wait_ms : -1);
		if (hooks->aux_wait != NULL)
			wait = wait_min(wait, hooks->aux_wait(hooks->aux_arg));
		if (poll(pfd, (nfds_t)n + 3, wait) < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		now = clock_ms();
		if (pfd[1].revents) {
			/* A closed or bad input fd: tell once, then stop
			 * watching it, or poll() would return at once forever. */
			if (pfd[1].revents & (POLLHUP | POLLNVAL | POLLERR) &&
			    !(pfd[1].revents & POLLIN))
				input_ok = 0;
			if (hooks->on_input)
				hooks->on_input(hooks->arg);
		}
		/* a scrape that came in is answered before the sessions'
		 * work (which, at hundreds of hosts on a busy machine, can
		 * take a while of wall time), and the server runs again
		 * after it for whatever that work made ready */
		if (hooks->on_aux != NULL && pfd[n + 2].revents)
			hooks->on_aux(hooks->aux_arg);
		fleet_step(f, pfd + 2, n, now);
		if (hooks->on_aux != NULL)
			hooks->on_aux(hooks->aux_arg);
		fleet_tick(f, clock_ms());
		if (hooks->on_tick)
			hooks->on_tick(hooks->arg);
	}
	free(pfd);
	return rc;
}
