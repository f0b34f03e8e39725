#!/bin/bash
# e2e-real-rhel-rotate: origin-a logs as RHEL 9 does (scenario rsyslog a
# rhel: rsyslogd writes /var/log/maillog with traditional times, root 0600,
# read through sudo) and Debian's real logrotate rotates it with dateext
# while the console follows it: first by rename (maillog-YYYYMMDD, a new
# maillog created, HUP to rsyslogd: RHEL's postrotate), then by
# copytruncate (maillog-YYYYMMDD-EPOCH). Mails are sent before, right
# before each rotation (logged while the console is stopped, so not yet
# read) and after it, the one after the rename a traced test mail.
# origin-a's 15m sent counter on the console grows by exactly the number
# sent (nothing lost in a rotated file's unread tail, nothing counted
# twice), the trace ends delivered, --once --json counts what grep counts
# in the live file and the rotation just made (first contact reads the
# newest rotation modified in the last hour too), and --log on all the
# files what grep counts there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin real-rhel-rotate
LOGS=/run/relaytop-lab/$LAB/a/log
tmp_ini; d=$T_DIR

sent_a() {
    screen | grep -E '^.origin-a ' | grep -oE '[0-9]+/[0-9]+/[0-9]+/[0-9]+' | sed -n 1p | cut -d/ -f1
}
# wait_sent N SECONDS: until origin-a's sent counter is N
wait_sent() { wait_value sent_a "$1" "$2"; }
# all_sent: every mail of toks has its status=sent line in one of A's files
all_sent() {
    local tok id i
    for tok in "${toks[@]}"; do
        for ((i = 0; i < 120; i++)); do
            id=$(cat "$LOGS"/maillog* | sed -nE "s/^.* postfix\/cleanup\[[0-9]+\]: ([0-9A-Za-z]+): message-id=<$tok@relaytop-lab>\$/\1/p" | head -n1)
            [[ -n $id ]] && cat "$LOGS"/maillog* | grep -aE "postfix/smtp\[[0-9]+\]: $id: to=<probe@dest\.example>, .*status=sent" >/dev/null && break
            sleep 0.25
        done
        ((i < 120)) || t_fail "$tok not sent from origin-a"
    done
    toks=()
}
rotated() { # rotated ERE: the name of the rotation of maillog matching ERE
    local f
    for f in "$LOGS"/maillog-*; do [[ ${f##*/} =~ $1 ]] && { echo "${f##*/}"; return 0; }; done
    return 1
}
send_n() { local k; for ((k = 0; k < $1; k++)); do toks+=("$(send_mail a x@example.jp probe@dest.example rhel)"); done; }
# RHEL's logrotate stanza for the syslog files, with dateext
rotate() { # rotate rename|copytruncate
    local how=$1
    lab_exec a sh -c "cat >/run/lab-rsyslog/logrotate.conf" <<EOF
/var/log/maillog {
    dateext
    $([[ $how == copytruncate ]] && printf 'copytruncate\n    dateformat -%%Y%%m%%d-%%s' || printf 'create 0600 root root')
    rotate 4
    missingok
    sharedscripts
    postrotate
        kill -HUP \$(cat /run/lab-rsyslog/rsyslogd.pid) 2>/dev/null || true
    endscript
}
EOF
    lab_exec a /usr/sbin/logrotate -f -s /run/lab-rsyslog/logrotate.state /run/lab-rsyslog/logrotate.conf ||
        t_fail "logrotate ($how) failed"
}

t_cleanup "scenario rsyslog-off a"
t_cleanup "lab_exec a sh -c 'rm -f /var/log/maillog-*'"
scenario rsyslog a rhel
assert_eq "$(lab_exec a stat -c '%U:%G %a' /var/log/maillog)" "root:root 600" "maillog owner and mode"
assert_match "$(head -n1 "$LOGS/maillog")" '^[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} mail-a postfix/' "a traditional syslog line first"

rt_start 80 24 "$d/hosts.ini"
pid=
# shellcheck disable=SC2016 # expanded when the cleanup runs
t_cleanup '[[ -z $pid ]] || kill -CONT "$pid" 2>/dev/null || true'
wait_screen '^.origin-a +up' 30 || fail_screen "origin-a never came up"
wait_screen '^.origin-a .* 0/0/0/0 ' 10 || fail_screen "origin-a's counters do not start at 0"
toks=()
# unread_pair: 2 mails logged while the console does not read (stopped
# with SIGSTOP: no race with its refresh on a loaded machine); the caller
# rotates, then resume_rt lets it read again
unread_pair() {
    pid=$(rt_pid) || t_fail "no relaytop process in the pane"
    kill -STOP "$pid"
    send_n 2; all_sent
    want=$((want + 2))
}
resume_rt() { kill -CONT "$pid"; }
send_n 1; all_sent
want=1
wait_sent $want 30
# by rename: 2 mails logged and not yet read, then the rotation
unread_pair
assert_eq "$(sent_a)" $((want - 2)) "precondition: counted before the rename"
rotate rename
resume_rt
r1=$(rotated '^maillog-[0-9]{8}$') || t_fail "no maillog-YYYYMMDD after the dateext rename: $(ls "$LOGS")"
assert_eq "$(lab_exec a stat -c '%U:%G %a' /var/log/maillog)" "root:root 600" "new maillog owner and mode"
# the traced test mail, in the new file
out=$(lab_console "$RELAYTOP" --hosts "$d/hosts.ini" --test-send origin-a) || t_fail "test-send: $out"
assert_match "$out" 'delivered: origin-a -> relay-c -> 172\.16\.30\.25' "the trace from origin-a"
want=$((want + 1))
wait_sent $want 30
# by copytruncate: the same
unread_pair
assert_eq "$(sent_a)" $((want - 2)) "precondition: counted before the copy"
rotate copytruncate
resume_rt
r2=$(rotated '^maillog-[0-9]{8}-[0-9]+$') || t_fail "no maillog-YYYYMMDD-EPOCH after copytruncate: $(ls "$LOGS")"
wait_sent $want 30
# one more into the truncated file: --once reads the live file as it is
send_n 1; all_sent
want=$((want + 1))
wait_sent $want 30
sleep 3
assert_eq "$(sent_a)" $want "sent count after the rotations settled"
echo "rotations: $r1 $r2; origin-a sent $want"
json=$(lab_console "$RELAYTOP" --hosts "$d/hosts.ini" --once --json) || t_fail "--once --json failed"
live=$(grep -ac 'postfix/smtp\[[0-9]*\]: [0-9A-Za-z]*: to=<.*status=sent' "$LOGS/maillog")
assert_eq "$live" 1 "status=sent lines in the live maillog"
# first contact with a log just rotated: the newest rotation's tail too
prev=$(grep -ac 'postfix/smtp\[[0-9]*\]: [0-9A-Za-z]*: to=<.*status=sent' "$LOGS/$r2")
assert_eq "$(once_sent "$json" origin-a)" "$((prev + live))" "--once --json recent.sent of origin-a (the live file and $r2)"
# grep's truth on the three files, and --log's
cat "$LOGS/$r1" "$LOGS/$r2" "$LOGS/maillog" >"$d/all.log"
truth=$(grep -ac 'postfix/smtp\[[0-9]*\]: [0-9A-Za-z]*: to=<.*status=sent' "$d/all.log")
assert_eq "$truth" $want "status=sent lines in origin-a's rotated and live files"
lj=$("$RELAYTOP" --log "$d/all.log" --json) || t_fail "--log failed"
assert_eq "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["deliveries"]["sent"])' "$lj")" "$truth" "--log sent on the files"
tm send-keys -t rt q
t_ok
