/* mode-once.c: `relaytop --once [--json]`: probe every host once (all in
 * parallel, one poll() loop), print one snapshot and exit: 0 when every
 * host answered, 1 otherwise (2 on a local error). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "modes.h"
#include "output.h"
#include "watch.h"

#define ONCE_GRACE_MS	3000	/* beyond the longest host timeout */

int
mode_once(const struct options *o, struct inventory *inv)
{
	struct watch *w;
	struct model *m;
	int64_t deadline;
	size_t i;
	int max_timeout = 1, rc = 0;

	for (i = 0; i < inv->n; i++) {
		/* --timeout S replaces every host's inventory timeout */
		if (o->timeout_s > 0)
			inv->hosts[i].timeout_s = o->timeout_s;
		if (inv->hosts[i].timeout_s > max_timeout)
			max_timeout = inv->hosts[i].timeout_s;
	}
	if ((w = watch_new(inv, 1, 0)) == NULL) {
		fprintf(stderr, "relaytop: cannot set up the sessions\n");
		return 2;
	}
	deadline = clock_ms() + (int64_t)max_timeout * 1000 + ONCE_GRACE_MS;
	watch_run_first_probes(w, deadline);
	watch_settle(w);
	m = watch_model(w);
	for (i = 0; i < m->n; i++)
		if (!output_host_answered(&m->hosts[i]))
			rc = 1;
	if (watch_derive(w, time(NULL)) != 0)
		fprintf(stderr, "relaytop: out of memory (topology)\n");
	if (o->json)
		i = output_json(stdout, m, watch_topology(w), time(NULL)) != 0;
	else
		i = output_text(stdout, m, watch_topology(w), time(NULL),
		    output_term_width(STDOUT_FILENO)) != 0;
	if (fflush(stdout) != 0 || i)
		rc = 2;
	watch_free(w);
	return rc;
}
