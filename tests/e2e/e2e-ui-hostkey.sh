#!/bin/bash
# e2e-ui-hostkey: a host whose SSH host key no longer matches known_hosts is
# shown loudly as "HOST KEY CHANGED" (topology, table, detail with the
# reason) while the other hosts are up. relay-d's old key is restored.
. "$(dirname "$0")/lib.sh"
t_begin ui-hostkey

. "$(dirname "$0")/ui-lib.sh"

t_cleanup 'scenario hostkey-restore d'
scenario hostkey-replace d
rt_start 120 40
wait_screen '^.relay-d +HOST KEY CHANGED' 30 || fail_screen "relay-d not shown with a changed host key"
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a not up"
s=$(screen)
assert_match "$s" '^.relay-d( !?[0-9]+)? +HOST KEY CHANGED +relay +172\.16\.1\.12 ' "table row of relay-d"
for h in origin-b relay-c; do
    assert_match "$s" "^.$h +up" "$h not up"
done
# the detail says why
tm send-keys -t rt Tab G Enter
wait_screen '^relay-d +relay +relayop@172\.16\.1\.12:22 +HOST KEY CHANGED' 5 || fail_screen "no detail for relay-d"
assert_match "$(screen)" '^connection: .*(HOST KEY|host key|known_hosts)' "the detail does not say what failed"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
