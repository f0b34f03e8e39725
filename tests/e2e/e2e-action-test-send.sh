#!/bin/bash
# e2e-action-test-send: `relaytop --test-send origin-a` on the normal chain:
# the mail goes A -> C -> destination, relaytop names both hops with their
# real queue ids (checked against the maillogs) and exits 0; the action log
# records the send and its outcome.
. "$(dirname "$0")/lib.sh"
# RELAYTOP: the binary under test (default: the tree's ./relaytop)
t_begin action-test-send

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
set +e
out=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send origin-a --to probe@dest.example --timeout 30 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 0 "exit status"
tok=$(sed -nE 's/^test mail (relaytop-[0-9]+-[0-9a-f]{16}) from origin-a to <probe@dest\.example>: delivered.*/\1/p' <<<"$out")
[[ -n $tok ]] || t_fail "no delivered headline"
# the queue ids relaytop printed are the ones in the logs
id_a=$(log_queue_id a "message-id=<$tok@relaytop>" 5) || t_fail "token not in A's log"
assert_match "$out" "hop 1  origin-a  queue id $id_a\$"
line=$(wait_log a "$id_a: to=<probe@dest\.example>, relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent" 5) ||
    t_fail "A's delivery line"
id_c=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
assert_match "$out" "-> relay-c \(172\.16\.1\.11\[172\.16\.1\.11\]:25, primary\)  sent  dsn 2\.0\.0 .* queued as $id_c\$"
assert_match "$out" "hop 2  relay-c  queue id $id_c  from [^ ]*\[172\.16\.10\.5\]"
wait_log c "$id_c: to=<probe@dest\.example>, relay=[^ ]*\[172\.16\.30\.25\]:25, .*status=sent" 5 >/dev/null ||
    t_fail "C's delivery line"
assert_match "$out" "-> 172\.16\.30\.25\[172\.16\.30\.25\]:25 \(outside the inventory\)  sent"
assert_match "$out" "delivered: origin-a -> relay-c -> 172\.16\.30\.25"
log=$(cat "$st/relaytop/actions.log")
echo "$log"
assert_match "$log" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z origin-a test-send to=probe@dest\.example token=$tok: submitted\$"
assert_match "$log" "origin-a test-send to=probe@dest\.example token=$tok: delivered"
assert_eq "$(stat -c %a "$st/relaytop/actions.log")" 600 "action log mode"
assert_eq "$(stat -c %a "$st/relaytop")" 700 "action log dir mode"
t_ok
