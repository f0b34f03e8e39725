#!/bin/bash
# e2e-action-host-down: with sshd stopped on relay D, `--flush relay-d` gives
# up within the short unreachable grace, says why, exits 1 and logs it; a
# test mail from A still goes through C meanwhile (exit 0).
. "$(dirname "$0")/lib.sh"
t_begin action-host-down

st=$(mktemp -d)
rt() { lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" "$@"; }
t_cleanup "rm -rf '$st'"
t_cleanup 'scenario sshd-start d'
scenario sshd-stop d
start=$SECONDS
set +e
out=$(rt --flush relay-d 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 1 "flush exit status"
((SECONDS - start < 25)) || t_fail "gave up only after $((SECONDS - start)) s"
assert_match "$out" "^relay-d: flush failed: not connected: .*Connection refused"
assert_match "$(cat "$st/relaytop/actions.log")" " relay-d flush postqueue -f: not connected: .*Connection refused"
set +e
out=$(rt --test-send origin-a --timeout 30 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 0 "test-send exit status"
assert_match "$out" "delivered: origin-a -> relay-c -> 172\.16\.30\.25"
t_ok
