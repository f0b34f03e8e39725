#!/bin/bash
# tests/bench/bench-queue.sh - a big deferred queue on the bench fleet's one
# Postfix: relaytop's probe (bench-refresh, one host, session kept open)
# time and bytes per refresh (steady: the queue counted once, read again
# only after log activity; and with queue_interval = 0: read, summed up by
# awk on the host, every refresh) against `postqueue -p | tail -n 1` and
# `qshape deferred` run on the host, at growing queue sizes.
# The queue is built fast: one real message is sent and deferred by Postfix
# (relayhost unreachable), then its queue file and defer log are copied
# under fresh queue ids (queue-clone.py); mtimes lie in the future so qmgr
# leaves them alone. Env: QUEUE_SIZES ("1000 10000 100000"), RUNS (3),
# QREFRESHES (5).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
QUEUE_SIZES=${QUEUE_SIZES:-1000 10000 100000}
RUNS=${RUNS:-3}
QREFRESHES=${QREFRESHES:-5}
FL=$BENCH_DIR/fleet-lab
S=/run/relaytop-lab/${BENCH:-rtbench}
SEC="big queue"
pf() { "$FL" pf "$@"; }
# pf_ms CMD: wall ms of the shell command CMD timed inside the namespace
# (so the nsenter of fleet-lab is not counted).
pf_ms() { pf bash -c 's=$(date +%s%N); sh -c "$0" >/dev/null 2>&1; echo $((($(date +%s%N) - s) / 1000000))' "$1"; }
sed -n '1,/^role/p' "$S/con/bench.ini" >"$S/con/one.ini"	# [defaults] + h1
# the same host with the queue read on every refresh (queue_interval = 0)
sed 's/^refresh = 3600$/refresh = 3600\nqueue_interval = 0/' "$S/con/one.ini" >"$S/con/one-q0.ini"

# One real deferred message as the template.
pf sh -c 'printf "Subject: relaytop bench queue\n\nbench\n" | sendmail -f bench@example.jp big@dest.example'
for ((i = 0; i < 100; i++)); do
	tmpl=$(pf sh -c 'cd /var/spool/postfix && for f in defer/*/*; do [ -f "deferred/${f#defer/}" ] && { echo "${f##*/}"; break; }; done' || true)
	[[ -n $tmpl ]] && break
	sleep 0.3
done
[[ -n $tmpl ]] || { note "no deferred message to clone"; exit 1; }
pf postconf -e 'queue_run_delay = 3600s' >/dev/null

have=0
for q in $QUEUE_SIZES; do
	if ((q > have)); then
		t0=$(now_ms)
		pf python3 "$BENCH_DIR/queue-clone.py" /var/spool/postfix "$tmpl" $((q - have))
		note "queue: +$((q - have)) messages in $(($(now_ms) - t0)) ms"
		have=$q
	fi
	n=$(pf sh -c 'postqueue -j | wc -l')
	con_out=$("$FL" con "$BUILD_BENCH/bench-refresh" "$S/con/one.ini" "$QREFRESHES") ||
	    { note "bench-refresh failed: $con_out"; exit 1; }
	kv() { sed -n "s/^$1=//p" <<<"$con_out"; }
	emit "$SEC" "relaytop probe refresh, queue $n" "$(kv refresh_median_ms)" ms \
	    "median of $QREFRESHES; runs $(kv refresh_ms); model queue count $(kv queue_host0)" \
	    "tests/bench/fleet-lab con build/bench/bench-refresh \$STATE/con/one.ini $QREFRESHES"
	emit "$SEC" "relaytop bytes per refresh, queue $n" "$(kv refresh_bytes_median)" B "console eth0 rx" "(same run)"
	con_out=$("$FL" con "$BUILD_BENCH/bench-refresh" "$S/con/one-q0.ini" "$QREFRESHES") ||
	    { note "bench-refresh (queue_interval = 0) failed: $con_out"; exit 1; }
	emit "$SEC" "relaytop refresh reading the queue (queue_interval = 0), queue $n" "$(kv refresh_median_ms)" ms \
	    "median of $QREFRESHES; runs $(kv refresh_ms); model queue count $(kv queue_host0)" \
	    "tests/bench/fleet-lab con build/bench/bench-refresh \$STATE/con/one-q0.ini $QREFRESHES"
	emit "$SEC" "relaytop bytes per refresh reading the queue, queue $n" "$(kv refresh_bytes_median)" B "console eth0 rx" "(same run)"
	v=(); for ((r = 0; r < RUNS; r++)); do v+=("$(pf_ms 'postqueue -p | tail -n 1')"); done
	emit "$SEC" "postqueue -p | tail -n 1, queue $n" "$(median "${v[@]}")" ms "median of $RUNS; runs ${v[*]}" \
	    "postqueue -p | tail -n 1  (as root on the host, timed inside its namespace)"
	emit "$SEC" "postqueue -p bytes, queue $n" "$(pf sh -c 'postqueue -p | wc -c')" B "" "postqueue -p | wc -c"
	emit "$SEC" "postqueue -j bytes, queue $n" "$(pf sh -c 'postqueue -j | wc -c')" B "what the probe reads remotely" "postqueue -j | wc -c"
	v=(); for ((r = 0; r < RUNS; r++)); do v+=("$(pf_ms 'qshape deferred')"); done
	emit "$SEC" "qshape deferred, queue $n" "$(median "${v[@]}")" ms "median of $RUNS; runs ${v[*]}" \
	    "qshape deferred  (as root on the host, timed inside its namespace)"
done
pf postsuper -d ALL deferred >/dev/null 2>&1 || true
