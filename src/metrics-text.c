/* metrics-text.c: the model as Prometheus metrics, in the text exposition
 * format or OpenMetrics: families with HELP and TYPE, base units, label
 * values escaped. Pure: the serving is src/serve-http.c's. The families are
 * listed in assets/metrics.md; keep both in step. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "metrics.h"
#include "sanitize.h"
#include "shard.h"
#include "version.h"

#define LABEL_MAX	128	/* bytes of a label value from the hosts */

struct mw {
	FILE	*out;
	enum metrics_format fmt;
};

const char *
metrics_content_type(enum metrics_format fmt)
{
	return fmt == METRICS_OPENMETRICS ?
	    "application/openmetrics-text; version=1.0.0; charset=utf-8" :
	    "text/plain; version=0.0.4; charset=utf-8";
}

enum metrics_format
metrics_format_for(const char *accept)
{
	const char *p;

	if (accept == NULL)
		return METRICS_PROMETHEUS;
	for (p = accept; *p != '\0'; p++)
		if (strncasecmp(p, "application/openmetrics-text", 28) == 0)
			return METRICS_OPENMETRICS;
	return METRICS_PROMETHEUS;
}

void
metrics_label_value(FILE *out, const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n > max) {
		n = max;
		/* back off to the start of a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", out);
		else if (c == '"')
			fputs("\\\"", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', out);	/* sanitised already: never */
		else
			fputc(c, out);
	}
}

/* "# HELP"/"# TYPE" of one family; a counter's family name has no _total
 * in OpenMetrics (its samples keep it). */
static void
family(struct mw *w, const char *name, const char *type, const char *help)
{
	size_t n = strlen(name);

	if (w->fmt == METRICS_OPENMETRICS && strcmp(type, "counter") == 0 &&
	    n > 6 && strcmp(name + n - 6, "_total") == 0)
		n -= 6;
	fprintf(w->out, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)n, name, help,
	    (int)n, name, type);
}

/* One sample: name{k1="v1",...} value. labels: key, value pairs, NULL
 * ended; values go through metrics_label_value. */
static void
sample(struct mw *w, const char *name, const char *const *labels,
    double v)
{
	int i;

	fputs(name, w->out);
	if (labels != NULL && labels[0] != NULL) {
		fputc('{', w->out);
		for (i = 0; labels[i] != NULL && labels[i + 1] != NULL; i += 2) {
			fprintf(w->out, "%s%s=\"", i ? "," : "", labels[i]);
			metrics_label_value(w->out, labels[i + 1], LABEL_MAX);
			fputc('"', w->out);
		}
		fputc('}', w->out);
	}
	if (v == (double)(long long)v && v < 9e15 && v > -9e15)
		fprintf(w->out, " %lld\n", (long long)v);
	else
		fprintf(w->out, " %.6g\n", v);
}

/* One sample labelled with the host only. */
static void
host_sample(struct mw *w, const char *name, const struct host *h, double v)
{
	const char *l[] = { "host", h->cfg->name, NULL };

	sample(w, name, l, v);
}

static const char *
hname(const struct model *m, int i)
{
	return i >= 0 && (size_t)i < m->n ? m->hosts[i].cfg->name : "";
}

static void
write_process(struct mw *w, const struct model *m)
{
	const struct inventory *inv = m->inv;
	const char *l[] = { "version", RELAYTOP_VERSION, NULL };
	char k[16], n[16];
	const char *ls[] = { "shard", k, "shards", n, NULL };

	family(w, "relaytop_build_info", "gauge",
	    "relaytop's version, as a label; always 1.");
	sample(w, "relaytop_build_info", l, 1);
	family(w, "relaytop_hosts", "gauge",
	    "Hosts this relaytop watches (its shard's, with --shard).");
	sample(w, "relaytop_hosts", NULL, (double)m->n);
	family(w, "relaytop_shard_info", "gauge",
	    "This process's --shard K/N as labels; always 1, absent "
	    "without --shard.");
	if (inv != NULL && inv->shard_n > 0) {
		snprintf(k, sizeof(k), "%d", inv->shard_k);
		snprintf(n, sizeof(n), "%d", inv->shard_n);
		sample(w, "relaytop_shard_info", ls, 1);
	}
}

static void
write_hosts(struct mw *w, const struct model *m, time_t now)
{
	size_t i;
	int c;

	family(w, "relaytop_host_info", "gauge",
	    "A watched host: its inventory address and effective role; "
	    "always 1.");
	for (i = 0; i < m->n; i++) {
		const struct host *h = &m->hosts[i];
		const char *l[] = { "host", h->cfg->name, "address",
		    h->cfg->address, "role",
		    host_role_name(host_effective_role(h)), NULL };

		sample(w, "relaytop_host_info", l, 1);
	}
	family(w, "relaytop_host_up", "gauge",
	    "1 when the host's session is up and its last probe answered.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_host_up", &m->hosts[i],
		    m->hosts[i].conn == HC_UP);
	family(w, "relaytop_host_state", "gauge",
	    "The host's connection state, one series per state: 1 for the "
	    "state it is in.");
	for (i = 0; i < m->n; i++)
		for (c = 0; c < HC_MAX; c++) {
			const char *l[] = { "host", m->hosts[i].cfg->name,
			    "state", host_conn_name((enum host_conn)c), NULL };

			sample(w, "relaytop_host_state", l,
			    m->hosts[i].conn == (enum host_conn)c);
		}
	family(w, "relaytop_probe_duration_seconds", "gauge",
	    "How long the host's last answered probe took.");
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].last_answer != 0)
			host_sample(w, "relaytop_probe_duration_seconds",
			    &m->hosts[i], m->hosts[i].probe_ms / 1000.0);
	family(w, "relaytop_last_answer_timestamp_seconds", "gauge",
	    "When the host last answered a probe (Unix time); absent before "
	    "its first answer.");
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].last_answer != 0)
			host_sample(w, "relaytop_last_answer_timestamp_seconds",
			    &m->hosts[i], (double)m->hosts[i].last_answer);
	family(w, "relaytop_last_answer_age_seconds", "gauge",
	    "Seconds since the host last answered a probe; absent before "
	    "its first answer.");
	for (i = 0; i < m->n; i++) {
		time_t a = m->hosts[i].last_answer;

		if (a != 0)
			host_sample(w, "relaytop_last_answer_age_seconds",
			    &m->hosts[i], now > a ? (double)(now - a) : 0);
	}
	family(w, "relaytop_postfix_running", "gauge",
	    "1 when Postfix's master runs on the host, 0 when not; absent "
	    "while unknown.");
	for (i = 0; i < m->n; i++) {
		const struct host *h = &m->hosts[i];

		if (h->problems & HP_NO_POSTFIX)
			host_sample(w, "relaytop_postfix_running", h, 0);
		else if (h->postfix_running >= 0 && h->last_answer != 0)
			host_sample(w, "relaytop_postfix_running", h,
			    h->postfix_running > 0);
	}
}

static void
write_queues(struct mw *w, const struct model *m, time_t now)
{
	size_t i;
	int q;

	family(w, "relaytop_queue_messages", "gauge",
	    "Messages in the host's Postfix queue, per queue; absent while "
	    "the queue could not be read.");
	for (i = 0; i < m->n; i++)
		for (q = 0; q < Q_MAX && m->hosts[i].queue_valid; q++) {
			const char *l[] = { "host", m->hosts[i].cfg->name,
			    "queue", queue_name_str((enum queue_name)q), NULL };

			sample(w, "relaytop_queue_messages", l,
			    m->hosts[i].queue.count[q]);
		}
	family(w, "relaytop_queue_oldest_message_age_seconds", "gauge",
	    "Age of the oldest message in the queue (0 when empty).");
	for (i = 0; i < m->n; i++)
		for (q = 0; q < Q_MAX && m->hosts[i].queue_valid; q++) {
			const struct queue_summary *s = &m->hosts[i].queue;
			const char *l[] = { "host", m->hosts[i].cfg->name,
			    "queue", queue_name_str((enum queue_name)q), NULL };
			double age = 0;

			if (s->count[q] > 0 && s->oldest[q] > 0 &&
			    now > s->oldest[q])
				age = (double)(now - s->oldest[q]);
			sample(w, "relaytop_queue_oldest_message_age_seconds", l,
			    age);
		}
	family(w, "relaytop_queue_size_bytes", "gauge",
	    "Total size of the messages in the host's queues.");
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].queue_valid)
			host_sample(w, "relaytop_queue_size_bytes",
			    &m->hosts[i], (double)m->hosts[i].queue.bytes);
}

static void
write_deliveries(struct mw *w, const struct model *m)
{
	size_t i, r;
	int st;

	family(w, "relaytop_deliveries_total", "counter",
	    "Delivery outcomes the host logged since relaytop started, per "
	    "relay and status; never goes back (reconnects and rotated logs "
	    "add, never take away).");
	for (i = 0; i < m->n; i++)
		for (r = 0; r < m->hosts[i].nrelays; r++)
			for (st = ST_NONE + 1; st < ST_MAX; st++) {
				const struct relay_tally *t =
				    &m->hosts[i].relays[r];
				const char *l[] = { "host",
				    m->hosts[i].cfg->name, "relay", t->relay,
				    "status",
				    mail_status_name((enum mail_status)st),
				    NULL };

				sample(w, "relaytop_deliveries_total", l,
				    (double)t->n[st]);
			}
	family(w, "relaytop_refusals_total", "counter",
	    "Mail the host's smtpd refused (NOQUEUE reject lines) since "
	    "relaytop started.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_refusals_total", &m->hosts[i],
		    (double)m->hosts[i].counters.total[COUNTER_REFUSED]);
	family(w, "relaytop_log_events_total", "counter",
	    "Postfix log events relaytop read from the host since it "
	    "started.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_log_events_total", &m->hosts[i],
		    (double)m->hosts[i].events.total);
}

static const char *
kind_name(enum edge_kind k)
{
	return k == EDGE_PRIMARY ? "primary" : k == EDGE_FALLBACK ?
	    "fallback" : "onward";
}

/* The edge's "to": the watched host, else a peer of another shard, else
 * the target as configured or logged. */
static const char *
edge_to(const struct model *m, const struct edge *e)
{
	const char *name = shard_edge_to(m, e);

	return name != NULL ? name : e->target.host;
}

/* 1 when an earlier edge has the same labels (a scrape refuses a series
 * given twice). */
static int
edge_dup(const struct model *m, const struct topology *t, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (t->v[j].from == t->v[i].from &&
		    t->v[j].kind == t->v[i].kind &&
		    strcmp(edge_to(m, &t->v[j]), edge_to(m, &t->v[i])) == 0)
			return 1;
	return 0;
}

/* A fallback edge carries mail when its newest outcome is "sent" and no
 * primary edge of the same origin delivered since. */
static int
fallback_carrying(const struct topology *t, const struct edge *fb)
{
	size_t j;

	if (fb->kind != EDGE_FALLBACK || fb->state != EDGE_SENT ||
	    fb->last == 0)
		return 0;
	for (j = 0; j < t->n; j++)
		if (t->v[j].from == fb->from && t->v[j].kind == EDGE_PRIMARY &&
		    t->v[j].state == EDGE_SENT && t->v[j].last >= fb->last)
			return 0;
	return 1;
}

static void
write_edges(struct mw *w, const struct model *m, const struct topology *t)
{
	static const enum edge_state states[] = { EDGE_UNKNOWN, EDGE_SENT,
		EDGE_DEFERRED, EDGE_REFUSED, EDGE_BOUNCED };
	size_t i, s, n = t != NULL ? t->n : 0;

	family(w, "relaytop_edge_state", "gauge",
	    "The newest outcome the sending host logged on an edge of the "
	    "chain (kind: primary relayhost, fallback relay or onward), one "
	    "series per state: 1 for the edge's state.");
	for (i = 0; i < n; i++)
		for (s = 0; s < sizeof(states) / sizeof(states[0]) &&
		    !edge_dup(m, t, i); s++) {
			const struct edge *e = &t->v[i];
			const char *l[] = { "from", hname(m, e->from), "to",
			    edge_to(m, e), "kind", kind_name(e->kind), "state",
			    edge_state_name(states[s]), NULL };

			sample(w, "relaytop_edge_state", l,
			    e->state == states[s]);
		}
	family(w, "relaytop_edge_last_outcome_timestamp_seconds", "gauge",
	    "When the edge's newest outcome was logged (Unix time); absent "
	    "before one.");
	for (i = 0; i < n; i++) {
		const struct edge *e = &t->v[i];
		const char *l[] = { "from", hname(m, e->from), "to",
		    edge_to(m, e), "kind", kind_name(e->kind), NULL };

		if (e->last != 0 && !edge_dup(m, t, i))
			sample(w, "relaytop_edge_last_outcome_timestamp_seconds",
			    l, (double)e->last);
	}
	family(w, "relaytop_fallback_carrying_mail", "gauge",
	    "1 when the origin's mail goes through its fallback relay: the "
	    "fallback edge's newest outcome is sent and the primary has "
	    "delivered nothing since.");
	for (i = 0; i < n; i++) {
		const struct edge *e = &t->v[i];
		const char *l[] = { "from", hname(m, e->from), "to",
		    edge_to(m, e), NULL };

		if (e->kind == EDGE_FALLBACK && !edge_dup(m, t, i))
			sample(w, "relaytop_fallback_carrying_mail", l,
			    fallback_carrying(t, e));
	}
}

static void
write_findings(struct mw *w, const struct model *m, const struct findings *f)
{
	size_t i, j, n = f != NULL ? f->n : 0;
	unsigned c;

	family(w, "relaytop_doctor_findings", "gauge",
	    "Findings of the relay doctor (relaytop --check) now, per rule, "
	    "severity and first host named.");
	for (i = 0; i < n; i++) {
		const struct finding *x = &f->v[i], *y;
		const char *host = x->nhosts > 0 ? hname(m, x->hosts[0]) : "";
		const char *l[] = { "rule", x->id, "severity",
		    severity_name(x->sev), "host", host, NULL };

		for (j = 0; j < i; j++) {
			y = &f->v[j];
			if (strcmp(y->id, x->id) == 0 && y->sev == x->sev &&
			    strcmp(y->nhosts > 0 ? hname(m, y->hosts[0]) : "",
			    host) == 0)
				break;
		}
		if (j < i)
			continue;	/* counted with the first */
		for (c = 0, j = i; j < n; j++) {
			y = &f->v[j];
			if (strcmp(y->id, x->id) == 0 && y->sev == x->sev &&
			    strcmp(y->nhosts > 0 ? hname(m, y->hosts[0]) : "",
			    host) == 0)
				c++;
		}
		sample(w, "relaytop_doctor_findings", l, c);
	}
}

int
metrics_write(FILE *out, const struct model *m, const struct topology *t,
    const struct findings *f, time_t now, enum metrics_format fmt)
{
	struct mw w = { out, fmt };

	write_process(&w, m);
	write_hosts(&w, m, now);
	write_queues(&w, m, now);
	write_deliveries(&w, m);
	write_edges(&w, m, t);
	write_findings(&w, m, f);
	if (fmt == METRICS_OPENMETRICS)
		fputs("# EOF\n", out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
