#!/bin/bash
# e2e-action-all: `--test-send all` and `--flush all` say how many hosts
# they touch and, without --yes and without a terminal, refuse (exit 2) and
# send nothing; `--test-send all --yes --json` sends one traced mail from
# every origin (A and B, found by role) and none from the relays; both
# delivered through C, each with its own token and queue ids; exit 0.
. "$(dirname "$0")/lib.sh"
t_begin action-all

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
n_sent() { lab_exec "$1" grep -c 'message-id=<relaytop-' /var/log/maillog || true; }
a0=$(n_sent a) b0=$(n_sent b)
for args in "--test-send all --timeout 30" "--flush all"; do
    rc=0
    out=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
        $args </dev/null 2>&1) || rc=$?
    echo "$out"
    assert_eq "$rc" 2 "exit status of $args without --yes or a terminal"
    assert_match "$out" "not run: stdin is not a terminal; give --yes to confirm"
done
assert_match "$out" "--flush all: runs postqueue -f on 4 hosts: origin-a origin-b relay-c relay-d"
[[ ! -e $st/relaytop/actions.log ]] || t_fail "refused, but the action log has: $(cat "$st/relaytop/actions.log")"
sleep 1
assert_eq "$(n_sent a)" "$a0" "test mails on A without --yes"
assert_eq "$(n_sent b)" "$b0" "test mails on B without --yes"

set +e
js=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --test-send all --timeout 30 --json --yes 2>"$st/err")
rc=$?
assert_match "$(cat "$st/err")" "--test-send all: sends a test mail from 2 hosts \(every origin\): origin-a origin-b"
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
