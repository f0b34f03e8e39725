#!/bin/bash
# e2e-fault-flood: a hostile origin-b whose sshd answers every command with
# an endless stream (ForceCommand cat /dev/zero) must not starve the other
# hosts: relaytop (--once, under strace, which slows the reader so the
# stream outruns it) reads at most its step budget plus the channel window
# libssh2 reads ahead (576 KiB in all) from one socket between two poll()
# calls, yet origin-a, relay-c and relay-d all answer and origin-b times
# out. origin-b's sshd_config is restored after.
. "$(dirname "$0")/lib.sh"
t_begin fault-flood
# a step takes its budget out of libssh2, which reads ahead up to the
# channel window and a chunk: 256 + 256 + 32 KiB, plus packet overhead
STEP_MAX=$((576 * 1024))
tmp=$(mktemp -d /tmp/e2e-flood.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"
HOSTS=$tmp/hosts.ini
sed 's/^timeout = .*/timeout = 8/' "$REPO/assets/lab/hosts.ini" >"$HOSTS"

cfg=/etc/ssh/sshd_config
lab_exec b sh -c "cp -p $cfg $cfg.rt-flood && printf 'Match User relayop\n\tForceCommand cat /dev/zero\n' >>$cfg"
t_cleanup "lab_exec b sh -c 'mv $cfg.rt-flood $cfg'; scenario sshd-stop b >/dev/null; scenario sshd-start b >/dev/null"
scenario sshd-stop b >/dev/null
scenario sshd-start b >/dev/null

rc=0
out=$(lab_console strace -f -qq -e trace=poll,recvfrom -e signal=none \
    -o "$tmp/trace" "$RELAYTOP" --hosts "$HOSTS" --once 2>&1) || rc=$?
echo "$out"
assert_eq "$rc" 1 "exit status with origin-b flooding"
for h in origin-a relay-c relay-d; do
    assert_match "$out" "^$h +[a-z]+ +[0-9.]+ +up " "$h starved"
done
assert_no_match "$out" '^origin-b +[a-z]+ +[0-9.]+ +up ' "origin-b answered a flood"
# bytes received on one socket between two poll() calls, the largest run
max=$(awk '/ poll\(/ { for (fd in run) if (run[fd] > max) max = run[fd]
        delete run; next }
    / recvfrom\(/ { fd = $2; sub(/^recvfrom\(/, "", fd); sub(/,.*/, "", fd)
        n = $NF; if (n + 0 > 0) { run[fd] += n; total += n } }
    END { for (fd in run) if (run[fd] > max) max = run[fd]
        print max + 0, total + 0 }' "$tmp/trace")
echo "largest read from one socket between polls, total read: $max bytes"
total=${max#* }; max=${max% *}
((total > 4 * STEP_MAX)) || t_fail "the flood was not read (${total} bytes): no test"
((max <= STEP_MAX)) || t_fail "read ${max} bytes between two polls (budget ${STEP_MAX})"
t_ok
