#!/bin/bash
# tests/bench/bench-model.sh - memory of a big model and key-to-screen time:
# runs the bench-model driver (real core + console objects, see
# bench-model.c) RUNS times on lines of the generated maillog.
# Env: MODEL_HOSTS (200), MODEL_EVENTS (100000), KEYS (200), RUNS (3),
# SCREEN (200x60).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
MODEL_HOSTS=${MODEL_HOSTS:-200}
MODEL_EVENTS=${MODEL_EVENTS:-100000}
KEYS=${KEYS:-200}
RUNS=${RUNS:-3}
SCREEN=${SCREEN:-200x60}
SEC="memory and screen"
src=/tmp/rtbench-log/model-src.q2.log
if [[ ! -s $src ]]; then
	mkdir -p /tmp/rtbench-log
	"$BENCH_DIR/gen-maillog" --bytes 40M --seed 5 >"$src.tmp"; mv "$src.tmp" "$src"
fi
driver_ready bench-model "$TOP"/build/ui/*.o
rss=() key=() keymax=() logk=() chg=() tot=()
for ((r = 0; r < RUNS; r++)); do
	# shellcheck disable=SC2034 # read by kv (lib.sh)
	out=$("$BUILD_BENCH/bench-model" "$src" "$MODEL_HOSTS" "$MODEL_EVENTS" "$KEYS" "$SCREEN")
	[[ $(kv events) == "$MODEL_EVENTS" ]] || { note "bench-model stored $(kv events) events"; exit 1; }
	rss+=("$(kv maxrss_model_kb)"); tot+=("$(kv maxrss_total_kb)")
	key+=("$(kv key_redraw_median_ms)"); keymax+=("$(kv key_redraw_max_ms)")
	logk+=("$(kv log_view_key_mean_ms)"); chg+=("$(kv changed_model_key_mean_ms)")
done
CMD="build/bench/bench-model $src $MODEL_HOSTS $MODEL_EVENTS $KEYS $SCREEN"
emit "$SEC" "max RSS, $MODEL_HOSTS hosts + $MODEL_EVENTS events (target < 51200)" "$(median "${rss[@]}")" KiB \
    "getrusage after model_add_event of every event; runs ${rss[*]}" "$CMD"
emit "$SEC" "max RSS, same + console screen drawn" "$(median "${tot[@]}")" KiB "runs ${tot[*]}" "$CMD"
emit "$SEC" "key -> redrawn screen, main view (target < 20)" "$(median "${key[@]}")" ms \
    "median over $KEYS keys, median of $RUNS runs; worst key per run ${keymax[*]} ms; ${SCREEN} to /dev/null" "$CMD"
emit "$SEC" "key -> redrawn screen after a model change (topology+checks derived again)" "$(median "${chg[@]}")" ms \
    "mean over $KEYS keys; runs ${chg[*]}" "$CMD"
emit "$SEC" "key -> redrawn screen, merged log view of all hosts" "$(median "${logk[@]}")" ms \
    "mean over $KEYS keys; runs ${logk[*]}" "$CMD"
