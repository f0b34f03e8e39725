/* mode-log.c: `relaytop --log FILE [--json]`: summarises a local maillog
 * offline (logsum.h) and prints it as text or JSON. Exit 0, or 2 with one
 * line "relaytop: FILE: <strerror>" when the file cannot be read.
 *
 * JSON schema (stable; keys in this order):
 *   file             the path given (sanitised)
 *   lines            lines read
 *   first, last      earliest/latest timestamp, "YYYY-MM-DDTHH:MM:SSZ" (UTC)
 *                    or null; first_epoch, last_epoch: the same as integers
 *   messages         distinct queue ids seen on cleanup "message-id=" or
 *                    qmgr "from=" lines; messages_exact: false when more
 *                    than 32768 ids made it a HyperLogLog estimate (~1%)
 *   deliveries       {total, sent, deferred, bounced, expired, other}: one
 *                    per "status=" line (qmgr "status=expired" included)
 *   relays           [{relay: "host[addr]:port", total, sent, deferred,
 *                    bounced, expired, other}], most deliveries first;
 *                    relays_other: counts beyond the 1024-relay table
 *   deferral_reasons [{reason, count}] top 10, reasons grouped ("<>" for
 *                    addresses, "*" for queue ids); bounce_reasons: same for
 *                    bounced and expired
 *   connect_failures, relay_denied, loops, warnings: line counts
 *   refused          NOQUEUE reject lines, every reason (relay_denied is
 *                    one of them)
 *   handoffs         "status=sent" lines to a loopback smtpd with "queued
 *                    as" (content filter, re-injection): the mail goes on
 *                    under a new id, so they are in neither deliveries nor
 *                    relays, and their new ids not in messages
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "logsum.h"
#include "modes.h"
#include "sanitize.h"

int
mode_log(const struct options *o)
{
	struct logsum s;
	char clean[1024];
	int rc;

	if (o->log_path == NULL || o->log_path[0] == '\0') {
		fprintf(stderr, "relaytop: --log needs a file\n");
		return 2;
	}
	sanitize_copy(clean, sizeof clean, o->log_path, strlen(o->log_path));
	if (logsum_init(&s, maillog_year_now()) < 0) {
		fprintf(stderr, "relaytop: %s: %s\n", clean, strerror(ENOMEM));
		return 2;
	}
	if (logsum_file(o->log_path, 0, &s) < 0) {
		fprintf(stderr, "relaytop: %s: %s\n", clean, strerror(errno));
		logsum_free(&s);
		return 2;
	}
	if (o->json)
		rc = logsum_print_json(&s, o->log_path, stdout);
	else {
		logsum_print_text(&s, o->log_path, stdout);
		rc = 0;
	}
	logsum_free(&s);
	if (fflush(stdout) != 0 || rc < 0) {
		fprintf(stderr, "relaytop: write error: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}
