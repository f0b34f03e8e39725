/* parse-postqueue-json.c: sums up `postqueue -j` output (one JSON object
 * per line, Postfix 3.1+) with jansson: messages and oldest arrival per
 * queue, total bytes, top deferral reasons. Bad lines are counted, skipped. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "parse-fields.h"
#include "parse-postqueue-int.h"
#include "queue.h"

#define QUEUE_JSON_LINE_MAX	(8u << 20)	/* longer lines: malformed */

/* One message object; 0, or -1 when it is not a postqueue -j record. */
static int
take_message(json_t *o, struct queue_summary *q, struct queue_tally *t)
{
	json_t *qname = json_object_get(o, "queue_name");
	json_t *qid = json_object_get(o, "queue_id");
	json_t *arr = json_object_get(o, "arrival_time");
	json_t *size = json_object_get(o, "message_size");
	json_t *rcpts = json_object_get(o, "recipients"), *r, *why;
	enum queue_name qn;
	json_int_t at;
	size_t i;

	if (!json_is_string(qname) || !json_is_string(qid) ||
	    queue_name_of(json_string_value(qname), &qn) < 0)
		return -1;
	q->count[qn]++;
	if (json_is_integer(arr)) {
		at = json_integer_value(arr);
		if (at > 0)
			at = pf_time_clamp((time_t)at);
		if (at > 0 && (q->oldest[qn] == 0 || at < q->oldest[qn]))
			q->oldest[qn] = (time_t)at;
	}
	if (json_is_integer(size) && json_integer_value(size) > 0)
		q->bytes += (unsigned long long)json_integer_value(size);
	if (!json_is_array(rcpts))
		return 0;
	json_array_foreach(rcpts, i, r) {
		why = json_object_get(r, "delay_reason");
		if (json_is_string(why) && json_string_length(why) > 0)
			queue_tally_add(t, json_string_value(why),
			    json_string_length(why));
	}
	return 0;
}

int
queue_parse_json(const char *buf, size_t len, struct queue_summary *q,
    char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len, *nl, *e, *first_bad = NULL;
	struct queue_tally *t;
	json_error_t jerr;
	json_t *o;
	size_t good = 0, first_bad_n = 0;

	memset(q, 0, sizeof *q);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	t = calloc(1, sizeof *t);
	if (t == NULL) {
		queue_err(err, errlen, "out of memory", "", 0);
		return -1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl != NULL ? nl : end;
		while (e > p && (e[-1] == '\r' || e[-1] == ' '))
			e--;
		if (e > p) {
			o = NULL;
			if ((size_t)(e - p) <= QUEUE_JSON_LINE_MAX)
				o = json_loadb(p, (size_t)(e - p),
				    JSON_REJECT_DUPLICATES, &jerr);
			if (o != NULL && json_is_object(o) &&
			    take_message(o, q, t) == 0)
				good++;
			else {
				q->malformed++;
				if (first_bad == NULL) {
					first_bad = p;
					first_bad_n = (size_t)(e - p);
				}
			}
			json_decref(o);
		}
		p = nl != NULL ? nl + 1 : end;
	}
	queue_tally_top(t, q);
	free(t);
	if (good == 0 && q->malformed > 0) {
		queue_err(err, errlen, "not postqueue -j output", first_bad,
		    first_bad_n);
		return -1;
	}
	return 0;
}
