/* mode-serve.c: `relaytop --serve [ADDR:]PORT` without the console: the
 * same sessions and probe as the console, read-only, with /metrics served
 * from the one poll() loop until SIGINT, SIGTERM or SIGHUP. */
#include <stdio.h>

#include "modes.h"
#include "serve.h"
#include "watch.h"

int
mode_serve(const struct options *o, struct inventory *inv)
{
	struct watch_client c = { .input_fd = -1, .max_wait_ms = 1000 };
	struct serve *s;
	struct watch *w;
	char err[256];
	int rc;

	if ((w = watch_new(inv, 1, 0)) == NULL) {
		fprintf(stderr, "relaytop: cannot set up the sessions\n");
		return 2;
	}
	if ((s = serve_start(w, o->serve, o->web_config, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "relaytop: %s\n", err);
		watch_free(w);
		return 2;
	}
	if (inv->shard_n > 0)
		fprintf(stderr, "relaytop: shard %d of %d: watching %zu hosts "
		    "(%zu of other shards named only); metrics on %s\n",
		    inv->shard_k, inv->shard_n, inv->n, inv->npeers,
		    serve_url(s));
	else
		fprintf(stderr, "relaytop: watching %zu hosts; metrics on %s\n",
		    inv->n, serve_url(s));
	rc = watch_run(w, &c, 0);
	serve_stop(s);
	watch_free(w);
	/* a signal is how a service manager stops it: a clean end */
	return rc > 0 ? 0 : 1;
}
