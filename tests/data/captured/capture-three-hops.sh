#!/bin/bash
# tests/data/captured/capture-three-hops.sh - capture real Postfix output of
# a chain three relays deep (tests/lab/lab-up first): `scenario three-hops`
# (the relays' relayhost = [172.16.1.13], the outbound relay outbound-e,
# whose mynetworks holds the relays), 2 mails from A delivered over A -> C
# -> E -> dest; the probe's parameters of C and E; then E's mynetworks
# without C, 1 mail: E refuses C (454 Relay access denied), C defers it.
# Leaves the lab normal (three-hops-off).
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
trap 'S three-hops-off || true; S reset a c || true' EXIT
PARAMS="myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version"
mark3() { local h; for h in a c e; do off[$h]=$(stat -c %s "$STATE/$h/log/maillog"); done; }
count() { since "$1" | grep -c "$2" || true; }
wait_count() { # wait_count HOST ERE N
    local t=$((SECONDS + 60))
    until (($(count "$1" "$2") >= $3)); do ((SECONDS < t)) || die "$1: fewer than $3 lines /$2/"; sleep 0.5; done
}

S reset a c
S three-hops
sleep 1
mark3
for i in 1 2; do send "three hops $i"; done
wait_count e 'relay=172.16.30.25.*status=sent' 2
sleep 2
since a >"$here/origin-a.maillog.three-hops.txt"
since c >"$here/relay-c.maillog.three-hops.txt"
since e >"$here/outbound-e.maillog.three-hops.txt"
X c postconf $PARAMS >"$here/relay-c.postconf-params.three-hops.txt"
X e postconf $PARAMS >"$here/outbound-e.postconf-params.txt"
S param e 'mynetworks = 127.0.0.1, 172.16.1.12'
mark3
send "three hops denied"
wait_count c 'relay=172.16.1.13.*status=deferred .*Relay access denied' 1
sleep 1
since a >"$here/origin-a.maillog.three-hops-denied.txt"
since c >"$here/relay-c.maillog.three-hops-denied.txt"
since e >"$here/outbound-e.maillog.three-hops-denied.txt"
echo "captured into $here"
