# tests/e2e/ui-lib.sh - drive the console in tmux inside the lab's console
# namespace (sourced by tests/e2e/e2e-ui-*.sh after lib.sh).
#   rt_start COLS ROWS [ARGS]   relaytop --hosts assets/lab/hosts.ini (or $RT_HOSTS) ARGS in
#                               a detached pane (ends with RELAYTOP-EXIT=N)
#   tm TMUX-ARGS...             tmux on that server;  screen: the pane's text
#   wait_screen ERE [TIMEOUT]   until the screen matches; fail_screen MSG
#   console_sent ERE            the 15-minute sent count of the host row
#                               matching ERE (e.g. ROW_C: role and IP)
#   ac_start                    rt_start 160 45, origin-a and relay-c up,
#                               their sent counts in KA0 and KC0
#   ac_sent_is N                until both count N more than KA0, KC0
RT_SOCK=/tmp/rt-ui-$LAB-$$.sock
# the server runs in the console namespace; a client reaches its socket
# directly when /tmp is shared, else from inside the namespace too
tm() { if [[ -S $RT_SOCK ]]; then tmux -S "$RT_SOCK" "$@"; else lab_console tmux -S "$RT_SOCK" "$@"; fi; }
screen() { tm capture-pane -p -t rt; }
rt_start() { # rt_start COLS ROWS [relaytop args]: relaytop in a detached pane
    local c=$1 r=$2
    shift 2
    lab_console tmux -S "$RT_SOCK" new-session -d -s rt -x "$c" -y "$r" \
        "cd '$REPO' && LANG=C.UTF-8 '$RELAYTOP' --hosts ${RT_HOSTS:-assets/lab/hosts.ini} $*; echo RELAYTOP-EXIT=\$?; sleep 300"
    t_cleanup "tm kill-server 2>/dev/null || true; rm -f '$RT_SOCK'"
}
wait_screen() { # wait_screen ERE [TIMEOUT]: until the screen matches
    local i
    for ((i = 0; i < ${2:-20} * 4; i++)); do
        grep -Eq -- "$1" <<<"$(screen)" && return 0
        sleep 0.25
    done
    return 1
}
fail_screen() { t_fail "$1; screen was:"$'\n'"$(screen)"; }
console_sent() {
    screen | grep -E "$1" | grep -oE '[0-9]+/[0-9]+/[0-9]+' | sed -n 2p | cut -d/ -f1
}
ROW_A='origin +172\.16\.10\.5' ROW_C='relay +172\.16\.1\.11'
ac_start() { # not in $(...): rt_start registers its cleanup in this shell
    rt_start 160 45
    wait_screen '^.origin-a +up' 30 || fail_screen "origin-a never came up"
    wait_screen '^.relay-c +up' 30 || fail_screen "relay-c never came up"
    sleep 2
    KA0=$(console_sent "$ROW_A") KC0=$(console_sent "$ROW_C")
    [[ $KA0 =~ ^[0-9]+$ && $KC0 =~ ^[0-9]+$ ]] || fail_screen "no sent counters"
}
# ac_sent_is N: the console counts N more sent on A and on C than at
# ac_start, within 30 s; more than N fails at once (a count once above N
# stays above: a last call after more refreshes sees any double count)
ac_sent_is() {
    local t=$((SECONDS + 30)) a c
    while :; do
        a=$(console_sent "$ROW_A") c=$(console_sent "$ROW_C")
        [[ $a == $((KA0 + $1)) && $c == $((KC0 + $1)) ]] && break
        [[ $a =~ ^[0-9]+$ && $c =~ ^[0-9]+$ ]] && ((a > KA0 + $1 || c > KC0 + $1)) &&
            fail_screen "console: counted more than $1 (A $KA0 -> $a, C $KC0 -> $c)"
        ((SECONDS < t)) || fail_screen "console: want $1 more sent on A ($KA0 -> $a) and C ($KC0 -> $c)"
        sleep 0.5
    done
    echo "console: $1 more sent on A and C"
}
