# tests/e2e/check-scenarios.sh - helpers for the relay doctor's lab tests
# (sourced by tests/e2e/e2e-check-*.sh after lib.sh). Each fault is made
# with the lab's generic scenario helper and undone by a t_cleanup.
#   ck_param HOST NAME=VALUE     postconf -e + reload; restored on exit
#   ck_restart HOST NAME=VALUE   same, but stop+start Postfix (inet_interfaces)
#   ck_block25 SRC DST           drop TCP/25 SRC->DST (nftables at DST)
#   ck_run [ARGS]                relaytop --check ARGS on the console:
#                                sets CK_OUT (stdout) and CK_RC (exit status)
#   ck_findings                  "severity id [hosts]" of every non-info
#                                finding, sorted, except log-* findings
#   ck_expect_only LINE...       those findings are exactly LINEs, and every
#                                log-* warning (the lab's logs hold lines of
#                                earlier tests) "see"s one of them
#   ck_field ID FIELD            what|evidence|fix of the first finding ID

ck_param() {
    local h=$1 kv=$2
    t_cleanup "scenario param-restore $h '${kv%%=*}'"
    scenario param "$h" "$kv"
}

ck_restart() {
    local h=$1 kv=$2
    # restored with a full restart too: inet_interfaces needs one
    t_cleanup "scenario param-restore $h '${kv%%=*}'; scenario postfix-stop $h; scenario postfix-start $h"
    lab_exec "$h" postconf -e "$kv"
    lab_exec "$h" postfix stop >/dev/null 2>&1 || true
    lab_exec "$h" postfix start >/dev/null 2>&1
}

ck_block25() {
    t_cleanup "scenario unblock-25 $1 $2"
    scenario block-25 "$1" "$2"
}

ck_run() {
    set +e
    CK_OUT=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --check "$@")
    CK_RC=$?
    set -e
    echo "$CK_OUT"
    echo "exit status $CK_RC"
}

ck_findings() {
    grep -E '^(critical|warning|unknown) [a-z0-9-]+ \[' <<<"$CK_OUT" |
        grep -Ev '^[a-z]+ log-' | sort || true
}

# ck_log_sees: every non-info log-* finding names a finding that is there.
ck_log_sees() {
    local ids see
    ids=$(awk '/^(critical|warning|unknown|info) / { print $2 }' <<<"$CK_OUT")
    while read -r see; do
        [[ -z $see ]] && continue
        grep -qx -- "$see" <<<"$ids" || t_fail "a log finding sees '$see', which is not reported"
    done < <(awk '/^(critical|warning|unknown) log-/ { on = 1; next }
        /^[a-z]+ / { on = 0 }
        on && $1 == "what:" && match($0, /\(see [a-z0-9-]+\)/) {
            print substr($0, RSTART + 5, RLENGTH - 6) }' <<<"$CK_OUT")
    if grep -Eq '^(critical|warning|unknown) log-' <<<"$CK_OUT" &&
       ! grep -Eq '^  what: .*\(see [a-z0-9-]+\)' <<<"$CK_OUT"; then
        t_fail "a log finding above info explains nothing"
    fi
}

ck_expect_only() {
    local want got
    want=$(printf '%s\n' "$@" | sort)
    got=$(ck_findings)
    ck_log_sees
    [[ $got == "$want" ]] || t_fail "findings differ:
--- want
$want
--- got
$got"
}

ck_field() {
    awk -v id="$1" -v f="$2" '
        /^(critical|warning|unknown|info) / { on = ($2 == id) ; next }
        on && $1 == f":" { sub(/^  [a-z]+: +/, ""); print; exit }' <<<"$CK_OUT"
}
