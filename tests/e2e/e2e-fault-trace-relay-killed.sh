#!/bin/bash
# e2e-fault-trace-relay-killed: relay-d's Postfix is stopped and relay-c
# holds its outgoing mail (defer_transports = smtp: the mail stays in C's
# queue long enough), then `--test-send origin-a` runs and relay-c's
# Postfix is killed (postfix stop) right after origin-a handed it the test
# mail: the trace does not claim delivery (exit 1) and shows the message
# waiting on relay-c with C's queue id (checked against the maillogs).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-trace-relay-killed
tmp_ini; d=$T_DIR
ALOG=/run/relaytop-lab/$LAB/a/log/maillog

t_cleanup "scenario postfix-start d >/dev/null; scenario postfix-start c >/dev/null; scenario purge a >/dev/null; scenario purge c >/dev/null"
scenario postfix-stop d >/dev/null
t_cleanup "scenario param-restore c defer_transports >/dev/null"
scenario param c 'defer_transports = smtp' >/dev/null
n0=$(grep -ac 'message-id=<relaytop-' "$ALOG" || true)
lab_console "$RT" --hosts "$LAB_INI" --test-send origin-a --to probe@dest.example --timeout 25 \
    >"$d/out" 2>&1 &
tpid=$!
t_cleanup "kill $tpid 2>/dev/null || true"
for ((i = 0; i < 80; i++)); do
    (($(grep -ac 'message-id=<relaytop-' "$ALOG" || true) > n0)) && break
    sleep 0.25
done
(($(grep -ac 'message-id=<relaytop-' "$ALOG" || true) > n0)) || t_fail "the test mail never reached A"
tok=$(grep -aoE 'message-id=<relaytop-[0-9]+-[0-9a-f]{16}@relaytop>' "$ALOG" | tail -n1 | sed -E 's/message-id=<(.*)@relaytop>/\1/')
id_a=$(log_queue_id a "message-id=<$tok@relaytop>" 5) || t_fail "token not in A's log"
line=$(wait_log a "$id_a: to=<probe@dest\.example>, relay=172\.16\.1\.11.*status=sent" 20) || t_fail "A never handed it to C"
id_c=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
lab_exec c postfix stop >/dev/null 2>&1
rc=0
wait "$tpid" || rc=$?
out=$(cat "$d/out")
echo "$out"
assert_eq "$rc" 1 "exit status: not delivered"
assert_match "$out" "^test mail $tok from origin-a"
assert_no_match "$out" 'delivered: origin-a'
assert_match "$out" "hop 1  origin-a  queue id $id_a"
assert_match "$out" "hop 2  relay-c  queue id $id_c"
assert_match "$out" '^  deferred at hop 2 \(relay-c\)'
t_ok
