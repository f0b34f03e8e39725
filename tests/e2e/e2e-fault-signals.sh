#!/bin/bash
# e2e-fault-signals: the console in tmux gets a resize storm (80 resizes in
# a loop) and still answers keys; then SIGINT, SIGTERM and SIGHUP (one run
# each): relaytop ends without a core (exit status not 128+SIGSEGV/SIGABRT/
# SIGBUS/SIGFPE), the pane leaves the alternate screen, `stty -a` in the
# pane is sane (icanon echo isig icrnl opost), and its SSH sessions close:
# no relayop session left on relay-d, and every host's sshd logged each of
# relaytop's sessions ending with relaytop's own disconnect message (not a
# dropped connection). SIGPIPE never kills relaytop:
# --log and --once writing into a pipe already closed exit by status, not
# by signal 13 (141).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-signals

bad_rc='^(134|135|136|139|141)$'
check_exit() { # check_exit SIG
    local s rc st
    wait_screen 'RELAYTOP-EXIT=' 15 || fail_screen "relaytop did not end on SIG$1"
    s=$(screen)
    rc=$(sed -nE 's/.*RELAYTOP-EXIT=([0-9]+).*/\1/p' <<<"$s" | head -n1)
    echo "SIG$1: exit $rc"
    [[ $rc =~ $bad_rc ]] && fail_screen "SIG$1: exit $rc (crash)"
    assert_eq "$(tm display-message -p -t rt '#{alternate_on}')" 0 "SIG$1: alternate screen left on"
    st=$(tm capture-pane -p -J -t rt | grep -E '^speed ' | head -n1)
    for f in icanon echo isig icrnl opost; do
        grep -Eq "(^| )$f( |$)" <<<"$st" || fail_screen "SIG$1: stty lacks $f"
    done
    # sessions closed: relay-d has no relayop process within a few seconds
    local i
    for ((i = 0; i < 20; i++)); do
        [[ -z $(host_pids d relayop) ]] && break
        sleep 0.5
    done
    [[ -z $(host_pids d relayop) ]] || t_fail "SIG$1: relayop session still open on relay-d"
    # and closed cleanly: each host's sshd saw relaytop's disconnect message
    local h
    for h in a b c d; do sshd_clean_closes "$h" "${mark[$h]}" 10; done
    tm kill-server 2>/dev/null || true
    rm -f "$RT_SOCK"
}

declare -A mark
for sig in INT TERM HUP; do
    for h in a b c d; do mark[$h]=$(sshd_mark "$h"); done
    rt_start 120 40 "$LAB_INI"
    wait_screen '^.relay-d +up' 30 || fail_screen "relay-d never came up"
    if [[ $sig == INT ]]; then
        for ((i = 0; i < 80; i++)); do
            tm resize-window -t rt -x $((60 + (i * 37) % 140)) -y $((10 + (i * 13) % 50))
        done
        tm resize-window -t rt -x 120 -y 40
        tm send-keys -t rt '?'
        wait_screen 'States: up, stale' 10 || fail_screen "no help after the resize storm"
        tm send-keys -t rt Space
        wait_screen '^Hosts ' 10 || fail_screen "help did not close after the resize storm"
        pid=$(rt_pid) || t_fail "relaytop died in the resize storm"
    fi
    pid=$(rt_pid) || fail_screen "no relaytop process"
    kill -"$sig" "$pid"
    check_exit "$sig"
done

# SIGPIPE: the reader is gone before relaytop writes
for i in $(seq 1 200); do cat "$REPO"/tests/data/captured/*.maillog.*.txt; done >"/tmp/rt-sigpipe-$$.log"
t_cleanup "rm -f /tmp/rt-sigpipe-$$.log"
for args in "" "--json"; do
    rc=$(bash -c "'$RT' --log /tmp/rt-sigpipe-$$.log $args 2>/dev/null | true; echo \${PIPESTATUS[0]}")
    echo "--log $args into a closed pipe: exit $rc"
    [[ $rc =~ $bad_rc ]] && t_fail "--log $args killed: exit $rc"
    rc=$(bash -c "'$RT' --log /tmp/rt-sigpipe-$$.log $args | head -c1 >/dev/null; echo \${PIPESTATUS[0]}")
    [[ $rc =~ $bad_rc ]] && t_fail "--log $args | head: exit $rc"
done
rc=$(lab_console bash -c "cd '$REPO'; '$RT' --hosts '$LAB_INI' --once 2>/dev/null | true; echo \${PIPESTATUS[0]}")
echo "--once into a closed pipe: exit $rc"
[[ $rc =~ $bad_rc ]] && t_fail "--once killed: exit $rc"
rc=$(lab_console bash -c "cd '$REPO'; '$RT' --hosts '$LAB_INI' --json | head -n1 >/dev/null; echo \${PIPESTATUS[0]}")
echo "--json | head -n1: exit $rc"
[[ $rc =~ $bad_rc ]] && t_fail "--json | head killed: exit $rc"
t_ok
