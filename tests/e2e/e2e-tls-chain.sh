#!/bin/bash
# e2e-tls-chain: the chain over TLS (scenario tls: a lab CA, relays offer
# STARTTLS, origins send with smtp_tls_security_level = verify). The
# snapshot (--once --json) shows A's primary hop as Verified TLSv1.3 with
# its cipher, IPv4, port 25, no SASL; the trace shows the same per hop; the
# doctor says exit 0 on this clean TLS lab. Then relay C stops offering
# STARTTLS and origin B is set to opportunistic TLS (may): B's hop to C is
# marked cleartext-fallback, A's (verify) is marked failed with Postfix's
# "TLS is required, but was not offered", and the console (80x24) shows
# both marks on the topology. Everything is undone.
. "$(dirname "$0")/lib.sh"
t_begin tls-chain
cd "$REPO"

sec_of() { # sec_of JSON FROM TO: the security object of that edge, compact
    python3 -c 'import json, sys
d = json.loads(sys.argv[1])
e = [e for e in d["edges"] if e["from"] == sys.argv[2] and e["to"] == sys.argv[3]][0]
print(json.dumps(e["security"], sort_keys=True))' "$1" "$2" "$3"
}

t_cleanup 'scenario clear-log a b c d'
t_cleanup 'scenario flush a'
t_cleanup 'scenario tls-off'
scenario tls >/dev/null
tok=$(send_mail a relaytest@example.jp probe@dest.example tls-chain)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "Verified TLS connection established to 172\.16\.1\.11\[172\.16\.1\.11\]:25: TLSv1\.3" 30 >/dev/null ||
    t_fail "A did not log a verified TLS handshake to C"
wait_log a "$id: to=<probe@dest.example>, relay=172\.16\.1\.11\[.*status=sent" 30 >/dev/null || t_fail "A did not relay $id"
j=$(once --json) || t_fail "exit $? (json)"
s=$(sec_of "$j" origin-a relay-c)
echo "origin-a -> relay-c: $s"
assert_match "$s" '"state": "tls"' "A's hop to C is not TLS"
assert_match "$s" '"level": "Verified"'
assert_match "$s" '"protocol": "TLSv1\.3"'
assert_match "$s" '"cipher": "TLS_[A-Z0-9_]+"'
assert_match "$s" '"family": 4'
assert_match "$s" '"port": 25'
assert_match "$s" '"sasl": \{"method": "", "used": false\}'
assert_match "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); h=[h for h in d["hosts"] if h["name"]=="origin-a"][0]; print(h["settings"]["smtp_tls_security_level"])' "$j")" "'value': 'verify', 'explicit': True"
assert_match "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); h=[h for h in d["hosts"] if h["name"]=="relay-c"][0]; print(h["settings"]["smtp_tls_security_level"])' "$j")" "'value': '', 'explicit': False"

tr=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a --timeout 60 2>&1) ||
    t_fail "test-send over TLS failed: $tr"
assert_match "$tr" '^  hop 1  origin-a'
assert_match "$tr" '^         tls: Verified TLSv1\.3 TLS_[A-Z0-9_]+  sasl no  ipv4 port 25$' "the trace's hop 1 TLS line"
assert_match "$tr" '^         tls: cleartext \(TLS off\)  sasl \?  ipv4 port 25$' "the trace's hop 2 (relay to dest) line"
rc=0; chk=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --check 2>&1) || rc=$?
assert_eq "$rc" 0 "--check on the clean TLS lab: $chk"

# C stops offering STARTTLS; B falls back to cleartext, A refuses
scenario param c 'smtpd_tls_security_level = none' >/dev/null
scenario param b 'smtp_tls_security_level = may' >/dev/null
tb=$(send_mail b relaytest@example.jp probe@dest.example tls-clear)
idb=$(log_queue_id b "message-id=<$tb@relaytop-lab>") || t_fail "B did not accept the message"
wait_log b "$idb: to=<probe@dest.example>, relay=172\.16\.1\.11\[.*status=sent" 30 >/dev/null || t_fail "B did not relay $idb in clear"
ta=$(send_mail a relaytest@example.jp probe@dest.example tls-refused)
ida=$(log_queue_id a "message-id=<$ta@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$ida: TLS is required, but was not offered by host 172\.16\.1\.11" 30 >/dev/null || t_fail "A did not refuse cleartext to C"
j=$(once --json) || t_fail "exit $? (json, broken)"
s=$(sec_of "$j" origin-b relay-c); echo "origin-b -> relay-c: $s"
assert_match "$s" '"state": "cleartext-fallback"' "B's cleartext hop is not marked"
s=$(sec_of "$j" origin-a relay-c); echo "origin-a -> relay-c: $s"
assert_match "$s" '"state": "failed"' "A's refused hop is not marked failed"
assert_match "$s" '"failure": "TLS is required, but was not offered by host 172\.16\.1\.11\[172\.16\.1\.11\]"'

. "$(dirname "$0")/ui-lib.sh"
rt_start 80 24
wait_screen '^ origin-b +up +.*relay-c up !cleartext' 30 || fail_screen "no !cleartext mark on B's hop to C at 80x24"
wait_screen '^.origin-a +up +.*relay-c up !tls-failed' 5 || fail_screen "no !tls-failed mark on A's hop to C at 80x24"
wait_screen '^ +.*fallback.*relay-d up tls:verified' 5 || fail_screen "no tls:verified on A's fallback to D at 80x24"
tm send-keys -t rt Enter
wait_screen '^  fallback relay-d +Verified TLSv1\.3 TLS_' 10 || fail_screen "the detail view has no hop TLS line"
tm send-keys -t rt q
t_ok
