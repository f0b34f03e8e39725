/* watch.c: the watch itself: builds the model, fleet and actions for the
 * front ends, runs the loop with the actions and the port test advanced on
 * every turn, derives topology and findings in one place, and holds the
 * rules on when a host is worth waiting for. */
#include <stdlib.h>
#include <string.h>

#include "watch-int.h"

struct watch *
watch_new(struct inventory *inv, int read_only, size_t ring)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->inv = inv;
	if (watch_instances_room(w) != 0 ||
	    model_init_room(&w->m, inv, ring, CFG_INSTANCE_SLOTS) != 0) {
		watch_instances_unroom(w);
		free(w);
		return NULL;
	}
	if ((w->f = fleet_new(inv, &w->m)) == NULL ||
	    (w->a = actions_new(w->f, &w->m, inv, read_only)) == NULL) {
		watch_free(w);
		return NULL;
	}
	return w;
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	watch_ports_free(w);
	watch_queue_free(w);
	topology_free(&w->topo);
	findings_free(&w->finds);
	actions_free(w->a);
	fleet_free(w->f);
	model_free(&w->m);
	watch_instances_unroom(w);
	free(w);
}

struct model *
watch_model(struct watch *w)
{
	return &w->m;
}

struct actions *
watch_actions(struct watch *w)
{
	return w->a;
}

/* The loop's hooks: the watch's own turn first, then the client's. */
struct run {
	struct watch *w;
	const struct watch_client *c;
};

static void
run_input(void *arg)
{
	struct run *r = arg;

	if (r->c->on_input)
		r->c->on_input(r->c->arg);
}

static void
run_resize(void *arg)
{
	struct run *r = arg;

	if (r->c->on_resize)
		r->c->on_resize(r->c->arg);
}

static void
run_tick(void *arg)
{
	struct run *r = arg;

	watch_instances_sync(r->w);
	actions_tick(r->w->a);
	watch_ports_tick(r->w);
	watch_queue_tick(r->w);
	if (r->c->on_tick)
		r->c->on_tick(r->c->arg);
}

static int
run_until(void *arg)
{
	struct run *r = arg;

	return r->c->until ? r->c->until(r->c->arg) : 0;
}

int
watch_run(struct watch *w, const struct watch_client *c, int64_t deadline_ms)
{
	static const struct watch_client none = { .input_fd = -1 };
	struct run r = { w, c ? c : &none };
	struct loop_hooks h;

	memset(&h, 0, sizeof(h));
	h.input_fd = r.c->input_fd;
	h.on_input = run_input;
	h.on_resize = run_resize;
	h.on_tick = run_tick;
	h.done = run_until;
	h.arg = &r;
	h.max_wait_ms = r.c->max_wait_ms;
	h.aux_fd = w->srv_fd;
	h.on_aux = w->srv_fd != NULL ? w->srv_run : NULL;
	h.aux_arg = w->srv_arg;
	h.aux_wait = w->srv_fd != NULL ? w->srv_wait : NULL;
	return fleet_run(w->f, &h, deadline_ms);
}

void
watch_set_server(struct watch *w, int (*fd)(void *), void (*run)(void *),
    void *arg)
{
	w->srv_fd = fd;
	w->srv_run = run;
	w->srv_arg = arg;
	w->srv_wait = NULL;
}

void
watch_set_server_wait(struct watch *w, int (*wait)(void *))
{
	w->srv_wait = wait;
}

static int
first_probes_done(void *arg)
{
	return watch_probed_all(arg);
}

int
watch_run_until(struct watch *w, void (*on_tick)(void *),
    int (*until)(void *), void *arg, int64_t deadline_ms)
{
	struct watch_client c;

	memset(&c, 0, sizeof(c));
	c.input_fd = -1;
	c.on_tick = on_tick;
	c.until = until;
	c.arg = arg;
	c.max_wait_ms = WATCH_WAIT_MS;
	return watch_run(w, &c, deadline_ms);
}

/* The deadline is as far from the last host's first contact as it was
 * from the start: on a big fleet some hosts wait for a first-contact slot
 * (fleet.c), and each gets the whole span once it starts. */
int
watch_run_first_probes(struct watch *w, int64_t deadline_ms)
{
	int64_t span = deadline_ms - clock_ms(), late;
	int rc;

	for (;;) {
		rc = watch_run_until(w, NULL, first_probes_done, w,
		    deadline_ms);
		if (rc != -1)
			return rc;
		late = fleet_first_started(w->f, clock_ms()) + span;
		if (late <= deadline_ms)
			return rc;
		deadline_ms = late;
	}
}

void
watch_refresh_now(struct watch *w, int host)
{
	fleet_refresh_now(w->f, host);
}

int
watch_probed_all(const struct watch *w)
{
	return fleet_probed_all(w->f);
}

unsigned
watch_probes_done(const struct watch *w, int host)
{
	return fleet_probes_done(w->f, host);
}

int
watch_host_ready(const struct watch *w, int host)
{
	struct sshc *c = fleet_session(w->f, host);

	return c != NULL && sshc_state(c) == SSHC_READY;
}

int
watch_host_hopeless(const struct host *h)
{
	return h->conn == HC_HOSTKEY_CHANGED || h->conn == HC_HOSTKEY_UNKNOWN ||
	    h->conn == HC_AUTH_FAILED;
}

int
watch_host_given_up(const struct watch *w, int host, int64_t since_ms,
    int64_t now_ms)
{
	const struct host *h;
	int64_t end = since_ms + (int64_t)WATCH_CONNECT_GRACE_S * 1000;

	if (host < 0 || (size_t)host >= w->m.n)
		return 1;
	h = &w->m.hosts[host];
	if (watch_host_hopeless(h) && h->last_attempt != 0)
		return 1;
	if (watch_host_ready(w, host))
		return 0;
	if (h->conn == HC_UNREACHABLE)
		end = since_ms + (int64_t)WATCH_UNREACHABLE_S * 1000;
	return now_ms >= end;
}

void
watch_settle(struct watch *w)
{
	fleet_settle(w->f);
}

/* Findings depend on ages too: redone every few seconds. */
#define WATCH_DERIVE_S	5

int
watch_derive(struct watch *w, time_t now)
{
	if (w->derived_ok && w->derived_gen == w->m.generation &&
	    now - w->derived_time < WATCH_DERIVE_S)
		return w->derived_ok ? 0 : -1;
	topology_free(&w->topo);
	findings_free(&w->finds);
	w->derived_ok = topology_build(&w->m, &w->topo) == 0;
	if (w->derived_ok && check_run_ports(&w->m, &w->topo, w->ports_time ?
	    &w->ports : NULL, now, &w->finds) != 0)
		findings_free(&w->finds);
	w->derived_gen = w->m.generation;
	w->derived_time = now;
	return w->derived_ok ? 0 : -1;
}

void
watch_derive_again(struct watch *w)
{
	w->derived_time = 0;
}

const struct topology *
watch_topology(const struct watch *w)
{
	return &w->topo;
}

const struct findings *
watch_findings(const struct watch *w)
{
	return &w->finds;
}
