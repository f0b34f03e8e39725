/* mode-check.c: `relaytop --check [--json]`: probes every host once (with a
 * deadline), runs the port-25 tests from the origins, runs the doctor and
 * prints its findings. Exit: 0 OK, 1 warning, 2 critical, 3 unknown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "fleet.h"
#include "modes.h"
#include "output-locale.h"
#include "sshc.h"
#include "topology.h"

#define CHECK_PORT_TIMEOUT_S	4	/* per TCP/25 test */
#define CHECK_RETRY_MS		6000	/* second chance for failed probes */

struct ck_run {
	struct fleet *f;
	struct model *m;
	struct port_probe *pp;
	int64_t	retry_until;	/* 0: every host not yet tried once */
};

/* A failure that a second try will not change. */
static int
hard_failure(const struct host *h)
{
	return h->conn == HC_HOSTKEY_CHANGED || h->conn ==
	    HC_HOSTKEY_UNKNOWN || h->conn == HC_AUTH_FAILED;
}

/* Every host tried once; those that failed softly (a probe timed out on a
 * loaded host, a connection reset) get one more try within a short
 * window, so one slow answer does not turn the run UNKNOWN. */
static int
probed_done(void *arg)
{
	struct ck_run *r = arg;
	size_t i;
	int soft = 0;

	if (!fleet_probed_all(r->f))
		return 0;
	for (i = 0; i < r->m->n; i++)
		if (r->m->hosts[i].conn != HC_UP &&
		    !hard_failure(&r->m->hosts[i]))
			soft = 1;
	if (!soft)
		return 1;
	if (r->retry_until == 0) {
		r->retry_until = clock_ms() + CHECK_RETRY_MS;
		for (i = 0; i < r->m->n; i++)
			if (r->m->hosts[i].conn != HC_UP)
				fleet_refresh_now(r->f, (int)i);
	}
	return clock_ms() >= r->retry_until;
}

static int
ports_done(void *arg)
{
	return port_probe_done(((struct ck_run *)arg)->pp);
}

/* Time for every host's first probe: its own deadlines, twice over. */
static int64_t
probe_budget_ms(const struct options *o, const struct inventory *inv)
{
	int worst = 10;
	size_t i;

	if (o->timeout_s > 0)
		return (int64_t)o->timeout_s * 1000;
	for (i = 0; i < inv->n; i++)
		if (inv->hosts[i].timeout_s > worst)
			worst = inv->hosts[i].timeout_s;
	return (int64_t)(worst * 2 + 5) * 1000;
}

static void
verbose_ports(const struct model *m, const struct port_results *pr)
{
	size_t i;

	for (i = 0; pr != NULL && i < pr->n; i++) {
		const struct port_result *r = &pr->v[i];

		out_printf(stderr, "relaytop: port test %s -> %s:%d: %s "
		    "(%d ms)%s%s\n",
		    m->hosts[r->from].cfg->name, r->host, r->port,
		    port_state_name(r->state), r->elapsed_ms,
		    r->detail[0] ? ": " : "", r->detail);
	}
}

static int
run_loop(struct ck_run *r, int (*done)(void *), int64_t budget_ms)
{
	struct loop_hooks hooks;

	memset(&hooks, 0, sizeof(hooks));
	hooks.input_fd = -1;
	hooks.done = done;
	hooks.arg = r;
	hooks.max_wait_ms = 200;
	return fleet_run(r->f, &hooks, clock_ms() + budget_ms);
}

int
mode_check(const struct options *o, struct inventory *inv)
{
	struct model m;
	struct topology t = { NULL, 0 };
	struct findings fs = { NULL, 0 };
	struct ck_run r = { NULL, NULL, NULL, 0 };
	int lr, status;

	if (model_init(&m, inv, 0) != 0 || (r.f = fleet_new(inv, &m)) ==
	    NULL) {
		fprintf(stderr, "relaytop: out of memory\n");
		model_free(&m);
		return 3;
	}
	r.m = &m;
	fleet_refresh_now(r.f, -1);
	lr = run_loop(&r, probed_done, probe_budget_ms(o, inv));
	if (lr > 0)
		goto interrupted;
	if (topology_build(&m, &t) != 0)
		goto nomem;
	r.pp = port_probe_start(r.f, &m, &t, CHECK_PORT_TIMEOUT_S);
	if (r.pp == NULL)
		goto nomem;
	if (!port_probe_done(r.pp)) {
		lr = run_loop(&r, ports_done, (CHECK_PORT_TIMEOUT_S + 10) *
		    1000);
		if (lr > 0)
			goto interrupted;
	}
	if (o->verbose)
		verbose_ports(&m, port_probe_results(r.pp));
	if (check_run_ports(&m, &t, port_probe_results(r.pp), time(NULL),
	    &fs) != 0)
		goto nomem;
	status = findings_exit_status(&fs, &m);
	if ((o->json ? check_print_json(stdout, &m, &fs, status) :
	    check_print_text(stdout, &m, &fs, status)) != 0)
		status = 3;
	goto out;
nomem:
	fprintf(stderr, "relaytop: out of memory\n");
	status = 3;
	goto out;
interrupted:
	fprintf(stderr, "relaytop: --check interrupted (signal %d)\n", lr);
	status = 3;
out:
	findings_free(&fs);
	port_probe_free(r.pp);
	topology_free(&t);
	fleet_free(r.f);
	model_free(&m);
	return status;
}
