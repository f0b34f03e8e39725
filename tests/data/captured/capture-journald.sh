#!/bin/bash
# tests/data/captured/capture-journald.sh - capture real journalctl output
# of Postfix logging only to the journal (tests/lab/lab-up first): scenario
# journald on origin-a (Debian's unit postfix@-.service) and relay-c
# (RHEL's postfix.service), mails from A, and each read as relaytop's probe
# makes it (journalctl --no-pager -q -o short --show-cursor -u 'postfix*',
# first with -n 500, then --cursor=C of the read before): on and on, after
# journalctl --rotate and a vacuum of every archived file (C's own entry
# gone; --after-cursor=C of the same state beside it), and after a journald
# restart. Leaves the lab in its normal state (scenario reset a c).
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
trap 'S reset a c || true' EXIT
J() { X "$1" journalctl --no-pager -q -o short --show-cursor -u 'postfix*' "${@:2}"; }
# jsent HOST: deliveries to dest in HOST's journal (C: the relay's)
jsent() { X "$1" journalctl --no-pager -q -o short -u 'postfix*' | grep -c 'relay=172.16.30.25.*status=sent' || true; }
cursor_of() { sed -n 's/^-- cursor: //p' "$1" | tail -n 1; }
sendn() { local i; for ((i = 1; i <= $1; i++)); do send "journald $2 $i"; done; }
wait_sent() {
    local t=$((SECONDS + 60))
    until (($(jsent c) >= $1)); do ((SECONDS < t)) || die "only $(jsent c) of $1 delivered"; sleep 0.5; done
    sleep 1   # A's last lines (qmgr removed) follow C's delivery
}

S reset a c
S journald a debian
S journald c rhel
sendn 3 first; wait_sent 3
J a -n 500 >"$here/origin-a.journal.first.txt"
J c -n 500 >"$here/relay-c.journal.first.txt"
sendn 2 cursor; wait_sent 5
J a --cursor="$(cursor_of "$here/origin-a.journal.first.txt")" >"$here/origin-a.journal.cursor.txt"
c2=$(cursor_of "$here/origin-a.journal.cursor.txt")
S journald-vacuum a
sendn 2 vacuumed; wait_sent 7
J a --cursor="$c2" >"$here/origin-a.journal.vacuumed.txt"
J a --after-cursor="$c2" >"$here/origin-a.journal.after-cursor-vacuumed.txt"
c3=$(cursor_of "$here/origin-a.journal.vacuumed.txt")
S journald-restart a
sendn 1 restart; wait_sent 8
J a --cursor="$c3" >"$here/origin-a.journal.restart.txt"
echo "captured into $here"
