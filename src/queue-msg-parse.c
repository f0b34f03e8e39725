/* queue-msg-parse.c: one `postqueue -j` line into a struct queue_msg
 * (jansson; every string sanitised and cut, the queue id checked with the
 * one recogniser, the arrival clamped), packed into one allocation. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-fields.h"
#include "parse-postqueue-int.h"
#include "queue-msg.h"
#include "sanitize.h"

static int
fail(char *err, size_t errlen, const char *what, const char *p, size_t n)
{
	queue_err(err, errlen, what, p, n);
	return -1;
}

/* A string member's bytes, cut to max-1; "" when absent or not a string. */
static const char *
str_of(json_t *o, const char *key, size_t max, size_t *n)
{
	json_t *v = o != NULL ? json_object_get(o, key) : NULL;

	if (!json_is_string(v)) {
		*n = 0;
		return "";
	}
	*n = json_string_length(v);
	if (*n > max - 1)
		*n = max - 1;
	return json_string_value(v);
}

/* Copies s[0..n) sanitised at *at, returns it; *at moves past its NUL. */
static const char *
put(char **at, const char *s, size_t n)
{
	char *d = *at;
	size_t w = sanitize_copy(d, n + 1, s, n);

	*at = d + w + 1;
	return d;
}

static int
take(json_t *o, int host, struct queue_msg *m, char *err, size_t errlen,
    const char *line, size_t len)
{
	json_t *qname = json_object_get(o, "queue_name");
	json_t *qid = json_object_get(o, "queue_id");
	json_t *arr = json_object_get(o, "arrival_time");
	json_t *size = json_object_get(o, "message_size");
	json_t *rcpts = json_object_get(o, "recipients"), *r;
	struct queue_rcpt *rv;
	const char *s;
	size_t i, n, total, keep;
	char *at;

	if (!json_is_string(qname) || queue_name_of(json_string_value(qname),
	    &m->queue) < 0)
		return fail(err, errlen, "no known queue_name", line, len);
	if (!json_is_string(qid) || !queue_id_valid(json_string_value(qid),
	    json_string_length(qid)))
		return fail(err, errlen, "no valid queue_id", line, len);
	memcpy(m->id, json_string_value(qid), json_string_length(qid));
	m->id[json_string_length(qid)] = '\0';
	m->host = host;
	if (json_is_integer(arr) && json_integer_value(arr) > 0)
		m->arrival = pf_time_clamp((time_t)json_integer_value(arr));
	if (json_is_integer(size) && json_integer_value(size) > 0)
		m->size = (unsigned long long)json_integer_value(size);
	total = json_is_array(rcpts) ? json_array_size(rcpts) : 0;
	keep = total < QMSG_RCPT_KEEP ? total : QMSG_RCPT_KEEP;
	/* one block: the recipients, then every string with its NUL */
	str_of(o, "sender", QMSG_ADDR_MAX, &n);
	n += 1 + keep * sizeof(*rv);
	for (i = 0; i < keep; i++) {
		size_t a, b;

		r = json_array_get(rcpts, i);
		str_of(r, "address", QMSG_ADDR_MAX, &a);
		str_of(r, "delay_reason", QMSG_REASON_MAX, &b);
		n += a + b + 2;
	}
	if ((m->mem = malloc(n)) == NULL)
		return fail(err, errlen, "out of memory", "", 0);
	rv = m->mem;
	at = (char *)m->mem + keep * sizeof(*rv);
	s = str_of(o, "sender", QMSG_ADDR_MAX, &n);
	m->sender = put(&at, s, n);
	for (i = 0; i < keep; i++) {
		r = json_array_get(rcpts, i);
		s = str_of(r, "address", QMSG_ADDR_MAX, &n);
		rv[i].addr = put(&at, s, n);
		s = str_of(r, "delay_reason", QMSG_REASON_MAX, &n);
		rv[i].reason = put(&at, s, n);
	}
	m->rcpt = rv;
	m->nrcpt = (unsigned)keep;
	m->nrcpt_all = total > 0xffffffffu ? 0xffffffffu : (unsigned)total;
	return 0;
}

int
queue_msg_parse(const char *line, size_t len, int host, struct queue_msg *m,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *o;
	int rc;

	memset(m, 0, sizeof(*m));
	m->host = host;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
	    line[len - 1] == '\n'))
		len--;
	if (len > QMSG_LINE_MAX)
		return fail(err, errlen, "line too long", line, 64);
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return fail(err, errlen, "not a postqueue -j record", line,
		    len);
	}
	rc = take(o, host, m, err, errlen, line, len);
	json_decref(o);
	if (rc != 0) {
		free(m->mem);
		memset(m, 0, sizeof(*m));
		m->host = host;
	}
	return rc;
}

void
queue_msg_clear(struct queue_msg *m)
{
	if (m == NULL)
		return;
	free(m->mem);
	memset(m, 0, sizeof(*m));
	m->host = -1;
}

int
queue_msg_copy(struct queue_msg *dst, const struct queue_msg *src)
{
	struct queue_rcpt *rv;
	size_t n, i;
	char *at;

	*dst = *src;
	dst->mem = NULL;
	n = strlen(src->sender) + 1 + src->nrcpt * sizeof(*rv);
	for (i = 0; i < src->nrcpt; i++)
		n += strlen(src->rcpt[i].addr) + strlen(src->rcpt[i].reason) +
		    2;
	if ((dst->mem = malloc(n)) == NULL) {
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	rv = dst->mem;
	at = (char *)dst->mem + src->nrcpt * sizeof(*rv);
	dst->sender = put(&at, src->sender, strlen(src->sender));
	for (i = 0; i < src->nrcpt; i++) {
		rv[i].addr = put(&at, src->rcpt[i].addr,
		    strlen(src->rcpt[i].addr));
		rv[i].reason = put(&at, src->rcpt[i].reason,
		    strlen(src->rcpt[i].reason));
	}
	dst->rcpt = rv;
	return 0;
}

int
queue_id_is_long(const char *id)
{
	return strchr(id, 'z') != NULL;
}

const char *
queue_addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : "";
}
