#!/bin/bash
# e2e-priv-sudoers: the lab's sudo rule is exactly what `relaytop --sudoers`
# prints (visudo accepts it); under it, as the operator account on a lab
# host, nothing but relaytop's fixed command lines runs as root: dd with
# of=, dd or cat or stat of another file, journalctl with a pager or with
# SYSTEMD_PAGER set, postqueue/tail/sh through sudo are refused, postsuper
# only on the queue operations' four fixed lines (ids on stdin: "-d -";
# "-d ALL", another queue, -c, -s refused) and postcat -ehq ID, awk
# with the fixed keys-only program on sasl_passwd (not its .db),
# a symlink named like a rotation does not leak its target; the exact lines
# relaytop runs are allowed. relaytop reads every lab log through sudo
# (--json maillog_read "sudo", the console's detail "(read sudo)", no
# sudo-password problem), and a log the login can read itself without sudo
# ("direct").
. "$(dirname "$0")/lib.sh"
t_begin priv-sudoers
# sudo mails root about every refused command: those mails go from origin-a
# to relay-c and stay deferred there (no route for example.jp); once
# origin-a's queue is empty, empty relay-c's, last of all
t_cleanup 'for _w in $(seq 100); do [[ -z $(lab_exec a postqueue -j) ]] && break; sleep 0.2; done; scenario purge a >/dev/null; scenario purge c >/dev/null'
t_cleanup "rm -f /tmp/rt-priv-x"
ini=$REPO/assets/lab/hosts.ini

# as ARGS: a shell command line run as the operator on origin-a
as() { lab_exec a su "$OPERATOR" -s /bin/sh -c "cd / && $1"; }
OPERATOR=relayop
# refused CMD: sudo itself says no (not the command failing)
refused() {
    local err rc=0
    err=$(as "$1" 2>&1 >/dev/null) || rc=$?
    ((rc != 0)) || t_fail "sudo ran: $1"
    grep -q '^sudo: ' <<<"$err" || t_fail "not refused by sudo: $1: $err"
}
# allowed CMD: runs with status 0
allowed() { as "$1" >/dev/null || t_fail "refused: $1"; }
# passes CMD: sudo lets it run (the command itself may fail)
passes() {
    local err
    err=$(as "$1" 2>&1 >/dev/null) || true
    ! grep -q '^sudo: ' <<<"$err" || t_fail "refused by sudo: $1: $err"
}

# the rule in the host is the printed one, and it validates
want=$(lab_console "$RELAYTOP" --sudoers --hosts "$ini" | grep -v '^#')
got=$(lab_exec a cat /etc/sudoers.d/relaytop | grep -v '^#')
assert_eq "$got" "$want" "lab rule differs from relaytop --sudoers"
assert_match "$got" 'dd \^if'
lab_exec a visudo -qcf /etc/sudoers.d/relaytop || t_fail "visudo -c refuses the rule"
assert_eq "$(lab_exec a ls /etc/sudoers.d)" relaytop "only relaytop's rule in the host"
# assets/sudoers.example is what --sudoers prints for the example inventory
(cd "$REPO" && "$RELAYTOP" --sudoers --hosts assets/hosts.example.ini | cmp -s - assets/sudoers.example) ||
    t_fail "assets/sudoers.example differs from relaytop --sudoers --hosts assets/hosts.example.ini"

# what relaytop runs is allowed
allowed '/usr/bin/sudo -n /usr/bin/cat /var/spool/postfix/pid/master.pid'
allowed '/usr/bin/sudo -n /usr/bin/stat -L -c %i.%s.%Y /var/log/maillog'
allowed '/usr/bin/sudo -n /usr/bin/dd if=/var/log/maillog iflag=nofollow bs=4096 skip=0 count=1'
# (no journald in the lab: journalctl runs and fails on its own)
passes "sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' -n 500"
passes "sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' --cursor='s=0a1b;i=2f;b=9c;m=1;t=5f;x=77'"

# dd: no of=, no other file, no other options
refused 'sudo -n /usr/bin/dd if=/var/log/maillog of=/tmp/rt-priv-x'
refused 'sudo -n /usr/bin/dd of=/etc/sudoers'
refused 'sudo -n /usr/bin/dd if=/var/log/maillog iflag=nofollow bs=4096 skip=0 count=1 of=/etc/sudoers'
refused 'sudo -n dd if=/etc/shadow iflag=nofollow bs=4096 skip=0 count=1'
refused 'sudo -n /usr/bin/dd if=/var/log/maillog.1/../../../etc/shadow iflag=nofollow bs=4096 skip=0 count=1'
refused 'sudo -n /usr/bin/dd if=/var/log/maillog bs=4096 skip=0 count=1 conv=notrunc'
refused 'sudo -n /usr/bin/dd if=/var/log/maillog.2.gz iflag=nofollow bs=4096 skip=0 count=1'
[[ ! -e /tmp/rt-priv-x ]] || t_fail "dd wrote a file"
# cat, stat: only master.pid, only the log
refused 'sudo -n /usr/bin/cat /etc/shadow'
refused 'sudo -n cat /var/spool/postfix/pid/master.pid /etc/shadow'
refused 'sudo -n /usr/bin/stat -L -c %i.%s.%Y /etc/shadow'
refused 'sudo -n /usr/bin/stat /var/log/maillog'
refused 'sudo -n /usr/bin/stat -L -c %i.%s.%Y /var/log/maillog /etc/shadow'
# journalctl: never a pager, never the environment
refused 'sudo -n /usr/bin/journalctl'
refused "sudo -n /usr/bin/journalctl -q -o short --show-cursor -u 'postfix*' -n 5"
refused "sudo -n SYSTEMD_PAGER='touch /tmp/rt-priv-pager' /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' -n 5"
refused "sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' -n 5 --pager-end"
t_cleanup "lab_exec a rm -f /tmp/rt-priv-pager"
as "PAGER='touch /tmp/rt-priv-pager' SYSTEMD_PAGER='touch /tmp/rt-priv-pager' sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' -n 5 >/dev/null 2>&1" || true
assert_fail lab_exec a test -e /tmp/rt-priv-pager
# Postfix's tools and anything else: never through sudo
refused 'sudo -n /usr/sbin/postqueue -p'
refused 'sudo -n /usr/sbin/postsuper -d ALL'
# the queue operations: postsuper on four fixed lines, the ids on stdin
for f in -h -H -r -d; do allowed "printf '' | sudo -n /usr/sbin/postsuper $f -"; done
refused 'sudo -n /usr/sbin/postsuper -d - deferred'
refused 'sudo -n /usr/sbin/postsuper -d 0123456789A'
refused 'sudo -n /usr/sbin/postsuper -c /tmp -d -'
refused 'sudo -n /usr/sbin/postsuper -s'
refused 'sudo -n /usr/sbin/postsuper -p'
# the queue view's headers: postcat -ehq and one queue id, nothing else
passes 'sudo -n /usr/sbin/postcat -ehq 0123456789A'
refused 'sudo -n /usr/sbin/postcat -ehq 0123456789A /etc/shadow'
refused 'sudo -n /usr/sbin/postcat /etc/shadow'
refused 'sudo -n /usr/sbin/postcat -c /tmp -ehq 0123456789A'
refused 'sudo -n /usr/sbin/postcat -ehq ../../etc/shadow'
# a password map's keys: awk with the one fixed program, on the two usual
# names of the SASL map; another program, file (its .db) or option refused
passes "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/postfix/sasl_passwd"
passes "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/postfix/sasl/sasl_passwd"
refused "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/postfix/sasl_passwd.db"
refused "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/postfix/sasl/sasldb2"
refused "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/shadow"
refused "sudo -n /usr/bin/awk '{print \$0}' /etc/postfix/sasl_passwd"
refused "sudo -n /usr/bin/awk '/^[!-~]/{print \$1}' /etc/postfix/sasl_passwd /etc/shadow"
refused "sudo -n /usr/bin/awk -f /etc/postfix/sasl_passwd /etc/postfix/sasl_passwd"
refused "sudo -n /usr/bin/awk 'BEGIN{system(\"id\")}' /etc/postfix/sasl_passwd"
refused 'sudo -n /usr/sbin/postconf -e relayhost=x'
refused 'sudo -n /usr/bin/tail /var/log/maillog'
refused 'sudo -n /bin/sh -c id'
# a symlink named like a rotation: sudo lets dd run, nofollow stops it
t_cleanup "lab_exec a rm -f /var/log/maillog.rt-evil"
lab_exec a ln -sf /etc/shadow /var/log/maillog.rt-evil
leak=$(as 'sudo -n /usr/bin/dd if=/var/log/maillog.rt-evil iflag=nofollow bs=4096 skip=0 count=1 2>&1' || true)
assert_no_match "$leak" 'root:' "dd followed the symlink"
assert_match "$leak" 'Too many levels of symbolic links'

# relaytop under the rule: every log read through sudo, no sudo problem
json=$(once --json) || t_fail "--json exit $?"
check=$(python3 -c '
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}
for n, x in h.items():
    assert x["answered"], n
    assert "sudo-password" not in x["problems"], (n, x["problem_message"])
    assert x["maillog"] == "/var/log/maillog" and x["maillog_read"] == "sudo", (n, x["maillog"], x["maillog_read"])
print("ok")
' "$json" 2>&1) || t_fail "JSON under the rule: $check"
# the console's host detail says it too
. "$E2E_DIR/ui-lib.sh"
rt_start 160 40
wait_screen 'origin-a +up' 30 || fail_screen "console did not come up"
tm send-keys -t rt Enter
wait_screen 'maillog: /var/log/maillog \(read sudo\)' 20 || fail_screen "detail does not say how the log is read"
tm kill-server 2>/dev/null || true
# a log the login can read: no sudo for it
t_cleanup "lab_exec b chmod 0600 /var/log/maillog"
lab_exec b chmod 0644 /var/log/maillog
json=$(once --json) || t_fail "--json exit $?"
check=$(python3 -c '
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}
assert h["origin-b"]["maillog_read"] == "direct", h["origin-b"]["maillog_read"]
assert h["origin-a"]["maillog_read"] == "sudo", h["origin-a"]["maillog_read"]
print("ok")
' "$json" 2>&1) || t_fail "JSON with a readable log: $check"
# the journal: no journald on these hosts (e2e-real-journald runs a real
# one): the host says it has none, no sudo problem
tmp=$(mktemp -d)
t_cleanup "rm -rf '$tmp'"
sed 's/^maillog = auto$/maillog = journal/' "$ini" >"$tmp/hosts.ini"
grep -q '^maillog = journal$' "$tmp/hosts.ini" || t_fail "journal inventory"
json=$(lab_console "$RELAYTOP" --hosts "$tmp/hosts.ini" --json) || true
check=$(python3 -c '
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}
a = h["origin-a"]
assert a["answered"] and a["maillog"] == "journal", (a["answered"], a["maillog"])
assert "sudo-password" not in a["problems"], a["problem_message"]
assert "log-none" in a["problems"] and "sudo" not in a["problem_message"], a["problem_message"]
print("ok")
' "$json" 2>&1) || t_fail "JSON with the journal: $check"
t_ok
