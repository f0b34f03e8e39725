/* queue-format.c: one queued message as a text line or a JSON object, as
 * `--queue` prints them (assets/json-format.md describes the JSON). */
#include <stdio.h>
#include <string.h>

#include "json-text.h"
#include "queue-format.h"

void
queue_time_iso(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "-");
}

/* Appends s at *at, never past len (cut, NUL-terminated). */
static void
add(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + 1 >= len)
		return;
	if (n > len - *at - 1)
		n = len - *at - 1;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

void
queue_msg_line(char *buf, size_t len, const struct queue_msg *m,
    const char *host)
{
	char when[32], num[64];
	size_t at = 0;
	unsigned i;

	if (len == 0)
		return;
	buf[0] = '\0';
	queue_time_iso(when, sizeof(when), m->arrival);
	snprintf(num, sizeof(num), " %llu <", m->size);
	add(buf, len, &at, host);
	add(buf, len, &at, " ");
	add(buf, len, &at, queue_name_str(m->queue));
	add(buf, len, &at, " ");
	add(buf, len, &at, m->id);
	add(buf, len, &at, " ");
	add(buf, len, &at, when);
	add(buf, len, &at, num);
	add(buf, len, &at, m->sender);
	add(buf, len, &at, ">");
	for (i = 0; i < m->nrcpt; i++) {
		add(buf, len, &at, i ? ", <" : " -> <");
		add(buf, len, &at, m->rcpt[i].addr);
		add(buf, len, &at, ">");
		if (m->rcpt[i].reason[0] != '\0') {
			add(buf, len, &at, " (");
			add(buf, len, &at, m->rcpt[i].reason);
			add(buf, len, &at, ")");
		}
	}
	if (m->nrcpt_all > m->nrcpt) {
		snprintf(num, sizeof(num), ", %u more", m->nrcpt_all - m->nrcpt);
		add(buf, len, &at, num);
	}
}

json_t *
queue_msg_json(const struct queue_msg *m, const char *host)
{
	json_t *o = json_object(), *rs = json_array(), *r;
	char when[32];
	unsigned i;

	if (o == NULL || rs == NULL) {
		json_decref(o);
		json_decref(rs);
		return NULL;
	}
	queue_time_iso(when, sizeof(when), m->arrival);
	json_object_set_new(o, "host", json_text(host));
	json_object_set_new(o, "queue", json_string(queue_name_str(m->queue)));
	json_object_set_new(o, "id", json_string(m->id));
	json_object_set_new(o, "arrival", json_integer((json_int_t)m->arrival));
	json_object_set_new(o, "arrival_iso", json_string(when));
	json_object_set_new(o, "size", json_integer((json_int_t)m->size));
	json_object_set_new(o, "sender", json_text(m->sender));
	for (i = 0; i < m->nrcpt; i++) {
		r = json_object();
		json_object_set_new(r, "address", json_text(m->rcpt[i].addr));
		json_object_set_new(r, "reason", json_text(m->rcpt[i].reason));
		json_array_append_new(rs, r);
	}
	json_object_set_new(o, "recipients", rs);
	json_object_set_new(o, "recipients_total",
	    json_integer((json_int_t)m->nrcpt_all));
	return o;
}
