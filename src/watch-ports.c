/* watch-ports.c: the doctor's port-25 test for every front end: one test in
 * flight at most over the origins' own sessions, advanced by each loop
 * turn, never waited on; the last finished one is kept for the findings.
 * Read-only runs none: each hop is kept as "not run (read-only)". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch-int.h"

static void ports_keep(struct watch *w, const struct port_results *r);

/* Read-only: every hop the test would try, kept as "not run (read-only)";
 * nothing is opened from the origins. */
static int
ports_read_only(struct watch *w)
{
	struct port_results r = { NULL, 0 };
	size_t k;

	if ((r.v = calloc(w->topo.n + 1, sizeof(r.v[0]))) == NULL)
		return -1;
	for (k = 0; k < w->topo.n; k++) {
		const struct edge *e = &w->topo.v[k];
		struct port_result *v = &r.v[r.n];

		if ((e->kind != EDGE_PRIMARY && e->kind != EDGE_FALLBACK) ||
		    e->from < 0 || (size_t)e->from >= w->m.n)
			continue;
		port_result_of_edge(v, e, PORT_READ_ONLY);
		snprintf(v->detail, sizeof(v->detail), "not run: read-only "
		    "(--read-only or read_only = yes)");
		r.n++;
	}
	ports_keep(w, &r);
	free(r.v);
	watch_derive_again(w);
	return 2;
}

int
watch_ports_start(struct watch *w, int timeout_s)
{
	if (w->pp != NULL)
		return 1;
	watch_derive_again(w);		/* the topology of now */
	if (watch_derive(w, time(NULL)) != 0)
		return -1;
	if (w->inv->read_only)
		return ports_read_only(w);
	w->pp = port_probe_start(w->f, &w->m, &w->topo, timeout_s);
	if (w->pp == NULL)
		return -1;
	watch_ports_tick(w);		/* nothing to test: done at once */
	return 0;
}

int
watch_ports_running(const struct watch *w)
{
	return w->pp != NULL;
}

const struct port_results *
watch_ports(const struct watch *w, time_t *when)
{
	if (when != NULL)
		*when = w->ports_time;
	return w->ports_time != 0 ? &w->ports : NULL;
}

/* Keeps a copy of r; on ENOMEM the test counts as one with no hop. */
static void
ports_keep(struct watch *w, const struct port_results *r)
{
	struct port_result *v = NULL;

	if (r != NULL && r->n > 0 && (v = malloc(r->n * sizeof(*v))) != NULL)
		memcpy(v, r->v, r->n * sizeof(*v));
	free(w->ports.v);
	w->ports.v = v;
	w->ports.n = v != NULL ? r->n : 0;
	w->ports_time = time(NULL);
}

void
watch_ports_tick(struct watch *w)
{
	/* findings again, with the ports, from the next watch_derive */
	if (w->pp != NULL && port_probe_done(w->pp))
		watch_ports_stop(w);
}

void
watch_ports_stop(struct watch *w)
{
	if (w->pp == NULL)
		return;
	ports_keep(w, port_probe_results(w->pp));
	port_probe_free(w->pp);
	w->pp = NULL;
	watch_derive_again(w);
}

void
watch_ports_free(struct watch *w)
{
	port_probe_free(w->pp);		/* safe with tests in flight */
	w->pp = NULL;
	free(w->ports.v);
	w->ports.v = NULL;
	w->ports.n = 0;
	w->ports_time = 0;
}
