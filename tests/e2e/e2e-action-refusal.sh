#!/bin/bash
# e2e-action-refusal: origin A removed from relay C's mynetworks and relay D
# down: C answers 454 4.7.1 Relay access denied, A keeps the mail deferred.
# relaytop's trace ends at hop 1 saying so, and exits 1.
. "$(dirname "$0")/lib.sh"
t_begin action-refusal

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
t_cleanup 'scenario purge a'
t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario param-restore c mynetworks'
scenario param c 'mynetworks=127.0.0.1, 172.16.10.6'
scenario postfix-stop d
rej='NOQUEUE: reject: RCPT from [^ ]*\[172\.16\.10\.5\]: 454 4\.7\.1 .*Relay access denied'
n0=$(lab_exec c grep -Ec "$rej" /var/log/maillog || true)
start=$SECONDS
set +e
out=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send origin-a --timeout 10 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 1 "exit status"
((SECONDS - start < 45)) || t_fail "took $((SECONDS - start)) s"
assert_match "$out" "^test mail relaytop-[0-9]+-[0-9a-f]{16} from origin-a to <probe@dest\.example>: deferred"
assert_match "$out" "deferred at hop 1 \(origin-a\): .*Relay access denied"
assert_match "$out" "tried: relay-c rejected: 454 4\.7\.1 .*Relay access denied"
assert_no_match "$out" "hop 2"
# the mail stays on A
q=$(lab_exec a postqueue -j)
assert_match "$q" '"queue_name": "deferred"'
n1=$(lab_exec c grep -Ec "$rej" /var/log/maillog || true)
((n1 > n0)) || t_fail "C logged no new refusal"
assert_match "$(cat "$st/relaytop/actions.log")" "origin-a test-send .*: deferred at hop 1"
t_ok
