/* mode-check.c: `relaytop --check [--json]`: probes every host once (with a
 * deadline), runs the port-25 tests from the origins, runs the doctor and
 * prints its findings. Exit: 0 OK, 1 warning, 2 critical, 3 unknown. */
#include <stdio.h>
#include <time.h>

#include "modes.h"
#include "output-locale.h"
#include "watch.h"

#define CHECK_PORT_TIMEOUT_S	4	/* per TCP/25 test */
#define CHECK_RETRY_MS		6000	/* second chance for failed probes */

struct ck_run {
	struct watch *w;
	int64_t	retry_until;	/* 0: every host not yet tried once */
};

/* Every host tried once; those that failed softly (a probe timed out on a
 * loaded host, a connection reset) get one more try within a short
 * window, so one slow answer does not turn the run UNKNOWN. */
static int
probed_done(void *arg)
{
	struct ck_run *r = arg;
	const struct model *m = watch_model(r->w);
	size_t i;
	int soft = 0;

	if (!watch_probed_all(r->w))
		return 0;
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].conn != HC_UP &&
		    !watch_host_hopeless(&m->hosts[i]))
			soft = 1;
	if (!soft)
		return 1;
	if (r->retry_until == 0) {
		r->retry_until = clock_ms() + CHECK_RETRY_MS;
		for (i = 0; i < m->n; i++)
			if (m->hosts[i].conn != HC_UP)
				watch_refresh_now(r->w, (int)i);
	}
	return clock_ms() >= r->retry_until;
}

static int
ports_done(void *arg)
{
	return !watch_ports_running(((struct ck_run *)arg)->w);
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
run_loop(struct ck_run *r, int (*until)(void *), int64_t budget_ms)
{
	return watch_run_until(r->w, NULL, until, r, clock_ms() + budget_ms);
}

int
mode_check(const struct options *o, struct inventory *inv)
{
	struct ck_run r = { NULL, 0 };
	const struct model *m;
	const struct findings *fs;
	int lr, status;

	if ((r.w = watch_new(inv, 1, 0)) == NULL) {
		fprintf(stderr, "relaytop: out of memory\n");
		return 3;
	}
	m = watch_model(r.w);
	watch_refresh_now(r.w, -1);
	lr = run_loop(&r, probed_done, probe_budget_ms(o, inv));
	if (lr > 0)
		goto interrupted;
	if (watch_ports_start(r.w, CHECK_PORT_TIMEOUT_S) < 0)
		goto nomem;
	if (watch_ports_running(r.w)) {
		lr = run_loop(&r, ports_done, (CHECK_PORT_TIMEOUT_S + 10) *
		    1000);
		if (lr > 0)
			goto interrupted;
		watch_ports_stop(r.w);	/* late tests stay untested */
	}
	if (o->verbose)
		verbose_ports(m, watch_ports(r.w, NULL));
	if (watch_derive(r.w, time(NULL)) != 0)
		goto nomem;
	fs = watch_findings(r.w);
	status = findings_exit_status(fs, m);
	if ((o->json ? check_print_json(stdout, m, fs, status) :
	    check_print_text(stdout, m, fs, status)) != 0)
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
	watch_free(r.w);
	return status;
}
