#!/bin/bash
# e2e-ssh-queued-data: bytes that wait inside libssh2 are read at once. A
# libssh2 read of one stream drains the socket for every stream and channel,
# so what a host sends while the transport reads stderr can sit in
# libssh2's queue with nothing left on the socket for poll() to report (on
# the 500-host bench fleet: a resident probe's answer, then a 60 s wait for
# its deadline). The read-gap shim (tests/shim/read-gap.c, LD_PRELOAD)
# makes each stderr read wait 400 ms; origin-a runs `sleep 1; echo a;
# sleep 0.6; echo b` through the transport alone (build/tools/sshc-run):
# "b", the exit status and the channel's close then come during the stderr
# read of a pass that found nothing new. The command must end with exit 0
# and both lines well before its 8 s deadline; a transport that waits for
# poll() alone times out holding "a" only.
. "$(dirname "$0")/lib.sh"
t_begin ssh-queued-data
cd "$REPO"

shim=$REPO/build/shim/read-gap.so
run=$REPO/build/tools/sshc-run
[[ -x $run && -f $shim ]] || t_fail "$run or $shim missing (make tools)"
out=$(lab_console env LD_PRELOAD="$shim" READ_GAP_MS=400 "$run" -t 8000 \
    assets/lab/hosts.ini origin-a 'sleep 1; echo a; sleep 0.6; echo b' 2>&1) || true
echo "$out" | sed -n '/cmd 0:/p'
line=$(grep -m1 'cmd 0:' <<<"$out") || t_fail "sshc-run gave no result: $out"
assert_match "$line" ' exit=0 error=ok ' "the command did not end (its data waited inside libssh2): $line"
assert_match "$line" ' out=4 err=0' "not both lines read: $line"
ms=$(sed -n 's/.* elapsed=\([0-9]*\)ms.*/\1/p' <<<"$line")
((ms < 6000)) || t_fail "the command ended only after ${ms} ms (deadline 8000): $line"
grep -qx 'b' <<<"$out" || t_fail "\"b\" not in the output: $out"
t_ok
