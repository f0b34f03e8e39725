#!/bin/bash
# e2e-hostile-valgrind: relaytop under valgrind memcheck (definite leaks and
# invalid accesses are errors, exit 99): --once on the healthy lab, --json
# with relay-d's sshd stopped (the refused-connection path), and --log of
# tests/data/hostile/hostile.maillog (escapes, NULs, invalid UTF-8, a 64 KB
# line). The inventory copy allows 60 s per host for valgrind's slowness.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin hostile-valgrind
RT=$REPO/relaytop # valgrind needs the plain build, not the ASan one
tmp_ini; d=$T_DIR
ini_set "$d/hosts.ini" defaults timeout 60
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
command -v valgrind >/dev/null || t_fail "valgrind is not installed (apt-get install valgrind)"

vg() { # vg NAME WANT_RCS ARGS...: run under valgrind in the console
    local name=$1 want=$2 rc=0
    shift 2
    lab_console "${VG[@]}" "$RT" "$@" >"$d/$name.out" 2>"$d/$name.vg" || rc=$?
    echo "$name: exit $rc"
    if ((rc == 99)) || grep -q '^==[0-9]*==' "$d/$name.vg"; then
        cat "$d/$name.vg"
        t_fail "$name: valgrind found errors"
    fi
    [[ " $want " == *" $rc "* ]] || { cat "$d/$name.vg" "$d/$name.out"; t_fail "$name: exit $rc, want one of $want"; }
}

vg once 0 --hosts "$d/hosts.ini" --once
assert_match "$(cat "$d/once.out")" 'hosts 4  answered 4'

t_cleanup "scenario sshd-start d >/dev/null"
scenario sshd-stop d >/dev/null
vg json-down 1 --hosts "$d/hosts.ini" --once --json
python3 -m json.tool "$d/json-down.out" >/dev/null || t_fail "json-down: invalid JSON"
scenario sshd-start d >/dev/null

vg log-hostile 0 --log "$REPO/tests/data/hostile/hostile.maillog" --json
python3 -m json.tool "$d/log-hostile.out" >/dev/null || t_fail "log-hostile: invalid JSON"
t_ok
