#!/bin/bash
# e2e-ssh-sshd-down: sshd stopped on relay-d -> relay-d is "unreachable"
# with "Connection refused" at once (no waiting for a timeout) while the
# other three hosts answer, exit 1; with sshd back, all four answer.
. "$(dirname "$0")/lib.sh"
t_begin ssh-sshd-down
RT=$REPO/relaytop
HOSTS=$REPO/assets/lab/hosts.ini

scenario sshd-stop d >/dev/null
t_cleanup "scenario sshd-start d >/dev/null"
start=$SECONDS
rc=0
out=$(lab_console "$RT" --hosts "$HOSTS" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "exit status with relay-d down"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +unreachable '
for h in origin-a origin-b relay-c; do
    assert_match "$out" "^$h +[a-z]+ +[0-9.]+ +up " "$h should answer"
done
assert_match "$out" 'relay-d: unreachable: relay-d \(172\.16\.1\.12:22\): Connection refused'
((SECONDS - start < 5)) || t_fail "a refused host held --once for $((SECONDS - start)) s"

scenario sshd-start d >/dev/null
out=$(lab_console "$RT" --hosts "$HOSTS" --once 2>&1) || t_fail "after sshd-start: $out"
assert_match "$out" 'hosts 4 +answered 4'
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +up '
t_ok
