#!/bin/bash
# e2e-once-first-contact: what one host's first contact costs the host, as
# its own sshd sees it. strace follows origin-a's sshd listener (-f: the
# connection's sshd, its re-exec, the login and probe shells) through one
# `relaytop --once` of origin-a alone, and counts the programs started.
# Each exec costs a loaded host more than the rest of a probe (BENCHMARKS.md:
# "First snapshot"), so these are pinned: no mktemp or rm (the resident's
# time mark waits for a second request, which --once never sends), no date
# (no rotated log to age), one stat (maillog = auto: the log it picks is in
# the stat of main.cf and the others), one postconf, no awk (origin-a's
# queue is empty after its test mail went: the shell sums up an empty
# queue itself), 10 in all. The snapshot is still whole: origin-a
# answered, with its log found and read.
. "$(dirname "$0")/lib.sh"
t_begin once-first-contact
cd "$REPO"

tmp=$(mktemp -d /tmp/e2e-first.XXXXXX)
chmod 755 "$tmp"
t_cleanup "rm -rf '$tmp'"
awk '/^\[/ { keep = ($0 == "[defaults]" || $0 == "[origin-a]") } keep' \
    assets/lab/hosts.ini >"$tmp/hosts.ini"
grep -q '^\[origin-a\]$' "$tmp/hosts.ini" || t_fail "no origin-a in the inventory"

# a line in the log for the first contact to read
rcpt="first-$$@dest.example"
send_mail a relaytest@example.jp "$rcpt" >/dev/null
wait_log a "to=<$rcpt>.*status=sent" 30 >/dev/null || t_fail "the test mail was not sent"
# and gone from the queue (removed just after it was sent)
for ((i = 0; i < 50; i++)); do
    [[ -z $(lab_exec a postqueue -j) ]] && break
    sleep 0.1
done
[[ -z $(lab_exec a postqueue -j) ]] || t_fail "origin-a's queue is not empty: $(lab_exec a postqueue -j | head -c 300)"

# origin-a's listening sshd: the sshd in its namespace whose parent is not
# an sshd (a connection's sshd is that one's child)
listener=
for p in $(ip netns pids "$LAB-a"); do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == sshd ]] || continue
    pp=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null) || continue
    [[ $(cat "/proc/$pp/comm" 2>/dev/null) == sshd ]] && continue
    listener=$p
done
[[ -n $listener ]] || t_fail "origin-a's sshd listener not found"

strace -f -qq -e trace=execve -o "$tmp/trace" -p "$listener" &
st=$!
t_cleanup "kill $st 2>/dev/null || true"
# attached once strace has written its output file and the tracee shows
# a tracer in its status
for ((i = 0; i < 50; i++)); do
    tp=$(awk '/^TracerPid:/ { print $2 }' "/proc/$listener/status")
    [[ -e $tmp/trace && $tp != 0 ]] && break
    sleep 0.1
done
[[ $tp != 0 ]] || t_fail "strace did not attach to sshd $listener"

rc=0
out=$(lab_console "$RELAYTOP" --hosts "$tmp/hosts.ini" --once 2>"$tmp/err") || rc=$?
san_check "$tmp/err" "once" || t_fail "sanitizer report"
# the session's processes end when relaytop disconnects: wait for the
# last one (its exit is in the trace) before stopping strace
sleep 1
kill "$st" 2>/dev/null || true
wait "$st" 2>/dev/null || true
assert_eq "$rc" 0 "relaytop --once exit status (out: $out; err: $(cat "$tmp/err"))"
assert_match "$out" "hosts 1  answered 1" "origin-a did not answer"
assert_match "$out" "sent [0-9:]+ to $rcpt " "the first contact did not read origin-a's log"

progs=$(exec_counts "$tmp/trace")
count() { exec_count "$progs" "$1"; }
total=$(awk '{ s += $1 } END { print s + 0 }' <<<"$progs")
t_note "first contact on origin-a: $total execs: $(tr '\n' ' ' <<<"$progs")"
assert_eq "$(count postconf)" 1 "postconf runs (execs: $progs)"
assert_eq "$(count mktemp)" 0 "mktemp runs (execs: $progs)"
assert_eq "$(count rm)" 0 "rm runs (execs: $progs)"
assert_eq "$(count date)" 0 "date runs (execs: $progs)"
assert_eq "$(count stat)" 1 "stat runs (execs: $progs)"
assert_eq "$(count awk)" 0 "awk runs, the queue empty (execs: $progs)"
# the whole budget (was 14 before the above): sshd's re-exec, the login
# shell and /bin/sh, stat, postconf, sed, grep, postqueue, sudo dd (the
# log)
((total <= 10)) || t_fail "first contact: $total programs started, more than 10: $(tr '\n' ' ' <<<"$progs")"
t_ok
