/* fuzz-queue-summary.c: libFuzzer harness for queue_parse_summary (the
 * host-side awk's summary of postqueue -j): bounded, rc in range, and every
 * kept reason is sanitised, NUL-terminated text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue-summary.h"
#include "sanitize.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_summary q;
	char err[128];
	char *copy = malloc(size ? size : 1);
	int rc, pq_rc;
	size_t i;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	rc = queue_parse_summary(copy, size, &q, &pq_rc, err, sizeof err);
	if (rc != 0 && rc != -1)
		abort();
	if (pq_rc < -1 || pq_rc > 255 || (rc == 0 && pq_rc < 0))
		abort();
	if (rc != 0 && strnlen(err, sizeof err) == 0)
		abort();
	if (q.ntop > QUEUE_TOP_REASONS)
		abort();
	for (i = 0; i < q.ntop; i++) {
		size_t n = strnlen(q.top[i].text, QUEUE_REASON_MAX);

		if (n >= QUEUE_REASON_MAX ||
		    !sanitize_is_clean(q.top[i].text, n) ||
		    q.top[i].count == 0)
			abort();
	}
	free(copy);
	return 0;
}
