# shellcheck shell=bash
# tests/e2e/lib.sh - tiny harness for end-to-end tests against the lab
# (sourced by each tests/e2e/e2e-*.sh; a test file exits 0 on pass).
#   t_begin NAME       start a test (prints its name)
#   t_ok               pass: exit 0
#   t_fail MSG         fail: print MSG, exit 1
#   t_skip WHY         skipped (exit 77): the runner counts it as skipped
#   t_note MSG         a note the runner prints on the PASS line too
#   t_fail_later MSG   the test fails at exit whatever it returns (works
#                      from a $(...) subshell, where t_fail cannot)
#   t_cleanup CMD      run CMD (a string) on exit, pass or fail (LIFO)
#   assert_eq GOT WANT [MSG]     assert_match TEXT ERE [MSG]
#   assert_no_match TEXT ERE [MSG]   assert_cmd CMD...   assert_fail CMD...
#   send_mail HOST FROM TO [SUBJECT]  sendmail on a lab host; prints message-id token
#   send_bulk HOST N TOKEN NAME  N mails by sendmail in one shell on HOST
#   log_queue_id HOST ERE [TIMEOUT]   queue id of the first matching maillog line
#   once ARGS...       relaytop --once on the lab, retried only on a deadline miss
#                      (inventory: assets/lab/hosts.ini, or $ONCE_HOSTS under $REPO)
#   once_sent JSON HOST  recent.sent of HOST in --once --json output
#   san_check FILE WHAT  fail the test when FILE holds a sanitizer report
#   sshd_mark HOST / sshd_clean_closes HOST MARK [TIMEOUT]  how the console's
#                      SSH sessions ended, as HOST's sshd logged it
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
_t_flag=$(mktemp /tmp/e2e-flag.XXXXXX)

t_begin() { T_NAME=$1; echo "== $T_NAME"; }
t_ok() { echo "ok: $T_NAME"; exit 0; }
t_fail() { echo "FAIL: $T_NAME: $*" >&2; exit 1; }
t_skip() { echo "SKIP: $T_NAME: $*" >&2; t_note "skipped: $*"; exit 77; }
t_note() { echo "note: $*" >&2; [[ -z ${E2E_NOTES:-} ]] || echo "$*" >>"$E2E_NOTES"; }
t_fail_later() { echo "FAIL: $T_NAME: $*" >&2; echo "$*" >>"$_t_flag"; }
t_cleanup() { _t_cleanups+=("$1"); }
_t_on_exit() {
    local rc=$? i
    # only the test's own shell: a $(...) subshell exits through here too
    [[ $BASHPID == "$_t_pid" ]] || exit "$rc"
    for ((i = ${#_t_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_t_cleanups[i]}" || echo "warning: cleanup failed: ${_t_cleanups[i]}" >&2
    done
    if [[ -s $_t_flag ]]; then
        echo "FAIL: $T_NAME: failed earlier: $(tr '\n' ';' <"$_t_flag")" >&2
        rc=1
    fi
    rm -f "$_t_flag"
    exit "$rc"
}
_t_pid=$BASHPID
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

# send_bulk HOST N TOKEN NAME: N mails from relaytest@example.jp to
# probe@dest.example by sendmail, in one shell on HOST (one lab_exec for
# all), Message-IDs <TOKEN-NAME-I@relaytop-lab>; a failed sendmail fails
# the test.
send_bulk() {
    lab_exec "$1" /bin/sh -c 'i=0; while [ "$i" -lt "$1" ]; do i=$((i + 1))
        printf "From: relaytest@example.jp\nTo: probe@dest.example\nSubject: bulk %s %s\nMessage-ID: <%s-%s-%s@relaytop-lab>\n\nrelaytop e2e\n" "$3" "$i" "$2" "$3" "$i" |
            /usr/sbin/sendmail -f relaytest@example.jp probe@dest.example || exit 1
        done' sh "$2" "$3" "$4" || t_fail "sendmail on $1"
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

# san_check FILE WHAT: a sanitizer report in FILE (the stderr of a run of
# the binary under test) fails the test, also from a $(...) subshell.
san_check() {
    ! grep -aEq 'AddressSanitizer|LeakSanitizer|runtime error' "$1" || {
        t_fail_later "$2: sanitizer report: $(grep -aE -m3 'Sanitizer|runtime error' "$1" | tr '\n' ' ')"
        return 1
    }
}

# sshd_mark HOST: the size of HOST's sshd log now (the lab's sshd -E file)
sshd_mark() { stat -c %s "/run/relaytop-lab/$LAB/$1/log/sshd.log" 2>/dev/null || echo 0; }
# sshd_clean_closes HOST MARK [TIMEOUT]: waits until every relayop session
# from the console that HOST's sshd accepted after MARK ended with the
# client's own disconnect message (reason 11, by application), as sshd
# logs it; a dropped connection ("Connection closed/reset", a timeout) or a
# session still open fails; so does no session at all. Prints the count.
sshd_clean_closes() {
    local i f=/run/relaytop-lab/$LAB/$1/log/sshd.log left
    for ((i = 0; i < ${3:-10} * 4; i++)); do
        left=$(tail -c +$(($2 + 1)) "$f" | awk '
            /^Accepted publickey for relayop from 172\.16\.1\.100 port / { p[$8] = 1; n++ }
            /^Received disconnect from 172\.16\.1\.100 port [0-9]+:11: / { split($6, a, ":"); ok[a[1]] = 1 }
            END { if (!n) { print "none"; exit } for (k in p) if (!(k in ok)) printf "%s ", k }')
        [[ -z $left ]] && break
        sleep 0.25
    done
    [[ $left == none ]] && t_fail "$1: no session of the console in sshd's log"
    [[ -z $left ]] || t_fail "$1: sessions from ports $left did not end with the client's disconnect; sshd logged: $(tail -c +$(($2 + 1)) "$f" | grep -vE '^(Accepted|Server listening)' | tail -n 8 | grep . || echo '(nothing but the logins)')"
    echo "$1: $(tail -c +$(($2 + 1)) "$f" | grep -c '^Received disconnect from 172\.16\.1\.100 port [0-9]*:11: ') sessions closed by the client"
}

# once ARGS...: relaytop --once on the lab (stdout; its stderr goes on to
# ours). On a loaded machine a probe can miss its deadline, so it is tried
# again, up to 3 times, in that one documented case only: exit 1 with fewer
# hosts answered than ONCE_WANT (default: all of them; a test expecting a
# host down sets it). Any other status (a crash, 2, a timeout) and any
# sanitizer text on stderr fail the test at once. Notes how many tries.
once() {
    local i rc out n want err json=0 a
    err=$(mktemp /tmp/e2e-once.XXXXXX)
    for a in "$@"; do [[ $a == --json ]] && json=1; done
    for i in 1 2 3; do
        rc=0
        out=$(lab_console "$RELAYTOP" --hosts "$REPO/${ONCE_HOSTS:-assets/lab/hosts.ini}" --once "$@" 2>"$err") || rc=$?
        cat "$err" >&2
        san_check "$err" "once try $i (exit $rc)" || { rm -f "$err"; printf '%s\n' "$out"; return 99; }
        if ((rc != 0 && rc != 1)); then
            t_fail_later "once try $i: exit $rc (only 0 or 1 is an answer)"
            break
        fi
        ((rc == 1)) || break
        if ((json)); then
            n=$(grep -c '"answered": true' <<<"$out" || true)
            want=${ONCE_WANT:-$(grep -c '"answered": ' <<<"$out" || true)}
        else
            n=$(sed -nE 's/^relaytop .* hosts [0-9]+  answered ([0-9]+) .*/\1/p' <<<"$out")
            want=${ONCE_WANT:-$(sed -nE 's/^relaytop .* hosts ([0-9]+)  answered .*/\1/p' <<<"$out")}
        fi
        [[ $n =~ ^[0-9]+$ && $want =~ ^[0-9]+$ ]] || {
            t_fail_later "once try $i: exit 1 without a host count"
            break
        }
        ((n < want)) || break
        echo "once: try $i: exit 1, $n hosts answered of $want wanted" >&2
    done
    rm -f "$err"
    if ((i == 1)); then echo "once: 1 try (exit $rc)" >&2; else t_note "once: $i tries (exit $rc)"; fi
    printf '%s\n' "$out"
    return "$rc"
}

# fake_qid: a random short queue id of the form Postfix makes: 5 hex digits
# of microseconds (below F4240: here E....) and the inode in hex with no
# leading zero (src/queue-id.c refuses "E40DC0F1D76": an inode "0F1D76"
# Postfix never writes; a random 10-digit tail made 1 in 16 tests flaky).
fake_qid() {
    local h
    h=$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)
    printf 'E%s%X%s\n' "${h:0:4}" $((RANDOM % 15 + 1)) "${h:4:5}"
}

# exec_counts FILE: the programs an `strace -f -qq -e trace=execve` output
# shows started, "COUNT NAME" a line, by name (only execs that succeeded;
# one that another process's syscall interrupts is printed in two lines,
# "PID execve(...) <unfinished ...>" and "PID <... execve resumed>) = 0")
exec_counts() {
    awk '/ execve\("/ { p = $0; sub(/^[^"]*"/, "", p); sub(/".*/, "", p); sub(/.*\//, "", p)
                if (/<unfinished \.\.\.>$/) { u[$1] = p; next }
                if (/ = 0$/) n[p]++
                next }
             /<\.\.\. execve resumed>/ { if (($1 in u) && / = 0$/) n[u[$1]]++; delete u[$1] }
             END { for (p in n) print n[p], p }' "$1" | sort -k2
}
# exec_count COUNTS NAME: NAME's count in exec_counts' output, 0 if none
exec_count() { awk -v p="$2" '$2 == p { c = $1 } END { print c + 0 }' <<<"$1"; }

# lab_residents LETTER: "-p PID " for every resident probe shell
# (relaytop-probe -r) in that lab host's namespace, for strace
lab_residents() {
    local p a
    for p in $(ip netns pids "$LAB-$1"); do
        # (2>/dev/null first: a process gone since the listing fails the
        # < itself, which a later 2>/dev/null would not quiet)
        a=$(tr '\n\0' ' \n' 2>/dev/null <"/proc/$p/cmdline" | sed -n '4,5p' | tr '\n' ' ') || continue
        if [[ $a == "relaytop-probe -r " ]]; then printf -- '-p %s ' "$p"; fi
    done
}

# serve_bg INI: relaytop --serve $port on INI in the console namespace, in
# the background (stdout and stderr in $tmp/relaytop.out and .err; its pid
# in rt), killed when the test ends. scrape: its /metrics into M; val SERIES: that
# series' value in M, 0 when absent.
M=
serve_bg() {
    "$LAB_DIR/lab-console" "$RELAYTOP" --hosts "$1" --serve "$port" \
        >"$tmp/relaytop.out" 2>"$tmp/relaytop.err" &
    rt=$!
    t_cleanup "kill $rt 2>/dev/null || true"
}
scrape() { M=$(lab_console curl -s -m 2 "http://127.0.0.1:$port/metrics" || true); }
val() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' <<<"$M"; }
