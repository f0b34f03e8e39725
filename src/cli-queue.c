/* cli-queue.c: the checks between --queue's options (--match, --id, the
 * operations, --dry-run), so a bad combination or a bad queue id is
 * refused before any host is touched. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "queue-id.h"
#include "sanitize.h"
#include "shquote.h"
#include "watch.h"

static int
qfail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
qfail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Each comma-separated ID or ID@ARRIVAL of s is a queue id (and a time
 * in seconds since 1970, as --json's "arrival"); else -1 with err. */
static int
ids_ok(const char *s, char *err, size_t errlen)
{
	const char *p = s, *c, *at;
	char bad[QUEUE_ID_SIZE + 24];
	size_t n, k, d;

	for (;;) {
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		at = memchr(p, '@', n);
		k = at != NULL ? (size_t)(at - p) : n;
		for (d = k + 1; at != NULL && d < n && p[d] >= '0' &&
		    p[d] <= '9'; d++)
			;
		if (!queue_id_valid(p, k) || (at != NULL && (d != n ||
		    d == k + 1 || d - k - 1 > 12))) {
			sanitize_copy(bad, sizeof(bad), p, n);
			return qfail(err, errlen, "bad --id '%s' (a Postfix "
			    "queue id, as postqueue -p shows it, without "
			    "'*' or '!', or ID@ARRIVAL with --json's "
			    "arrival)", bad);
		}
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

int
cli_queue_check(const struct options *o, enum cli_mode mode, char *err,
    size_t errlen)
{
	char cb[128];
	int i;

	if (mode != CLI_QUEUE) {
		if (o->match != NULL || o->nids > 0 || o->queue_op != 0 ||
		    o->dry_run)
			return qfail(err, errlen, "--match, --id, --hold, "
			    "--release, --requeue, --delete, --deliver and "
			    "--dry-run need --queue");
		return 0;
	}
	if (strcmp(o->queue, "all") != 0 && !valid_host_name(o->queue)) {
		sanitize_copy(cb, sizeof(cb), o->queue, strlen(o->queue));
		return qfail(err, errlen, "bad --queue '%s' (a host of the "
		    "hosts file, or all)", cb);
	}
	if (o->match != NULL && o->nids > 0)
		return qfail(err, errlen, "--match and --id cannot be used "
		    "together");
	if (o->nids > 0 && strcmp(o->queue, "all") == 0)
		return qfail(err, errlen, "--id needs one host (--queue HOST): "
		    "queue ids are unique per host only");
	for (i = 0; i < o->nids; i++)
		if (ids_ok(o->ids[i], err, errlen) != 0)
			return -1;
	if (o->dry_run && o->queue_op == 0)
		return qfail(err, errlen, "--dry-run needs --hold, --release, "
		    "--requeue, --delete or --deliver");
	if (o->queue_op == 1 + QOP_DELIVER && o->nids == 0)
		return qfail(err, errlen, "--deliver needs --id");
	if (o->yes && o->queue_op == 0)
		return qfail(err, errlen, "--yes works with --queue and an "
		    "operation");
	return 0;
}
