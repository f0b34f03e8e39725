#!/bin/bash
# e2e-action-flush: both relays down, the traced test mail waits in A's
# deferred queue (relaytop exits 1, "deferred"); relays back, `relaytop
# --flush origin-a` delivers it now (A's retry timers are set long so only
# the flush can): queue 1 before, 0 after, and the logs show the token's
# mail through C to the destination.
. "$(dirname "$0")/lib.sh"
t_begin action-flush

st=$(mktemp -d)
rt() { lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" "$@"; }
t_cleanup "rm -rf '$st'"
t_cleanup 'scenario purge a'
t_cleanup 'scenario postfix-start c; scenario postfix-start d'
# A's retry timers, long for the test and back as they were afterwards
timers="minimal_backoff_time maximal_backoff_time queue_run_delay"
old=$(lab_exec a postconf $timers | tr -d ' ' | tr '\n' ' ')
[[ $old =~ ^(minimal_backoff_time=[0-9a-z]+ maximal_backoff_time=[0-9a-z]+ queue_run_delay=[0-9a-z]+ )$ ]] ||
    t_fail "unexpected timers: $old"
t_cleanup "lab_exec a postconf -e $old && lab_exec a postfix reload"
lab_exec a postconf -e minimal_backoff_time=600s maximal_backoff_time=600s queue_run_delay=600s
lab_exec a postfix reload
scenario postfix-stop c
scenario postfix-stop d
set +e
out=$(rt --test-send origin-a --timeout 10 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 1 "test-send exit status"
assert_match "$out" "deferred at hop 1 \(origin-a\): .*Connection refused"
tok=$(sed -nE 's/^test mail (relaytop-[0-9]+-[0-9a-f]{16}) .*/\1/p' <<<"$out")
[[ -n $tok ]] || t_fail "no token"
assert_match "$(lab_exec a postqueue -j)" '"queue_name": "deferred"'
scenario postfix-start c
scenario postfix-start d
set +e
fl=$(rt --flush origin-a --timeout 20 2>&1)
rc=$?
set -e
echo "$fl"
assert_eq "$rc" 0 "flush exit status"
assert_match "$fl" "^origin-a: flushed; queue before: 1 \(active 0, deferred 1, .*; after: 0 "
id_c=$(log_queue_id c "message-id=<$tok@relaytop>" 10) || t_fail "the flushed mail did not reach C"
wait_log c "$id_c: to=<probe@dest\.example>, relay=[^ ]*\[172\.16\.30\.25\]:25, .*status=sent" 10 >/dev/null ||
    t_fail "C did not deliver $id_c"
assert_eq "$(lab_exec a postqueue -j | wc -l)" 0 "A's queue after the flush"
assert_match "$(cat "$st/relaytop/actions.log")" "origin-a flush postqueue -f: done"
t_ok
