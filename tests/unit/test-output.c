/* test-output.c: the --once outputs. The JSON document's shape and types
 * (version 1, as assets/json-format.md promises), hostile remote text kept
 * out of both outputs, and the text table's rows, chain and width rule. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "output.h"
#include "postconf.h"
#include "topology.h"

static struct host_config hc[3];
static struct inventory inv = { .hosts = hc, .n = 3 };
static const time_t NOW = 1795830000;

static struct span
sp(const char *s)
{
	struct span x = { s, strlen(s) };

	return x;
}

static void
set(struct model *m, struct host *h, const char *text)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];

	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) > 0);
	postconf_mark_explicit(&s, "relayhost = [172.16.1.11]\n", 26);
	model_set_settings(m, h, &s);
	postconf_free(&s);
}

/* origin-a answered with settings, a queue and events; relay-c answered
 * with a problem; relay-d never answered. */
static void
build(struct model *m, struct topology *t)
{
	static const char *const names[] = { "origin-a", "relay-c", "relay-d" };
	static const char *const addrs[] = { "172.16.10.5", "172.16.1.11",
		"172.16.1.12" };
	struct queue_summary q;
	struct mail_event ev;
	int i;

	memset(hc, 0, sizeof(hc));
	for (i = 0; i < 3; i++) {
		snprintf(hc[i].name, sizeof(hc[i].name), "%s", names[i]);
		snprintf(hc[i].address, sizeof(hc[i].address), "%s", addrs[i]);
		hc[i].port = 22;
	}
	assert_int_equal(model_init(m, &inv, 0), 0);
	set(m, &m->hosts[0], "relayhost = [172.16.1.11]\n"
	    "smtp_fallback_relay = [172.16.1.12]\nmynetworks = 127.0.0.1\n"
	    "inet_interfaces = loopback-only\n");
	set(m, &m->hosts[1], "relayhost =\ninet_interfaces = all\n"
	    "mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6\n");
	model_mark_answer(m, &m->hosts[0], NOW, 120);
	model_mark_answer(m, &m->hosts[1], NOW, 130);
	model_set_problems(m, &m->hosts[1], HP_POSTFIX_STOPPED,
	    "Postfix is not running");
	model_set_conn(m, &m->hosts[2], HC_UNREACHABLE,
	    "relay-d (172.16.1.12:22): Connection refused");
	memset(&q, 0, sizeof(q));
	q.count[Q_DEFERRED] = 3;
	q.count[Q_HOLD] = 1;
	q.oldest[Q_DEFERRED] = NOW - 90;
	q.ntop = 2;
	q.top[0].count = 3;
	snprintf(q.top[0].text, sizeof(q.top[0].text), "connect to "
	    "172.16.1.12[172.16.1.12]:25: Connection refused");
	/* as relay-c's postqueue said it in the lab (82 columns with "1 x") */
	q.top[1].count = 1;
	snprintf(q.top[1].text, sizeof(q.top[1].text), "unable to look up "
	    "host other.example: Temporary failure in name resolution");
	model_set_queue(m, &m->hosts[0], &q);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.when = NOW - 60;
	ev.qid = sp("993E211214E");
	ev.to = sp("probe@dest.example");
	ev.relay = sp("none");
	ev.relay_addr = sp("");
	ev.status = ST_DEFERRED;
	ev.dsn = sp("4.4.1");
	ev.reason = sp("connect to 172.16.1.12[172.16.1.12]:25: Connection "
	    "refused \033]0;pwned\007\x9b" "31m");
	model_add_event(m, &m->hosts[0], &ev);
	ev.when = NOW - 120;
	ev.status = ST_SENT;
	ev.relay = sp("172.16.1.11[172.16.1.11]:25");
	ev.relay_addr = sp("172.16.1.11");
	ev.reason = sp("250 2.0.0 Ok: queued as 6029911214C");
	model_add_event(m, &m->hosts[0], &ev);
	/* two refusals on relay-c (NOQUEUE: reject:) */
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_REJECT;
	ev.when = NOW - 30;
	model_add_event(m, &m->hosts[1], &ev);
	model_add_event(m, &m->hosts[1], &ev);
	assert_int_equal(topology_build(m, t), 0);
}

static json_t *
get(json_t *o, const char *key, json_type type)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_typeof(v) != type)
		fail_msg("key %s missing or of the wrong type", key);
	return v;
}

static void
test_json_shape(void **state)
{
	struct model m;
	struct topology t;
	json_error_t jerr;
	json_t *doc, *hosts, *h, *s, *q, *r, *e;
	char *text;

	(void)state;
	build(&m, &t);
	text = output_json_string(&m, &t, NOW);
	assert_non_null(text);
	assert_null(strstr(text, "\\u001b"));
	assert_null(strstr(text, "\\u009b"));
	assert_null(strstr(text, "\\u0007"));
	doc = json_loads(text, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(get(doc, "version", JSON_INTEGER)),
	    1);
	assert_string_equal(json_string_value(get(doc, "generated",
	    JSON_STRING)), "2026-11-28T01:40:00Z");
	hosts = get(doc, "hosts", JSON_ARRAY);
	assert_int_equal(json_array_size(hosts), 3);

	h = json_array_get(hosts, 0);
	assert_string_equal(json_string_value(get(h, "name", JSON_STRING)),
	    "origin-a");
	assert_string_equal(json_string_value(get(h, "role", JSON_STRING)),
	    "origin");
	assert_string_equal(json_string_value(get(h, "address", JSON_STRING)),
	    "172.16.10.5");
	assert_int_equal(json_integer_value(get(h, "port", JSON_INTEGER)), 22);
	assert_string_equal(json_string_value(get(h, "state", JSON_STRING)),
	    "up");
	get(h, "state_message", JSON_STRING);
	assert_true(json_is_true(json_object_get(h, "answered")));
	assert_int_equal(json_array_size(get(h, "problems", JSON_ARRAY)), 0);
	s = get(h, "settings", JSON_OBJECT);
	s = get(s, "relayhost", JSON_OBJECT);
	assert_string_equal(json_string_value(get(s, "value", JSON_STRING)),
	    "[172.16.1.11]");
	assert_true(json_is_true(json_object_get(s, "explicit")));
	s = get(get(h, "settings", JSON_OBJECT), "mynetworks", JSON_OBJECT);
	assert_true(json_is_false(json_object_get(s, "explicit")));
	q = get(h, "queue", JSON_OBJECT);
	assert_int_equal(json_integer_value(get(q, "deferred", JSON_INTEGER)),
	    3);
	assert_int_equal(json_integer_value(get(q, "hold", JSON_INTEGER)), 1);
	get(q, "active", JSON_INTEGER);
	get(q, "incoming", JSON_INTEGER);
	assert_int_equal(json_integer_value(get(q, "oldest_age_s",
	    JSON_INTEGER)), 90);
	r = json_array_get(get(q, "top_reasons", JSON_ARRAY), 0);
	assert_int_equal(json_integer_value(get(r, "count", JSON_INTEGER)), 3);
	get(r, "reason", JSON_STRING);
	r = get(h, "recent", JSON_OBJECT);
	assert_int_equal(json_integer_value(get(r, "sent", JSON_INTEGER)), 1);
	assert_int_equal(json_integer_value(get(r, "deferred", JSON_INTEGER)),
	    1);
	get(r, "bounced", JSON_INTEGER);
	get(r, "expired", JSON_INTEGER);
	assert_int_equal(json_integer_value(get(r, "window_minutes",
	    JSON_INTEGER)), 60);
	get(h, "last_outcome", JSON_STRING);
	e = json_array_get(get(h, "events", JSON_ARRAY), 0);
	assert_string_equal(json_string_value(get(e, "status", JSON_STRING)),
	    "sent");	/* newest first: the sent line came last */
	assert_string_equal(json_string_value(get(e, "kind", JSON_STRING)),
	    "delivery");
	get(e, "time", JSON_STRING);
	get(e, "queue_id", JSON_STRING);

	h = json_array_get(hosts, 1);
	assert_string_equal(json_string_value(json_array_get(get(h, "problems",
	    JSON_ARRAY), 0)), "postfix-stopped");
	assert_true(json_is_null(json_object_get(h, "queue")));
	h = json_array_get(hosts, 2);
	assert_string_equal(json_string_value(get(h, "state", JSON_STRING)),
	    "unreachable");
	assert_true(json_is_false(json_object_get(h, "answered")));
	assert_true(json_is_null(json_object_get(h, "last_outcome")));

	e = get(doc, "edges", JSON_ARRAY);
	assert_int_equal(json_array_size(e), 2);
	e = json_array_get(e, 0);
	assert_string_equal(json_string_value(get(e, "from", JSON_STRING)),
	    "origin-a");
	assert_string_equal(json_string_value(get(e, "to", JSON_STRING)),
	    "relay-c");
	assert_string_equal(json_string_value(get(e, "kind", JSON_STRING)),
	    "primary");
	assert_string_equal(json_string_value(get(e, "state", JSON_STRING)),
	    "sent");
	get(e, "target", JSON_STRING);
	get(e, "port", JSON_INTEGER);
	json_decref(doc);
	free(text);
	topology_free(&t);
	model_free(&m);
}

static char *
text_of(const struct model *m, const struct topology *t, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_text(f, m, t, NOW, width), 0);
	fclose(f);
	return buf;
}

static void
test_text(void **state)
{
	struct model m;
	struct topology t;
	char *out, *line;

	(void)state;
	build(&m, &t);
	out = text_of(&m, &t, 0);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\007'));
	line = strstr(out, "\norigin-a ");
	assert_non_null(line);
	assert_non_null(strstr(line, "[172.16.1.11]"));
	assert_non_null(strstr(line, "0/3/1"));
	assert_non_null(strstr(out, "\nrelay-d   ?  "));
	assert_non_null(strstr(out, "unreachable"));
	assert_non_null(strstr(out, "Relay chain:"));
	assert_non_null(strstr(out, "-> relay-c"));
	assert_non_null(strstr(out, "relay-c: [postfix-stopped]"));
	assert_non_null(strstr(out, "3 x connect to 172.16.1.12"));
	free(out);
	/* narrow: no table line wider than asked */
	out = text_of(&m, &t, 90);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "relaytop ", 9) != 0)
			assert_true(strlen(line) <= 90);
	free(out);
	/* 80 columns: the counters stay, REFUSED with relay-c's 2 */
	out = text_of(&m, &t, 80);
	assert_non_null(strstr(out, "SENT  DEFER  BOUNCE  REFUSED"));
	line = strstr(out, "\nrelay-c ");
	assert_non_null(line);
	assert_non_null(strstr(line, "0       0        2\n"));
	/* a long reason is cut to the width, the cut marked */
	assert_non_null(strstr(out, "    1 x unable to look up host "
	    "other.example: Temporary failure in name resolut~\n"));
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "relaytop ", 9) != 0)
			assert_true(strlen(line) <= 80);
	free(out);
	topology_free(&t);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_text),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
