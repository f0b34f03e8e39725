#!/bin/bash
# tests/bench/bench-queue-ops.sh - `relaytop --queue` on a big deferred queue
# on the bench fleet's one Postfix (host h1, over SSH from the console):
# time to the first line of the list against `postqueue -p | tail -n 1` on
# the host, relaytop's peak RSS listing a 2-message and a QOPS_SIZE-message
# queue (the list streams: it should not grow), and `--delete --match` of
# half of them (re-read, batches of 1000 ids through the pinned sudo line,
# the action log) against `postqueue -j | jq | postsuper -d -` run by hand
# on the host. The queue is made as bench-queue.sh makes it (queue-clone.py:
# copies of a real deferred message under fresh ids), from two templates:
# half from bulk@example.jp (deleted), half from keep@example.jp.
# Env: QOPS_SIZE (100000), RUNS (3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
QOPS_SIZE=${QOPS_SIZE:-100000}
RUNS=${RUNS:-3}
FL=$BENCH_DIR/fleet-lab
S=/run/relaytop-lab/${BENCH:-rtbench}
SEC="queue operations"
RT=$TOP/relaytop
half=$((QOPS_SIZE / 2))
pf() { "$FL" pf "$@"; }
pf_ms() { pf bash -c 's=$(date +%s%N); sh -c "$0" >/dev/null 2>&1; echo $((($(date +%s%N) - s) / 1000000))' "$1"; }
sed -n '1,/^role/p' "$S/con/bench.ini" >"$S/con/one.ini"	# [defaults] + h1
st=$(mktemp -d /tmp/rtbench-qops.XXXXXX)
trap 'rm -rf "$st"' EXIT
# rt ARGS: relaytop on h1 from the console namespace, its own action log
rt() { "$FL" con env XDG_STATE_HOME="$st" "$RT" --hosts "$S/con/one.ini" "$@"; }

pf postsuper -d ALL >/dev/null 2>&1 || true
pf postconf -e 'queue_run_delay = 3600s' >/dev/null
# template SENDER: sends one message from SENDER, prints its deferred
# queue id once Postfix deferred it (its defer log written)
template() {
	local id i
	pf sh -c "printf 'Subject: relaytop bench queue ops\n\nbench\n' | sendmail -f $1 big@dest.example"
	for ((i = 0; i < 100; i++)); do
		id=$(pf sh -c "postqueue -j | grep '\"queue_name\": \"deferred\".*\"sender\": \"$1\"' | head -n 1 | sed 's/.*\"queue_id\": \"\\([0-9A-F]*\\)\".*/\\1/'")
		[[ -n $id ]] && pf test -f "/var/spool/postfix/defer/${id:0:1}/$id" && { echo "$id"; return 0; }
		sleep 0.3
	done
	note "no deferred message from $1"
	return 1
}
tk=$(template keep@example.jp)
tb=$(template bulk@example.jp)
rss_small=$(maxrss_kb "$FL" con env XDG_STATE_HOME="$st" "$RT" --hosts "$S/con/one.ini" --queue h1)
# count SENDER: messages from SENDER in the queue
count() { pf sh -c "postqueue -j | grep -c '\"sender\": \"$1\"'" || true; }
# fill: half the queue from each sender (a deleted bulk template is sent
# again: the clones are copies of its queue file)
fill() {
	local nb nk
	nb=$(count bulk@example.jp) nk=$(count keep@example.jp)
	if ((nb == 0)); then tb=$(template bulk@example.jp); nb=1; fi
	((nb < half)) && pf python3 "$BENCH_DIR/queue-clone.py" /var/spool/postfix "$tb" $((half - nb))
	((nk < half)) && pf python3 "$BENCH_DIR/queue-clone.py" /var/spool/postfix "$tk" $((half - nk))
	return 0
}
t0=$(now_ms)
fill
n=$(pf sh -c 'postqueue -j | wc -l')
note "queue: $n messages in $(($(now_ms) - t0)) ms"

v=(); for ((r = 0; r < RUNS; r++)); do
	v+=("$("$FL" con bash -c 's=$(date +%s%N); "$@" | { IFS= read -r _; echo $((($(date +%s%N) - s) / 1000000)); cat >/dev/null; }' \
	    _ env XDG_STATE_HOME="$st" "$RT" --hosts "$S/con/one.ini" --queue h1)")
done
emit "$SEC" "relaytop --queue: first line, queue $n" "$(median "${v[@]}")" ms \
    "median of $RUNS; runs ${v[*]}; includes the SSH login" \
    "relaytop --hosts one.ini --queue h1 | (time to the first line)"
v=(); for ((r = 0; r < RUNS; r++)); do v+=("$(pf_ms 'postqueue -p | tail -n 1')"); done
emit "$SEC" "postqueue -p | tail -n 1, queue $n" "$(median "${v[@]}")" ms "median of $RUNS; runs ${v[*]}" \
    "postqueue -p | tail -n 1  (as root on the host, timed inside its namespace)"
v=(); for ((r = 0; r < RUNS; r++)); do v+=("$(time_ms rt --queue h1)"); done
emit "$SEC" "relaytop --queue: whole list, queue $n" "$(median "${v[@]}")" ms \
    "median of $RUNS; runs ${v[*]}; $(rt --queue h1 | wc -l) lines" "relaytop --hosts one.ini --queue h1 >/dev/null"
rss_big=$(maxrss_kb "$FL" con env XDG_STATE_HOME="$st" "$RT" --hosts "$S/con/one.ini" --queue h1)
emit "$SEC" "relaytop --queue max RSS, queue 2" "$rss_small" KiB "/usr/bin/time -v" "relaytop --hosts one.ini --queue h1 (2 messages)"
emit "$SEC" "relaytop --queue max RSS, queue $n" "$rss_big" KiB "/usr/bin/time -v" "relaytop --hosts one.ini --queue h1"

# --delete --match of half: relaytop, then the hand pipeline on a refilled queue
v=(); w=(); for ((r = 0; r < RUNS; r++)); do
	fill
	v+=("$(time_ms rt --queue h1 --match from:bulk@example.jp --delete --yes)")
	left=$(count bulk@example.jp)
	[[ $left == 0 ]] || note "relaytop --delete left $left bulk messages"
	fill
	w+=("$(pf_ms "postqueue -j | jq -r 'select(.sender == \"bulk@example.jp\") | .queue_id' | postsuper -d -")")
done
emit "$SEC" "relaytop --queue --match --delete of $half of $n" "$(median "${v[@]}")" ms \
    "median of $RUNS; runs ${v[*]}; list, confirm (--yes), re-read, $(((half + 999) / 1000)) batches of 1000 with 200 ms pauses" \
    "relaytop --hosts one.ini --queue h1 --match from:bulk@example.jp --delete --yes"
emit "$SEC" "postqueue -j | jq | postsuper -d - of $half of $n" "$(median "${w[@]}")" ms \
    "median of $RUNS; runs ${w[*]}" \
    "postqueue -j | jq -r 'select(.sender == \"bulk@example.jp\") | .queue_id' | postsuper -d -  (as root on the host)"
emit "$SEC" "relaytop --delete vs the hand pipeline" "$(ratio "$(median "${v[@]}")" "$(median "${w[@]}")" 2)" x "" ""
pf postsuper -d ALL >/dev/null 2>&1 || true
