#!/bin/bash
# e2e-action-log-unwritable: an act whose action-log line cannot be written
# does not run: with actions.log a directory (and with a state directory
# that cannot be made), --test-send and --flush refuse, naming the log's
# path and the error, exit non-zero, and no test mail reaches A's maillog.
. "$(dirname "$0")/lib.sh"
t_begin action-log-unwritable

st=$(mktemp -d)
t_cleanup "rm -rf '$st'"
mkdir -p "$st/dir/relaytop/actions.log"	# the log's path is a directory
: >"$st/file"				# a state "directory" that is a file
n_sent() { lab_exec a grep -c 'message-id=<relaytop-' /var/log/maillog || true; }
before=$(n_sent)
rt() {
    local state=$1 want=$2 rc=0 out
    shift 2
    out=$(lab_console env XDG_STATE_HOME="$state" "${RELAYTOP:-$REPO/relaytop}" \
        --hosts "$REPO/assets/lab/hosts.ini" --timeout 20 "$@" 2>&1) || rc=$?
    echo "$out"
    ((rc != 0)) || t_fail "exit 0 for: $*"
    assert_match "$out" "$want" "$*"
}
rt "$st/dir" "action log $st/dir/relaytop/actions\.log: Is a directory; test-send not run" \
    --test-send origin-a --to probe@dest.example
rt "$st/dir" "action log $st/dir/relaytop/actions\.log: Is a directory; flush not run" \
    --flush origin-a
rt "$st/file" "action log $st/file/relaytop/actions\.log: Not a directory; test-send not run" \
    --test-send origin-a --to probe@dest.example
sleep 2
assert_eq "$(n_sent)" "$before" "test mails on A"
assert_eq "$(find "$st/dir/relaytop/actions.log" -mindepth 1 | wc -l)" 0 "nothing written in the directory"
t_ok
