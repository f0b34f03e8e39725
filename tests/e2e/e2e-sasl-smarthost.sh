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
# The files behind the settings (the probe's secfiles, the doctor's rules):
# on 587, sasl_passwd touched after its .db gives sasl-map-stale (warning,
# fix: postmap); a key 172.16.1.12:587 for relayhost [172.16.1.12]:587
# makes D refuse B's mail (not logged in) and gives sasl-key-mismatch
# (critical, the fix names the exact line), the password never printed;
# the same map under a name the sudo rule does not read: the finding says
# the keys could not be read and leans on D's refusal in B's log.
# noplaintext gives sasl-no-usable-mech
# (critical) besides the log's no worthy mechs, which sees it; B's Cyrus
# plugins gone (scenario sasl-plugins-off): Postfix fails the same way and
# the fix is libsasl2-modules. Each finding goes once undone.
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
t_cleanup 'scenario sasl-plugins-on b'
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

# postmap forgotten: the source newer than its .db
ck() { ck_run --read-only; }
sleep 1; lab_exec b touch /etc/postfix/sasl_passwd
ck
assert_match "$CK_OUT" '^warning sasl-map-stale \[origin-b, relay-d\]'
assert_eq "$(ck_field sasl-map-stale fix)" "origin-b: postmap hash:/etc/postfix/sasl_passwd"
assert_match "$(ck_field sasl-map-stale evidence)" '^origin-b: /etc/postfix/sasl_passwd changed .*, /etc/postfix/sasl_passwd\.db made '
lab_exec b postmap /etc/postfix/sasl_passwd
# a key that is not relayhost's string byte for byte: B sends without AUTH
lab_exec b sh -c "printf '172.16.1.12:587 origin-b:lab-secret\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"
tok=$(send_mail b relaytest@example.jp probe@dest.example sasl-key)
id=$(log_queue_id b "message-id=<$tok@relaytop-lab>") || t_fail "B did not accept the message"
wait_log b "$id: to=<probe@dest\.example>, relay=172\.16\.1\.12\[172\.16\.1\.12\]:587, .*554 5\.7\.1 <probe@dest\.example>: Recipient address rejected: Access denied" 30 >/dev/null ||
    t_fail "D did not refuse B's mail without a login"
ck
assert_no_match "$CK_OUT" 'sasl-map-stale' "stale after postmap"
assert_match "$CK_OUT" '^critical sasl-key-mismatch \[origin-b, relay-d\]'
assert_eq "$(ck_field sasl-key-mismatch fix)" 'origin-b /etc/postfix/sasl_passwd: the line "[172.16.1.12]:587 USER:PASSWORD" in place of the line keyed 172.16.1.12:587, then postmap hash:/etc/postfix/sasl_passwd'
assert_match "$(ck_field sasl-key-mismatch evidence)" '^origin-b: relayhost = \[172\.16\.1\.12\]:587; keys of /etc/postfix/sasl_passwd: 172\.16\.1\.12:587'
assert_no_match "$CK_OUT" 'lab-secret' "the password left the host"
# the same under another name (relay_passwd, 0600 root): the sudo rule
# does not read it, the finding says so and leans on D's refusal
t_cleanup "lab_exec b rm -f /etc/postfix/relay_passwd /etc/postfix/relay_passwd.db"
lab_exec b sh -c "cp -p /etc/postfix/sasl_passwd /etc/postfix/relay_passwd && postmap /etc/postfix/relay_passwd"
pf b -e 'smtp_sasl_password_maps = hash:/etc/postfix/relay_passwd'
ck
assert_match "$CK_OUT" '^critical sasl-key-mismatch \[origin-b, relay-d\]'
assert_match "$(ck_field sasl-key-mismatch what)" 'relay-d refuses origin-b.s mail as not logged in .*relaytop could not read the keys'
assert_match "$(ck_field sasl-key-mismatch evidence)" 'not read: .*Recipient address rejected: Access denied'
assert_no_match "$CK_OUT" 'lab-secret' "the password left the host"
pf b -e 'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd'
# the key fixed (the 465 round below sees no sasl- finding)
lab_exec b sh -c "printf '[172.16.1.12]:587 origin-b:lab-secret\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"

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

# no worthy mechs: the client refuses plaintext mechanisms, D offers only
# those (set before the password is fixed: the deferred mail stays)
pf b -e 'smtp_sasl_security_options = noanonymous, noplaintext'
lab_exec b sh -c "printf '[172.16.1.12]:465 origin-b:lab-secret\n' >/etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd"
scenario flush b >/dev/null
wait_log b 'SASL authentication failed; cannot authenticate to server 172\.16\.1\.12\[172\.16\.1\.12\]: no mechanism available' 30 >/dev/null ||
    t_fail "B did not log no mechanism available"
ck_run
assert_match "$CK_OUT" '^critical sasl-no-usable-mech \[origin-b, relay-d\]'
assert_eq "$(ck_field sasl-no-usable-mech evidence)" "origin-b: smtp_sasl_security_options = noanonymous, noplaintext, Cyrus plugins: anonymous crammd5 digestmd5 login ntlm plain sasldb scram; relay-d: mech_list PLAIN LOGIN"
assert_match "$(ck_field sasl-no-usable-mech fix)" '^origin-b main\.cf: smtp_sasl_security_options = noanonymous '
assert_match "$CK_OUT" '^warning log-sasl-no-mech \[origin-b, relay-d\]'
assert_match "$(ck_field log-sasl-no-mech what)" '\(see sasl-no-usable-mech\)'

# the client's Cyrus plugins gone (libsasl2-modules missing): the same
# (gone before the options allow PLAIN: the deferred mail stays)
n0=$(lab_exec b grep -c 'no mechanism available' /var/log/maillog || true)
scenario sasl-plugins-off b >/dev/null
pf b -e 'smtp_sasl_security_options = noanonymous'
scenario flush b >/dev/null
for _w in $(seq 60); do
    (($(lab_exec b grep -c 'no mechanism available' /var/log/maillog || true) > n0)) && break
    sleep 0.5
done
(($(lab_exec b grep -c 'no mechanism available' /var/log/maillog || true) > n0)) ||
    t_fail "B without plugins did not fail SASL"
ck_run
assert_match "$CK_OUT" '^critical sasl-no-usable-mech \[origin-b, relay-d\]'
assert_eq "$(ck_field sasl-no-usable-mech fix)" "origin-b: install libsasl2-modules (the Cyrus client plugins for PLAIN LOGIN)"
scenario sasl-plugins-on b >/dev/null

# fixed: the deferred mails go through, the findings drop to info
scenario flush b >/dev/null
sent_via 465 sasl-fixed
ck_run
assert_match "$CK_OUT" '^info log-sasl-no-mech \[origin-b, relay-d\]'
assert_match "$CK_OUT" '^info log-sasl-failed \[origin-b, relay-d\]'
assert_match "$(ck_field log-sasl-failed what)" 'mail went through since'
assert_no_match "$CK_OUT" 'sasl-no-usable-mech' "the settings finding stayed after the fix"
t_ok
