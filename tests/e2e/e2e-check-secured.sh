#!/bin/bash
# e2e-check-secured: the lab with all that issue 14 adds, on at once: TLS
# (scenario tls: the origins verify the relays' certificates against the lab
# CA), SASL on relay-d's 587 and 465 with origin-b as its smarthost client
# (scenario smarthost: [172.16.1.12]:587, a postmapped sasl_passwd), origin-a
# sending over IPv6 (scenario ipv6 a: [fd16:172::1:11], fallback
# [fd16:172::1:12]) and a third hop (scenario three-hops: the relays send to
# outbound-e). The doctor is content (--check exit 0: no critical, no
# warning), and a test mail from each origin is traced over three hops to
# delivered with the first hop's facts: A over IPv6, Verified TLS, no SASL;
# B on port 587 with TLS (Trusted: the smarthost scenario asks `encrypt`,
# which checks the chain but not the name) and SASL PLAIN. Everything is
# undone.
. "$(dirname "$0")/lib.sh"
t_begin check-secured
cd "$REPO"
INV=assets/lab/hosts-three-hops.ini
export ONCE_HOSTS=$INV RT_HOSTS=$INV
rt() { lab_console "$RELAYTOP" --hosts "$REPO/$INV" "$@"; }

t_cleanup 'scenario three-hops-off'
t_cleanup 'scenario ipv6-off a'
t_cleanup 'scenario sasl-off'
t_cleanup 'scenario smarthost-off'
t_cleanup 'scenario tls-off'
scenario tls >/dev/null
scenario smarthost >/dev/null
scenario ipv6 a >/dev/null
scenario three-hops >/dev/null

# A's first hop over IPv6 with TLS verified (the relays' certificates name
# their IPv6 addresses too); B's over 587, TLS at `encrypt`, with SASL
tr=$(rt --test-send origin-a --timeout 60 2>&1) || t_fail "test-send from origin-a: $tr"
echo "$tr"
assert_match "$tr" '-> relay-c \(fd16:172::1:11\[fd16:172::1:11\]:25, primary\)  sent  dsn 2\.0\.0 '
assert_match "$tr" '^         tls: Verified TLSv1\.[23] [A-Z0-9_]+  sasl no  ipv6 port 25$'
assert_match "$tr" '-> outbound-e \(172\.16\.1\.13\[172\.16\.1\.13\]:25, primary\)  sent  dsn 2\.0\.0 '
assert_match "$tr" '^  delivered: origin-a -> relay-c -> outbound-e -> 172\.16\.30\.25 '
tr=$(rt --test-send origin-b --timeout 60 2>&1) || t_fail "test-send from origin-b: $tr"
echo "$tr"
assert_match "$tr" '-> relay-d \(172\.16\.1\.12\[172\.16\.1\.12\]:587, primary\)  sent  dsn 2\.0\.0 '
assert_match "$tr" '^         tls: Trusted TLSv1\.[23] [A-Z0-9_]+  sasl yes PLAIN  ipv4 port 587$'
assert_match "$tr" '^  delivered: origin-b -> relay-d -> outbound-e -> 172\.16\.30\.25 '

# the doctor, with those mails in the logs: nothing to say above info
rc=0; chk=$(rt --check 2>&1) || rc=$?
echo "$chk"
assert_eq "$rc" 0 "--check on the secured three-hop dual-stack lab"
assert_no_match "$chk" '^(critical|warning) ' "a critical or warning finding on the clean secured lab"
t_ok
