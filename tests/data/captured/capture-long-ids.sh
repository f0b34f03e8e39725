#!/bin/bash
# tests/data/captured/capture-long-ids.sh - capture real Postfix output with
# enable_long_queue_ids = yes on origin-a and relay-c (tests/lab/lab-up
# first): mails from A until both logs hold an id with a 'z' inside its time
# part (Postfix's base-52 time alphabet includes 'z'), all delivered; then
# a queue of long ids (relays stopped) for postqueue -p. Leaves the lab in
# its normal state (scenario reset a c d).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../../lab
. "$lab/lib.sh"
need_root
lab_healthy || die "lab $LAB is not up and healthy"
X() { "$lab/lab-exec" "$@"; }
S() { "$lab/scenario" "$@" >/dev/null; }
FROM=relaytest@example.jp TO=probe@dest.example
declare -A off
mark() { local h; for h in a c; do off[$h]=$(stat -c %s "$STATE/$h/log/maillog"); done; }
since() { tail -c +"$((off[$1] + 1))" "$STATE/$1/log/maillog"; }
send() { printf 'From: %s\nTo: %s\nSubject: %s\n\ncaptured for relaytop tests\n' "$FROM" "$TO" "$1" |
    X a /usr/sbin/sendmail -f "$FROM" "$TO"; }
# An id whose time part holds a 'z': two 'z's (the inode part has none).
z_in_time() { since "$1" | grep -Eq ']: [0-9A-Za-z]*z[0-9A-Za-z]*z[0-9A-Za-z]*: '; }
delivered() { since c | grep -c 'relay=172.16.30.25.*status=sent' || true; }
trap 'S reset a c d || true' EXIT

S reset a c d
S param a 'enable_long_queue_ids = yes'
S param c 'enable_long_queue_ids = yes'
mark
n=0
until ((n >= 10)) && z_in_time a && z_in_time c; do
    ((n < 200)) || die "no 'z' in a time part after $n mails"
    for i in 1 2 3 4 5; do n=$((n + 1)); send "long ids $n"; done
    sleep 1
done
t=$((SECONDS + 60))
until (($(delivered) >= n)); do ((SECONDS < t)) || die "only $(delivered) of $n delivered"; sleep 0.5; done
sleep 2
since a >"$here/origin-a.maillog.long-ids.txt"
since c >"$here/relay-c.maillog.long-ids.txt"
echo "$n mails" >&2

# a queue of long ids: both relays stopped, 3 mails deferred on A, one held
S postfix-stop c; S postfix-stop d
mark
for i in 1 2 3; do send "long ids deferred $i"; done
until (($(since a | grep -c 'status=deferred' || true) >= 3)); do sleep 0.3; done
id=$(X a postqueue -j | sed -n 's/.*"queue_id": *"\([0-9A-Za-z]*\)".*/\1/p' | head -n1)
X a postsuper -h "$id"
sleep 1
X a postqueue -p >"$here/origin-a.postqueue-p.long-ids.txt"
X a postqueue -j >"$here/origin-a.postqueue-j.long-ids.txt"
S purge a
echo "captured into $here"
