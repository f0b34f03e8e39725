#!/bin/bash
# e2e-fault-stall: faults on relay-d while the console follows the lab.
# 1) relay-d's sshd session (relayop's processes in relay-d's namespace)
#    frozen with SIGSTOP in the middle of the refreshes: relay-d turns stale
#    or unreachable within its deadline (2 refreshes + timeout = 9 s; 30 s
#    allowed on a loaded machine), the other
#    hosts keep refreshing (stay "up") and keys still answer; after SIGCONT
#    relay-d is up again by itself.
# 2) sshd stopped and its sessions gone (host down, refused): unreachable;
#    sshd started again: up again by itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-stall
tmp_ini; d=$T_DIR

rt_start 120 40 "$d/hosts.ini"
wait_screen '^.relay-d +up' 30 || fail_screen "relay-d never came up"
wait_screen '^.origin-a +up' 10 || fail_screen "origin-a never came up"

# 1) freeze relay-d's session processes (only relay-d's namespace)
pids=$(host_pids d relayop | tr '\n' ' ')
[[ -n $pids ]] || t_fail "no relayop process on relay-d"
t_cleanup "kill -CONT $pids 2>/dev/null || true"
kill -STOP $pids
start=$SECONDS
wait_screen '^.relay-d +(stale|unreachable)' 30 || fail_screen "relay-d never went stale/unreachable while frozen"
took=$((SECONDS - start))
echo "relay-d stale/unreachable after ${took}s"
((took <= 30)) || t_fail "relay-d took ${took}s to leave up"
wait_screen_all 20 '^.relay-d +(stale|unreachable)' '^.origin-a +up' '^.origin-b +up' '^.relay-c +up' ||
    fail_screen "the other hosts must be up while relay-d is frozen"
# the console still answers keys
tm send-keys -t rt '?'
wait_screen 'States: up, stale' 5 || fail_screen "help did not open while relay-d is frozen"
tm send-keys -t rt Space
wait_screen '^Hosts ' 5 || fail_screen "help did not close"
kill -CONT $pids
wait_screen '^.relay-d +up' 40 || fail_screen "relay-d did not come back after SIGCONT"

# 2) host down: sshd stopped, its sessions ended
t_cleanup "scenario sshd-start d >/dev/null"
scenario sshd-stop d >/dev/null
for p in $(host_pids d relayop); do kill "$p" 2>/dev/null || true; done
wait_screen_all 30 '^.relay-d +unreachable' '^.relay-c +up' || fail_screen "relay-d not unreachable (relay-c up) with sshd down"
scenario sshd-start d >/dev/null
wait_screen '^.relay-d +up' 40 || fail_screen "relay-d did not recover when sshd came back"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
