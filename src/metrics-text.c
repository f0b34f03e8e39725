/* metrics-text.c: the model as Prometheus metrics, in the text exposition
 * format or OpenMetrics: families with HELP and TYPE, base units, label
 * values escaped. Pure: the serving is src/serve-http.c's. The chain's
 * families (edges, findings) are src/metrics-chain.c's. The families are
 * listed in assets/metrics.md; keep both in step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics-int.h"
#include "sanitize.h"
#include "version.h"

#define LABEL_MAX	128	/* bytes of a label value from the hosts */
#define MW_BUF		65536	/* bytes gathered before one fwrite */

static void
flush(struct mw *w)
{
	if (w->n > 0)
		fwrite(w->buf, 1, w->n, w->out);
	w->n = 0;
}

static void
put(struct mw *w, const char *s, size_t n)
{
	if (w->n + n > w->cap) {
		flush(w);
		if (n > w->cap) {
			fwrite(s, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void
puts_mw(struct mw *w, const char *s)
{
	put(w, s, strlen(s));
}

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

/* How many bytes of s a label value keeps: at most max, never cutting a
 * UTF-8 sequence. */
static size_t
label_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		/* back off to the start of a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return n;
}

/* The escape of byte c in a label value, NULL when it stands as is. */
static const char *
label_escape(unsigned char c)
{
	if (c == '\\')
		return "\\\\";
	if (c == '"')
		return "\\\"";
	if (c == '\n')
		return "\\n";
	if (c < 0x20 || c == 0x7f)
		return "?";	/* sanitised already: never */
	return NULL;
}

/* Writes s[0..n) escaped through put(): runs of plain bytes at once. */
static void
label_put(struct mw *w, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *e;

	for (i = 0; i < n; i++) {
		if ((e = label_escape((unsigned char)s[i])) == NULL)
			continue;
		put(w, s + run, i - run);
		puts_mw(w, e);
		run = i + 1;
	}
	put(w, s + run, n - run);
}

void
metrics_label_value(FILE *out, const char *s, size_t max)
{
	char buf[4 * LABEL_MAX];
	struct mw w = { .out = out, .buf = buf, .cap = sizeof(buf) };
	size_t n = label_len(s, max), k;

	/* in pieces that fit buf escaped (an escape is 2 bytes a byte) */
	for (k = 0; k < n; k += LABEL_MAX) {
		label_put(&w, s + k, n - k < LABEL_MAX ? n - k : LABEL_MAX);
		flush(&w);
	}
}

/* "# HELP"/"# TYPE" of one family; a counter's family name has no _total
 * in OpenMetrics (its samples keep it). */
void
mw_family(struct mw *w, const char *name, const char *type, const char *help)
{
	size_t n = strlen(name);

	if (w->fmt == METRICS_OPENMETRICS && strcmp(type, "counter") == 0 &&
	    n > 6 && strcmp(name + n - 6, "_total") == 0)
		n -= 6;
	puts_mw(w, "# HELP ");
	put(w, name, n);
	put(w, " ", 1);
	puts_mw(w, help);
	puts_mw(w, "\n# TYPE ");
	put(w, name, n);
	put(w, " ", 1);
	puts_mw(w, type);
	put(w, "\n", 1);
}

/* " V\n": an integer as %lld, any other value as %.6g. */
static void
value_put(struct mw *w, double v)
{
	char b[40], *p = b + sizeof(b);
	unsigned long long u;
	int n;

	if (v == (double)(long long)v && v < 9e15 && v > -9e15) {
		u = v < 0 ? (unsigned long long)-(long long)v :
		    (unsigned long long)v;
		*--p = '\n';
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			*--p = '-';
		*--p = ' ';
		put(w, p, (size_t)(b + sizeof(b) - p));
		return;
	}
	n = snprintf(b, sizeof(b), " %.6g\n", v);
	put(w, b, n > 0 && (size_t)n < sizeof(b) ? (size_t)n : 0);
}

/* One sample: name{k1="v1",...} value. labels: key, value pairs, NULL
 * ended; values go through the label escape, cut to LABEL_MAX. */
void
mw_sample(struct mw *w, const char *name, const char *const *labels,
    double v)
{
	int i;

	puts_mw(w, name);
	if (labels != NULL && labels[0] != NULL) {
		put(w, "{", 1);
		for (i = 0; labels[i] != NULL && labels[i + 1] != NULL; i += 2) {
			if (i)
				put(w, ",", 1);
			puts_mw(w, labels[i]);
			put(w, "=\"", 2);
			label_put(w, labels[i + 1],
			    label_len(labels[i + 1], LABEL_MAX));
			put(w, "\"", 1);
		}
		put(w, "}", 1);
	}
	value_put(w, v);
}

/* One sample labelled with the host only. */
static void
host_sample(struct mw *w, const char *name, const struct host *h, double v)
{
	const char *l[] = { "host", h->cfg->name, NULL };

	mw_sample(w, name, l, v);
}

const char *
mw_host(const struct model *m, int i)
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

	mw_family(w, "relaytop_build_info", "gauge",
	    "relaytop's version, as a label; always 1.");
	mw_sample(w, "relaytop_build_info", l, 1);
	mw_family(w, "relaytop_hosts", "gauge",
	    "Hosts this relaytop watches (its shard's, with --shard).");
	mw_sample(w, "relaytop_hosts", NULL, (double)m->n);
	mw_family(w, "relaytop_shard_info", "gauge",
	    "This process's --shard K/N as labels; always 1, absent "
	    "without --shard.");
	if (inv != NULL && inv->shard_n > 0) {
		snprintf(k, sizeof(k), "%d", inv->shard_k);
		snprintf(n, sizeof(n), "%d", inv->shard_n);
		mw_sample(w, "relaytop_shard_info", ls, 1);
	}
}

static void
write_hosts(struct mw *w, const struct model *m, time_t now)
{
	size_t i;
	int c;

	mw_family(w, "relaytop_host_info", "gauge",
	    "A watched host: its inventory address and effective role; "
	    "always 1.");
	for (i = 0; i < m->n; i++) {
		const struct host *h = &m->hosts[i];
		const char *l[] = { "host", h->cfg->name, "address",
		    h->cfg->address, "role",
		    host_role_name(host_effective_role(h)), NULL };

		mw_sample(w, "relaytop_host_info", l, 1);
	}
	mw_family(w, "relaytop_host_up", "gauge",
	    "1 when the host's session is up and its last probe answered.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_host_up", &m->hosts[i],
		    m->hosts[i].conn == HC_UP);
	mw_family(w, "relaytop_host_state", "gauge",
	    "The host's connection state, one series per state: 1 for the "
	    "state it is in.");
	for (i = 0; i < m->n; i++)
		for (c = 0; c < HC_MAX; c++) {
			const char *l[] = { "host", m->hosts[i].cfg->name,
			    "state", host_conn_name((enum host_conn)c), NULL };

			mw_sample(w, "relaytop_host_state", l,
			    m->hosts[i].conn == (enum host_conn)c);
		}
	mw_family(w, "relaytop_probe_duration_seconds", "gauge",
	    "How long the host's last answered probe took.");
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].last_answer != 0)
			host_sample(w, "relaytop_probe_duration_seconds",
			    &m->hosts[i], m->hosts[i].probe_ms / 1000.0);
	mw_family(w, "relaytop_probe_answers_total", "counter",
	    "Probe answers taken from the host: answer=\"full\" (files "
	    "stat'ed, new log bytes or the queue read), answer=\"same\" (the "
	    "host's resident shell found nothing changed and ran no command "
	    "but, when the queue's timed reading was due, postqueue).");
	for (i = 0; i < m->n; i++) {
		const char *lf[] = { "host", m->hosts[i].cfg->name, "answer",
		    "full", NULL };
		const char *ls[] = { "host", m->hosts[i].cfg->name, "answer",
		    "same", NULL };

		mw_sample(w, "relaytop_probe_answers_total", lf,
		    (double)m->hosts[i].answers_full);
		mw_sample(w, "relaytop_probe_answers_total", ls,
		    (double)m->hosts[i].answers_same);
	}
	mw_family(w, "relaytop_last_answer_timestamp_seconds", "gauge",
	    "When the host last answered a probe (Unix time); absent before "
	    "its first answer.");
	for (i = 0; i < m->n; i++)
		if (m->hosts[i].last_answer != 0)
			host_sample(w, "relaytop_last_answer_timestamp_seconds",
			    &m->hosts[i], (double)m->hosts[i].last_answer);
	mw_family(w, "relaytop_last_answer_age_seconds", "gauge",
	    "Seconds since the host last answered a probe; absent before "
	    "its first answer.");
	for (i = 0; i < m->n; i++) {
		time_t a = m->hosts[i].last_answer;

		if (a != 0)
			host_sample(w, "relaytop_last_answer_age_seconds",
			    &m->hosts[i], now > a ? (double)(now - a) : 0);
	}
	mw_family(w, "relaytop_postfix_running", "gauge",
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

	mw_family(w, "relaytop_queue_messages", "gauge",
	    "Messages in the host's Postfix queue, per queue; absent while "
	    "the queue could not be read.");
	for (i = 0; i < m->n; i++)
		for (q = 0; q < Q_MAX && m->hosts[i].queue_valid; q++) {
			const char *l[] = { "host", m->hosts[i].cfg->name,
			    "queue", queue_name_str((enum queue_name)q), NULL };

			mw_sample(w, "relaytop_queue_messages", l,
			    m->hosts[i].queue.count[q]);
		}
	mw_family(w, "relaytop_queue_oldest_message_age_seconds", "gauge",
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
			mw_sample(w,
			    "relaytop_queue_oldest_message_age_seconds", l,
			    age);
		}
	mw_family(w, "relaytop_queue_size_bytes", "gauge",
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

	mw_family(w, "relaytop_deliveries_total", "counter",
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

				mw_sample(w, "relaytop_deliveries_total", l,
				    (double)t->n[st]);
			}
	mw_family(w, "relaytop_refusals_total", "counter",
	    "Mail the host's smtpd refused (NOQUEUE reject lines) since "
	    "relaytop started.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_refusals_total", &m->hosts[i],
		    (double)m->hosts[i].counters.total[COUNTER_REFUSED]);
	mw_family(w, "relaytop_log_events_total", "counter",
	    "Postfix log events relaytop read from the host since it "
	    "started.");
	for (i = 0; i < m->n; i++)
		host_sample(w, "relaytop_log_events_total", &m->hosts[i],
		    (double)m->hosts[i].events.total);
}

int
metrics_write(FILE *out, const struct model *m, const struct topology *t,
    const struct findings *f, time_t now, enum metrics_format fmt)
{
	struct mw w = { out, fmt, malloc(MW_BUF), 0, MW_BUF, NULL, NULL,
	    NULL };
	int rc = -1;

	if (w.buf != NULL && metrics_chain_labels(&w, m, t, f) == 0) {
		write_process(&w, m);
		write_hosts(&w, m, now);
		write_queues(&w, m, now);
		write_deliveries(&w, m);
		metrics_write_edges(&w, m, t);
		metrics_write_findings(&w, m, f);
		if (fmt == METRICS_OPENMETRICS)
			puts_mw(&w, "# EOF\n");
		flush(&w);
		rc = fflush(out) != 0 || ferror(out) ? -1 : 0;
	}
	free(w.buf);
	free(w.to);
	free(w.dup);
	free(w.count);
	return rc;
}
