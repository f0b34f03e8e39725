/* bench-metrics.c: where a /metrics scrape's time goes at scale, without a
 * fleet (no SSH; links build/librelaytop.a): H hosts (a tenth relays, the
 * rest origins with a relayhost and a fallback relay among them) each fed a
 * first-contact probe answer in the format of tests/data/probe/
 * origin-a.first.out with ~E maillog events (deliveries through the relays,
 * connect failures and fallbacks, relays' onward deliveries and refusals),
 * through probe_feed, as when their answers land in one loop turn. Then:
 * a steady refresh's answers (a few new lines a host) for all H together;
 * the scrape's parts: watch_derive (topology + doctor) after a model
 * change, and metrics_write of that model (the body), each timed.
 * METRICS_RELAYS=R: R relays (a tenth by default); METRICS_LOG=FILE:
 * every host's first answer carries FILE's lines instead (the bench fleet's
 * hosts share one maillog: tests/bench/gen-maillog --form maillog_file).
 * BENCH_SERVE=1: the real server scraped by a child meanwhile (and the
 * turns it said it had work no fd would announce: MHD_get_timeout 0),
 * with "Accept-Encoding: gzip" as Prometheus asks when SCRAPE_GZIP=1;
 * the body gzipped (serve_gzip) at levels 1, 6 and 9: size and CPU;
 * BENCH_TURNS=1: a loop turn's own cost at HOSTS sessions.
 * Usage: bench-metrics HOSTS EVENTS SCRAPES [BODY-FILE [NOW]] (key=value
 * lines out; BODY-FILE gets the last body, NOW (Unix time) fixes the clock
 * of the generated log and the scrape, so two builds can be compared).
 * This file is the run's order; its parts (bench-metrics.h): the hosts'
 * answers in bench-metrics-gen.c, the body in bench-metrics-body.c, the
 * modes in bench-metrics-serve.c and bench-metrics-turns.c. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-metrics.h"
#include "bench-time.h"
#include "config.h"
#include "model.h"
#include "probe.h"
#include "watch.h"

int
main(int argc, char **argv)
{
	struct inventory inv;
	struct watch *w;
	struct model *m;
	struct probe **pr;
	struct buf log = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	uint64_t *off;
	char err[256], *text, *logf = NULL;
	double t, tmax = 0, tsum = 0, *v;
	time_t now = time(NULL);
	size_t len = 0, ev = 0, i;
	unsigned k = 0;
	int hosts, events, scrapes, s;

	if (argc < 4 || (hosts = atoi(argv[1])) < 2 ||
	    (events = atoi(argv[2])) < 1 || (scrapes = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: bench-metrics HOSTS EVENTS SCRAPES\n");
		return 2;
	}
	if (argc > 5)
		now = (time_t)atoll(argv[5]);
	bm_nrelays = hosts / 10 > 1 ? hosts / 10 : 1;
	if (getenv("METRICS_RELAYS") != NULL &&
	    (bm_nrelays = atoi(getenv("METRICS_RELAYS"))) < 1)
		bm_nrelays = 1;
	if (getenv("METRICS_LOG") != NULL &&
	    (logf = bm_slurp(getenv("METRICS_LOG"))) == NULL)
		return 2;
	if ((text = bm_inventory_text(hosts)) == NULL ||
	    config_load_string(text, "bench", &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-metrics: setup: %s\n", err);
		return 2;
	}
	if ((w = watch_new(&inv, 1, 0)) == NULL)
		return 2;
	m = watch_model(w);
	pr = calloc((size_t)hosts, sizeof(*pr));
	off = calloc((size_t)hosts, sizeof(*off));
	v = calloc((size_t)(scrapes > hosts ? scrapes : hosts), sizeof(*v));
	if (pr == NULL || off == NULL || v == NULL)
		return 2;
	/* 1. every host's first answer, in one go */
	for (s = 0; s < hosts; s++) {
		if ((pr[s] = probe_new(m, &m->hosts[s])) == NULL)
			return 2;
		log.len = 0;
		if (logf != NULL)
			bm_put(&log, "%s", logf);
		else
			bm_log_lines(&log, s, events + events / 5, now, &k);
		bm_answer(&ans, s, log.s, log.len, &off[s], 1);
		t = bm_feed(pr[s], &ans);
		tsum += t;
		if (t > tmax)
			tmax = t;
	}
	for (i = 0; i < m->n; i++) {
		ev += m->hosts[i].events.count;
		if (m->hosts[i].conn != HC_UP || m->hosts[i].problems != 0) {
			fprintf(stderr, "bench-metrics: h%zu: %s %s\n", i + 1,
			    host_conn_name(m->hosts[i].conn),
			    m->hosts[i].problem_msg);
			return 1;
		}
	}
	printf("hosts=%d\nrelays=%d\nevents_per_host=%zu\n"
	    "first_answers_cpu_ms=%.1f\nfirst_answer_max_cpu_ms=%.2f\n",
	    hosts, bm_nrelays, ev / m->n, tsum, tmax);
	/* 2. a steady refresh: every host's answer with a few new lines, all
	 * landing in one loop turn */
	tsum = tmax = 0;
	for (s = 0; s < hosts; s++) {
		log.len = 0;
		bm_message(&log, s, now, k++);
		bm_answer(&ans, s, log.s, log.len, &off[s], 0);
		t = bm_feed(pr[s], &ans);
		tsum += t;
		if (t > tmax)
			tmax = t;
	}
	printf("steady_answers_cpu_ms=%.1f\nsteady_answer_max_cpu_ms=%.3f\n",
	    tsum, tmax);
	/* 3. a scrape after a change: derive (topology + doctor), render */
	for (s = 0; s < scrapes; s++) {
		m->generation++;
		t = cpu_ms();
		if (watch_derive(w, now) != 0)
			return 2;
		v[s] = cpu_ms() - t;
	}
	printf("edges=%zu\nfindings=%zu\nderive_median_cpu_ms=%.2f\n",
	    watch_topology(w)->n, watch_findings(w)->n, bm_median(v, scrapes));
	bm_finding_ids(watch_findings(w));
	for (s = 0; s < scrapes; s++)
		v[s] = bm_render(w, now, &len);
	printf("render_median_cpu_ms=%.2f\nbody_bytes=%zu\n",
	    bm_median(v, scrapes), len);
	/* 4. the whole scrape as reply_metrics does it, model changed */
	for (s = 0; s < scrapes; s++) {
		m->generation++;
		t = cpu_ms();
		watch_derive(w, now);
		bm_render(w, now, &len);
		v[s] = cpu_ms() - t;
	}
	printf("scrape_changed_median_cpu_ms=%.2f\n", bm_median(v, scrapes));
	/* 4b. that body gzipped, as a gzip scrape has it */
	if (bm_gzip_bench(w, now, scrapes < 10 ? scrapes : 10) != 0)
		return 2;
	if (argc > 4 && bm_dump(w, now, argv[4]) != 0)
		return 2;
	/* 5. the same through the server, the model changing all along */
	if (getenv("BENCH_SERVE") != NULL &&
	    bm_serve_bench(w, pr, off, hosts, scrapes, &k) != 0)
		return 2;
	/* 6. a loop turn's own cost, apart (BENCH_TURNS) */
	if (getenv("BENCH_TURNS") != NULL && bm_turns_bench(hosts) != 0)
		return 2;
	for (s = 0; s < hosts; s++)
		probe_free(pr[s]);
	free(pr);
	free(off);
	free(v);
	free(log.s);
	free(ans.s);
	free(text);
	free(logf);
	watch_free(w);
	config_free(&inv);
	return 0;
}
