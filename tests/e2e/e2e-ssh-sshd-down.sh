#!/bin/bash
# e2e-ssh-sshd-down: sshd stopped on relay-d -> relay-d is "unreachable"
# with "Connection refused" (not a timeout) while the other three hosts
# answer, exit 1; with sshd back, all four answer. (The lab inventory with a
# roomier timeout, so a busy machine does not fail the answering hosts.)
. "$(dirname "$0")/lib.sh"
t_begin ssh-sshd-down
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-down.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"
HOSTS=$tmp/hosts.ini
sed 's/^timeout = .*/timeout = 10/' "$REPO/assets/lab/hosts.ini" >"$HOSTS"

scenario sshd-stop d >/dev/null
t_cleanup "scenario sshd-start d >/dev/null"
rc=0
out=$(lab_console "$RT" --hosts "$HOSTS" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "exit status with relay-d down"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +unreachable '
for h in origin-a origin-b relay-c; do
    assert_match "$out" "^$h +[a-z]+ +[0-9.]+ +up " "$h should answer"
done
assert_match "$out" 'relay-d: unreachable: relay-d \(172\.16\.1\.12:22\): Connection refused'

scenario sshd-start d >/dev/null
out=$(lab_console "$RT" --hosts "$HOSTS" --once 2>&1) || t_fail "after sshd-start: $out"
assert_match "$out" 'hosts 4 +answered 4'
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +up '
t_ok
