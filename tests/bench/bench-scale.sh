#!/bin/bash
# tests/bench/bench-scale.sh N - the scale targets on a running bench fleet
# of N hosts (tests/bench/fleet-lab up N; `make bench` runs it with
# N_SCALE=500), twice: the fleet and the client sharing both CPUs, and the
# fleet pinned to CPU 0 (every process of its namespaces, with taskset -a;
# children inherit it) with the client on CPU 1, so the client's own cost
# shows apart from the hosts'. Each mode:
#   first snapshot: relaytop --once against parallel-ssh -p 100 (same probe
#     as bench-fleet.sh), run in turn A B A B (SCALE_RUNS pairs): medians
#     and the median of the pair-by-pair ratios (target <= 0.4);
#   steady refresh: bench-refresh, sessions open (target < 1 s);
#   RSS: relaytop --once's peak RSS (/usr/bin/time -v), its ring 500 events
#     a host (target < 100 MiB);
#   /metrics: relaytop --serve with refresh = 1 (always refreshing), 30
#     scrapes by curl, time_total median and max (target < 50 ms).
# SCALE_PARTS (once refresh rss serve) and SCALE_MODES (shared pinned)
# choose what runs: at 500 hosts on the 2-core box a mode takes ~15 min.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${1:?usage: bench-scale.sh N}
PAIRS=${SCALE_RUNS:-2}
# the parts each mode runs, and the modes (shared, pinned)
PARTS=${SCALE_PARTS:-once refresh rss serve}
MODES=${SCALE_MODES:-shared pinned}
has() { [[ " $2 " == *" $1 "* ]]; }
# the first snapshot's yardstick must be there: without it every ratio is
# against a run of nothing (tests/bench/run installs it; this script alone
# does not)
if has once "$PARTS" && ! command -v parallel-ssh >/dev/null; then
	echo "bench-scale: parallel-ssh not found (apt-get install pssh, or run tests/bench/run)" >&2
	exit 2
fi
# steady refreshes timed (tests/bench/run: SCALE_REFRESHES, 300): at 500
# hosts the first ~70 are lighter than the steady state (see below)
K=${REFRESHES:-5}
FL=$BENCH_DIR/fleet-lab
S=/run/relaytop-lab/${BENCH:-rtbench}
C=$S/con
LIST="myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory"
PROBE="PATH=/usr/sbin:/usr/bin:/bin; postconf -x $LIST; postqueue -j; sudo -n tail -n 100 /var/log/maillog"
OUT=/tmp/${BENCH:-rtbench}-scale
rm -rf "$OUT"; mkdir -p "$OUT"
driver_ready bench-refresh
con() { "$FL" con "$@"; }
# the machine's load average (1, 5, 15 min) beside each figure: on a shared
# box the fleet's hosts and other work are in the wall times
ld() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

# fleet_cpus LIST: every process (every thread) in the bench fleet's
# namespaces on LIST; their children inherit it. One pass (fleet-lab pids),
# one process: a taskset a process took minutes at 500 hosts.
fleet_cpus() {
	"$FL" pids | python3 -c 'import os, sys
cpus = {int(c) for c in sys.argv[1].split(",")}
for p in sys.stdin.read().split():
    try:
        tids = os.listdir("/proc/%s/task" % p)
    except OSError:
        continue
    for t in tids:
        try:
            os.sched_setaffinity(int(t), cpus)
        except OSError:
            pass' "$1"
}

# serve_ms PIN: "MEDIAN MAX" ms of 30 /metrics scrapes while refreshing
serve_ms() {
	local pid t i
	sed 's/^refresh = 3600$/refresh = 1/' "$C/bench.ini" >"$C/bench-r1.ini"
	# not through con(): $! must be relaytop itself (fleet-lab and ip
	# netns exec exec it), or the kill below misses it and it goes on
	# refreshing 500 hosts through the next mode's figures
	# shellcheck disable=SC2086 # $1: the pin command's words, or none
	"$FL" con $1 "$TOP/relaytop" --hosts "$C/bench-r1.ini" --serve 127.0.0.1:9418 >"$OUT/serve.log" 2>&1 &
	pid=$!
	# until every host answered once (or 300 s)
	for ((i = 0; i < 300; i++)); do
		sleep 1
		t=$(con curl -s --max-time 10 http://127.0.0.1:9418/metrics 2>/dev/null |
		    grep -c '^relaytop_host_up{.*} 1$' || true)
		((t >= N)) && break
	done
	# plain and gzip (as Prometheus asks) in turn
	: >"$OUT/scrape.txt"; : >"$OUT/scrape-gz.txt"
	for ((i = 0; i < 30; i++)); do
		con curl -s --max-time 10 -o /dev/null -w '%{time_total}\n' http://127.0.0.1:9418/metrics >>"$OUT/scrape.txt" || true
		sleep 0.3
		con curl -s --compressed --max-time 10 -o /dev/null -w '%{time_total}\n' http://127.0.0.1:9418/metrics >>"$OUT/scrape-gz.txt" || true
		sleep 0.3
	done
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
	awk '{ print int($1 * 1000 + 0.5) }' "$OUT/scrape.txt" | sort -n >"$OUT/scrape-ms.txt"
	awk '{ print int($1 * 1000 + 0.5) }' "$OUT/scrape-gz.txt" | sort -n >"$OUT/scrape-gz-ms.txt"
	# shellcheck disable=SC2046 # one number a line
	echo "$(median $(cat "$OUT/scrape-ms.txt")) $(tail -n 1 "$OUT/scrape-ms.txt") $(median $(cat "$OUT/scrape-gz-ms.txt")) $(tail -n 1 "$OUT/scrape-gz-ms.txt")"
}

mode() {	# mode LABEL FLEET_CPUS CLIENT_PIN
	local sec="scale N=$N, $1" pin=$3 r a b ca cb ma mb ra=() rb=() rr=() lp=() t rss m l0
	local rc=() cpa=() cpb=() mpa=() mpb=()
	fleet_cpus "$2"
	for ((r = 0; r < PAIRS; r++)); do
		has once "$PARTS" || break
		l0=$(ld)
		t=$(cpu_split "$FL" con $pin "$TOP/relaytop" --hosts "$C/bench.ini" --once) ||
		    note "relaytop --once: not every host answered (run $r)"
		read -r a ca ma <<<"$t"
		rm -rf "$OUT/pssh"
		t=$(cpu_split "$FL" con $pin parallel-ssh -h "$C/hosts.txt" -p 100 -t 600 -o "$OUT/pssh" \
		    -x "-F $C/ssh_config" "$PROBE") || note "parallel-ssh run $r reported failures"
		read -r b cb mb <<<"$t"
		ra+=("$a"); rb+=("$b"); rr+=("$(ratio "$a" "$b" 3)")
		rc+=("$(ratio "$ca" "$cb" 3)"); cpa+=("$ca"); cpb+=("$cb"); mpa+=("$ma"); mpb+=("$mb")
		lp+=("pair $r: $l0 before, $(ld) after")
	done
	ok=$(grep -l '^mail_version' "$OUT"/pssh/* 2>/dev/null | wc -l || true)
	if has once "$PARTS" && ((ok == 0)); then
		echo "bench-scale: $sec: no parallel-ssh output had the probe's answer: no ratio" >&2
		exit 1
	fi
	has once "$PARTS" && emit "$sec" "relaytop first snapshot (--once)" "$(median "${ra[@]}")" ms "median of $PAIRS; runs ${ra[*]}" \
	    "tests/bench/fleet-lab con $pin ./relaytop --hosts \$STATE/con/bench.ini --once"
	has once "$PARTS" && emit "$sec" "parallel-ssh -p 100 (same probe)" "$(median "${rb[@]}")" ms "median of $PAIRS, run in turn with relaytop; $ok/$N outputs; runs ${rb[*]}" \
	    "tests/bench/fleet-lab con $pin parallel-ssh -h hosts.txt -p 100 -t 600 -o OUT -x '-F ssh_config' '$PROBE'"
	has once "$PARTS" && emit "$sec" "ratio relaytop first snapshot / parallel-ssh -p 100 (target <= 0.4)" "$(median "${rr[@]}")" x "median of the pair-by-pair ratios ${rr[*]}; ${lp[*]}" "(derived)"
	# the client's own CPU apart from the hosts' (relaytop; parallel-ssh
	# with its ssh clients), and the whole machine's busy CPU in the runs
	has once "$PARTS" && emit "$sec" "client CPU, first snapshot: relaytop / parallel-ssh -p 100 and its ssh clients" "$(median "${rc[@]}")" x \
	    "median of the pair-by-pair ratios ${rc[*]}; relaytop ${cpa[*]} ms, parallel-ssh ${cpb[*]} ms (user + system, /usr/bin/time); whole machine busy: relaytop runs ${mpa[*]} ms, parallel-ssh runs ${mpb[*]} ms" "(derived)"
	if has refresh "$PARTS"; then
	l0=$(ld)
	con $pin "$BUILD_BENCH/bench-refresh" "$C/bench.ini" "$K" >"$OUT/refresh.txt" ||
	    { cat "$OUT/refresh.txt" >&2; note "bench-refresh failed"; return 1; }
	emit "$sec" "relaytop steady refresh (target < 1000)" "$(sed -n 's/^refresh_median_ms=//p' "$OUT/refresh.txt")" ms \
	    "median of $K consecutive full refreshes; $(sed -n 's/^answered=//p' "$OUT/refresh.txt")/$N up; runs $(sed -n 's/^refresh_ms=//p' "$OUT/refresh.txt"); hosts answering \"same\" in each $(sed -n 's/^refresh_same=//p' "$OUT/refresh.txt"); queue reads in each $(sed -n 's/^refresh_queue_reads=//p' "$OUT/refresh.txt"); client CPU $(sed -n 's/^driver_cpu_ms_per_refresh=//p' "$OUT/refresh.txt") ms a refresh; $l0 before, $(ld) after" \
	    "tests/bench/fleet-lab con $pin build/bench/bench-refresh \$STATE/con/bench.ini $K"
	# the steady state: the first third left out (the first queue
	# readings come late, held by the first snapshot's slow queue step,
	# so the first refreshes are lighter than the steady ones)
	if ((K >= 30)); then
		local runs steady
		IFS=, read -r -a runs <<<"$(sed -n 's/^refresh_ms=//p' "$OUT/refresh.txt")"
		steady=("${runs[@]:$((K / 3))}")
		emit "$sec" "relaytop steady refresh past the first third (target < 1000)" "$(median "${steady[@]}")" ms \
		    "median of refreshes $((K / 3 + 1))-$K of $K; max $(printf '%s\n' "${steady[@]}" | sort -n | tail -n 1) ms" \
		    "(derived)"
	fi
	fi
	if has rss "$PARTS"; then
	l0=$(ld)
	rss=$(maxrss_kb "$FL" con $pin "$TOP/relaytop" --hosts "$C/bench.ini" --once)
	emit "$sec" "relaytop peak RSS, first snapshot, 500 events a host (target < 102400)" "$rss" KiB \
	    "/usr/bin/time -v maximum resident set size; $l0 before, $(ld) after" "/usr/bin/time -v tests/bench/fleet-lab con $pin ./relaytop --hosts \$STATE/con/bench.ini --once"
	fi
	has serve "$PARTS" || return 0
	read -r m t mg tg <<<"$(serve_ms "$pin")"
	emit "$sec" "/metrics scrape while refreshing (target < 50)" "$m" ms \
	    "median of 30 curl time_total, max $t ms; refresh = 1 s, $N hosts; $(ld) after" \
	    "relaytop --hosts bench-r1.ini --serve 127.0.0.1:9418 & curl -w '%{time_total}' http://127.0.0.1:9418/metrics"
	emit "$sec" "/metrics scrape while refreshing, gzip as Prometheus asks (target < 50)" "$mg" ms \
	    "median of 30 curl --compressed time_total (between the plain ones), max $tg ms" \
	    "curl --compressed -w '%{time_total}' http://127.0.0.1:9418/metrics"
}

if has shared "$MODES"; then mode "shared CPUs" 0,1 ""; fi
if has pinned "$MODES"; then mode "fleet on CPU 0, client on CPU 1" 0 "taskset -c 1"; fi
fleet_cpus 0,1
