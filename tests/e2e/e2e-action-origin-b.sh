#!/bin/bash
# e2e-action-origin-b: a test mail from origin B, with --json: the hops as
# JSON (B -> C primary -> destination outside), delivered, exit 0.
. "$(dirname "$0")/lib.sh"
t_begin action-origin-b

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
set +e
js=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send origin-b --to probe@dest.example --timeout 30 --json)
rc=$?
set -e
echo "$js"
assert_eq "$rc" 0 "exit status"
q() { jq -r "$1" <<<"$js" || t_fail "not JSON: $js"; }
assert_eq "$(q 'length')" 1 "traces"
assert_eq "$(q '.[0].origin')" origin-b
assert_eq "$(q '.[0].state')" delivered
assert_eq "$(q '.[0].delivered')" true
assert_eq "$(q '.[0].hops | length')" 2 "hops"
assert_eq "$(q '.[0].hops[0].host')" origin-b
assert_eq "$(q '.[0].hops[0].next_host')" relay-c
assert_eq "$(q '.[0].hops[0].route')" primary
assert_eq "$(q '.[0].hops[0].status')" sent
assert_eq "$(q '.[0].hops[1].host')" relay-c
assert_eq "$(q '.[0].hops[1].queue_id')" "$(q '.[0].hops[0].queued_as')" "hop 2's queue id"
assert_eq "$(q '.[0].hops[1].next_host')" null
assert_eq "$(q '.[0].hops[1].relay_addr')" 172.16.30.25
tok=$(q '.[0].token')
id_b=$(log_queue_id b "message-id=<$tok@relaytop>" 5) || t_fail "token not in B's log"
assert_eq "$(q '.[0].hops[0].queue_id')" "$id_b" "B's queue id"
wait_log c "$(q '.[0].hops[1].queue_id'): client=[^ ]*\[172\.16\.10\.6\]" 5 >/dev/null || t_fail "C's client line"
t_ok
