#!/bin/bash
# e2e-action-failover: with Postfix stopped on relay C, the traced test mail
# goes A -> D (smtp_fallback_relay): relaytop names D as the fallback, shows
# the refused connection to C, follows D's queue id and exits 0.
. "$(dirname "$0")/lib.sh"
t_begin action-failover

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
t_cleanup 'scenario postfix-start c'
scenario postfix-stop c
set +e
out=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send origin-a --timeout 30 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 0 "exit status"
# --to left out: [defaults] test_to = probe@dest.example
tok=$(sed -nE 's/^test mail (relaytop-[0-9]+-[0-9a-f]{16}) from origin-a to <probe@dest\.example>: delivered.*/\1/p' <<<"$out")
[[ -n $tok ]] || t_fail "no delivered headline"
assert_match "$out" "tried: connect to 172\.16\.1\.11\[172\.16\.1\.11\]:25: Connection refused"
assert_match "$out" "-> relay-d \(172\.16\.1\.12\[172\.16\.1\.12\]:25, fallback\)  sent  dsn 2\.0\.0 .*queued as [0-9A-Za-z]+\$"
id_d=$(sed -nE 's/.*, fallback\).*queued as ([0-9A-Za-z]+)$/\1/p' <<<"$out")
wait_log d "$id_d: message-id=<$tok@relaytop>" 5 >/dev/null || t_fail "D's queue id $id_d does not carry the token"
assert_match "$out" "hop 2  relay-d  queue id $id_d "
assert_match "$out" "delivered via fallback: origin-a -> relay-d -> 172\.16\.30\.25"
t_ok
