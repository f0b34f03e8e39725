#!/bin/bash
# e2e-check-tls: the doctor's TLS and SASL rules on one TLS lab (scenario
# tls). Round 1: origin A at verify loses its CA file: tls-verify-no-ca
# (critical, fix names smtp_tls_CAfile), and A's "certificate verification
# failed" line gives log-tls-cert-verify, a warning that sees it; the CA
# file back, the rule goes and the log finding no longer sees it.
# Round 2: B's relayhost on 465 without wrappermode, SASL on without a
# password map, opportunistic TLS; relay C stops offering STARTTLS while A
# requires it: relayhost-wrappermode, sasl-no-password-map (the fix names
# the sasl_passwd line with B's relayhost string), tls-required-not-offered,
# tls-cleartext, and A's "TLS is required" line as log-tls-failed seeing
# its rule. Round 3: B on 587 with wrappermode = yes: relayhost-wrappermode
# the other way. Round 4: C's certificate renewed for 7 days only:
# tls-cert-expiring (warning). Undone (and the logs cleared of the rounds' failures):
# every finding goes, exit 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-tls

# --read-only: no port-25 test (it is not what this test is about, and
# each run of it costs seconds on a loaded machine)
ck() { ck_run --read-only; }
pf() { # pf HOST ARGS...: postconf ARGS on HOST, then one reload
    local h=$1; shift
    lab_exec "$h" postconf "$@"
    lab_exec "$h" postfix reload >/dev/null 2>&1
}
t_cleanup 'scenario clear-log a b c d'
t_cleanup 'scenario tls-off'
t_cleanup "lab_exec b postconf -X smtp_sasl_auth_enable smtp_tls_wrappermode; scenario param-restore b relayhost"
scenario tls >/dev/null

# round 1: verify without a CA
pf a -X smtp_tls_CAfile
tok=$(send_mail a relaytest@example.jp probe@dest.example check-tls-noca)
wait_log a 'certificate verification failed for 172\.16\.1\.11\[172\.16\.1\.11\]:25: untrusted issuer' 30 >/dev/null ||
    t_fail "A did not log a certificate verification failure"
ck
assert_eq "$CK_RC" 2 "exit status (no CA)"
ck_expect_only "critical tls-verify-no-ca [origin-a, relay-c]"
assert_eq "$(ck_field tls-verify-no-ca evidence)" "origin-a: smtp_tls_security_level = verify, smtp_tls_CAfile and smtp_tls_CApath empty"
assert_match "$(ck_field tls-verify-no-ca fix)" '^origin-a main\.cf: smtp_tls_CAfile = <the PEM file of the CA that signed relay-c'"'"'s certificate>'
assert_match "$CK_OUT" '^warning log-tls-cert-verify \[origin-a, relay-[cd]\]'
assert_match "$(ck_field log-tls-cert-verify what)" 'could not verify the certificate of relay-[cd] \(see tls-verify-no-ca\)'
assert_match "$(ck_field log-tls-cert-verify evidence)" 'origin-a: certificate verification failed for 172\.16\.1\.1[12]\[172\.16\.1\.1[12]\]:25: untrusted issuer'
pf a -e 'smtp_tls_CAfile = /etc/postfix/tls/ca.pem'
scenario flush a >/dev/null
wait_log a 'Verified TLS connection established to 172\.16\.1\.1[12]' 30 >/dev/null || t_fail "A did not verify after the fix"
ck
assert_no_match "$CK_OUT" 'tls-verify-no-ca' "the finding stayed after the fix"
# the log line stays (15 minutes), no longer explained by a setting
assert_match "$CK_OUT" '^(info|warning) log-tls-cert-verify \[origin-a, relay-[cd]\]'
assert_no_match "$(ck_field log-tls-cert-verify what)" 'see tls-verify-no-ca'

# round 2: 465 without wrappermode, SASL without a map, no STARTTLS on C
pf b -e 'relayhost = [172.16.1.11]:465' 'smtp_sasl_auth_enable = yes' 'smtp_tls_security_level = may'
pf c -e 'smtpd_tls_security_level = none'
send_mail a relaytest@example.jp probe@dest.example check-tls-required >/dev/null
wait_log a 'TLS is required, but was not offered by host 172\.16\.1\.11\[172\.16\.1\.11\]' 30 >/dev/null ||
    t_fail "A did not log TLS is required"
ck
assert_eq "$CK_RC" 2 "exit status (round 2)"
got=$(ck_findings)
assert_eq "$got" "critical relayhost-wrappermode [origin-b, relay-c]
critical sasl-no-password-map [origin-b, relay-c]
critical tls-required-not-offered [relay-c, origin-a]
warning tls-cleartext [relay-c, origin-b]" "round 2 findings"
ck_log_sees
assert_eq "$(ck_field relayhost-wrappermode evidence)" "origin-b: relayhost = [172.16.1.11]:465, smtp_tls_wrappermode = no"
assert_eq "$(ck_field relayhost-wrappermode fix)" "origin-b main.cf: smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt"
assert_match "$(ck_field sasl-no-password-map fix)" '^origin-b main\.cf: smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd; in that file the line "\[172\.16\.1\.11\]:465 USER:PASSWORD"'
assert_eq "$(ck_field tls-required-not-offered evidence)" "origin-a: smtp_tls_security_level = verify; relay-c: smtpd_tls_security_level = none, smtpd_tls_cert_file = /etc/postfix/tls/cert.pem"
assert_match "$(ck_field tls-required-not-offered fix)" '^relay-c main\.cf: smtpd_tls_security_level = may'
assert_match "$CK_OUT" '^warning log-tls-failed \[origin-a, relay-c\]'
assert_match "$(ck_field log-tls-failed what)" 'requires TLS, which is not offered by relay-c \(see tls-required-not-offered\)'

# round 3: 587 with wrappermode
pf b -e 'relayhost = [172.16.1.11]:587' 'smtp_tls_wrappermode = yes'
ck
assert_match "$CK_OUT" '^critical relayhost-wrappermode \[origin-b, relay-c\]'
assert_match "$(ck_field relayhost-wrappermode what)" 'on port 587 with smtp_tls_wrappermode = yes'
assert_eq "$(ck_field relayhost-wrappermode fix)" "origin-b main.cf: smtp_tls_wrappermode = no (or relayhost on port 465)"

# round 4: C's certificate renewed for 7 days only: tls-cert-expiring
# (warning, read through the probe), gone with the lab's 60-day one back
t_cleanup 'scenario tls-cert-restore c'
scenario tls-cert-days c 7 >/dev/null
ck
assert_match "$CK_OUT" '^warning tls-cert-expiring \[relay-c\]'
assert_match "$(ck_field tls-cert-expiring what)" "relay-c's server certificate expires in 7 days"
assert_match "$(ck_field tls-cert-expiring evidence)" '^relay-c: smtpd_tls_cert_file = /etc/postfix/tls/cert\.pem, notAfter 20[0-9-]+ [0-9:]+ UTC$'
assert_eq "$(ck_field tls-cert-expiring fix)" "relay-c: renew /etc/postfix/tls/cert.pem (and smtpd_tls_key_file with it), then postfix reload"
scenario tls-cert-restore c >/dev/null

# undone: the clean TLS lab again
pf b -X smtp_sasl_auth_enable smtp_tls_wrappermode smtp_tls_security_level
scenario param-restore b relayhost >/dev/null
pf c -e 'smtpd_tls_security_level = may'
scenario flush a >/dev/null
# the failures of the rounds stay in the logs (15 minutes): without them
scenario clear-log a b c d
ck
assert_eq "$CK_RC" 0 "exit status after the undo"
assert_no_match "$(ck_findings)" 'tls-|sasl-|wrappermode' "a TLS/SASL finding after the undo"
t_ok
