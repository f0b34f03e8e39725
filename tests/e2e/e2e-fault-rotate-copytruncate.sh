#!/bin/bash
# e2e-fault-rotate-copytruncate: origin-a's maillog is rotated by
# copytruncate right after 2 mails were logged and before the console's next
# read, so their "sent" lines exist only in the copy (maillog.rt-rot3); the
# probe reads the copy from the old offset before the truncated file from 0,
# so origin-a's 15m sent counter grows by exactly 2.
# No timing is assumed: origin-a's log starts empty; with refresh = 30 s, a
# first mail's count going up (read at once: the console's "r") marks a
# read that just happened; then 2 mails are sent and the preconditions
# checked right before the copy (counter unchanged, both lines in the live
# file) and after it (both lines only in the copy), then "r" again; every
# wait is on a condition, with a time-out that fails (a refresh that "r"
# could not start, a host's run already under way, is the timed one).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-rotate-copytruncate
ALOG=/run/relaytop-lab/$LAB/a/log/maillog
ACOPY=/run/relaytop-lab/$LAB/a/log/maillog.rt-rot3
tmp_ini; d=$T_DIR
ini_set "$d/hosts.ini" defaults refresh 30

sent_a() {
    screen | grep -E 'origin +172\.16\.10\.5' | grep -oE '[0-9]+/[0-9]+/[0-9]+' | sed -n 2p | cut -d/ -f1
}
# wait_sent N SECONDS: until origin-a's sent counter is N
wait_sent() { wait_value sent_a "$1" "$2"; }
# sent_lines FILE: "status=sent" lines of origin-a's smtp for this test's mails
sent_lines() { grep -a "postfix/smtp\[.*status=sent" "$1" | grep -aFf "$d/ids" || true; }
# send_one: a mail from origin-a; waits for its status=sent, keeps its id
send_one() {
    local tok id
    tok=$(send_mail a x@example.jp probe@dest.example rotate)
    id=$(log_queue_id a "message-id=<$tok@relaytop-lab>" 20) || t_fail "mail $tok not logged on origin-a"
    wait_log a "$id: to=<probe@dest\.example>, .*status=sent" 20 >/dev/null || t_fail "mail $id not sent"
    echo "$id:" >>"$d/ids"
}

t_cleanup "lab_exec a sh -c 'rm -f /var/log/maillog.rt-rot3'"
: >"$d/ids"
# an empty log to start from: no earlier mail leaves the 15 min window
# while the test runs
scenario clear-log a
rt_start 160 45 "$d/hosts.ini"
wait_screen '^.origin-a +up' 40 || fail_screen "origin-a never came up"
s0=$(sent_a)
assert_eq "$s0" 0 "sent counter of an empty maillog"

# a read just happened when the first mail's count shows
send_one
tm send-keys -t rt r
wait_sent $((s0 + 1)) 45
# 2 mails, then the copy, well before the next read (30 s away)
send_one
send_one
assert_eq "$(sent_a)" $((s0 + 1)) "precondition: the 2 mails were counted before the copy"
assert_eq "$(sent_lines "$ALOG" | wc -l)" 3 "precondition: sent lines in the live maillog"
lab_exec a sh -c 'cp /var/log/maillog /var/log/maillog.rt-rot3 && : >/var/log/maillog'
assert_eq "$(sent_lines "$ALOG" | wc -l)" 0 "after the copy: sent lines left in the live maillog"
assert_eq "$(sent_lines "$ACOPY" | wc -l)" 3 "after the copy: sent lines in maillog.rt-rot3"
assert_eq "$(sent_a)" $((s0 + 1)) "precondition: counted before the copy"
# the next read finds them in the copy
tm send-keys -t rt r
wait_sent $((s0 + 3)) 45
echo "sent before $s0, after $(sent_a)"
assert_eq "$(sent_a)" $((s0 + 3)) "sent counter after copytruncate (lines only in the copy were lost or counted twice)"
tm send-keys -t rt q
t_ok
