/* fleet-run.c: drives the whole fleet (sessions + probes + the poll loop)
 * on a hosts.ini without the console: prints host state changes, then
 * times the first probe of every host and R steady-state refresh rounds.
 * Build: make tools (make unit builds it too) -> build/tools/fleet-run
 * Usage: fleet-run [-r ROUNDS] [-s SECONDS] [-a] HOSTS.INI
 *   -r  refresh rounds to time after the first probe of every host (3;
 *       0: none, just run the normal schedule until -s)
 *   -s  give up after SECONDS (30)    -a  accept-new host keys */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fleet.h"
#include "model.h"

struct run {
	struct fleet *f;
	struct model *m;
	enum host_conn *seen;
	unsigned *base;
	int	round, rounds;
	int64_t	t0, round_t0;
};

static int
round_done(struct run *r)
{
	size_t i;

	for (i = 0; i < r->m->n; i++)
		if (r->m->hosts[i].conn == HC_UP &&
		    fleet_probes_done(r->f, (int)i) <= r->base[i])
			return 0;
	return 1;
}

static void
tick(void *arg)
{
	struct run *r = arg;
	int64_t now = clock_ms();
	size_t i;

	for (i = 0; i < r->m->n; i++) {
		struct host *h = &r->m->hosts[i];

		if (h->conn != r->seen[i]) {
			r->seen[i] = h->conn;
			printf("[%6.3f] %-10s %s%s%s\n", (now - r->t0) / 1000.0,
			    h->cfg->name, host_conn_name(h->conn),
			    h->conn_msg[0] ? ": " : "", h->conn_msg);
		}
	}
	if (r->round == 0 && fleet_probed_all(r->f)) {
		printf("[%6.3f] every host probed once (or failed)\n",
		    (now - r->t0) / 1000.0);
		r->round = 1;
	} else if (r->round > 0 && r->round_t0 && round_done(r)) {
		printf("[%6.3f] refresh round %d: %d ms for %zu hosts\n",
		    (now - r->t0) / 1000.0, r->round,
		    (int)(now - r->round_t0), r->m->n);
		r->round++;
		r->round_t0 = 0;
	} else if (r->round > 0 && !r->round_t0 && r->round <= r->rounds) {
		for (i = 0; i < r->m->n; i++)
			r->base[i] = fleet_probes_done(r->f, (int)i);
		/* Wait until no probe runs, so a round is a clean one. */
		for (i = 0; i < r->m->n; i++)
			if (sshc_busy(fleet_session(r->f, (int)i)))
				return;
		r->round_t0 = now;
		fleet_refresh_now(r->f, -1);
	}
	fflush(stdout);
}

static int
finished(void *arg)
{
	struct run *r = arg;

	return r->rounds > 0 && r->round > r->rounds;
}

int
main(int argc, char **argv)
{
	struct inventory inv;
	struct model m;
	struct run r;
	struct loop_hooks hooks;
	char err[512];
	int opt, secs = 30, accept = 0, rc;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.rounds = 3;
	while ((opt = getopt(argc, argv, "r:s:a")) != -1) {
		switch (opt) {
		case 'r': r.rounds = atoi(optarg); break;
		case 's': secs = atoi(optarg); break;
		case 'a': accept = 1; break;
		default: return 2;
		}
	}
	if (optind != argc - 1 ||
	    config_load(argv[optind], &inv, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", optind == argc - 1 ? err :
		    "usage: fleet-run [-r N] [-s S] [-a] HOSTS.INI");
		return 2;
	}
	for (i = 0; accept && i < inv.n; i++)
		inv.hosts[i].hostkey_policy = HOSTKEY_ACCEPT_NEW;
	if (model_init(&m, &inv, 0) != 0)
		return 2;
	r.m = &m;
	r.seen = calloc(inv.n + 1, sizeof(*r.seen));
	r.base = calloc(inv.n + 1, sizeof(*r.base));
	r.f = fleet_new(&inv, &m);
	if (!r.f || !r.seen || !r.base)
		return 2;
	for (i = 0; i < inv.n; i++)
		r.seen[i] = (enum host_conn)-1;
	memset(&hooks, 0, sizeof(hooks));
	hooks.input_fd = -1;
	hooks.on_tick = tick;
	hooks.done = finished;
	hooks.arg = &r;
	r.t0 = clock_ms();
	rc = fleet_run(r.f, &hooks, r.t0 + secs * 1000);
	printf("fleet_run returned %d\n", rc);
	for (i = 0; i < m.n; i++)
		printf("%-10s %-16s probes=%u last probe %d ms\n",
		    m.hosts[i].cfg->name, host_conn_name(m.hosts[i].conn),
		    fleet_probes_done(r.f, (int)i), m.hosts[i].probe_ms);
	fleet_free(r.f);
	model_free(&m);
	config_free(&inv);
	free(r.seen);
	free(r.base);
	return rc == 0 ? 0 : 1;
}
