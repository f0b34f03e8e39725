#!/bin/bash
# e2e-action-read-only: --read-only, and [defaults] read_only = yes, refuse
# both actions with a clear message and a non-zero exit; no mail is sent and
# no queue is flushed; and `--check --read-only` runs no port-25 test (no
# connection from the origins reaches relay-c's smtpd): each hop is
# reported as not run because of read-only (port25-not-run, info).
. "$(dirname "$0")/lib.sh"
t_begin action-read-only

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
sed 's/^\[defaults\]$/[defaults]\nread_only = yes/' "$REPO/assets/lab/hosts.ini" >"$st/ro.ini"
grep -q '^read_only = yes$' "$st/ro.ini" || t_fail "could not make the read-only inventory"
before=$(lab_exec a grep -c 'message-id=<relaytop-' /var/log/maillog || true)
rt() {
    local rc=0 out
    out=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" "$@" 2>&1) || rc=$?
    echo "$out"
    ((rc != 0)) || t_fail "exit 0 for: $*"
    assert_match "$out" "read-only: actions are disabled"
}
rt --hosts "$REPO/assets/lab/hosts.ini" --read-only --test-send origin-a --to probe@dest.example
rt --hosts "$REPO/assets/lab/hosts.ini" --read-only --flush origin-a
rt --hosts "$st/ro.ini" --test-send origin-a --to probe@dest.example
rt --hosts "$st/ro.ini" --flush all
log=$(cat "$st/relaytop/actions.log")
echo "$log"
assert_eq "$(grep -c ': read-only: actions are disabled$' <<<"$log")" 4 "refusals in the action log"
assert_match "$log" " origin-a test-send to=probe@dest\.example: read-only"
assert_match "$log" " origin-a flush postqueue -f: read-only"
sleep 1
after=$(lab_exec a grep -c 'message-id=<relaytop-' /var/log/maillog || true)
assert_eq "$after" "$before" "test mails on A"

conns() { lab_exec c grep -cE 'smtpd\[[0-9]+\]: connect from [^ ]*\[172\.16\.10\.[56]\]' /var/log/maillog || true; }
c0=$(conns)
rc=0
js=$(lab_console env XDG_STATE_HOME="$st" "${RELAYTOP:-$REPO/relaytop}" --hosts "$REPO/assets/lab/hosts.ini" \
    --read-only --check --json -v 2>"$st/check.err") || rc=$?
echo "$js"; cat "$st/check.err"
((rc != 3)) || t_fail "--check --read-only: exit 3 (unknown) for a test not run"
assert_match "$(cat "$st/check.err")" "port test origin-a -> [^ ]+:25: not run \(read-only\)"
nr=$(jq -r '[.findings[] | select(.id == "port25-not-run" and .severity == "info")] | length' <<<"$js") ||
    t_fail "not JSON: $js"
((nr >= 2)) || t_fail "port25-not-run findings: $nr (want one per origin's hop)"
assert_eq "$(jq -r '[.findings[] | select(.id == "port25-untested" or .id == "port25-unreachable")] | length' <<<"$js")" 0 "port findings that say failed"
assert_match "$(jq -r '[.findings[] | select(.id == "port25-not-run")][0].what' <<<"$js")" "was not run: read-only"
sleep 1
assert_eq "$(conns)" "$c0" "connections from the origins to relay-c's smtpd"
t_ok
