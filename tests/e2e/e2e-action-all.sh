#!/bin/bash
# e2e-action-all: `--test-send all --json` sends one traced mail from every
# origin (A and B, found by role) and none from the relays; both delivered
# through C, each with its own token and queue ids; exit 0.
. "$(dirname "$0")/lib.sh"
t_begin action-all

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
set +e
js=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send all --timeout 30 --json)
rc=$?
set -e
echo "$js"
assert_eq "$rc" 0 "exit status"
q() { jq -r "$1" <<<"$js" || t_fail "not JSON: $js"; }
assert_eq "$(q '[.[].origin] | sort | join(",")')" "origin-a,origin-b" "origins"
assert_eq "$(q '[.[] | select(.state == "delivered" and .delivered)] | length')" 2 "delivered"
assert_eq "$(q '[.[].token] | unique | length')" 2 "distinct tokens"
assert_eq "$(q '[.[].hops[1].host] | unique | join(",")')" relay-c "second hops"
for i in 0 1; do
    o=$(q ".[$i].origin")
    h=$( [[ $o == origin-a ]] && echo a || echo b )
    id=$(log_queue_id "$h" "message-id=<$(q ".[$i].token")@relaytop>" 5) || t_fail "token not in $o's log"
    assert_eq "$(q ".[$i].hops[0].queue_id")" "$id" "$o's queue id"
done
t_ok
