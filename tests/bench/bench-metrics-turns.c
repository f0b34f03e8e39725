/* bench-metrics-turns.c: the bench-metrics driver's BENCH_TURNS mode:
 * what one loop turn costs at H sessions, no SSH: each O(hosts) piece of
 * a turn timed alone, then the loop itself (watch_run) for a second. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-metrics.h"
#include "bench-time.h"
#include "config.h"
#include "watch.h"
/* the fleet and the actions of a watch, whose pieces are timed alone */
#include "../../src/watch-int.h"
#include "actions.h"
#include "clock.h"
#include "fleet.h"

/* A loop turn's counter (watch_client.on_tick). */
static void
count_turn(void *arg)
{
	(*(unsigned long *)arg)++;
}

/* CPU microseconds a call of each O(hosts) piece of a loop turn costs
 * (median of 9 rounds of `reps` calls), at hosts sessions. */
#define TIME_PIECE(label, call) do {					\
	double v_[9];							\
	int r_, k_;							\
	for (r_ = 0; r_ < 9; r_++) {					\
		double t_ = cpu_ms();					\
		for (k_ = 0; k_ < reps; k_++)				\
			call;						\
		v_[r_] = (cpu_ms() - t_) * 1000.0 / reps;		\
	}								\
	printf("turn_%s_us=%.2f\n", label, bm_median(v_, 9));		\
} while (0)

/* H hosts all at 127.0.0.1:PORT, where a socket listens and never
 * accepts: the first contacts the fleet lets start (FLEET_FIRST_MAX)
 * connect and wait for an SSH banner that never comes, the rest wait for a
 * slot; nothing leaves the loopback. Then: each piece of a turn timed
 * alone, and the loop itself (watch_run, poll() waiting at most 1 ms)
 * for a second, its CPU a turn. */
int
bm_turns_bench(int hosts)
{
	struct buf b = { NULL, 0, 0 };
	struct sockaddr_in sa;
	struct inventory inv;
	struct watch_client c;
	struct pollfd *pfd;
	struct watch *w;
	socklen_t sl = sizeof(sa);
	char err[256];
	unsigned long turns = 0;
	double t0, c0;
	int lfd, i, n, reps = 2000;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 1024) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	bm_put(&b, "[defaults]\nuser = relayop\nssh_config = no\n"
	    "timeout = 300\nrefresh = 1\n");
	for (i = 0; i < hosts; i++)
		bm_put(&b, "[t%d]\naddress = 127.0.0.1\nport = %d\n", i + 1,
		    ntohs(sa.sin_port));
	if (config_load_string(b.s, "turns", &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-metrics: turns: %s\n", err);
		return -1;
	}
	if ((w = watch_new(&inv, 1, 0)) == NULL ||
	    (pfd = calloc((size_t)hosts + 3, sizeof(*pfd))) == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	c.input_fd = -1;
	c.on_tick = count_turn;
	c.arg = &turns;
	c.max_wait_ms = 1;
	/* the first contacts start and wait for their banner */
	watch_run(w, &c, clock_ms() + 300);
	TIME_PIECE("fleet_tick", fleet_tick(w->f, clock_ms()));
	TIME_PIECE("fleet_deadline", (void)fleet_deadline(w->f));
	TIME_PIECE("fleet_pollfds", (void)fleet_pollfds(w->f, pfd, hosts));
	n = fleet_pollfds(w->f, pfd, hosts);
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	TIME_PIECE("fleet_step", fleet_step(w->f, pfd, n, clock_ms()));
	TIME_PIECE("instances_sync", watch_instances_sync(w));
	TIME_PIECE("actions_tick", actions_tick(w->a));
	TIME_PIECE("queue_tick", watch_queue_tick(w));
	for (i = n = 0; i < hosts; i++)
		n += pfd[i].fd >= 0;
	turns = 0;
	t0 = now_ms();
	c0 = cpu_ms();
	watch_run(w, &c, clock_ms() + 1000);
	printf("turn_sessions_with_fd=%d\nturn_loop_turns_per_s=%.0f\n"
	    "turn_loop_cpu_us=%.1f\n", n, turns * 1000.0 / (now_ms() - t0),
	    turns ? (cpu_ms() - c0) * 1000.0 / turns : 0.0);
	watch_free(w);
	config_free(&inv);
	close(lfd);
	free(pfd);
	free(b.s);
	return 0;
}
