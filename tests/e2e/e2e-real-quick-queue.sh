#!/bin/bash
# e2e-real-quick-queue: a timed queue reading between full runs costs the
# host postqueue alone. relaytop --serve watches origin-a only, refresh = 1
# and queue_interval = 2, so the queue is read every 1.5-2 s and a full run
# (a stat of the files and more) comes every 5-10 s (PROBE_FULL_MS); the
# resident shell, finding nothing changed, answers "same" with the queue.
# Its programs are counted by strace over 10 s: more postqueue runs than
# stat runs (each reading that was a full run would bring its stat), and,
# the queue being empty, no awk and no cat (the empty summary is the
# shell's); every request it read is the short form (nothing but the token
# and the two flags changed). Then a mail deferred on origin-a (both relays stopped, retries
# an hour away, so the log goes quiet): the same again, each reading now
# summed up by the awk (with cat giving it the line the shell read), and
# the deferred message in relaytop_queue_messages.
# Restores: relay-c and relay-d started, origin-a's queue emptied and its
# backoff settings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/queue-lib.sh"
t_begin real-quick-queue
cd "$REPO"

port=9473
tmp=$(mktemp -d /tmp/e2e-quickq.XXXXXX)
chmod 755 "$tmp"
t_cleanup "rm -rf '$tmp'"
awk '/^\[/ { keep = ($0 == "[defaults]" || $0 == "[origin-a]") } keep' \
    assets/lab/hosts.ini |
    sed -e 's/^refresh = .*/refresh = 1/' -e '/^\[defaults\]/a queue_interval = 2' >"$tmp/hosts.ini"
grep -q '^refresh = 1$' "$tmp/hosts.ini" && grep -q '^\[origin-a\]$' "$tmp/hosts.ini" ||
    t_fail "could not make the one-host inventory"
[[ -z $(qj a) ]] || t_fail "origin-a's queue is not empty at the start: $(qj a | head -c 300)"

serve_bg "$tmp/hosts.ini"
same() { val 'relaytop_probe_answers_total{host="origin-a",answer="same"}'; }
deferred() { val 'relaytop_queue_messages{host="origin-a",queue="deferred"}'; }
# quick N: until origin-a has answered "same" N more times (nothing else
# changes now: the quick check holds)
quick() {
    local s0 i
    scrape; s0=$(same)
    for ((i = 0; i < 300; i++)); do
        scrape
        (($(same) >= s0 + $1)) && return 0
        sleep 0.1
    done
    t_fail "origin-a: not $1 more \"same\" answers in 30 s (have $(same)); relaytop: $(tail -c 300 "$tmp/relaytop.err")"
}
# traced SECONDS: origin-a's resident shells traced (every program they
# start, and their reads) for SECONDS; sets P to exec_counts' lines
P=
traced() {
    local pids st i secs=$1
    pids=$(lab_residents a)
    [[ -n $pids ]] || t_fail "origin-a: no resident probe shell (relaytop-probe -r) found"
    : >"$tmp/trace"
    # shellcheck disable=SC2086 # $pids: -p PID words
    strace -f -qq -e trace=execve,read -e signal=none -s 8 -o "$tmp/trace" $pids 2>/dev/null &
    st=$!
    # shellcheck disable=SC2086
    set -- $pids
    for ((i = 0; i < 50; i++)); do	# attached: a tracer on the first
        grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$2/status" 2>/dev/null && break
        sleep 0.05
    done
    sleep "$secs"
    kill "$st" 2>/dev/null || true
    wait "$st" 2>/dev/null || true
    P=$(exec_counts "$tmp/trace")
}

# readings WHAT: from P, the postqueue runs (pq): at least 3 in 10 s, and
# more of them than of stat (st), the mark of a full run
pq= st=
readings() {
    pq=$(exec_count "$P" postqueue) st=$(exec_count "$P" stat)
    t_note "$1, 10 s: $(tr '\n' ' ' <<<"$P")"
    ((pq >= 3)) || t_fail "$1: $pq postqueue runs in 10 s with queue_interval = 2 (execs: $P)"
    ((pq > st)) || t_fail "$1: $pq postqueue runs and $st stat runs: the timed readings were full runs (execs: $P)"
}

# requests: the request lines the shells read on fd 0 in the trace (a
# byte a read; the /proc/PID/status lines read through fd 0 left out)
requests() {
    awk '/ read\(0, ".*", 1\) *= 1$/ {
            c = $0; sub(/^[^"]*"/, "", c); sub(/", 1\) *= 1$/, "", c)
            if (c == "\\n") { if (l ~ /\|\.$/) print l; l = ""; next }
            l = l c }' "$tmp/trace"
}

# 1. the empty queue
quick 3
traced 10
readings "empty queue"
# nothing changed but the token and the two flags: every request in the
# short form, "TOKEN|=|QW|QK|."
R=$(requests)
n=$(grep -c . <<<"$R" || true)
t_note "empty queue: $n requests traced, all of $(awk '{ print length($0) + 1 }' <<<"$R" | sort -u | tr '\n' ' ')bytes"
((n >= 5)) || t_fail "$n requests traced in 10 s with refresh = 1: $R"
grep -Evq '^[0-9a-f]{32}\|=\|[01]\|[01]\|\.$' <<<"$R" && t_fail "malformed short requests: $R"
assert_eq "$(exec_count "$P" awk)" 0 "awk runs with the queue empty (execs: $P)"
assert_eq "$(exec_count "$P" cat)" 0 "cat runs with the queue empty (execs: $P)"
scrape
assert_match "$M" '^relaytop_queue_messages\{host="origin-a",queue="deferred"\} 0$' "no empty deferred queue for origin-a in /metrics"

# 2. one deferred mail, the log quiet again
t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario postfix-start c'
t_cleanup 'scenario purge a >/dev/null'
scenario postfix-stop c
scenario postfix-stop d
slow_retries a
send_mail a relaytest@example.jp "quickq-$$@dest.example" >/dev/null
wait_deferred a 1
quick 3
traced 10
readings "one deferred"
assert_eq "$(exec_count "$P" awk)" "$pq" "one deferred: awk runs, one a reading (execs: $P)"
assert_eq "$(exec_count "$P" cat)" "$pq" "one deferred: cat runs, one a reading (execs: $P)"
scrape
assert_eq "$(deferred)" 1 "origin-a's deferred queue in /metrics"
san_check "$tmp/relaytop.err" "relaytop --serve" || t_fail "sanitizer report"
t_ok
