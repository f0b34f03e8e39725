/* trace-format.c: a test-mail trace as text lines (the CLI and the console
 * draw these) and as a JSON object (--json). All text in a trace comes from
 * the model, which holds it sanitised. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "json-text.h"
#include "sanitize.h"
#include "trace.h"

static const char *
name_of(const struct inventory *inv, int i, char *buf, size_t len)
{
	if (inv != NULL && i >= 0 && (size_t)i < inv->n)
		return inv->hosts[i].name;
	snprintf(buf, len, "#%d", i);
	return buf;
}

static const char *
route_name(const struct trace_hop *hp)
{
	if (hp->next_host < 0)
		return "outside";
	if (hp->handoff)
		return "instance";	/* another Postfix of the machine */
	return hp->via_fallback ? "fallback" : "primary";
}

static void
emit_line(void (*emit)(const char *, void *), void *arg, size_t *n,
    const char *line)
{
	emit(line, arg);
	(*n)++;
}

size_t
trace_format_text(const struct trace *t, const struct inventory *inv,
    void (*emit)(const char *line, void *arg), void *arg)
{
	char line[1024], nb[2][16];
	size_t n = 0;
	int i, j;
	long secs = (long)((t->finished ? t->finished : time(NULL)) -
	    t->started);

	snprintf(line, sizeof(line), "test mail %s from %s to <%s>: %s (%ld s)",
	    t->token, name_of(inv, t->origin, nb[0], sizeof(nb[0])), t->to,
	    trace_state_name(t->state), secs < 0 ? 0 : secs);
	emit_line(emit, arg, &n, line);
	for (i = 0; i < t->nhops; i++) {
		const struct trace_hop *hp = &t->hops[i];
		int o;

		o = snprintf(line, sizeof(line), "  hop %d  %s  queue id %s", i + 1,
		    name_of(inv, hp->host, nb[0], sizeof(nb[0])),
		    *hp->qid ? hp->qid : "?");
		if (o > 0 && (size_t)o < sizeof(line) && *hp->client)
			snprintf(line + o, sizeof(line) - (size_t)o,
			    "  from %s", hp->client);
		emit_line(emit, arg, &n, line);
		for (j = 0; j < hp->nattempts; j++) {
			snprintf(line, sizeof(line), "         tried: %s",
			    hp->attempts[j]);
			emit_line(emit, arg, &n, line);
		}
		if (hp->status == ST_NONE) {
			emit_line(emit, arg, &n, "         (no delivery yet)");
			continue;
		}
		if (hp->status == ST_SENT && hp->next_host >= 0)
			snprintf(line, sizeof(line), "         -> %s (%s, %s)  "
			    "%s  dsn %s  delay %.2f s%s%s",
			    name_of(inv, hp->next_host, nb[1], sizeof(nb[1])),
			    hp->relay, route_name(hp), hp->handoff ?
			    "handed off" :
			    mail_status_name((enum mail_status)hp->status),
			    hp->dsn, hp->delay, *hp->queued_as ?
			    "  queued as " : "", hp->queued_as);
		else
			snprintf(line, sizeof(line), "         -> %s%s  %s  dsn "
			    "%s  delay %.2f s",
			    *hp->relay ? hp->relay : "none",
			    hp->status == ST_SENT ? " (outside the inventory)" :
			    "", mail_status_name((enum mail_status)hp->status),
			    hp->dsn, hp->delay);
		emit_line(emit, arg, &n, line);
		if (hp->sec.state != SEC_UNKNOWN) {
			char st[300];

			snprintf(line, sizeof(line), "         tls: %s",
			    sec_fact_line(&hp->sec, st, sizeof(st)));
			emit_line(emit, arg, &n, line);
		}
		if (*hp->reason) {
			snprintf(line, sizeof(line), "         (%s)", hp->reason);
			emit_line(emit, arg, &n, line);
		}
	}
	snprintf(line, sizeof(line), "  %s", t->summary);
	emit_line(emit, arg, &n, line);
	return n;
}

static json_t *
hop_json(const struct trace_hop *hp, const struct inventory *inv)
{
	json_t *o = json_object(), *att = json_array(), *dl = json_array();
	char nb[16];
	int j;

	if (o == NULL || att == NULL || dl == NULL) {
		json_decref(o);
		json_decref(att);
		json_decref(dl);
		return NULL;
	}
	for (j = 0; j < hp->nattempts; j++)
		json_array_append_new(att, json_text(hp->attempts[j]));
	for (j = 0; j < 4; j++)
		json_array_append_new(dl, json_real(hp->delays[j]));
	json_object_set_new(o, "host", json_text(name_of(inv, hp->host, nb,
	    sizeof(nb))));
	json_object_set_new(o, "queue_id", json_text(hp->qid));
	json_object_set_new(o, "when", json_integer((json_int_t)hp->when));
	json_object_set_new(o, "client", json_text(hp->client));
	json_object_set_new(o, "relay", json_text(hp->relay));
	json_object_set_new(o, "relay_addr", json_text(hp->relay_addr));
	json_object_set_new(o, "next_host", hp->next_host >= 0 ?
	    json_text(name_of(inv, hp->next_host, nb, sizeof(nb))) :
	    json_null());
	json_object_set_new(o, "route", hp->status == ST_SENT ?
	    json_text(route_name(hp)) : json_null());
	json_object_set_new(o, "status", json_text(
	    mail_status_name((enum mail_status)hp->status)));
	json_object_set_new(o, "handoff", json_boolean(hp->handoff));
	json_object_set_new(o, "dsn", json_text(hp->dsn));
	json_object_set_new(o, "reason", json_text(hp->reason));
	json_object_set_new(o, "security", json_pack("{s:s,s:s,s:o,s:o,s:o,"
	    "s:o,s:o,s:o}", "state", sec_state_name(hp->sec.state),
	    "level", tls_level_name(hp->sec.tls),
	    "protocol", json_text(hp->sec.proto),
	    "cipher", json_text(hp->sec.cipher),
	    "failure", json_text(hp->sec.fail),
	    "family", hp->sec.family ? json_integer(hp->sec.family) :
	    json_null(), "port", hp->sec.port ? json_integer(hp->sec.port) :
	    json_null(), "sasl", hp->sec.sasl < 0 ? json_null() :
	    json_boolean(hp->sec.sasl == 1)));
	json_object_set_new(o, "delay", json_real(hp->delay));
	json_object_set_new(o, "delays", dl);
	json_object_set_new(o, "queued_as", json_text(hp->queued_as));
	json_object_set_new(o, "attempts", att);
	return o;
}

char *
trace_format_json(const struct trace *t, const struct inventory *inv)
{
	json_t *o = json_object(), *hops = json_array();
	char nb[16], *s;
	int i;

	if (o == NULL || hops == NULL) {
		json_decref(o);
		json_decref(hops);
		return NULL;
	}
	for (i = 0; i < t->nhops; i++) {
		json_t *h = hop_json(&t->hops[i], inv);

		if (h != NULL)
			json_array_append_new(hops, h);
	}
	json_object_set_new(o, "token", json_text(t->token));
	json_object_set_new(o, "origin", json_text(name_of(inv, t->origin,
	    nb, sizeof(nb))));
	json_object_set_new(o, "to", json_text(t->to));
	json_object_set_new(o, "state", json_text(trace_state_name(
	    t->state)));
	json_object_set_new(o, "delivered", json_boolean(t->state ==
	    TR_DELIVERED));
	json_object_set_new(o, "started", json_integer((json_int_t)t->started));
	json_object_set_new(o, "finished", t->finished ?
	    json_integer((json_int_t)t->finished) : json_null());
	json_object_set_new(o, "summary", json_text(t->summary));
	json_object_set_new(o, "hops", hops);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
