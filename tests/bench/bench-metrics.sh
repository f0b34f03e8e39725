#!/bin/bash
# tests/bench/bench-metrics.sh - what a /metrics scrape costs at scale, no
# fleet: runs the bench-metrics driver (real core, probe answers fed through
# probe_feed, see bench-metrics.c) RUNS times: the answers of a refresh
# landing together, topology + doctor after a model change, the body; then
# the real server (serve-http.c on 127.0.0.1, a port from 20000 up) scraped
# by a child while every host answers once a second (BENCH_SERVE=1); and
# a loop turn's own cost at METRICS_HOSTS sessions on the loopback
# (BENCH_TURNS=1, see bench-metrics-turns.c); once more with the
# scrapes 1.5 s apart (SCRAPE_GAP_MS), each finding a body rendered ahead;
# the body gzipped (levels 1, 6, 9: size, CPU of one compression), and the
# server scraped with "Accept-Encoding: gzip" as Prometheus does
# (SCRAPE_GZIP=1), 20 ms and 1.5 s apart.
# Env: METRICS_HOSTS (500), METRICS_EVENTS (500 a host), SCRAPES (30), RUNS (3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
METRICS_HOSTS=${METRICS_HOSTS:-500}
METRICS_EVENTS=${METRICS_EVENTS:-500}
SCRAPES=${SCRAPES:-30}
RUNS=${RUNS:-3}
SEC="metrics at scale"
driver_ready bench-metrics
first=() steady=() derive=() body=() scrape=() bytes=() wall=() wmax=() scpu=() turns=() tpieces=() tloop=()
gzb=() gzcpu=() gz6=() gz9=() reply=()
for ((r = 0; r < RUNS; r++)); do
	# shellcheck disable=SC2034 # read by kv (lib.sh)
	out=$(BENCH_SERVE=1 BENCH_TURNS=1 "$BUILD_BENCH/bench-metrics" "$METRICS_HOSTS" "$METRICS_EVENTS" "$SCRAPES")
	first+=("$(kv first_answers_cpu_ms)"); steady+=("$(kv steady_answers_cpu_ms)")
	derive+=("$(kv derive_median_cpu_ms)"); body+=("$(kv render_median_cpu_ms)")
	scrape+=("$(kv scrape_changed_median_cpu_ms)"); bytes+=("$(kv body_bytes)")
	read -r a b <<<"$(kv serve_wall_median_max_ms)"; wall+=("$a"); wmax+=("$b")
	scpu+=("$(kv serve_cpu_per_scrape_ms)"); turns+=("$(kv serve_loop_turns)")
	tpieces+=("$(awk -F= '/^turn_fleet_tick/ { s += 2 * $2; next } /^turn_(fleet|instances)/ { s += $2 } END { print s }' <<<"$out")")
	tloop+=("$(kv turn_loop_cpu_us)")
	gzb+=("$(kv gzip_bytes)"); gzcpu+=("$(kv gzip_median_cpu_ms)"); reply+=("$(kv serve_reply_bytes)")
	gz6+=("$(kv gzip_l6_bytes)/$(kv gzip_l6_median_cpu_ms)"); gz9+=("$(kv gzip_l9_bytes)/$(kv gzip_l9_median_cpu_ms)")
done
# a scraper that keeps an interval past SERVE_BODY_MS, as Prometheus does:
# each scrape needs a new body, rendered ahead by the loop (one run)
# shellcheck disable=SC2034 # read by kv (lib.sh)
out=$(SCRAPE_GAP_MS=1500 BENCH_SERVE=1 "$BUILD_BENCH/bench-metrics" "$METRICS_HOSTS" "$METRICS_EVENTS" 10)
read -r gapw gapmax <<<"$(kv serve_wall_median_max_ms)"
# the same two with "Accept-Encoding: gzip" (one run each)
# shellcheck disable=SC2034 # read by kv (lib.sh)
out=$(SCRAPE_GZIP=1 BENCH_SERVE=1 "$BUILD_BENCH/bench-metrics" "$METRICS_HOSTS" "$METRICS_EVENTS" "$SCRAPES")
read -r gzw gzmax <<<"$(kv serve_wall_median_max_ms)"
gzreply=$(kv serve_reply_bytes) gzscpu=$(kv serve_cpu_per_scrape_ms) gzn=$(kv serve_gzips) gzr=$(kv serve_renders)
# shellcheck disable=SC2034 # read by kv (lib.sh)
out=$(SCRAPE_GZIP=1 SCRAPE_GAP_MS=1500 BENCH_SERVE=1 "$BUILD_BENCH/bench-metrics" "$METRICS_HOSTS" "$METRICS_EVENTS" 10)
read -r gzgapw gzgapmax <<<"$(kv serve_wall_median_max_ms)"
gzgapn=$(kv serve_gzips) gzgapr=$(kv serve_renders)
CMD="build/bench/bench-metrics $METRICS_HOSTS $METRICS_EVENTS $SCRAPES"
emit "$SEC" "/metrics after a model change: derive + body, $METRICS_HOSTS hosts x $METRICS_EVENTS events (target < 50)" \
    "$(median "${scrape[@]}")" ms "CPU, median of $SCRAPES scrapes; runs ${scrape[*]}; body ${bytes[0]} bytes" "$CMD"
emit "$SEC" "  of which topology + doctor (watch_derive)" "$(median "${derive[@]}")" ms "runs ${derive[*]}" "$CMD"
emit "$SEC" "  of which the body (metrics_write)" "$(median "${body[@]}")" ms "runs ${body[*]}" "$CMD"
emit "$SEC" "/metrics through the server, every host answering once a second (target < 50)" "$(median "${wall[@]}")" ms \
    "wall, connect to body's end, median of $SCRAPES scrapes; runs ${wall[*]}; worst ${wmax[*]}; server CPU a scrape ${scpu[*]} ms; loop turns ${turns[*]}" "BENCH_SERVE=1 $CMD"
emit "$SEC" "/metrics through the server, scrapes 1.5 s apart (each a new body)" "$gapw" ms \
    "wall, median of 10 scrapes (the first two render on the spot, the loop renders the rest ahead); worst $gapmax" "SCRAPE_GAP_MS=1500 BENCH_SERVE=1 build/bench/bench-metrics $METRICS_HOSTS $METRICS_EVENTS 10"
emit "$SEC" "steady refresh: $METRICS_HOSTS answers (a few lines each) taken in one loop turn" "$(median "${steady[@]}")" ms \
    "CPU of probe_feed for all; runs ${steady[*]}" "$CMD"
emit "$SEC" "first contact: $METRICS_HOSTS answers of $METRICS_EVENTS events taken" "$(median "${first[@]}")" ms \
    "CPU of probe_feed for all (at most 48 land together: FLEET_FIRST_MAX); runs ${first[*]}" "$CMD"
emit "$SEC" "a loop turn's O(hosts) work at $METRICS_HOSTS sessions (fleet_tick x2, fleet_deadline, fleet_pollfds, fleet_step, instances)" "$(median "${tpieces[@]}")" us \
    "CPU; runs ${tpieces[*]}; the whole turn with poll() (48 sockets, 1 ms waits) ${tloop[*]} us" "BENCH_TURNS=1 $CMD"
emit "$SEC" "/metrics body gzipped (zlib level 1, as served), $METRICS_HOSTS hosts" "$(median "${gzb[@]}")" bytes \
    "of a body of ${bytes[0]} bytes; runs ${gzb[*]}; level 6 bytes/CPU ms ${gz6[*]}; level 9 ${gz9[*]}" "$CMD"
emit "$SEC" "  one gzip compression of that body (level 1)" "$(median "${gzcpu[@]}")" ms \
    "CPU, median of 10 a run; runs ${gzcpu[*]}" "$CMD"
emit "$SEC" "/metrics through the server, Accept-Encoding: gzip, every host answering once a second" "$gzw" ms \
    "wall, median of $SCRAPES scrapes 20 ms apart; worst $gzmax; reply $gzreply bytes (plain: ${reply[*]}); server CPU a scrape $gzscpu ms; $gzr renders, $gzn gzips" "SCRAPE_GZIP=1 BENCH_SERVE=1 $CMD"
emit "$SEC" "/metrics through the server, Accept-Encoding: gzip, scrapes 1.5 s apart (each a new body)" "$gzgapw" ms \
    "wall, median of 10 scrapes (the loop renders and gzips ahead from the third); worst $gzgapmax; $gzgapr renders, $gzgapn gzips" "SCRAPE_GZIP=1 SCRAPE_GAP_MS=1500 BENCH_SERVE=1 build/bench/bench-metrics $METRICS_HOSTS $METRICS_EVENTS 10"
