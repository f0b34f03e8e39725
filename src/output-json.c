/* output-json.c: the --once --json document (jansson), version 1, as
 * described in assets/json-format.md. Field names and types are a stable
 * interface: add fields, never rename or retype them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-text.h"
#include "output.h"
#include "shard.h"

/* The settings shown, in this order (postconf's explicit list). */
static const char *const setting_names[] = {
	"myhostname", "mydomain", "myorigin", "mydestination",
	"inet_interfaces", "inet_protocols", "mynetworks", "relayhost",
	"smtp_fallback_relay", "relay_domains", "smtpd_relay_restrictions",
	"default_transport", "transport_maps",
	"sender_dependent_relayhost_maps", "maillog_file", "syslog_name",
	"mail_version",
	/* TLS and SASL of the chain */
	"smtp_tls_security_level", "smtp_tls_CAfile", "smtp_tls_CApath",
	"smtp_tls_wrappermode", "smtp_tls_loglevel", "smtp_sasl_auth_enable",
	"smtp_sasl_password_maps", "smtp_sasl_security_options",
	"smtpd_tls_security_level", "smtpd_tls_cert_file",
	"smtpd_tls_key_file", "smtpd_tls_loglevel", "smtpd_sasl_auth_enable",
};

static const unsigned problem_bits[] = { HP_SUDO_PASSWORD, HP_LOG_UNREADABLE,
	HP_NO_POSTFIX, HP_POSTFIX_STOPPED, HP_QUEUE_UNREADABLE,
	HP_PROBE_GARBLED, HP_LOG_NONE };

static json_t *
jtime(time_t t)
{
	char buf[32];
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static json_t *
settings_json(const struct host *h)
{
	json_t *o = json_object();
	size_t i, k;

	if (!h->settings_valid)
		return o;
	for (i = 0; i < sizeof(setting_names) / sizeof(*setting_names); i++) {
		for (k = 0; k < h->settings.n; k++) {
			const struct pc_setting *s = &h->settings.v[k];

			if (strcmp(s->name, setting_names[i]) != 0)
				continue;
			json_object_set_new(o, s->name, json_pack("{s:o,s:b}",
			    "value", json_text(s->value), "explicit",
			    s->explicit_set));
			break;
		}
	}
	return o;
}

static json_t *
queue_json(const struct host *h, time_t now)
{
	json_t *top;
	time_t oldest = 0;
	size_t k;

	if (!h->queue_valid)
		return json_null();
	for (k = 0; k < Q_MAX; k++)
		if (h->queue.oldest[k] && (!oldest || h->queue.oldest[k] < oldest))
			oldest = h->queue.oldest[k];
	top = json_array();
	for (k = 0; k < h->queue.ntop && k < QUEUE_TOP_REASONS; k++)
		json_array_append_new(top, json_pack("{s:o,s:I}", "reason",
		    json_text(h->queue.top[k].text), "count",
		    (json_int_t)h->queue.top[k].count));
	return json_pack("{s:I,s:I,s:I,s:I,s:o,s:o}",
	    "active", (json_int_t)h->queue.count[Q_ACTIVE],
	    "deferred", (json_int_t)h->queue.count[Q_DEFERRED],
	    "hold", (json_int_t)h->queue.count[Q_HOLD],
	    "incoming", (json_int_t)h->queue.count[Q_INCOMING],
	    "oldest_age_s", oldest ? json_integer(now > oldest ?
	    (json_int_t)(now - oldest) : 0) : json_null(),
	    "top_reasons", top);
}

static json_t *
events_json(const struct host *h)
{
	json_t *a = json_array();
	const struct ev_rec *r;
	size_t i;

	for (i = 0; i < OUTPUT_JSON_EVENTS && (r = model_event(h, i)); i++)
		json_array_append_new(a, json_pack(
		    "{s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		    "time", jtime(r->when),
		    "kind", ev_kind_name((enum ev_kind)r->kind),
		    "status", mail_status_name((enum mail_status)r->status),
		    "queue_id", json_text(rec_qid(r)),
		    "to", json_text(rec_to(r)),
		    "relay", json_text(rec_relay(r)),
		    "dsn", json_text(rec_dsn(r)),
		    "reason", json_text(rec_reason(r)),
		    "queued_as", json_text(rec_queued_as(r)),
		    "client", json_text(rec_client(r)),
		    "text", json_text(rec_text(r))));
	return a;
}

static json_t *
host_json(const struct host *h, time_t now)
{
	json_t *probs = json_array(), *o;
	unsigned rc[ST_MAX];
	size_t k;

	for (k = 0; k < sizeof(problem_bits) / sizeof(*problem_bits); k++)
		if (h->problems & problem_bits[k])
			json_array_append_new(probs,
			    json_string(host_problem_name(problem_bits[k])));
	model_count_recent(h, now, OUTPUT_RECENT_MINUTES, rc);
	o = json_pack("{s:o,s:s,s:o,s:i,s:s,s:o,s:b,s:o,s:o}",
	    "name", json_text(h->cfg->name), "role", host_role_name(h->role),
	    "address", json_text(h->cfg->address), "port", h->cfg->port,
	    "state", host_conn_name(h->conn), "state_message",
	    json_text(h->conn_msg), "answered", output_host_answered(h),
	    "problems", probs, "problem_message", json_text(h->problem_msg));
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "last_answer", jtime(h->last_answer));
	json_object_set_new(o, "probe_ms", h->last_answer ?
	    json_integer(h->probe_ms) : json_null());
	json_object_set_new(o, "postfix_running", h->postfix_running < 0 ?
	    json_null() : json_boolean(h->postfix_running));
	json_object_set_new(o, "maillog", json_text(h->maillog_path));
	json_object_set_new(o, "maillog_read", h->maillog_via[0] ?
	    json_string(h->maillog_via) : json_null());
	json_object_set_new(o, "maillog_group", h->maillog_group[0] ?
	    json_string(h->maillog_group) : json_null());
	json_object_set_new(o, "settings", settings_json(h));
	json_object_set_new(o, "queue", queue_json(h, now));
	json_object_set_new(o, "recent", json_pack("{s:I,s:I,s:I,s:I,s:i}",
	    "sent", (json_int_t)rc[ST_SENT],
	    "deferred", (json_int_t)rc[ST_DEFERRED],
	    "bounced", (json_int_t)rc[ST_BOUNCED],
	    "expired", (json_int_t)rc[ST_EXPIRED],
	    "window_minutes", OUTPUT_RECENT_MINUTES));
	json_object_set_new(json_object_get(o, "recent"), "refused",
	    json_integer(model_count_refused(h, now,
	    OUTPUT_RECENT_MINUTES)));
	json_object_set_new(json_object_get(o, "recent"), "handed_off",
	    json_integer(model_count_handoffs(h, now,
	    OUTPUT_RECENT_MINUTES)));
	json_object_set_new(o, "last_outcome", h->last_outcome[0] ?
	    json_text(h->last_outcome) : json_null());
	json_object_set_new(o, "events", events_json(h));
	return o;
}

/* A postmulti instance entry: its name and the host it runs on. */
static json_t *
instance_json(const struct model *m, const struct host *h, json_t *o)
{
	int p = model_machine_of(m, h->index);
	int inst = h->cfg->instance[0] != '\0' && p != h->index;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "instance", inst ? json_text(h->cfg->instance) :
	    json_null());
	json_object_set_new(o, "instance_of", inst ?
	    json_text(m->hosts[p].cfg->name) : json_null());
	return o;
}

/* An edge's TLS/SASL/family facts (secfact.h). */
static json_t *
sec_json(const struct sec_fact *f)
{
	return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "state", sec_state_name(f->state),
	    "level", tls_level_name(f->tls),
	    "protocol", json_text(f->proto), "cipher", json_text(f->cipher),
	    "failure", json_text(f->fail),
	    "family", f->family ? json_integer(f->family) : json_null(),
	    "port", f->port ? json_integer(f->port) : json_null(),
	    "sasl", f->sasl < 0 ? json_null() : json_pack("{s:b,s:o}",
		"used", f->sasl == 1, "method", json_text(f->sasl_method)));
}

static json_t *
edge_json(const struct model *m, const struct edge *e)
{
	static const char *const kinds[] = { "primary", "fallback", "onward" };

	return json_pack("{s:o,s:o,s:s,s:o,s:i,s:b,s:s,s:o,s:o,s:o}",
	    "from", json_text(m->hosts[e->from].cfg->name),
	    "to", shard_edge_to(m, e) != NULL ? json_text(shard_edge_to(m, e)) :
	    json_null(),
	    "kind", kinds[e->kind <= EDGE_ONWARD ? e->kind : 0],
	    "target", json_text(e->target.host), "port", e->target.port,
	    "bracketed", e->target.bracketed,
	    "state", edge_state_name(e->state), "last", jtime(e->last),
	    "reason", json_text(e->last_reason), "security", sec_json(&e->sec));
}

char *
output_json_string(const struct model *m, const struct topology *t,
    time_t now)
{
	json_t *doc, *hosts = json_array(), *edges = json_array(), *o;
	int *level = calloc(m->n ? m->n : 1, sizeof(*level));
	char *s;
	size_t i;

	if (level == NULL) {
		json_decref(hosts);
		json_decref(edges);
		return NULL;
	}
	if (t != NULL)
		topology_levels(m, t, level);
	for (i = 0; i < m->n; i++) {
		o = instance_json(m, &m->hosts[i], host_json(&m->hosts[i],
		    now));
		/* 0 origin, 1 relay, 2 outbound relay ... (topology.h) */
		if (o != NULL)
			json_object_set_new(o, "level", json_integer(level[i]));
		json_array_append_new(hosts, o);
	}
	for (i = 0; t != NULL && i < t->n; i++) {
		o = edge_json(m, &t->v[i]);
		/* the hop's place in the chain: 1 from an origin, 2 ... */
		if (o != NULL)
			json_object_set_new(o, "hop", json_integer(
			    level[t->v[i].from] + 1));
		json_array_append_new(edges, o);
	}
	free(level);
	doc = json_pack("{s:i,s:o,s:o,s:o}", "version", OUTPUT_JSON_VERSION,
	    "generated", jtime(now), "hosts", hosts, "edges", edges);
	if (doc == NULL)
		return NULL;
	s = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(doc);
	return s;
}

int
output_json(FILE *f, const struct model *m, const struct topology *t,
    time_t now)
{
	char *s = output_json_string(m, t, now);
	int rc;

	if (s == NULL)
		return -1;
	rc = fprintf(f, "%s\n", s) < 0 ? -1 : 0;
	free(s);
	return rc;
}
