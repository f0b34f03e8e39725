/* test-metrics.c: the Prometheus text of the seed's network built from
 * captured lab logs and queues: families with HELP and TYPE before their
 * samples, no series twice, delivery counters per relay that outlive the
 * event ring, the fallback carrying mail in the failover log, queue gauges,
 * doctor findings counted per rule, label escaping, peers of another shard
 * named, and OpenMetrics when asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-data.h"
#include "test-seed.h"

#include "metrics.h"
#include "queue.h"
#include "shard.h"
#include "topology.h"

#define NOW	1795829400	/* a minute after the captured logs */

/* The metrics of m (topology built from it, findings f) as a string. */
static char *
text_of(struct model *m, const struct findings *f, enum metrics_format fmt)
{
	struct topology t = { NULL, 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(topology_build(m, &t), 0);
	assert_int_equal(metrics_write(out, m, &t, f, NOW, fmt), 0);
	fclose(out);
	topology_free(&t);
	return buf;
}

/* The line of text that starts with series (name{labels}) + ' ', whole;
 * fails when missing. */
static void
assert_series(const char *text, const char *series, const char *value)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s %s\n", series, value);
	if (strstr(text, want) == NULL)
		fail_msg("no line '%s %s' in:\n%s", series, value, text);
}

/* The exposition format's shape, line by line: comments are HELP or TYPE
 * (TYPE once per family, before its samples), a sample is
 * name{k="v",...} value with a family declared, and no series twice. */
static void
assert_well_formed(const char *text, int openmetrics)
{
	char fam[64][96], series[512][256];
	size_t nfam = 0, nser = 0, i;
	const char *p = text, *nl;

	while (*p != '\0') {
		char line[1024], name[96];
		size_t n, k;

		nl = strchr(p, '\n');
		assert_non_null(nl);	/* every line ends in \n */
		n = (size_t)(nl - p);
		assert_true(n > 0 && n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (strcmp(line, "# EOF") == 0) {
			assert_true(openmetrics);
			assert_int_equal(*p, '\0');
			return;
		}
		if (strncmp(line, "# HELP ", 7) == 0)
			continue;
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_int_equal(sscanf(line + 7, "%95s", name), 1);
			for (i = 0; i < nfam; i++)
				assert_string_not_equal(fam[i], name);
			assert_true(nfam < 64);
			strcpy(fam[nfam++], name);
			continue;
		}
		assert_true(line[0] != '#');
		k = strcspn(line, "{ ");
		assert_true(k > 0 && k < sizeof(name));
		memcpy(name, line, k);
		name[k] = '\0';
		for (i = 0; i < nfam; i++) {
			size_t fl = strlen(fam[i]);

			if (strcmp(fam[i], name) == 0 || (openmetrics &&
			    strncmp(fam[i], name, fl) == 0 &&
			    strcmp(name + fl, "_total") == 0))
				break;
		}
		if (i == nfam)
			fail_msg("sample of no declared family: %s", line);
		/* the series is all before the last space */
		k = (size_t)(strrchr(line, ' ') - line);
		assert_true(k < 256);
		line[k] = '\0';
		for (i = 0; i < nser; i++)
			if (strcmp(series[i], line) == 0)
				fail_msg("series twice: %s", line);
		assert_true(nser < 512);
		strcpy(series[nser++], line);
	}
	assert_false(openmetrics);	/* OpenMetrics ends in # EOF */
}

static void
test_normal(void **state)
{
	struct model m;
	char *t;
	size_t len;
	char *log = slurp("origin-a.maillog.normal.txt", &len);
	char n[16];

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.normal.txt");
	load_log(&m, &m.hosts[2], "relay-c.maillog.normal.txt");
	model_mark_answer(&m, &m.hosts[0], NOW - 7, 1250);
	model_set_status(&m, &m.hosts[0], 1, "/var/log/maillog");
	m.hosts[0].answers_full = 3;
	m.hosts[0].answers_same = 41;
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_probe_answers_total{host=\"origin-a\","
	    "answer=\"full\"}", "3");
	assert_series(t, "relaytop_probe_answers_total{host=\"origin-a\","
	    "answer=\"same\"}", "41");
	assert_non_null(strstr(t, "# TYPE relaytop_deliveries_total counter\n"));
	assert_non_null(strstr(t, "# HELP relaytop_host_up "));
	assert_series(t, "relaytop_host_up{host=\"origin-a\"}", "1");
	assert_series(t, "relaytop_host_up{host=\"relay-c\"}", "0");
	assert_series(t, "relaytop_host_state{host=\"relay-c\",state=\"new\"}",
	    "1");
	assert_series(t, "relaytop_probe_duration_seconds{host=\"origin-a\"}",
	    "1.25");
	assert_series(t, "relaytop_last_answer_age_seconds{host=\"origin-a\"}",
	    "7");
	assert_series(t, "relaytop_postfix_running{host=\"origin-a\"}", "1");
	/* no answer yet: no age, no Postfix state, no queue */
	assert_null(strstr(t, "relaytop_last_answer_age_seconds{host=\"relay-c\"}"));
	assert_null(strstr(t, "relaytop_postfix_running{host=\"relay-c\"}"));
	assert_null(strstr(t, "relaytop_queue_messages{host=\"relay-c\""));
	/* every sent line of A's log went to relay-c (172.16.1.11) */
	snprintf(n, sizeof(n), "%zu", test_count_str(log,
	    "relay=172.16.1.11[172.16.1.11]:25, delay"));
	assert_string_not_equal(n, "0");
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"relay-c\",status=\"sent\"}", n);
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"relay-c\",status=\"deferred\"}", "0");
	assert_series(t, "relaytop_edge_state{from=\"origin-a\",to=\"relay-c\","
	    "kind=\"primary\",state=\"sent\"}", "1");
	assert_series(t, "relaytop_edge_state{from=\"origin-a\",to=\"relay-c\","
	    "kind=\"primary\",state=\"unknown\"}", "0");
	assert_series(t, "relaytop_fallback_carrying_mail{from=\"origin-a\","
	    "to=\"relay-d\"}", "0");
	assert_series(t, "relaytop_host_info{host=\"relay-c\",address="
	    "\"172.16.1.11\",role=\"relay\"}", "1");
	free(t);
	free(log);
	model_free(&m);
}

static void
test_failover(void **state)
{
	struct model m;
	char *t;

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.failover.txt");
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_fallback_carrying_mail{from=\"origin-a\","
	    "to=\"relay-d\"}", "1");
	assert_series(t, "relaytop_edge_state{from=\"origin-a\",to=\"relay-d\","
	    "kind=\"fallback\",state=\"sent\"}", "1");
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"relay-d\",status=\"sent\"}", "1");
	assert_non_null(strstr(t, "\nrelaytop_edge_last_outcome_timestamp_"
	    "seconds{from=\"origin-a\",to=\"relay-d\",kind=\"fallback\"} 17"));
	free(t);
	model_free(&m);
}

static void
test_queue(void **state)
{
	struct queue_summary q;
	struct model m;
	char err[128], *t, *j;
	size_t len;

	(void)state;
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.both-down.txt");
	j = slurp("origin-a.postqueue-j.deferred.txt", &len);
	assert_int_equal(queue_parse_json(j, len, &q, err, sizeof(err)), 0);
	model_set_queue(&m, &m.hosts[0], &q);
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	{
		char n[16], age[32];

		snprintf(n, sizeof(n), "%u", q.count[Q_DEFERRED]);
		assert_true(q.count[Q_DEFERRED] >= 1);
		assert_series(t, "relaytop_queue_messages{host=\"origin-a\","
		    "queue=\"deferred\"}", n);
		snprintf(age, sizeof(age), "%lld",
		    (long long)(NOW - q.oldest[Q_DEFERRED]));
		assert_series(t, "relaytop_queue_oldest_message_age_seconds{"
		    "host=\"origin-a\",queue=\"deferred\"}", age);
		snprintf(n, sizeof(n), "%llu", q.bytes);
		assert_series(t, "relaytop_queue_size_bytes{host=\"origin-a\"}",
		    n);
	}
	assert_series(t, "relaytop_queue_oldest_message_age_seconds{"
	    "host=\"origin-a\",queue=\"maildrop\"}", "0");
	/* both relays refused: the deferrals count under relay "none" */
	assert_non_null(strstr(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"none\",status=\"deferred\"} "));
	assert_series(t, "relaytop_fallback_carrying_mail{from=\"origin-a\","
	    "to=\"relay-d\"}", "0");
	free(t);
	free(j);
	model_free(&m);
}

/* A delivery event to relay NAME[ADDR] with status st at when. */
static void
add_delivery(struct model *m, int host, const char *relay, int st,
    time_t when)
{
	struct mail_event ev;
	const char *br;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.status = (enum mail_status)st;
	ev.when = when;
	ev.relay.p = relay;
	ev.relay.n = strlen(relay);
	if ((br = strchr(relay, '[')) != NULL && strchr(br, ']') != NULL) {
		ev.relay_addr.p = br + 1;
		ev.relay_addr.n = (size_t)(strchr(br, ']') - br - 1);
	}
	ev.qid.p = "ABCDEF123";
	ev.qid.n = 9;
	model_add_event(m, &m->hosts[host], &ev);
}

/* Counters outlive the ring: a ring of 4 events, 10 deliveries counted;
 * they only grow; past RELAY_TALLY_MAX relays the rest go to "(other)". */
static void
test_counters(void **state)
{
	struct model m;
	char *t, name[64];
	int i;

	(void)state;
	seed(&m);
	model_free(&m);
	assert_int_equal(model_init(&m, &inv, 4), 0);
	for (i = 0; i < 10; i++)
		add_delivery(&m, 0, "relay-c.example.jp[172.16.1.11]:25",
		    ST_SENT, NOW - 60 + i);
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"relay-c\",status=\"sent\"}", "10");
	assert_series(t, "relaytop_log_events_total{host=\"origin-a\"}", "10");
	free(t);
	for (i = 0; i < RELAY_TALLY_MAX + 5; i++) {
		snprintf(name, sizeof(name), "mx%d.example[192.0.2.%d]:25", i,
		    i + 1);
		add_delivery(&m, 2, name, ST_DEFERRED, NOW - 30);
	}
	add_delivery(&m, 2, "(other)[192.0.2.200]:25", ST_BOUNCED, NOW - 30);
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"relay-c\",status=\"sent\"}", "10");
	assert_series(t, "relaytop_deliveries_total{host=\"relay-c\","
	    "relay=\"mx0.example\",status=\"deferred\"}", "1");
	/* 16 rows taken by mx0..mx15: mx16..mx20 and the lookalike go on
	 * the overflow row */
	assert_series(t, "relaytop_deliveries_total{host=\"relay-c\","
	    "relay=\"(other)\",status=\"deferred\"}", "5");
	assert_series(t, "relaytop_deliveries_total{host=\"relay-c\","
	    "relay=\"(other)\",status=\"bounced\"}", "1");
	assert_null(strstr(t, "relay=\"mx16.example\""));
	free(t);
	model_free(&m);
}

/* Label values from the hosts are escaped and cut, never raw. */
static void
test_escape(void **state)
{
	struct model m;
	char *t, *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	metrics_label_value(f, "a\"b\\c\nd", 100);
	fclose(f);
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	free(buf);
	/* a cut never splits a UTF-8 sequence: "é" is 2 bytes */
	f = open_memstream(&buf, &len);
	metrics_label_value(f, "ab\xc3\xa9", 3);
	fclose(f);
	assert_string_equal(buf, "ab");
	free(buf);

	seed(&m);
	add_delivery(&m, 0, "ev\"il\\host[192.0.2.9]:25", ST_SENT, NOW - 5);
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_deliveries_total{host=\"origin-a\","
	    "relay=\"ev\\\"il\\\\host\",status=\"sent\"}", "1");
	free(t);
	model_free(&m);
}

/* Findings: one series per rule, severity and first host, counted. */
static void
test_findings(void **state)
{
	struct finding v[3];
	struct findings f = { v, 3 };
	struct model m;
	char *t;

	(void)state;
	memset(v, 0, sizeof(v));
	strcpy(v[0].id, "open-relay");
	v[0].sev = SEV_CRITICAL;
	v[0].hosts[0] = 2;
	v[0].nhosts = 1;
	v[1] = v[0];
	v[2] = v[0];
	strcpy(v[2].id, "origin-refused");
	v[2].sev = SEV_WARNING;
	v[2].hosts[0] = 0;
	seed(&m);
	t = text_of(&m, &f, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_doctor_findings{rule=\"open-relay\","
	    "severity=\"critical\",host=\"relay-c\"}", "2");
	assert_series(t, "relaytop_doctor_findings{rule=\"origin-refused\","
	    "severity=\"warning\",host=\"origin-a\"}", "1");
	free(t);
	model_free(&m);
}

/* --shard: relay-c in another shard is a peer; A's edge to it keeps the
 * name, and relay-c has no series of its own. */
static void
test_shard_peer(void **state)
{
	struct inventory si;
	struct model m;
	char err[200], *t;

	(void)state;
	assert_int_equal(config_load_string("[origin-a]\naddress = "
	    "172.16.10.5\n[relay-c]\naddress = 172.16.1.11\n[relay-d]\n"
	    "address = 172.16.1.12\n", "t.ini", &si, err, sizeof(err)), 0);
	/* move relay-c out by hand: which shard it hashes to is shard.c's */
	si.peers = calloc(1, sizeof(*si.peers));
	assert_non_null(si.peers);
	si.peers[0] = si.hosts[1];
	si.npeers = 1;
	si.hosts[1] = si.hosts[2];
	si.n = 2;
	si.shard_k = 1;
	si.shard_n = 2;
	assert_int_equal(model_init(&m, &si, 0), 0);
	load_settings(&m, &m.hosts[0], "origin-a.postconf-params.txt");
	load_log(&m, &m.hosts[0], "origin-a.maillog.normal.txt");
	t = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(t, 0);
	assert_series(t, "relaytop_edge_state{from=\"origin-a\",to=\"relay-c\","
	    "kind=\"primary\",state=\"sent\"}", "1");
	assert_series(t, "relaytop_shard_info{shard=\"1\",shards=\"2\"}", "1");
	assert_series(t, "relaytop_hosts", "2");
	assert_null(strstr(t, "host=\"relay-c\""));
	free(t);
	model_free(&m);
	config_free(&si);
}

/* A fallback list naming one relay twice makes two edges with the same
 * labels: the series is written once (a scrape refuses duplicates). */
static void
test_dup_edges(void **state)
{
	static const char pc[] = "relayhost = [172.16.1.11]\n"
	    "smtp_fallback_relay = [172.16.1.12], [172.16.1.12]:25\n";
	struct pc_settings ps = { NULL, 0 };
	struct topology t = { NULL, 0 };
	struct model m;
	char err[128], *txt;
	size_t i, n = 0;

	(void)state;
	seed(&m);
	assert_true(postconf_parse(pc, sizeof(pc) - 1, &ps, err,
	    sizeof(err)) > 0);
	model_set_settings(&m, &m.hosts[1], &ps);
	postconf_free(&ps);
	assert_int_equal(topology_build(&m, &t), 0);
	for (i = 0; i < t.n; i++)
		if (t.v[i].from == 1 && t.v[i].kind == EDGE_FALLBACK)
			n++;
	topology_free(&t);
	assert_int_equal(n, 2);		/* the input has the duplicate */
	txt = text_of(&m, NULL, METRICS_PROMETHEUS);
	assert_well_formed(txt, 0);
	assert_series(txt, "relaytop_fallback_carrying_mail{from=\"origin-b\","
	    "to=\"relay-d\"}", "0");
	free(txt);
	model_free(&m);
}

static void
test_openmetrics(void **state)
{
	struct model m;
	char *t;

	(void)state;
	assert_int_equal(metrics_format_for(NULL), METRICS_PROMETHEUS);
	assert_int_equal(metrics_format_for("text/plain;version=0.0.4;q=0.3,"
	    "*/*;q=0.1"), METRICS_PROMETHEUS);
	assert_int_equal(metrics_format_for("application/openmetrics-text;"
	    "version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
	    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"), METRICS_OPENMETRICS);
	assert_non_null(strstr(metrics_content_type(METRICS_OPENMETRICS),
	    "application/openmetrics-text; version=1.0.0"));
	seed(&m);
	load_log(&m, &m.hosts[0], "origin-a.maillog.failover.txt");
	t = text_of(&m, NULL, METRICS_OPENMETRICS);
	assert_well_formed(t, 1);
	assert_non_null(strstr(t, "# TYPE relaytop_deliveries counter\n"));
	assert_non_null(strstr(t, "\nrelaytop_deliveries_total{"));
	free(t);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_shard_peer),
		cmocka_unit_test(test_dup_edges),
		cmocka_unit_test(test_openmetrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
