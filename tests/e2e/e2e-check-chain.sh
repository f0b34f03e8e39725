#!/bin/bash
# e2e-check-chain: three faults on the way from the origins to the relays -
# B missing from relay C's mynetworks, origin A sharing relay C's myhostname,
# and TCP/25 from A to fallback relay D dropped by nftables (filtered). Each
# gives exactly its finding, with hosts and fix; exit status 2. A mail from B
# is refused by C for real: its maillog line comes back as log-relay-denied,
# tied to origin-not-in-mynetworks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-chain

ck_param c 'mynetworks=127.0.0.1, 172.16.10.5'
ck_param a 'myhostname=relay-c.example.jp'
ck_block25 a d
t_cleanup 'scenario purge b'
rej='NOQUEUE: reject: RCPT from [^ ]*\[172\.16\.10\.6\]: 454 4\.7\.1 .*Relay access denied'
n0=$(lab_exec c grep -Ec "$rej" /var/log/maillog || true)
send_mail b relaytest@example.jp probe@dest.example check-chain >/dev/null
for _ in $(seq 100); do
    n1=$(lab_exec c grep -Ec "$rej" /var/log/maillog || true)
    ((n1 > n0)) && break
    sleep 0.1
done
((n1 > n0)) || t_fail "C logged no refusal of B"
start=$SECONDS
ck_run
assert_eq "$CK_RC" 2 "exit status"
((SECONDS - start < 20)) || t_fail "check took $((SECONDS - start)) s"
ck_expect_only \
    "critical myhostname-loop [origin-a, relay-c]" \
    "critical origin-not-in-mynetworks [relay-c, origin-b]" \
    "warning port25-unreachable [origin-a, relay-d]"
assert_eq "$(ck_field origin-not-in-mynetworks evidence)" "relay-c: mynetworks = 127.0.0.1, 172.16.10.5"
assert_eq "$(ck_field origin-not-in-mynetworks fix)" \
    "relay-c main.cf: mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6 (then postfix reload)"
assert_match "$(ck_field origin-not-in-mynetworks what)" "Relay access denied"
assert_eq "$(ck_field myhostname-loop evidence)" \
    "origin-a: myhostname = relay-c.example.jp; relay-c: myhostname = relay-c.example.jp"
assert_match "$(ck_field myhostname-loop fix)" "^origin-a main\.cf: myhostname = origin-a\.example\.jp "
assert_match "$(ck_field port25-unreachable what)" "fallback relay relay-d \(timed out \(filtered\)\)"
assert_match "$(ck_field port25-unreachable evidence)" "^from origin-a: connect to 172\.16\.1\.12:25: timed out after [0-9]+ ms"
assert_match "$(ck_field port25-unreachable fix)" "allow TCP 172\.16\.10\.5 -> 172\.16\.1\.12 port 25"
assert_match "$CK_OUT" "^warning log-relay-denied \[relay-c, origin-b\]$"
assert_eq "$(ck_field log-relay-denied what)" "relay-c refused to relay mail from origin-b (see origin-not-in-mynetworks)"
assert_match "$(ck_field log-relay-denied evidence)" "^relay-c [0-9:]{8} .*reject: RCPT from unknown\[172\.16\.10\.6\]: 454 4\.7\.1 .*Relay access denied"
assert_eq "$(ck_field log-relay-denied fix)" "$(ck_field origin-not-in-mynetworks fix)"
t_ok
