#!/bin/bash
# tests/data/captured/capture-postmulti.sh - capture real Postfix output of a
# relay with two instances (tests/lab/lab-up first): `scenario postmulti c`
# (the default instance hands each mail to the second instance postfix-out
# on 127.0.0.1:10026, which delivers to dest; both log to C's maillog), 3
# mails from A by sendmail; then `postmulti -l` as the login and `postconf
# -c /etc/postfix-out` of the probe's parameters. Leaves the lab normal.
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
trap 'S reset a c || true' EXIT

S reset a c
S postmulti c
sleep 1
mark
for i in 1 2 3; do send "postmulti $i"; done
t=$((SECONDS + 60))
until (($(delivered) >= 3)); do ((SECONDS < t)) || die "only $(delivered) of 3 delivered"; sleep 0.5; done
sleep 2
since a >"$here/origin-a.maillog.postmulti.txt"
since c >"$here/relay-c.maillog.postmulti.txt"
X c su -s /bin/sh relayop -c 'postmulti -l' >"$here/relay-c.postmulti-l.txt"
echo "captured into $here"
