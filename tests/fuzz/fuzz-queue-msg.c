/* fuzz-queue-msg.c: libFuzzer harness for the queue view's parsing: the
 * stream splitter (chunks cut anywhere), one message per line, and the
 * --match filter on each, with the input's first line as the expression:
 * bounded, every kept string sanitised, the id a queue id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue-match.h"
#include "queue-msg.h"
#include "sanitize.h"

static struct queue_match *qm;

static void
clean(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n >= max || !sanitize_is_clean(s, n))
		abort();
}

static void
on_line(void *arg, const char *line, size_t len)
{
	struct queue_msg m;
	char err[128];
	unsigned i;

	(void)arg;
	if (queue_msg_parse(line, len, 0, &m, err, sizeof(err)) != 0)
		return;
	if (!queue_id_valid(m.id, strlen(m.id)) || m.nrcpt > QMSG_RCPT_KEEP ||
	    m.nrcpt > m.nrcpt_all)
		abort();
	clean(m.sender, QMSG_ADDR_MAX);
	for (i = 0; i < m.nrcpt; i++) {
		clean(m.rcpt[i].addr, QMSG_ADDR_MAX);
		clean(m.rcpt[i].reason, QMSG_REASON_MAX);
	}
	(void)queue_match(qm, &m);
	queue_msg_clear(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl = memchr(p, '\n', size);
	struct queue_lines s;
	char expr[256], err[256];
	size_t k, step, off;

	k = nl != NULL ? (size_t)(nl - p) : 0;
	if (k >= sizeof(expr))
		k = sizeof(expr) - 1;
	memcpy(expr, p, k);
	expr[k] = '\0';
	if (memchr(expr, '\0', k) != NULL)
		expr[0] = '\0';
	qm = queue_match_new(expr, err, sizeof(err));
	memset(&s, 0, sizeof(s));
	step = size > 0 ? 1 + data[0] % 97 : 1;
	for (off = 0; off < size; off += step)
		(void)queue_lines_feed(&s, p + off, size - off < step ?
		    size - off : step, on_line, NULL);
	queue_lines_end(&s, on_line, NULL);
	queue_match_free(qm);
	qm = NULL;
	return 0;
}
