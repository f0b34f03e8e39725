#!/bin/bash
# e2e-hostile-times: log lines dated 1969 and 9999 (RFC 3339, as a remote
# syslog writes them) in origin-a's maillog, then an ordinary one: `--once`
# neither writes outside the per-minute counters (run with
# RELAYTOP=build-asan/relaytop, UBSan aborted on it) nor lets the 9999 line
# hold the last outcome: the ordinary line after it is origin-a's LAST
# OUTCOME. The lines are removed again in place afterwards.
. "$(dirname "$0")/lib.sh"
t_begin hostile-times
cd "$REPO"

qid=$(fake_qid)
t_cleanup "lab_exec a sh -c 'f=/var/log/maillog; grep -a -v -- $qid \$f >\$f.rt-t; cat \$f.rt-t >\$f; rm -f \$f.rt-t'"
lab_exec a sh -c "
line() { printf '%s mail-a postfix/smtp[4242]: ${qid}%s: to=<%s@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (connect to dest.example: Connection refused)\n' \"\$1\" \"\$2\" \"\$3\"; }
{ line 1969-12-31T23:59:00Z 1 old-$qid
  line 0000-01-01T00:00:00-12:00 2 older-$qid
  line 9999-12-31T23:59:59+14:00 3 future-$qid
  line \"\$(date '+%b %d %H:%M:%S')\" 4 fresh-$qid; } >>/var/log/maillog"

rc=0
out=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --once 2>&1) || rc=$?
echo "$out"
assert_no_match "$out" 'runtime error|AddressSanitizer' "sanitizer report"
assert_eq "$rc" 0 "exit status"
assert_match "$out" "^origin-a .* deferred [0-9:]+ to fresh-$qid@dest\.example" "the 9999 line held the last outcome"
t_ok
