/* mode-once.c: `relaytop --once [--json]`: probe every host once (all in
 * parallel, one poll() loop), print one snapshot and exit: 0 when every
 * host answered, 1 otherwise (2 on a local error). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "model.h"
#include "modes.h"
#include "output.h"
#include "topology.h"

#define ONCE_GRACE_MS	3000	/* beyond the longest host timeout */

static int
once_done(void *arg)
{
	return fleet_probed_all(arg);
}

/* A host that never answered keeps the session's reason as its state. */
static void
conn_from_session(struct model *m, struct fleet *f, struct host *h)
{
	struct sshc *c = fleet_session(f, h->index);
	const char *msg = "";
	enum sshc_error e;
	enum host_conn hc;

	if (output_host_answered(h) || c == NULL)
		return;
	e = sshc_last_error(c, &msg);
	switch (e) {
	case SSHE_NONE:
		/* session up (or still connecting) but no probe answer yet */
		if (h->conn == HC_UP)
			model_set_conn(m, h, HC_UNREACHABLE,
			    "logged in, but the probe did not answer before "
			    "the deadline");
		else if (h->conn == HC_NEW || h->conn == HC_CONNECTING)
			model_set_conn(m, h, h->conn,
			    "no answer before the deadline");
		return;
	case SSHE_REFUSED:
	case SSHE_UNREACHABLE:
	case SSHE_TIMEOUT:
	case SSHE_RESOLVE:
	case SSHE_DISCONNECTED:
	case SSHE_JUMP:
		hc = HC_UNREACHABLE;
		break;
	case SSHE_HOSTKEY_CHANGED:
		hc = HC_HOSTKEY_CHANGED;
		break;
	case SSHE_HOSTKEY_UNKNOWN:
		hc = HC_HOSTKEY_UNKNOWN;
		break;
	case SSHE_AUTH:
		hc = HC_AUTH_FAILED;
		break;
	default:
		hc = HC_ERROR;
		break;
	}
	if (h->conn == HC_UP || h->conn == HC_NEW || h->conn == HC_CONNECTING ||
	    h->conn_msg[0] == '\0')
		model_set_conn(m, h, hc, msg && msg[0] ? msg :
		    sshc_error_name(e));
}

int
mode_once(const struct options *o, struct inventory *inv)
{
	struct model m;
	struct topology t = { NULL, 0 };
	struct loop_hooks hooks = { 0 };
	struct fleet *f;
	int64_t deadline;
	size_t i;
	int max_timeout = 1, rc = 0;

	if (model_init(&m, inv, 0) != 0) {
		fprintf(stderr, "relaytop: out of memory\n");
		return 2;
	}
	for (i = 0; i < inv->n; i++) {
		/* --timeout S replaces every host's inventory timeout */
		if (o->timeout_s > 0)
			inv->hosts[i].timeout_s = o->timeout_s;
		if (inv->hosts[i].timeout_s > max_timeout)
			max_timeout = inv->hosts[i].timeout_s;
	}
	f = fleet_new(inv, &m);
	if (f == NULL) {
		fprintf(stderr, "relaytop: cannot set up the sessions\n");
		model_free(&m);
		return 2;
	}
	hooks.input_fd = -1;
	hooks.done = once_done;
	hooks.arg = f;
	hooks.max_wait_ms = 250;
	deadline = clock_ms() + (int64_t)max_timeout * 1000 + ONCE_GRACE_MS;
	fleet_run(f, &hooks, deadline);
	for (i = 0; i < m.n; i++) {
		conn_from_session(&m, f, &m.hosts[i]);
		if (!output_host_answered(&m.hosts[i]))
			rc = 1;
	}
	if (topology_build(&m, &t) != 0)
		fprintf(stderr, "relaytop: out of memory (topology)\n");
	if (o->json)
		i = output_json(stdout, &m, &t, time(NULL)) != 0;
	else
		i = output_text(stdout, &m, &t, time(NULL),
		    output_term_width(STDOUT_FILENO)) != 0;
	if (fflush(stdout) != 0 || i)
		rc = 2;
	topology_free(&t);
	fleet_free(f);
	model_free(&m);
	return rc;
}
