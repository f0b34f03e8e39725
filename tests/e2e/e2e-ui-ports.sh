#!/bin/bash
# e2e-ui-ports: the checks view runs the doctor's port-25 test. On the clean
# lab, opening it (c) probes and shows no port finding; with TCP/25 from A
# dropped at D (block-25 a d), p probes again and A's fallback hop to relay-d
# shows as a port25-unreachable finding, "timed out (filtered)", with its
# firewall fix; keys answer while the probe runs. The block is undone.
. "$(dirname "$0")/lib.sh"
t_begin ui-ports

. "$(dirname "$0")/ui-lib.sh"

rt_start 160 50
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a never came up"
wait_screen '^.relay-d +up' 20 || fail_screen "relay-d never came up"

# clean lab: the test runs and finds every hop open
tm send-keys -t rt c
wait_screen 'port 25 tested [0-9]+s ago: [0-9]+ of [1-9][0-9]* relay hops? open' 15 ||
    fail_screen "the port-25 test did not finish on the clean lab"
assert_no_match "$(screen)" 'port25-' "a port finding on the clean lab"
assert_match "$(screen)" 'port 25 tested: ([0-9]+) of \1 hops? open' "not every hop open on the clean lab"

t_cleanup 'scenario unblock-25 a d'
scenario block-25 a d
tm send-keys -t rt p
wait_screen 'probing port 25\.\.\.' 5 || fail_screen "no 'probing port 25...' status after p"
# keys answer while it runs: the help overlay opens and closes
tm send-keys -t rt '?'
wait_screen 'relaytop keys' 3 || fail_screen "? did not answer while probing"
assert_match "$(screen)" 'probing port 25\.\.\.|port 25 tested' "the checks view under the help overlay"
tm send-keys -t rt x
wait_screen 'port 25 tested [0-9]+s ago' 20 || fail_screen "the port-25 test did not finish with D blocked"
wait_screen '^.(warning|critical) +port25-unreachable +on origin-a, relay-d' 5 ||
    fail_screen "no port25-unreachable finding on origin-a -> relay-d"
s=$(screen)
blk=$(grep -A3 -E '^.(warning|critical) +port25-unreachable +on origin-a, relay-d' <<<"$s")
assert_match "$blk" 'what: .*relay-d.*timed out \(filtered\)' "the finding does not say timed out (filtered)"
assert_match "$blk" 'seen: from origin-a: connect to [^ ]+:25: timed out' "the finding's evidence"
assert_match "$blk" 'fix: +firewall: allow TCP 172\.16\.10\.5 -> [^ ]+ port 25' "the finding's fix"
# the badge: relay-d's row in the host table carries the finding
tm send-keys -t rt 1
wait_screen '^.relay-d !(1|[0-9]+) +up' 5 || fail_screen "no findings badge on relay-d's row"

# the results are kept until the next test: unblocked, p clears the finding
scenario unblock-25 a d
tm send-keys -t rt c
wait_screen 'port 25 tested [0-9]+s ago' 20 || fail_screen "the port-25 test did not finish after unblock"
wait_screen 'port 25 tested: ([0-9]+) of \1 hops? open' 5 || fail_screen "hops still failing after unblock"
assert_no_match "$(screen)" 'port25-' "a port finding after unblock"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
