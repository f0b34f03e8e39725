#!/bin/bash
# e2e-check-stopped: Postfix stopped on fallback relay D. Each origin gets a
# relayhost-unknown warning for D (a dead fallback costs redundancy, not
# mail) with the refused port test in its evidence, nothing else; exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-stopped

t_cleanup "scenario postfix-start d"
scenario postfix-stop d
ck_run
assert_eq "$CK_RC" 1 "exit status"
ck_expect_only \
    "warning relayhost-unknown [relay-d, origin-a]" \
    "warning relayhost-unknown [relay-d, origin-b]"
assert_match "$CK_OUT" "evidence: relay-d: [^;]*not running[^;]*; port 25 refused from origin-a"
assert_match "$CK_OUT" "evidence: relay-d: [^;]*not running[^;]*; port 25 refused from origin-b"
assert_eq "$(ck_field relayhost-unknown fix)" "on relay-d: postfix start"
t_ok
