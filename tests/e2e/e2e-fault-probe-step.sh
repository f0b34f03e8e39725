#!/bin/bash
# e2e-fault-probe-step: a probe that runs out of time says in which step,
# after how long, and when each step began. origin-b's Postfix master and
# daemons are stopped with SIGSTOP (still "running" by its pid file and
# /proc, but postqueue's connection to showq is never served: an idle showq
# would serve it without master, so the postfix user's processes stop
# too), so the probe stalls
# in its queue step: `--once --timeout 4` reports "probe failed: timed out
# in step queue (postqueue) after 4.x s; first byte T s; steps began at
# (s): meta T ... queue T" for origin-b, and the other hosts answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-probe-step
mpid=$(lab_exec b cat /var/spool/postfix/pid/master.pid | tr -d ' ')
[[ $mpid =~ ^[0-9]+$ ]] || t_fail "no master pid on origin-b: $mpid"
pids="$mpid $(host_pids b postfix | tr '\n' ' ')"
t_cleanup "kill -CONT $pids 2>/dev/null || true"
# shellcheck disable=SC2086 # a list of pids
kill -STOP $pids
rc=0
out=$(lab_console timeout 60 "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" \
    --once --timeout 4 2>&1) || rc=$?
echo "$out"
assert_eq "$rc" 1 "exit status with origin-b stalled"
assert_match "$out" 'hosts 4 +answered 3'
line=$(grep -E 'origin-b.*probe failed' <<<"$out" || true)
assert_match "$line" 'probe failed: timed out in step queue \(postqueue\) after [4-9]\.[0-9] s; first byte [0-9.]+ s; steps began at \(s\): meta [0-9.]+ .*queue [0-9.]+$' \
    "origin-b's timeout does not name the queue step with its timings"
t_ok
