#!/bin/bash
# e2e-ui-failover: the console shows the seed's failover as it happens. With
# Postfix stopped on relay C, relay-c shows "postfix stopped", a mail from A
# turns A's primary edge refused/deferred and goes through the fallback D:
# the log (filtered on A's queue id, then Enter to follow it) shows A's line
# sent via 172.16.1.12 and D's line for the "queued as" id. C is restarted.
. "$(dirname "$0")/lib.sh"
t_begin ui-failover

. "$(dirname "$0")/ui-lib.sh"

rt_start 120 40
wait_screen '^.relay-c +up' 20 || fail_screen "relay-c never came up"

t_cleanup 'scenario postfix-start c'
scenario postfix-stop c
wait_screen '^.relay-c +postfix stopped' 20 || fail_screen "relay-c not shown as stopped"

tok=$(send_mail a x@example.jp probe@dest.example ui-failover)
id_a=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id_a: to=<probe@dest.example>, relay=172\.16\.1\.12\[" 40 >/dev/null ||
    t_fail "A did not fall back to D (lab problem, not the console)"

# topology: A's primary edge to relay-c failing and its fallback edge to
# relay-d sent, both within the last 40 s (older runs' edges are older)
recent='([0-9]|[1-3][0-9])s'
wait_screen "^.origin-a .*primary: (refused|deferred) $recent .*relay-c +postfix stopped" 20 ||
    fail_screen "A's primary edge to C not shown failing"
for ((i = 0; i < 40; i++)); do
    pair=$(screen | grep -A1 -E '^.origin-a .*primary')
    grep -Eq "fallback: sent $recent .*relay-d +up" <<<"$(sed -n 2p <<<"$pair")" && break
    sleep 0.5
done
assert_match "$(sed -n 2p <<<"$pair")" "fallback: sent $recent .*relay-d +up" "A's fallback edge to D"

# the log: A's mail went through D, and following it reaches D's queue id
tm send-keys -t rt / "$id_a" Enter
wait_screen "^[0-9:]{8} origin-a +$id_a +sent +to=<probe@dest\.example> relay=172\.16\.1\.12\[" 20 ||
    fail_screen "A's delivery via D is not in the log"
id_d=$(screen | sed -nE "s/^.* $id_a +sent .*queued as ([0-9A-Za-z]+)\).*$/\1/p" | head -n1)
[[ -n $id_d ]] || id_d=$(wait_log a "$id_a: to=.*queued as" 5 | sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/')
tm send-keys -t rt g Enter
wait_screen "following $id_a .* $id_d" 10 || fail_screen "Enter does not follow $id_a to $id_d"
wait_screen "^[0-9:]{8} relay-d +$id_d " 20 || fail_screen "D's line for $id_d not shown while following"
assert_no_match "$(screen | grep -E '^[0-9:]{8} relay-c ')" . "relay-c lines shown while following a mail it never saw"
# checks: a finding on relay-c with its fix, and relay-c's badge in the table
tm send-keys -t rt c
wait_screen '^.(critical|warning) +[a-z0-9-]+ +on .*relay-c' 15 || fail_screen "no finding on relay-c"
assert_match "$(screen)" '^ +fix: +[^ ]' "a finding without a fix"
tm send-keys -t rt 1
wait_screen '^.relay-c !(1|[0-9]+) +postfix stopped' 5 || fail_screen "no findings badge on relay-c's row"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
