#!/bin/bash
# e2e-check-settings: three independent faults at once - relay C an open
# relay (mynetworks = 0.0.0.0/0), no fallback relay on origin A, origin B's
# relayhost without brackets. Each gives exactly its finding, with its hosts
# and its main.cf fix; the worst (critical) sets exit status 2. JSON too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-settings

ck_param c 'mynetworks=0.0.0.0/0'
ck_param a 'smtp_fallback_relay='
ck_param b 'relayhost=172.16.1.11'
ck_run
assert_eq "$CK_RC" 2 "exit status"
ck_expect_only \
    "critical open-relay [relay-c]" \
    "warning no-fallback [origin-a, relay-c]" \
    "warning relayhost-unbracketed [origin-b, relay-c]"
assert_eq "$(ck_field open-relay evidence)" "relay-c: mynetworks = 0.0.0.0/0"
assert_eq "$(ck_field open-relay fix)" "relay-c main.cf: mynetworks = 127.0.0.0/8, 172.16.10.5, 172.16.10.6"
assert_eq "$(ck_field no-fallback fix)" "origin-a main.cf: smtp_fallback_relay = [172.16.1.12]"
assert_eq "$(ck_field relayhost-unbracketed evidence)" "origin-b: relayhost = 172.16.1.11"
assert_eq "$(ck_field relayhost-unbracketed fix)" "origin-b main.cf: relayhost = [172.16.1.11]"
ck_run --json
assert_eq "$CK_RC" 2 "exit status (json)"
assert_match "$CK_OUT" '^\{"version":1,"status":2,'
assert_match "$CK_OUT" '\{"id":"open-relay","severity":"critical","hosts":\["relay-c"\],"what":"[^"]*open relay[^"]*","evidence":"relay-c: mynetworks = 0\.0\.0\.0/0","fix":"relay-c main\.cf: mynetworks = 127\.0\.0\.0/8, 172\.16\.10\.5, 172\.16\.10\.6","fix_host":"relay-c"'
assert_match "$CK_OUT" '"id":"no-fallback","severity":"warning","hosts":\["origin-a","relay-c"\]'
t_ok
