# shellcheck shell=bash
# tests/e2e/fault-lib.sh - shared helpers of the e2e-fault-*/e2e-hostile-*
# tests (sourced after lib.sh): the console in tmux, temp inventories and
# the processes of one lab host.
#   rt_start COLS ROWS INI [ARGS]   relaytop console in a detached tmux pane;
#                                   after it exits the pane prints
#                                   RELAYTOP-EXIT=N and the pane's stty -a
#   tm ARGS / screen / wait_screen ERE [S] / fail_screen MSG / rt_pid
#   tmp_ini  -> sets T_DIR, a fresh dir (removed on exit) holding hosts.ini,
#               a copy of the lab inventory; ini_set FILE SECTION KEY VALUE
#   host_pids HOST [USER]  pids in HOST's namespaces (optionally of USER)
RT=${RELAYTOP:-$REPO/relaytop}
LAB_INI=$REPO/assets/lab/hosts.ini

. "$(dirname "${BASH_SOURCE[0]}")/ui-lib.sh"	# tm, screen, wait_screen, fail_screen
# rt_start COLS ROWS INI [ARGS]: as ui-lib's, with any inventory, and the
# pane's stty -a printed after relaytop exits
rt_start() {
    local c=$1 r=$2 ini=$3
    shift 3
    lab_console tmux -S "$RT_SOCK" new-session -d -s rt -x "$c" -y "$r" \
        "cd '$REPO' && LANG=C.UTF-8 '$RT' --hosts '$ini' $*; echo RELAYTOP-EXIT=\$?; stty -a | tr '\n' ' '; echo; sleep 300"
    t_cleanup "tm kill-server 2>/dev/null || true; rm -f '$RT_SOCK'"
}
# rt_pid: the relaytop process of the pane (a child of the pane's shell)
rt_pid() { pgrep -P "$(tm display-message -p -t rt '#{pane_pid}')" -x relaytop; }

tmp_ini() { # not in $(...): the cleanup must be registered in this shell
    T_DIR=$(mktemp -d /tmp/e2e-fault.XXXXXX)
    chmod 0755 "$T_DIR"
    t_cleanup "rm -rf '$T_DIR'"
    cp "$LAB_INI" "$T_DIR/hosts.ini"
}
# ini_set FILE SECTION KEY VALUE: set (or add) KEY in [SECTION]
ini_set() {
    python3 - "$@" <<'PY'
import sys
f, sec, key, val = sys.argv[1:5]
out, cur, done = [], None, False
lines = open(f).read().rstrip("\n").split("\n")
for i, l in enumerate(lines):
    s = l.strip()
    if s.startswith("[") and s.endswith("]"):
        if cur == sec and not done:
            out.append(f"{key} = {val}"); done = True
        cur = s[1:-1]
    elif cur == sec and s.split("=")[0].strip() == key:
        if not done:
            out.append(f"{key} = {val}"); done = True
        continue
    out.append(l)
if not done:
    if cur != sec:
        out.append(f"[{sec}]")
    out.append(f"{key} = {val}")
open(f, "w").write("\n".join(out) + "\n")
PY
}

host_pids() {
    local p u
    for p in $(ip netns pids "$LAB-$1" 2>/dev/null); do
        if [[ -n ${2:-} ]]; then
            u=$(ps -o user= -p "$p" 2>/dev/null) || continue
            [[ $u == "$2" ]] || continue
        fi
        echo "$p"
    done
}
# wait_screen_all TIMEOUT ERE...: until one screen matches every ERE
wait_screen_all() {
    local i s e ok t=$1
    shift
    for ((i = 0; i < t * 4; i++)); do
        s=$(screen) ok=1
        for e in "$@"; do grep -Eq -- "$e" <<<"$s" || { ok=0; break; }; done
        ((ok)) && return 0
        sleep 0.25
    done
    return 1
}
# wait_value FN N SECONDS: until the output of FN (a function reading the
# screen) is N; else the test fails showing the screen
wait_value() {
    local i
    for ((i = 0; i < $3 * 4; i++)); do
        [[ $("$1") == "$2" ]] && return 0
        sleep 0.25
    done
    fail_screen "$1 is '$($1)' after $3 s, want $2"
}
