#!/bin/bash
# e2e-check-ipv6: the dual stack on one set-up (scenario ipv6 a: origin A
# with inet_protocols = all sends to relayhost [fd16:172::1:11], fallback
# [fd16:172::1:12]). The hop is IPv6 for real (A logs relay=fd16:172::1:11,
# C logs client=unknown[fd16:172::10:5]); --once --json has the edge to
# relay-c with family 6, the trace's hop 1 says ipv6 and hop 2 (C to dest)
# ipv4, the console at 80x24 marks A's hop /v6, and --check exits 0.
# Break 1: A's IPv6 address out of C's mynetworks: C answers 454 4.7.1
# Relay access denied (A defers and falls back to D), the doctor gives
# critical origin-not-in-mynetworks [relay-c, origin-a] with the IPv6
# address, evidence and fix; restored, the finding goes. Break 2: C on
# inet_protocols = ipv4 (restarted): A's connect is refused, the doctor
# gives critical inet-protocols-mismatch [relay-c, origin-a]; restored, it
# goes. Everything undone (scenario ipv6-off a).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-ipv6
cd "$REPO"

edge_of() { # edge_of JSON FROM TO: "target family state" of that edge
    python3 -c 'import json, sys
d = json.loads(sys.argv[1])
e = [e for e in d["edges"] if e["from"] == sys.argv[2] and e["to"] == sys.argv[3]][0]
print(e["target"], e["security"]["family"], e["state"])' "$1" "$2" "$3"
}
# --read-only: the port-25 test is not what this test is about
ck() { ck_run --read-only; }
C_V6='fd16:172::1:11' A_V6='fd16:172::10:5'

t_cleanup 'scenario clear-log a b c d'
t_cleanup 'scenario purge a'
t_cleanup 'scenario ipv6-off a'
scenario ipv6 a >/dev/null

# --- the IPv6 hop, seen everywhere
tok=$(send_mail a relaytest@example.jp probe@dest.example ipv6-hop)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id: to=<probe@dest\.example>, relay=$C_V6\[$C_V6\]:25, .*status=sent" 30 >/dev/null ||
    t_fail "A did not relay $id to C over IPv6"
wait_log c "client=unknown\[$A_V6\]" 10 >/dev/null || t_fail "C did not log A's IPv6 address"
j=$(once --json) || t_fail "exit $? (json)"
assert_eq "$(edge_of "$j" origin-a relay-c)" "$C_V6 6 sent" "A's edge to C"
assert_eq "$(edge_of "$j" origin-a relay-d)" "fd16:172::1:12 None unknown" "A's fallback edge to D"
assert_eq "$(edge_of "$j" origin-b relay-c)" "172.16.1.11 None unknown" "B's edge to C (IPv4, no mail yet)"
tr=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a --timeout 60 2>&1) ||
    t_fail "test-send over IPv6 failed: $tr"
echo "$tr"
assert_match "$tr" "^         -> relay-c \($C_V6\[$C_V6\]:25, primary\)  sent"
assert_match "$tr" '^         tls: cleartext \(TLS off\)  sasl no  ipv6 port 25$' "the trace's hop 1 family"
assert_match "$tr" "^  hop 2  relay-c  queue id [0-9A-F]+  from unknown\[$A_V6\]$"
assert_match "$tr" '^         tls: cleartext \(TLS off\)  sasl \?  ipv4 port 25$' "the trace's hop 2 family"
ck
assert_eq "$CK_RC" 0 "--check on the clean dual-stack lab"

. "$(dirname "$0")/ui-lib.sh"
rt_start 80 24
wait_screen '^.origin-a +up +── primary: sent .*relay-c up plain/v6' 30 || fail_screen "no /v6 mark on A's hop to C at 80x24"
wait_screen '^ origin-b +up +── primary: unknown .*relay-c up *$' 5 || fail_screen "B's IPv4 hop to C is marked"
tm send-keys -t rt Enter
wait_screen '^  primary  relay-c +cleartext \(TLS off\)  sasl no  ipv6 port 25' 10 || fail_screen "the detail view has no ipv6 hop"
wait_screen '^  fallback relay-d +TLS unknown  sasl \?  ipv\? port \?' 5 || fail_screen "the unused fallback hop"
tm send-keys -t rt q

# --- break 1: A's IPv6 address missing from C's mynetworks
ck_param c 'mynetworks=127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:6]' >/dev/null
tok=$(send_mail a relaytest@example.jp probe@dest.example ipv6-denied)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id: host $C_V6\[$C_V6\] said: 454 4\.7\.1 <probe@dest\.example>: Relay access denied" 30 >/dev/null ||
    t_fail "C did not refuse A's IPv6 connection"
wait_log c "NOQUEUE: reject: RCPT from unknown\[$A_V6\]: 454 4\.7\.1 <probe@dest\.example>: Relay access denied" 5 >/dev/null ||
    t_fail "C logged no refusal of A's IPv6 address"
ck
assert_eq "$CK_RC" 2 "exit status (IPv6 not in mynetworks)"
ck_expect_only "critical origin-not-in-mynetworks [relay-c, origin-a]"
assert_eq "$(ck_field origin-not-in-mynetworks what)" "origin-a's address [$A_V6] is not in relay-c's mynetworks while inet_protocols lets it connect over IPv6: relay-c refuses its mail with \"Relay access denied\" (454 4.7.1 or 554 5.7.1) and it waits or bounces"
assert_eq "$(ck_field origin-not-in-mynetworks evidence)" "relay-c: mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:6]; relay-c: inet_protocols = all; origin-a: inet_protocols = all, relayhost = [$C_V6]"
assert_eq "$(ck_field origin-not-in-mynetworks fix)" "relay-c main.cf: mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:6], [$A_V6] (then postfix reload)"
assert_match "$CK_OUT" '^warning log-relay-denied \[relay-c, origin-a\]'
assert_eq "$(ck_field log-relay-denied what)" "relay-c refused to relay mail from origin-a (see origin-not-in-mynetworks)"
scenario param-restore c mynetworks >/dev/null
ck
assert_eq "$CK_RC" 0 "exit status (mynetworks restored)"
assert_no_match "$CK_OUT" 'origin-not-in-mynetworks \[' "the finding stayed after the fix"

# --- break 2: C listens on IPv4 only, A reaches it over IPv6 only
# restored below; the cleanup restarts C only when the test stopped before
c_broken=1
t_cleanup 'if [[ $c_broken == 1 ]]; then scenario param-restore c inet_protocols; scenario postfix-stop c; scenario postfix-start c; fi'
lab_exec c postconf -e 'inet_protocols = ipv4'
scenario postfix-stop c >/dev/null
scenario postfix-start c >/dev/null
tok=$(send_mail a relaytest@example.jp probe@dest.example ipv6-refused)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "connect to $C_V6\[$C_V6\]:25: Connection refused" 30 >/dev/null || t_fail "A's IPv6 connect to C was not refused"
ck
assert_eq "$CK_RC" 2 "exit status (inet_protocols mismatch)"
ck_expect_only "critical inet-protocols-mismatch [relay-c, origin-a]"
assert_eq "$(ck_field inet-protocols-mismatch what)" "relay-c accepts mail over IPv4 only, but origin-a reaches it over IPv6 only (its inet_protocols and relayhost): the connection is refused and the mail waits"
assert_eq "$(ck_field inet-protocols-mismatch evidence)" "origin-a: inet_protocols = all, relayhost = [$C_V6]; relay-c: inet_protocols = ipv4, inet_interfaces = all"
assert_eq "$(ck_field inet-protocols-mismatch fix)" "relay-c main.cf: inet_protocols = all (then postfix stop; postfix start: reload keeps the old one)"
assert_match "$(ck_field log-connect-failed what)" "origin-a could not connect to its relay relay-c \(see inet-protocols-mismatch\)"
scenario param-restore c inet_protocols >/dev/null
scenario postfix-stop c >/dev/null
scenario postfix-start c >/dev/null
c_broken=0
ck
assert_eq "$CK_RC" 0 "exit status (inet_protocols restored)"
assert_no_match "$CK_OUT" 'inet-protocols-mismatch \[' "the finding stayed after the fix"
t_ok
