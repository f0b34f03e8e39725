/* fuzz-queue-shape.c: libFuzzer harness for the queue view's pure parts:
 * each input line as a postqueue -j record (queue_msg_parse) into two
 * hosts' lists, then the qshape table (its totals must add up) and the
 * view's index (every sort, a filter, tags: the tagged keys must be the
 * shown messages); and the whole input as a deferral reason, whose
 * normalised form is never longer and holds no control character. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue-index.h"
#include "queue-match.h"
#include "queue-msg.h"
#include "queue-shape.h"

static void
check_norm(const uint8_t *data, size_t size)
{
	char in[2048], out[QSHAPE_REASON_MAX];
	size_t n = size < sizeof in - 1 ? size : sizeof in - 1, i;

	memcpy(in, data, n);
	in[n] = '\0';
	qshape_reason_norm(in, out, sizeof out);
	if (strlen(out) > strlen(in))
		abort();
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 && (unsigned char)in[0] >= 0x20
		    && strchr(in, out[i]) == NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_list l[2];
	const struct queue_list *lp[2] = { &l[0], &l[1] };
	struct queue_index x;
	struct queue_match *qm;
	struct qkey *keys;
	struct qshape s;
	struct queue_msg m;
	const char *p = (const char *)data, *end = p + size, *nl;
	char err[160];
	size_t i, k, deferred = 0, total;
	unsigned sum = 0;
	int host = 0, rev;

	check_norm(data, size);
	queue_list_init(&l[0], 64);
	queue_list_init(&l[1], 64);
	for (; p < end; p = nl + 1, host ^= 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (queue_msg_parse(p, (size_t)(nl - p), host, &m, err,
		    sizeof err) != 0)
			continue;
		deferred += m.queue == Q_DEFERRED;
		queue_list_take(&l[host], &m);
	}
	if (qshape_init(&s, 2) == 0 &&
	    qshape_add_lists(&s, lp, 2, -1, 1796500000) == 0) {
		if (s.merged.all.total != deferred ||
		    s.host[0].all.total + s.host[1].all.total != deferred)
			abort();
		for (i = 0; i < QSHAPE_BUCKETS; i++)
			sum += s.merged.all.b[i];
		if (sum != deferred)
			abort();
	}
	qshape_free(&s);

	qidx_init(&x);
	qidx_set_lists(&x, lp, 2, 1);
	total = l[0].n + l[1].n;
	for (i = 0; i < QIDX_SORTS * 2; i++) {
		rev = (int)(i & 1);
		qidx_set_sort(&x, (enum qidx_sort)(i / 2), rev);
		if (qidx_update(&x) == 0 && x.n != total)
			abort();
	}
	qm = queue_match_new("domain:example reason:/refused|timed/", err,
	    sizeof err);
	qidx_set_filter(&x, qm);
	if (qidx_update(&x) == 0 && qidx_tag_shown(&x) == 0) {
		if (qidx_ntagged(&x, NULL) > x.n)
			abort();
		keys = calloc(x.n + 1, sizeof *keys);
		k = keys != NULL ? qidx_tagged_keys(&x, keys, x.n + 1) : 0;
		if (keys != NULL && k != qidx_ntagged(&x, NULL))
			abort();
		free(keys);
	}
	queue_match_free(qm);
	qidx_free(&x);
	queue_list_clear(&l[0]);
	queue_list_clear(&l[1]);
	return 0;
}
