/* fuzz-maillog.c: libFuzzer harness for the maillog parser and the log
 * summary: each input line is parsed (spans must stay inside the line),
 * the whole input as one line, and the input fed to logsum_feed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logsum.h"

static void
span_inside(const struct span *s, const char *p, size_t n)
{
	if (s->n == 0)
		return;
	if (s->p < p || s->p + s->n > p + n)
		abort();
}

static void
check(const char *p, size_t n)
{
	struct mail_event ev;
	char *copy = malloc(n ? n : 1);

	/* An exactly sized copy: ASan sees any read past n. */
	memcpy(copy, p, n);
	if (maillog_parse_line(copy, n, 2026, &ev) == 0) {
		span_inside(&ev.host, copy, n);
		span_inside(&ev.prog, copy, n);
		span_inside(&ev.service, copy, n);
		span_inside(&ev.qid, copy, n);
		span_inside(&ev.to, copy, n);
		span_inside(&ev.orig_to, copy, n);
		span_inside(&ev.from, copy, n);
		span_inside(&ev.relay, copy, n);
		span_inside(&ev.relay_name, copy, n);
		span_inside(&ev.relay_addr, copy, n);
		span_inside(&ev.dsn, copy, n);
		span_inside(&ev.reason, copy, n);
		span_inside(&ev.queued_as, copy, n);
		span_inside(&ev.client_name, copy, n);
		span_inside(&ev.client_addr, copy, n);
		span_inside(&ev.message_id, copy, n);
		span_inside(&ev.text, copy, n);
		if ((unsigned)ev.kind >= EV_KIND_MAX ||
		    (unsigned)ev.status >= ST_MAX)
			abort();
		(void)maillog_reason_is_loop(&ev);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct logsum sum;
	static int ready;
	const char *p = (const char *)data, *end = p + size, *nl;

	if (!ready) {
		if (logsum_init(&sum, 2026) < 0)
			abort();
		ready = 1;
	}
	check(p, size);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		check(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
	}
	logsum_feed(&sum, (const char *)data, size);
	return 0;
}
