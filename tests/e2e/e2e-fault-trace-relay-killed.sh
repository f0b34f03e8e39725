#!/bin/bash
# e2e-fault-trace-relay-killed: relay-c's onward delivery is held (inside
# relay-c only, nftables drops its TCP/25 to dest, and smtp_connect_timeout
# = 15s), so after origin-a hands a test mail to relay-c, relay-c logs no
# outcome for 15 s. Two runs of `--test-send origin-a`:
#   control: relay-c left alone logs "deferred (... timed out)" and the trace
#            says "deferred at hop 2 (relay-c)" with C's queue id;
#   kill:    every Postfix process of relay-c is killed (SIGKILL) right after
#            origin-a's status=sent, checked to be before relay-c logged an
#            outcome: the mail stays in C's queue on disk, C's log never gets
#            an outcome, and the trace says hop 2 has "no delivery yet" and
#            ends "timeout ...: handed to relay-c (queue id ...)", not
#            deferred, not delivered (exit 1).
# Queue ids are checked against the maillogs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-trace-relay-killed
tmp_ini; d=$T_DIR
ALOG=/run/relaytop-lab/$LAB/a/log/maillog
CLOG=/run/relaytop-lab/$LAB/c/log/maillog
HOLD=relaytop_lab_e2e_hold	# relaytop_lab_*: `scenario reset` drops it too

t_cleanup "lab_exec c nft delete table inet $HOLD 2>/dev/null || true"
lab_exec c nft -f - <<NFT
table inet $HOLD {
    chain output {
        type filter hook output priority 0; policy accept;
        ip daddr 172.16.30.25 tcp dport 25 drop
    }
}
NFT
t_cleanup "scenario param-restore c smtp_connect_timeout >/dev/null"
scenario param c 'smtp_connect_timeout = 15s' >/dev/null
t_cleanup "scenario postfix-start c >/dev/null; scenario purge c >/dev/null"

# c_outcome ID: relay-c's delivery outcome lines for queue id ID
c_outcome() { grep -aE "postfix/[a-z]+\[[0-9]+\]: $1: to=<[^>]*>.*status=" "$CLOG" || true; }
# kill_c: SIGKILL to every Postfix process of relay-c, by pid
kill_c() {
    local p pids=()
    for p in $(host_pids c); do
        [[ $(readlink "/proc/$p/exe" 2>/dev/null) == /usr/lib/postfix/sbin/* ]] && pids+=("$p")
    done
    ((${#pids[@]})) || t_fail "no Postfix process found on relay-c"
    kill -9 "${pids[@]}" 2>/dev/null || true
    echo "killed relay-c's Postfix: ${#pids[@]} processes"
}

# send TIMEOUT KILL: one --test-send origin-a; sets OUT RC TOK ID_A ID_C
send() {
    local n0 i line tpid
    n0=$(grep -ac 'message-id=<relaytop-' "$ALOG" || true)
    lab_console "$RT" --hosts "$LAB_INI" --test-send origin-a --to probe@dest.example \
        --timeout "$1" >"$d/out" 2>&1 &
    tpid=$!
    t_cleanup "kill $tpid 2>/dev/null || true"
    for ((i = 0; i < 160; i++)); do
        (($(grep -ac 'message-id=<relaytop-' "$ALOG" || true) > n0)) && break
        sleep 0.25
    done
    (($(grep -ac 'message-id=<relaytop-' "$ALOG" || true) > n0)) || t_fail "the test mail never reached A"
    TOK=$(grep -aoE 'message-id=<relaytop-[0-9]+-[0-9a-f]{16}@relaytop>' "$ALOG" | tail -n1 | sed -E 's/message-id=<(.*)@relaytop>/\1/' || true)
    ID_A=$(log_queue_id a "message-id=<$TOK@relaytop>" 5) || t_fail "token not in A's log"
    # polled here at 0.1 s: the kill follows A's status=sent at once
    for ((i = 0; i < 300; i++)); do
        line=$(grep -aE "$ID_A: to=<probe@dest\.example>, relay=172\.16\.1\.11.*status=sent .*queued as [0-9A-Za-z]+" "$ALOG" | head -n1 || true)
        [[ -n $line ]] && break
        sleep 0.1
    done
    [[ -n $line ]] || t_fail "A never handed $ID_A to C"
    ID_C=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
    if (($2)); then
        # the precondition: relay-c has the mail and has logged no outcome
        [[ -z $(c_outcome "$ID_C") ]] || t_fail "relay-c logged an outcome before the kill: $(c_outcome "$ID_C")"
        kill_c
        [[ -z $(c_outcome "$ID_C") ]] || t_fail "relay-c logged an outcome before the kill took: $(c_outcome "$ID_C")"
    fi
    RC=0
    wait "$tpid" || RC=$?
    OUT=$(cat "$d/out")
    echo "$OUT"
}

echo "--- control: relay-c alive"
send 35 0
assert_eq "$RC" 1 "control: exit status (deferred, not delivered)"
assert_match "$(c_outcome "$ID_C")" "status=deferred \(connect to 172\.16\.30\.25\[172\.16\.30\.25\]:25: Connection timed out\)" "control: relay-c's log"
assert_match "$OUT" "^test mail $TOK from origin-a to <probe@dest\.example>: deferred "
assert_match "$OUT" "hop 1  origin-a  queue id $ID_A"
assert_match "$OUT" "hop 2  relay-c  queue id $ID_C"
assert_match "$OUT" '^  deferred at hop 2 \(relay-c\): .*timed out'
assert_no_match "$OUT" 'no delivery yet'
scenario purge c >/dev/null

echo "--- kill: relay-c's Postfix killed after A's status=sent"
send 20 1
assert_eq "$RC" 1 "kill: exit status (not delivered)"
assert_eq "$(c_outcome "$ID_C")" "" "kill: relay-c logged an outcome"
assert_match "$(lab_exec c find /var/spool/postfix -name "$ID_C")" "/$ID_C\$" "kill: $ID_C not in relay-c's queue"
assert_match "$OUT" "^test mail $TOK from origin-a to <probe@dest\.example>: timeout "
assert_match "$OUT" "hop 1  origin-a  queue id $ID_A"
assert_match "$(grep -A1 -E "hop 2  relay-c  queue id $ID_C" <<<"$OUT")" '\(no delivery yet\)' "kill: hop 2"
assert_match "$OUT" "^  timeout after 20 s: handed to relay-c \(queue id $ID_C\); waiting for its log"
assert_no_match "$OUT" 'deferred at hop|delivered'
t_ok
