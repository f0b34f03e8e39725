/* fuzz-postqueue.c: libFuzzer harness for both postqueue parsers (-j JSON
 * lines with jansson, -p text): bounded, and every kept reason is
 * sanitised, NUL-terminated text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "sanitize.h"

static void
check(const struct queue_summary *q)
{
	size_t i;

	if (q->ntop > QUEUE_TOP_REASONS)
		abort();
	for (i = 0; i < q->ntop; i++) {
		size_t n = strnlen(q->top[i].text, QUEUE_REASON_MAX);

		if (n >= QUEUE_REASON_MAX ||
		    !sanitize_is_clean(q->top[i].text, n) ||
		    q->top[i].count == 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_summary q;
	char err[128];
	char *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	(void)queue_parse_json(copy, size, &q, err, sizeof err);
	check(&q);
	(void)queue_parse_text(copy, size, 1795829400, &q, err, sizeof err);
	check(&q);
	free(copy);
	return 0;
}
