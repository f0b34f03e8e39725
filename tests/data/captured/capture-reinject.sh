#!/bin/bash
# tests/data/captured/capture-reinject.sh - capture real Postfix logs of a
# relay with a content filter that re-injects (tests/lab/lab-up first):
# `scenario content-filter c` (filter transport postfix-out/smtp to
# 127.0.0.1:10024, Postfix's own smtpd there as the filter, re-injection
# smtpd on 127.0.0.1:10025, submission on :587), then 3 mails from A by
# sendmail, 1 by SMTP to C's submission port, 1 refused at RCPT for an
# unknown user (NOQUEUE reject 550) and 1 from outside C's mynetworks (the
# console: Relay access denied). Leaves the lab in its normal state.
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
T() { "$lab/smtp-talk" "$@" >/dev/null; }
trap 'S reset a c d || true' EXIT

S reset a c d
S content-filter c
sleep 1
mark
for i in 1 2 3; do send "reinject $i"; done
T a 172.16.1.11 587 "$FROM" "$TO" reinject-submission
! T a 172.16.1.11 25 "$FROM" nosuchuser@localhost reinject-unknown-user || die "unknown user accepted"
! T console 172.16.1.11 25 "$FROM" "$TO" reinject-outside || die "relay from outside accepted"
t=$((SECONDS + 60))
until (($(delivered) >= 4)); do ((SECONDS < t)) || die "only $(delivered) of 4 delivered"; sleep 0.5; done
sleep 2
since a >"$here/origin-a.maillog.reinject.txt"
since c >"$here/relay-c.maillog.reinject.txt"
echo "captured into $here"
