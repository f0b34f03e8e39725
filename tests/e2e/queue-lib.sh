# shellcheck shell=bash
# tests/e2e/queue-lib.sh - shared helpers of the queue-operation tests
# (sourced after lib.sh):
#   slow_retries HOST   backoff of an hour on HOST until the test ends, so
#                       deferred mail stays deferred (the lab retries every
#                       10 s, and a message being retried shows as active,
#                       without its reason)
#   qj HOST             the host's postqueue -j, as root on the host (the
#                       oracle); qcount HOST ERE: its lines matching ERE
#   wait_deferred HOST N   until N messages on HOST carry a delay reason
#   rt ARGS             relaytop on the lab inventory in the console
#                       namespace, its state (action log) under $st; sets
#                       OUT (stdout), ERR (stderr), RC
slow_retries() {
    local h=$1 old o1 o2
    old=$(lab_exec "$h" postconf -n minimal_backoff_time maximal_backoff_time | tr '\n' '|')
    [[ $old == minimal_backoff_time\ =\ *\|maximal_backoff_time\ =\ *\| ]] || t_fail "$h: backoff settings: $old"
    IFS='|' read -r o1 o2 _ <<<"$old"
    t_cleanup "lab_exec $h sh -c \"postconf -e '$o1' '$o2' && postfix reload\" >/dev/null 2>&1"
    lab_exec "$h" sh -c 'postconf -e minimal_backoff_time=3600s maximal_backoff_time=3600s && postfix reload' >/dev/null 2>&1
}
qj() { lab_exec "$1" postqueue -j; }
qcount() { qj "$1" | grep -cE -- "$2" || true; }
wait_deferred() {
    for _ in $(seq 120); do
        (($(qcount "$1" '"delay_reason"') == $2)) && return 0
        sleep 0.25
    done
    t_fail "$1 did not defer its $2 mails: $(qj "$1")"
}
rt() {
    RC=0
    OUT=$(lab_console timeout 60 env XDG_STATE_HOME="$st" "$RELAYTOP" --hosts assets/lab/hosts.ini "$@" 2>"$st/err" </dev/null) || RC=$?
    ((RC != 124)) || t_fail "relaytop $* did not finish in 60 s: $OUT $(cat "$st/err")"
    ERR=$(cat "$st/err")
    san_check "$st/err" "relaytop $*" || t_fail "sanitizer report"
}
