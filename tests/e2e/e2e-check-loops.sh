#!/bin/bash
# e2e-check-loops: relay C listening on loopback only (Postfix restarted, so
# port 25 really refuses) and relay D relaying back to origin A. Exactly two
# findings: relay-loopback-only (the origins' refused port tests in its
# evidence, not findings of their own) and relay-loop (not A's loopback or
# mynetworks, which are its symptoms); exit status 2.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-loops

ck_restart c 'inet_interfaces=loopback-only'
ck_param d 'relayhost=[172.16.10.5]'
ck_run
assert_eq "$CK_RC" 2 "exit status"
ck_expect_only \
    "critical relay-loop [relay-d, origin-a]" \
    "critical relay-loopback-only [relay-c, origin-a, origin-b]"
assert_match "$(ck_field relay-loopback-only evidence)" \
    "^relay-c: inet_interfaces = loopback-only; port 25 refused from origin-(a|b); port 25 refused from origin-(a|b)$"
assert_match "$(ck_field relay-loopback-only fix)" "^relay-c main\.cf: inet_interfaces = all "
assert_match "$(ck_field relay-loop evidence)" "relay-d: relayhost = \[172\.16\.10\.5\] \(-> origin-a\)"
assert_match "$(ck_field relay-loop fix)" "^relay-d main\.cf: relayhost = "
t_ok
