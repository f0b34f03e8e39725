/* fleet.c: every host's session and probe: creation (jump hosts first),
 * the refresh schedule (one probe per host every refresh_s while READY),
 * and the mirror of each session's state into the model's host_conn. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "probe.h"

struct fleet_host {
	struct sshc *c;
	struct probe *p;
	int64_t	next_probe;
	int64_t	last_start;		/* when its last probe started */
	int	failed_once;		/* a connection attempt failed */
	enum sshc_state seen_state;
	enum sshc_error seen_err;
	int	seen;			/* seen_* valid */
};

struct fleet {
	struct inventory *inv;
	struct model *m;
	int	n, cap;
	struct fleet_host *h;	/* by inventory index */
	int	*order;		/* creation order: every jump host first */
	int	*due;		/* scratch for fleet_tick */
	int64_t	first_started;	/* when the last first contact began */
};

/* Creation order: a host comes after the host it jumps through. config.c
 * refuses loops; a leftover (impossible) loop is appended anyway. */
static void
order_hosts(struct fleet *f)
{
	char *done = calloc((size_t)f->n, 1);
	int k = 0, i, added, j;

	for (added = 1; added && done;) {
		added = 0;
		for (i = 0; i < f->n; i++) {
			if (done[i])
				continue;
			j = f->inv->hosts[i].jump_index;
			if (j >= 0 && j < f->n && !done[j])
				continue;
			done[i] = 1;
			f->order[k++] = i;
			added = 1;
		}
	}
	for (i = 0; i < f->n && k < f->n; i++)
		if (!done || !done[i])
			f->order[k++] = i;
	free(done);
}

struct fleet *
fleet_new(struct inventory *inv, struct model *m)
{
	struct fleet *f = calloc(1, sizeof(*f));
	struct sshc *via;
	int k, i, j;

	if (!f)
		return NULL;
	f->inv = inv;
	f->m = m;
	f->n = (int)inv->n;
	/* room for the instances the watch may add (fleet_add_host) */
	f->cap = (int)(m->cap > inv->n ? m->cap : inv->n);
	f->h = calloc((size_t)f->cap + 1, sizeof(*f->h));
	f->order = calloc((size_t)f->cap + 1, sizeof(*f->order));
	f->due = calloc((size_t)f->cap + 1, sizeof(*f->due));
	if (!f->h || !f->order || !f->due)
		goto fail;
	order_hosts(f);
	for (k = 0; k < f->n; k++) {
		i = f->order[k];
		j = inv->hosts[i].jump_index;
		via = j >= 0 && j < f->n ? f->h[j].c : NULL;
		f->h[i].c = sshc_new(&inv->hosts[i], via);
		f->h[i].p = probe_new(m, &m->hosts[i]);
		if (!f->h[i].c || !f->h[i].p)
			goto fail;
		/* a host that failed is tried again once a refresh */
		sshc_set_backoff_max(f->h[i].c, inv->hosts[i].refresh_s * 1000);
	}
	return f;
fail:
	fleet_free(f);
	return NULL;
}

int
fleet_add_host(struct fleet *f)
{
	int i = f->n, j;
	struct sshc *via;

	if (i >= f->cap || (size_t)i >= f->inv->n || (size_t)i >= f->m->n)
		return -1;
	j = f->inv->hosts[i].jump_index;
	via = j >= 0 && j < f->n ? f->h[j].c : NULL;
	memset(&f->h[i], 0, sizeof(f->h[i]));
	f->h[i].c = sshc_new(&f->inv->hosts[i], via);
	f->h[i].p = probe_new(f->m, &f->m->hosts[i]);
	if (!f->h[i].c || !f->h[i].p) {
		probe_free(f->h[i].p);
		sshc_free(f->h[i].c);
		memset(&f->h[i], 0, sizeof(f->h[i]));
		return -1;
	}
	f->order[i] = i;	/* after its jump host, as the host it runs on */
	f->n++;
	return i;
}

void
fleet_free(struct fleet *f)
{
	int k, i;

	if (!f)
		return;
	/* Close first (tunnelled hosts before their jump hosts): the probes'
	 * callbacks run now, while the probes still exist. */
	for (k = f->n - 1; f->h && f->order && k >= 0; k--) {
		i = f->order[k];
		if (f->h[i].c)
			sshc_close(f->h[i].c);
	}
	for (k = f->n - 1; f->h && f->order && k >= 0; k--) {
		i = f->order[k];
		probe_free(f->h[i].p);
		sshc_free(f->h[i].c);
	}
	free(f->h);
	free(f->order);
	free(f->due);
	free(f);
}

struct sshc *
fleet_session(struct fleet *f, int host_index)
{
	if (host_index < 0 || host_index >= f->n)
		return NULL;
	return f->h[host_index].c;
}

int
fleet_size(const struct fleet *f)
{
	return f->n;
}

int
fleet_capacity(const struct fleet *f)
{
	return f->cap > f->n ? f->cap : f->n;
}

void
fleet_refresh_now(struct fleet *f, int host_index)
{
	int i;

	for (i = 0; i < f->n; i++) {
		if (host_index >= 0 && i != host_index)
			continue;
		f->h[i].next_probe = 0;
		sshc_retry_now(f->h[i].c);
	}
}

int
fleet_probed_all(const struct fleet *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->h[i].failed_once && probe_runs_done(f->h[i].p) == 0)
			return 0;
	return 1;
}

unsigned
fleet_probes_done(const struct fleet *f, int host_index)
{
	if (host_index < 0 || host_index >= f->n)
		return 0;
	return probe_runs_done(f->h[host_index].p);
}

static enum host_conn
conn_of(enum sshc_error e)
{
	switch (e) {
	case SSHE_HOSTKEY_CHANGED:
		return HC_HOSTKEY_CHANGED;
	case SSHE_HOSTKEY_UNKNOWN:
		return HC_HOSTKEY_UNKNOWN;
	case SSHE_AUTH:
		return HC_AUTH_FAILED;
	case SSHE_RESOLVE: case SSHE_REFUSED: case SSHE_UNREACHABLE:
	case SSHE_TIMEOUT: case SSHE_DISCONNECTED: case SSHE_JUMP:
		return HC_UNREACHABLE;
	default:
		return HC_ERROR;
	}
}

void
fleet_settle(struct fleet *f)
{
	struct host *h;
	const char *msg = "";
	enum sshc_error e;
	int i;

	for (i = 0; i < f->n; i++) {
		h = &f->m->hosts[i];
		if (h->conn == HC_UP && h->last_answer != 0)
			continue;
		e = sshc_last_error(f->h[i].c, &msg);
		if (e == SSHE_NONE) {
			/* session up (or still connecting), no answer yet */
			if (h->conn == HC_UP)
				model_set_conn(f->m, h, HC_UNREACHABLE,
				    "logged in, but the probe did not answer "
				    "before the deadline");
			else if (h->conn == HC_NEW || h->conn == HC_CONNECTING)
				model_set_conn(f->m, h, h->conn,
				    "no answer before the deadline");
			continue;
		}
		if (h->conn == HC_UP || h->conn == HC_NEW ||
		    h->conn == HC_CONNECTING || h->conn_msg[0] == '\0')
			model_set_conn(f->m, h, conn_of(e), msg && msg[0] ? msg :
			    sshc_error_name(e));
	}
}

/* Mirrors a session's state change into the model. */
static void
sync_model(struct fleet *f, int i)
{
	struct fleet_host *fh = &f->h[i];
	struct host *h = &f->m->hosts[i];
	const char *msg;
	enum sshc_state st = sshc_state(fh->c);
	enum sshc_error e = sshc_last_error(fh->c, &msg);

	if (fh->seen && st == fh->seen_state && e == fh->seen_err)
		return;
	fh->seen = 1;
	fh->seen_state = st;
	fh->seen_err = e;
	switch (st) {
	case SSHC_IDLE:
		break;
	case SSHC_CONNECTING:
	case SSHC_HANDSHAKE:
	case SSHC_AUTH:
		/* A host already shown failing keeps its reason while it
		 * retries; only a new or a lost host shows "connecting". */
		if (h->conn == HC_NEW || h->conn == HC_UP)
			model_set_conn(f->m, h, HC_CONNECTING, "connecting");
		break;
	case SSHC_READY:
		model_set_conn(f->m, h, HC_UP, "");
		break;
	case SSHC_BACKOFF:
		fh->failed_once = 1;
		fh->next_probe = 0;	/* probe at once when back */
		model_set_conn(f->m, h, conn_of(e), msg);
		break;
	}
}

/* Entries of one inventory may name the same machine (a lab, several
 * Postfix instances): their probes share its CPU, so only a few run at
 * once per address; distinct machines are never held back. */
#define FLEET_PROBES_PER_ADDR	4

static int
addr_busy(const struct fleet *f, int i)
{
	const struct host_config *a = &f->inv->hosts[i], *b;
	int j, n = 0;

	for (j = 0; j < f->n; j++) {
		b = &f->inv->hosts[j];
		if (j != i && b->port == a->port && probe_running(f->h[j].p) &&
		    strcmp(b->address, a->address) == 0 &&
		    ++n >= FLEET_PROBES_PER_ADDR)
			return 1;
	}
	return 0;
}

/* qsort by the time of the last start: the longest-waiting host first. */
static const struct fleet *sort_fleet;

static int
by_last_start(const void *a, const void *b)
{
	const struct fleet_host *x = &sort_fleet->h[*(const int *)a];
	const struct fleet_host *y = &sort_fleet->h[*(const int *)b];

	if (x->last_start != y->last_start)
		return x->last_start < y->last_start ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

/* First contacts (connect, key exchange, auth and the first probe, with
 * its log tail) in flight at once. Unbounded, 500 of them made each host's
 * sshd and probe commands fight for the CPUs at once (load 300 on the
 * 2-core bench box, most first probes past their deadline) and held every
 * first answer in memory together; parallel-ssh runs 32 by default. A host
 * that has answered once reconnects without waiting for a slot. */
#define FLEET_FIRST_MAX		48

static int
first_in_flight(const struct fleet_host *fh)
{
	enum sshc_state st = sshc_state(fh->c);

	return st != SSHC_IDLE && st != SSHC_BACKOFF &&
	    probe_runs_done(fh->p) == 0;
}

/* The hosts in their first contact; when some wait for a slot, *waiting
 * (if given) is set. */
static int
first_count(const struct fleet *f, int *waiting)
{
	int i, n = 0, w = 0;

	for (i = 0; i < f->n; i++) {
		n += first_in_flight(&f->h[i]);
		w |= sshc_state(f->h[i].c) == SSHC_IDLE &&
		    probe_runs_done(f->h[i].p) == 0;
	}
	if (waiting)
		*waiting = w && n >= FLEET_FIRST_MAX;
	return n;
}

int64_t
fleet_first_started(const struct fleet *f, int64_t now_ms)
{
	int waiting;

	first_count(f, &waiting);
	return waiting ? now_ms : f->first_started;
}

void
fleet_tick(struct fleet *f, int64_t now_ms)
{
	struct fleet_host *fh;
	int k, i, n = 0, first = first_count(f, NULL);

	for (k = 0; k < f->n; k++) {
		i = f->order[k];
		fh = &f->h[i];
		if (sshc_state(fh->c) == SSHC_IDLE &&
		    (probe_runs_done(fh->p) > 0 || first < FLEET_FIRST_MAX)) {
			if (probe_runs_done(fh->p) == 0) {
				first++;
				f->first_started = now_ms;
			}
			sshc_start(fh->c, now_ms);
		}
		sync_model(f, i);
		if (sshc_state(fh->c) == SSHC_READY && !probe_running(fh->p) &&
		    now_ms >= fh->next_probe)
			f->due[n++] = i;
	}
	/* Fair when probes must queue for a shared address. */
	sort_fleet = f;
	if (n > 1)
		qsort(f->due, (size_t)n, sizeof(*f->due), by_last_start);
	for (k = 0; k < n; k++) {
		i = f->due[k];
		fh = &f->h[i];
		if (addr_busy(f, i))
			continue;
		if (probe_run(fh->p, fh->c, now_ms) == 0) {
			fh->last_start = now_ms;
			fh->next_probe = deadline_after(now_ms,
			    f->inv->hosts[i].refresh_s * 1000);
		}
	}
}

int64_t
fleet_deadline(const struct fleet *f)
{
	const struct fleet_host *fh;
	int64_t d = INT64_MAX, x;
	int i, first = first_count(f, NULL);

	for (i = 0; i < f->n; i++) {
		fh = &f->h[i];
		if ((x = sshc_deadline(fh->c)) < d)
			d = x;
		/* an idle host that may start now; one waiting for a
		 * first-contact slot wakes the loop when a slot frees */
		if (sshc_state(fh->c) == SSHC_IDLE &&
		    (probe_runs_done(fh->p) > 0 || first < FLEET_FIRST_MAX))
			return 0;
		if (sshc_state(fh->c) == SSHC_READY && !probe_running(fh->p) &&
		    fh->next_probe < d)
			d = fh->next_probe;
	}
	return d;
}

int
fleet_pollfds(const struct fleet *f, struct pollfd *pfd, int max)
{
	int k;

	for (k = 0; k < f->n && k < max; k++) {
		pfd[k].fd = sshc_poll_fd(f->h[f->order[k]].c, &pfd[k].events);
		pfd[k].revents = 0;
	}
	return k;
}

void
fleet_step(struct fleet *f, const struct pollfd *pfd, int n, int64_t now_ms)
{
	struct sshc *c;
	short rev;
	int k;

	for (k = 0; k < f->n; k++) {
		c = f->h[f->order[k]].c;
		rev = k < n && pfd[k].fd >= 0 ? pfd[k].revents : 0;
		if (rev || now_ms >= sshc_deadline(c))
			sshc_step(c, rev, now_ms);
	}
}
