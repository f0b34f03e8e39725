#!/bin/bash
# tests/data/captured/capture-rsyslog.sh - capture relay-c's log as Debian
# 12's rsyslog writes it (tests/lab/lab-up first): scenario rsyslog c
# (Postfix without maillog_file, rsyslogd's /var/log/mail.log with RFC 3339
# times), 5 mails from origin-a delivered by C, 2 refused open-relay
# attempts from the console. Leaves the lab normal (scenario rsyslog-off c).
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
trap 'S rsyslog-off c || true' EXIT
S rsyslog c
for i in 1 2 3 4 5; do send "rsyslog $i"; done
for i in 1 2; do "$lab/smtp-talk" console 172.16.1.11 25 x@example.org "refused$i@dest.example" >/dev/null || true; done
t=$((SECONDS + 60))
until (($(grep -c 'relay=172.16.30.25.*status=sent' "$STATE/c/log/mail.log" || true) >= 5)); do
    ((SECONDS < t)) || die "relay-c did not deliver 5 mails"
    sleep 0.5
done
sleep 1
cp "$STATE/c/log/mail.log" "$here/relay-c.mail-log.rsyslog.txt"
