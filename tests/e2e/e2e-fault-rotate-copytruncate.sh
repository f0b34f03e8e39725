#!/bin/bash
# e2e-fault-rotate-copytruncate: origin-a's maillog is rotated by
# copytruncate right after 2 test mails were logged and before the console's
# next read (refresh = 10 s makes that deterministic). The 2 "sent" lines then
# exist only in the copy (maillog.rt-rot3); the probe reads the copy from the
# old offset before the truncated file from 0, so origin-a's 15m sent counter
# grows by 2.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-rotate-copytruncate
ALOG=/run/relaytop-lab/$LAB/a/log/maillog
tmp_ini; d=$T_DIR
ini_set "$d/hosts.ini" defaults refresh 10

sent_a() {
    screen | grep -E 'origin +172\.16\.10\.5' | grep -oE '[0-9]+/[0-9]+/[0-9]+' | sed -n 2p | cut -d/ -f1
}
t_cleanup "lab_exec a sh -c 'rm -f /var/log/maillog.rt-rot3'"
rt_start 160 45 "$d/hosts.ini"
wait_screen '^.origin-a +up' 40 || fail_screen "origin-a never came up"
sleep 12 # one full refresh after the first
s0=$(sent_a)
[[ $s0 =~ ^[0-9]+$ ]] || fail_screen "no sent counter for origin-a"
n0=$(grep -ac 'status=sent' "$ALOG" || true)
send_mail a x@example.jp probe@dest.example rotate >/dev/null
send_mail a x@example.jp probe@dest.example rotate >/dev/null
for ((i = 0; i < 40; i++)); do
    (($(grep -ac 'postfix/smtp\[.*status=sent' "$ALOG" || true) >= n0 + 2)) && break
    sleep 0.25
done
lab_exec a sh -c 'cp /var/log/maillog /var/log/maillog.rt-rot3 && : >/var/log/maillog'
sleep 25 # two more refreshes
echo "sent before $s0, after $(sent_a)"
assert_eq "$(sent_a)" $((s0 + 2)) "sent counter after copytruncate (lines only in the copy were lost)"
tm send-keys -t rt q
t_ok
