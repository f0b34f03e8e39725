#!/bin/bash
# e2e-fault-postfix: host-side faults give each host a clear state naming
# the cause in --once and --json, in one run (one fault per host):
#   origin-a  postfix_config = /nonexistent/postfix (simulates a missing
#             Postfix instance: postconf cannot read that config dir)
#   origin-b  sudo = no: the 0600 root maillog is unreadable
#   relay-c   Postfix stopped (scenario postfix-stop)
#   relay-d   sudo asks for a password: inside relay-d's own mount namespace
#             only, /etc/sudoers.d is bind-mounted over by a copy of the lab
#             rule without NOPASSWD (other hosts and labs unaffected)
# then auth refused: relay-d with an identity that is not in its
# authorized_keys -> auth failure, no other host affected; and Postfix not
# installed on relay-d: postconf hidden in relay-d's mount namespace only
# (an empty 0644 file bind-mounted over /usr/sbin/postconf) -> no-postfix.
# (Timeouts come from the inventory: `--timeout` is not applied, see
# pending-fault-once-timeout.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-postfix
tmp_ini; d=$T_DIR
ini=$d/hosts.ini
ini_set "$ini" defaults timeout 20
ini_set "$ini" origin-a postfix_config /nonexistent/postfix
ini_set "$ini" origin-b sudo no

# sudo mails root about the refused password attempts; those mails stay
# deferred on relay-d (no route for example.jp) and would show in later
# tests: empty relay-d's queue last of all
t_cleanup "scenario purge d >/dev/null"
t_cleanup "scenario postfix-start c >/dev/null"
scenario postfix-stop c >/dev/null
mkdir "$d/sudoers.d"
lab_exec d cat /etc/sudoers.d/relaytop | sed 's/NOPASSWD: *//' >"$d/sudoers.d/relaytop"
chmod 0440 "$d/sudoers.d/relaytop"
grep -q 'relayop ALL=(root) NOSETENV: ' "$d/sudoers.d/relaytop" || t_fail "sudoers copy"
t_cleanup "lab_exec d umount /etc/sudoers.d"
# precondition: a command line of the lab rule (the stat relaytop runs)
# runs without a password before the mount and asks for one after it (only
# on relay-d)
sudo_stat() { lab_exec "$1" su relayop -s /bin/sh -c 'sudo -n /usr/bin/stat -L -c %i.%s.%Y /var/log/maillog 2>&1'; }
assert_match "$(sudo_stat d)" '^[0-9]+\.[0-9]+\.[0-9]+$' "before the mount: sudo -n on relay-d"
lab_exec d mount --bind "$d/sudoers.d" /etc/sudoers.d
rc=0; got=$(sudo_stat d) || rc=$?
assert_eq "$rc" 1 "after the mount: sudo -n on relay-d: $got"
assert_match "$got" 'password is required' "after the mount: sudo -n on relay-d"
assert_match "$(sudo_stat c)" '^[0-9]+\.[0-9]+\.[0-9]+$' "after the mount: sudo -n on relay-c"


# rt_ini ARGS: relaytop on this test's inventory; tried again (3 tries at
# most) only in the documented "a host did not answer in time" case (exit
# 1 with a probe that timed out on this loaded machine), never otherwise
rt_ini() {
    local i r o
    for i in 1 2 3; do
        r=0
        o=$(lab_console "$RT" --hosts "$ini" "$@" 2>&1) || r=$?
        ((r == 1)) && grep -q 'probe failed: timed out' <<<"$o" || break
        echo "fault-postfix: try $i of $*: a probe timed out" >&2
    done
    printf '%s\n' "$o"
    return "$r"
}

rc=0
out=$(rt_ini --once) || rc=$?
echo "$out"
assert_match "$out" '^origin-b +origin +172\.16\.10\.6 +up'
assert_match "$out" 'origin-b: .*maillog unreadable: permission denied'
assert_match "$out" 'relay-c: .*Postfix is not running'
assert_match "$out" 'relay-d: \[sudo-password\] sudo -n refused /usr/bin/'
# the missing config dir: postconf's own error, under the problem's id
assert_match "$out" 'origin-a: \[queue-unreadable,probe-garbled\] postconf failed: postconf: fatal: open /nonexistent/postfix/main\.cf: No such file or directory'

rc=0
json=$(rt_ini --json) || rc=$?
check=$(python3 -c '
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}
def want(n, cond, what):
    if not cond: print(n, what, {k: v for k, v in h[n].items() if k not in ("settings", "queue")}); sys.exit(1)
want("origin-b", h["origin-b"]["answered"] and "log-unreadable" in h["origin-b"]["problems"], "log-unreadable")
want("relay-c", h["relay-c"]["answered"] and "postfix-stopped" in h["relay-c"]["problems"] and h["relay-c"]["postfix_running"] is False, "postfix-stopped")
want("relay-d", h["relay-d"]["answered"] and "sudo-password" in h["relay-d"]["problems"], "sudo-password")
a = h["origin-a"]
want("origin-a", a["answered"] and sorted(a["problems"]) == ["probe-garbled", "queue-unreadable"], "problems probe-garbled, queue-unreadable")
want("origin-a", a["problem_message"].startswith("postconf failed: postconf: fatal: open /nonexistent/postfix/main.cf: No such file or directory"), "the error of postconf for the missing config")
print("json ok")
' "$json") || t_fail "JSON: $check"

# auth refused: a key relay-d does not know
ssh-keygen -q -t ed25519 -N '' -f "$d/other_key"
chmod 0644 "$d/other_key"	# read by root in the console: fine
ini_set "$ini" relay-d identity "$d/other_key"
rc=0
out=$(rt_ini --once) || rc=$?
echo "$out"
assert_eq "$rc" 1 "exit status with auth refused"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +auth'
assert_match "$out" 'relay-d: .*(auth|publickey|denied)'
assert_no_match "$(grep -E '^relay-d' <<<"$out")" 'unreachable'

# Postfix not installed (postconf hidden on relay-d only)
ini_set "$ini" relay-d identity /etc/relaytop-lab/id_ed25519
: >"$d/nopostconf"
chmod 0644 "$d/nopostconf"
t_cleanup "lab_exec d umount /usr/sbin/postconf"
lab_exec d mount --bind "$d/nopostconf" /usr/sbin/postconf
rc=0
json=$(rt_ini --json) || rc=$?
check=$(python3 -c '
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}["relay-d"]
assert h["answered"] and "no-postfix" in h["problems"], h
assert "not installed" in h["problem_message"], h["problem_message"]
print("ok")
' "$json") || t_fail "no-postfix: $check"
t_ok
