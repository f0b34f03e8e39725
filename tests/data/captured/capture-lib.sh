# tests/data/captured/capture-lib.sh - sourced by the capture-*.sh scripts:
# the lab's lib.sh, checks, and helpers over origin-a and relay-c's logs.
# X HOST CMD... (lab-exec), S SCENARIO... (quiet), mark (log offsets of a
# and c), since HOST (the log since mark), send SUBJECT (a mail from A by
# sendmail), delivered (C's deliveries to dest since mark).
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
delivered() { since c | grep -c 'relay=172.16.30.25.*status=sent' || true; }
