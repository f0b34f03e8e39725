#!/bin/bash
# e2e-ui-hostkey: a host whose SSH host key no longer matches known_hosts is
# shown loudly as "HOST KEY CHANGED" (topology, table, detail with the
# reason) while the other hosts are up. relay-d's old key is restored.
. "$(dirname "$0")/lib.sh"
t_begin ui-hostkey

# --- console in tmux (same helpers in every e2e-ui-*.sh) ---
RT_SOCK=/tmp/rt-ui-$LAB-$$.sock
RELAYTOP=${RELAYTOP:-$REPO/relaytop}
# the server runs in the console namespace; a client reaches its socket
# directly when /tmp is shared, else from inside the namespace too
tm() { if [[ -S $RT_SOCK ]]; then tmux -S "$RT_SOCK" "$@"; else lab_console tmux -S "$RT_SOCK" "$@"; fi; }
screen() { tm capture-pane -p -t rt; }
rt_start() { # rt_start COLS ROWS [relaytop args]: relaytop in a detached pane
    local c=$1 r=$2
    shift 2
    lab_console tmux -S "$RT_SOCK" new-session -d -s rt -x "$c" -y "$r" \
        "cd '$REPO' && LANG=C.UTF-8 '$RELAYTOP' --hosts assets/lab/hosts.ini $*; echo RELAYTOP-EXIT=\$?; sleep 300"
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

t_cleanup 'scenario hostkey-restore d'
scenario hostkey-replace d
rt_start 120 40
wait_screen '^.relay-d +HOST KEY CHANGED' 30 || fail_screen "relay-d not shown with a changed host key"
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a not up"
s=$(screen)
assert_match "$s" '^.relay-d( !?[0-9]+)? +HOST KEY CHANGED +relay +172\.16\.1\.12 ' "table row of relay-d"
for h in origin-b relay-c; do
    assert_match "$s" "^.$h +up" "$h not up"
done
# the detail says why
tm send-keys -t rt Tab G Enter
wait_screen '^relay-d +relay +relayop@172\.16\.1\.12:22 +HOST KEY CHANGED' 5 || fail_screen "no detail for relay-d"
assert_match "$(screen)" '^connection: .*(HOST KEY|host key|known_hosts)' "the detail does not say what failed"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
