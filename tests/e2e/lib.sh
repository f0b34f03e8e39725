# shellcheck shell=bash
# tests/e2e/lib.sh - tiny harness for end-to-end tests against the lab
# (sourced by each tests/e2e/e2e-*.sh; a test file exits 0 on pass).
#   t_begin NAME       start a test (prints its name)
#   t_ok               pass: exit 0
#   t_fail MSG         fail: print MSG, exit 1
#   t_cleanup CMD      run CMD (a string) on exit, pass or fail (LIFO)
#   assert_eq GOT WANT [MSG]     assert_match TEXT ERE [MSG]
#   assert_no_match TEXT ERE [MSG]   assert_cmd CMD...   assert_fail CMD...
#   send_mail HOST FROM TO [SUBJECT]  sendmail on a lab host; prints message-id token
#   log_queue_id HOST ERE [TIMEOUT]   queue id of the first matching maillog line
#   once ARGS...  relaytop --once on the lab;  once_sent JSON HOST  its recent.sent
# Lab helpers: $LAB_DIR/lab-exec, lab-console, wait-log, scenario (see tests/lab/README.md).
set -euo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
LAB_DIR=$REPO/tests/lab
export LAB="${LAB:-rtlab}"
# The binary under test (make e2e-asan points it at the sanitizer build).
export RELAYTOP="${RELAYTOP:-$REPO/relaytop}"
T_NAME=${0##*/}
_t_cleanups=()

t_begin() { T_NAME=$1; echo "== $T_NAME"; }
t_ok() { echo "ok: $T_NAME"; exit 0; }
t_fail() { echo "FAIL: $T_NAME: $*" >&2; exit 1; }
t_cleanup() { _t_cleanups+=("$1"); }
_t_on_exit() {
    local rc=$? i
    for ((i = ${#_t_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_t_cleanups[i]}" || echo "warning: cleanup failed: ${_t_cleanups[i]}" >&2
    done
    exit "$rc"
}
trap _t_on_exit EXIT

assert_eq() { [[ $1 == "$2" ]] || t_fail "${3:-values differ}: got '$1', want '$2'"; }
assert_match() { grep -Eq -- "$2" <<<"$1" || t_fail "${3:-no match} /$2/ in: $1"; }
assert_no_match() { ! grep -Eq -- "$2" <<<"$1" || t_fail "${3:-unexpected match} /$2/ in: $1"; }
assert_cmd() { "$@" || t_fail "command failed: $*"; }
assert_fail() { ! "$@" || t_fail "command should have failed: $*"; }

lab_exec() { "$LAB_DIR/lab-exec" "$@"; }
lab_console() { "$LAB_DIR/lab-console" "$@"; }
wait_log() { "$LAB_DIR/wait-log" "$@"; }
scenario() { "$LAB_DIR/scenario" "$@"; }

# send_mail HOST FROM TO [SUBJECT]: submit a message with sendmail on HOST;
# prints a unique token that is in the Subject and the Message-ID.
send_mail() {
    local tok
    tok="e2e-$(date +%s)-$$-$RANDOM"
    printf 'From: %s\nTo: %s\nSubject: %s %s\nMessage-ID: <%s@relaytop-lab>\n\nrelaytop e2e probe\n' \
        "$2" "$3" "${4:-probe}" "$tok" "$tok" |
        lab_exec "$1" /usr/sbin/sendmail -f "$2" "$3"
    echo "$tok"
}

# log_queue_id HOST ERE [TIMEOUT]: wait for a maillog line, print its queue id.
log_queue_id() {
    local line
    line=$(wait_log "$1" "$2" "${3:-30}" | head -n1) || return 1
    sed -E 's/^.*postfix\/[a-z]+\[[0-9]+\]: ([0-9A-Za-z]+): .*$/\1/' <<<"$line"
}

# once_sent JSON HOST: recent.sent of HOST in `relaytop --once --json` output.
once_sent() {
    python3 -c 'import json, sys
d = json.loads(sys.argv[1])
print([h for h in d["hosts"] if h["name"] == sys.argv[2]][0]["recent"]["sent"])' "$1" "$2"
}

# once ARGS...: relaytop --once on the lab; on a loaded machine a probe can
# miss its deadline, so up to 3 tries until every host answered (exit 0).
once() {
    local i rc out
    for i in 1 2 3; do
        rc=0
        out=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --once "$@") || rc=$?
        ((rc != 0)) || break
        echo "once: try $i exit $rc" >&2
    done
    printf '%s\n' "$out"
    return "$rc"
}
