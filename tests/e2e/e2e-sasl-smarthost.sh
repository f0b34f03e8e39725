#!/bin/bash
# e2e-sasl-smarthost: relay D requires SASL (Cyrus, sasldb) on 587 and on
# 465 (wrappermode); origin B sends to it smarthost style (scenario
# smarthost: relayhost = [172.16.1.12]:587, smtp_sasl_auth_enable, a
# postmapped sasl_passwd). The snapshot shows B's hop to D as TLS on port
# 587 with SASL PLAIN (D's client= line); over 465 with wrappermode the
# same on port 465. Then a wrong password gives log-sasl-failed (warning,
# what Postfix said), and smtp_sasl_security_options = noplaintext gives
# log-sasl-no-mech ("no worthy mechs"); both fixed and a mail through,
# they drop to info. Everything is undone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin sasl-smarthost
cd "$REPO"

sec_of() { # sec_of JSON FROM TO: the security object of that edge, compact
    python3 -c 'import json, sys
d = json.loads(sys.argv[1])
e = [e for e in d["edges"] if e["from"] == sys.argv[2] and e["to"] == sys.argv[3] and e["kind"] == "primary"][0]
print(json.dumps(e["security"], sort_keys=True))' "$1" "$2" "$3"
}
sent_via() { # sent_via PORT SUBJECT: B's mail delivered to D on PORT
    local tok id
    tok=$(send_mail b relaytest@example.jp probe@dest.example "$2")
    id=$(log_queue_id b "message-id=<$tok@relaytop-lab>") || t_fail "B did not accept the message"
    wait_log b "$id: to=<probe@dest.example>, relay=172\.16\.1\.12\[172\.16\.1\.12\]:$1, .*status=sent" 30 >/dev/null ||
        t_fail "B did not relay $id to D:$1"
}
pf() { local h=$1; shift; lab_exec "$h" postconf "$@"; lab_exec "$h" postfix reload >/dev/null 2>&1; }

t_cleanup 'scenario clear-log b d'
t_cleanup 'scenario sasl-off'
t_cleanup 'scenario smarthost-off'
scenario smarthost >/dev/null
sent_via 587 sasl-587
wait_log d 'client=unknown\[172\.16\.10\.6\], sasl_method=PLAIN, sasl_username=origin-b@relay-d\.example\.jp' 10 >/dev/null ||
    t_fail "D did not log B's SASL login"
j=$(once --json) || t_fail "exit $? (json)"
s=$(sec_of "$j" origin-b relay-d); echo "origin-b -> relay-d: $s"
assert_match "$s" '"state": "tls"'
assert_match "$s" '"level": "Trusted"'
assert_match "$s" '"port": 587'
assert_match "$s" '"sasl": \{"method": "PLAIN", "used": true\}'

# 465: TLS from the first byte (D's handshake errors from the console's
# port test, which hangs up at once, are no finding above info)
pf b -e 'relayhost = [172.16.1.12]:465' 'smtp_tls_wrappermode = yes'
lab_exec b sh -c "printf '[172.16.1.12]:465 origin-b:lab-secret\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"
sent_via 465 sasl-465
j=$(once --json) || t_fail "exit $? (json, 465)"
s=$(sec_of "$j" origin-b relay-d); echo "origin-b -> relay-d: $s"
assert_match "$s" '"port": 465'
assert_match "$s" '"sasl": \{"method": "PLAIN", "used": true\}'
ck_run
# wrappermode is for every smtp hop: the fallback on :25 now cannot work
assert_eq "$(ck_findings | grep -E 'wrappermode|sasl-|tls-')" "critical relayhost-wrappermode [origin-b, relay-c]" "TLS/SASL findings on the 465 set-up"
assert_eq "$(ck_field relayhost-wrappermode evidence)" "origin-b: smtp_fallback_relay = [172.16.1.11], smtp_tls_wrappermode = yes"

# a wrong password
lab_exec b sh -c "printf '[172.16.1.12]:465 origin-b:wrong\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"
send_mail b relaytest@example.jp probe@dest.example sasl-wrong >/dev/null
wait_log b 'SASL authentication failed; server 172\.16\.1\.12\[172\.16\.1\.12\] said: 535 5\.7\.8' 30 >/dev/null ||
    t_fail "B did not log the refused login"
ck_run
assert_match "$CK_OUT" '^warning log-sasl-failed \[origin-b, relay-d\]'
assert_match "$(ck_field log-sasl-failed what)" 'failed SASL authentication with relay-d: 535 5\.7\.8 Error: authentication failed'
assert_match "$(ck_field log-sasl-failed fix)" 'check the user and password in smtp_sasl_password_maps'
assert_match "$CK_OUT" '^warning log-sasl-failed \[relay-d, origin-b\]'

# no worthy mechs: the client refuses plaintext mechanisms, D offers only those
lab_exec b sh -c "printf '[172.16.1.12]:465 origin-b:lab-secret\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"
pf b -e 'smtp_sasl_security_options = noanonymous, noplaintext'
scenario flush b >/dev/null
wait_log b 'SASL authentication failed; cannot authenticate to server 172\.16\.1\.12\[172\.16\.1\.12\]: no mechanism available' 30 >/dev/null ||
    t_fail "B did not log no mechanism available"
ck_run
assert_match "$CK_OUT" '^warning log-sasl-no-mech \[origin-b, relay-d\]'
assert_match "$(ck_field log-sasl-no-mech fix)" 'libsasl2-modules.*smtp_sasl_security_options'

# fixed: the deferred mails go through, the findings drop to info
pf b -e 'smtp_sasl_security_options = noanonymous'
scenario flush b >/dev/null
sent_via 465 sasl-fixed
ck_run
assert_match "$CK_OUT" '^info log-sasl-no-mech \[origin-b, relay-d\]'
assert_match "$CK_OUT" '^info log-sasl-failed \[origin-b, relay-d\]'
assert_match "$(ck_field log-sasl-failed what)" 'mail went through since'
t_ok
