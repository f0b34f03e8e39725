#!/bin/bash
# tests/bench/bench-queue-view.sh - the console's queue view over a big
# queue: runs the bench-queue-view driver (real core + console objects, see
# bench-queue-view.c) RUNS times: time per scrolling key at 80x24 over
# QV_MESSAGES messages (target < 20 ms), one filter keystroke, a sort.
# Env: QV_MESSAGES (100000), QV_HOSTS (4), KEYS (200), RUNS (3),
# QV_SCREEN (80x24). Needs no lab and no root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
QV_MESSAGES=${QV_MESSAGES:-100000}
QV_HOSTS=${QV_HOSTS:-4}
KEYS=${KEYS:-200}
RUNS=${RUNS:-3}
QV_SCREEN=${QV_SCREEN:-80x24}
SEC="queue view"
driver_ready bench-queue-view "$TOP"/build/ui/*.o
key=() keymax=() keycpu=() first=() filt=() sortk=() shape=() rss=()
for ((r = 0; r < RUNS; r++)); do
	# shellcheck disable=SC2034 # read by kv (lib.sh)
	out=$("$BUILD_BENCH/bench-queue-view" "$QV_MESSAGES" "$QV_HOSTS" "$KEYS" "$QV_SCREEN")
	[[ $(kv messages) == "$QV_MESSAGES" ]] || { note "bench-queue-view: $out"; exit 1; }
	# scrolling must neither sort nor filter again: one of each (first draw)
	[[ $(kv scroll_sorts) == 1 && $(kv scroll_filters) == 1 ]] ||
	    { note "scrolling sorted $(kv scroll_sorts) / filtered $(kv scroll_filters) times"; exit 1; }
	key+=("$(kv scroll_key_median_ms)"); keymax+=("$(kv scroll_key_max_ms)")
	keycpu+=("$(kv scroll_key_max_cpu_ms)")
	first+=("$(kv first_draw_ms)"); filt+=("$(kv filter_keystroke_mean_ms)")
	sortk+=("$(kv sort_key_mean_ms)"); shape+=("$(kv qshape_first_ms)")
	rss+=("$(kv maxrss_total_kb)")
done
CMD="build/bench/bench-queue-view $QV_MESSAGES $QV_HOSTS $KEYS $QV_SCREEN"
emit "$SEC" "scroll key -> redrawn screen, $QV_MESSAGES messages (target < 20)" "$(median "${key[@]}")" ms \
    "median over $KEYS keys (j k PgDn PgUp g G), median of $RUNS runs; worst key per run ${keymax[*]} ms wall, ${keycpu[*]} ms CPU (the rest: a loaded machine's preemptions); $QV_SCREEN to /dev/null" "$CMD"
emit "$SEC" "first draw (index built: every message sorted)" "$(median "${first[@]}")" ms "runs ${first[*]}" "$CMD"
emit "$SEC" "one filter keystroke (all messages matched again)" "$(median "${filt[@]}")" ms "runs ${filt[*]}" "$CMD"
emit "$SEC" "sort key (s: all messages sorted again)" "$(median "${sortk[@]}")" ms "runs ${sortk[*]}" "$CMD"
emit "$SEC" "qshape sub-view, first draw (Tab)" "$(median "${shape[@]}")" ms "runs ${shape[*]}" "$CMD"
emit "$SEC" "max RSS with $QV_MESSAGES messages listed and drawn" "$(median "${rss[@]}")" KiB "runs ${rss[*]}" "$CMD"
