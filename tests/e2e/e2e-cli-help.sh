#!/bin/bash
# e2e-cli-help.sh - the command line without the lab: --help and the man page
# list the same options (and the man page every hosts.ini key of
# src/config-keys.c; the man page's KEYS the keys of the console's help
# overlay, ui/view-help.c), --version, and exit status 2 with one "relaytop: ..."
# line on stderr for bad usage and bad hosts files. Touches no network.
source "$(dirname "$0")/lib.sh"
t_begin cli-help

RT=${RELAYTOP:-$REPO/relaytop}
MAN=${RELAYTOP_MAN:-$REPO/assets/relaytop.1}
[[ -x $RT ]] || t_fail "no $RT (run make)"
tmp=$(mktemp -d)
t_cleanup "rm -rf '$tmp'"

# --- --help: stdout only, exit 0 -------------------------------------------
rc=0; "$RT" --help >"$tmp/help" 2>"$tmp/err" || rc=$?
assert_eq "$rc" 0 "--help exit status"
assert_eq "$(cat "$tmp/err")" "" "--help wrote to stderr"
[[ -s $tmp/help ]] || t_fail "--help printed nothing"
"$RT" -h >"$tmp/help2" 2>/dev/null || t_fail "-h failed"
cmp -s "$tmp/help" "$tmp/help2" || t_fail "-h and --help differ"

# --- the same long options in --help and in the man page's OPTIONS ---------
help_opts=$(grep -oE -- '--[a-z][a-z-]*[a-z]' "$tmp/help" | sort -u)
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g' |
    grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u)
[[ $(wc -l <<<"$help_opts") -ge 16 ]] || t_fail "too few options in --help: $help_opts"
only_help=$(comm -23 <(echo "$help_opts") <(echo "$man_opts"))
only_man=$(comm -13 <(echo "$help_opts") <(echo "$man_opts"))
assert_eq "$only_help" "" "options in --help but not in the man page"
assert_eq "$only_man" "" "options in the man page but not in --help"
man_sec=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g')
for s in -h -v -V; do
    grep -qE -- "(^| )$s," "$tmp/help" || t_fail "--help lacks $s"
    # grep -q on a variable: on a pipe its early exit is a SIGPIPE for
    # sed, a failure under pipefail once the section is long enough
    grep -qE -- "^\.BR $s " <<<"$man_sec" || t_fail "man page lacks $s"
done
# Every option --help names is one the program accepts (not "unknown").
for o in $help_opts; do
    out=$(HOME=$tmp XDG_CONFIG_HOME=$tmp/cfg "$RT" "$o" 2>&1 </dev/null |
        head -n 1) || true
    assert_no_match "$out" "unknown option" "$o is in --help but refused"
done

# --- every hosts.ini key is documented under HOSTS FILE --------------------
keys=$(grep -oE '^\s*\[K_[A-Z_]+\] = "[a-z_]+"' "$REPO/src/config-keys.c" |
    sed -E 's/.*"([a-z_]+)"/\1/')
[[ $(wc -w <<<"$keys") -ge 15 ]] || t_fail "could not read the keys: $keys"
hostsec=$(sed -n '/^\.SH HOSTS FILE/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g')
for k in $keys; do
    grep -qx "\.B $k" <<<"$hostsec" || t_fail "man page HOSTS FILE lacks key $k"
done

# --- the console's keys: the help overlay's table (ui/view-help.c) and the
# man page's KEYS tags (the line after each .TP) name the same keys ---------
help_keys=$(sed -nE 's/^\s*\{ "([^"]+)", "[^"]*" \},$/\1/p' "$REPO/ui/view-help.c" |
    tr ' ' '\n' | sed '/^$/d' | sort -u)
man_keys=$(sed -n '/^\.SH KEYS/,/^\.SH /p' "$MAN" | awk 'p { print } { p = $0 == ".TP" }' |
    sed -E 's/^\.BR? //; s/"[^"]*"/ /g; s/\\-/-/g' | tr ' ' '\n' | sed '/^$/d' | sort -u)
[[ $(wc -l <<<"$help_keys") -ge 30 ]] || t_fail "could not read the help overlay's keys: $help_keys"
[[ $(wc -l <<<"$man_keys") -ge 30 ]] || t_fail "could not read the man page's KEYS: $man_keys"
for k in q '?' c p t T f F Enter Esc; do
    grep -qxF -- "$k" <<<"$help_keys" || t_fail "help overlay key list lacks $k: $help_keys"
done
only_help=$(comm -23 <(echo "$help_keys") <(echo "$man_keys"))
only_man=$(comm -13 <(echo "$help_keys") <(echo "$man_keys"))
assert_eq "$(echo $only_help)" "" "keys in the help overlay but not in the man page KEYS"
assert_eq "$(echo $only_man)" "" "keys in the man page KEYS but not in the help overlay"

# --- the man page renders ---------------------------------------------------
rendered=$(MANWIDTH=100 man -l "$MAN" 2>"$tmp/manerr") || t_fail "man -l failed"
assert_match "$rendered" '^NAME' "man page has no NAME"
for sec in SYNOPSIS DESCRIPTION OPTIONS 'HOSTS FILE' KEYS 'EXIT STATUS' FILES \
    SECURITY EXAMPLES; do
    grep -qx "$sec" <<<"$rendered" || t_fail "man page lacks section $sec"
done
warn=$(groff -man -ww -z "$MAN" 2>&1) || true
assert_eq "$warn" "" "groff warnings"

# --- --version --------------------------------------------------------------
v=$("$RT" --version) || t_fail "--version failed"
assert_eq "$v" "relaytop 0.1.0"
assert_eq "$("$RT" -V)" "relaytop 0.1.0"
grep -q "\"relaytop ${v#relaytop }\"" "$MAN" || t_fail "man page version is not ${v#relaytop }"

# --- bad usage: exit 2, nothing on stdout, one line "relaytop: ..." --------
lab_ini=$REPO/assets/lab/hosts.ini
bad_ini=$REPO/tests/data/config/bad-port.ini
usage_fails() {	# WANT-ERE ARGS...
    local want=$1 rc=0; shift
    HOME=$tmp XDG_CONFIG_HOME=$tmp/cfg "$RT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
    assert_eq "$rc" 2 "exit status of: relaytop $*"
    [[ ! -s $tmp/out ]] || t_fail "stdout of: relaytop $*: $(<"$tmp/out")"
    mapfile -t lines <"$tmp/err"
    assert_eq "${#lines[@]}" 1 "stderr lines of: relaytop $*"
    [[ ${lines[0]} =~ ^relaytop:\ $want ]] ||
        t_fail "message of: relaytop $*: got '${lines[0]}', want /$want/"
}
usage_fails "unknown option '--bogus'" --bogus
usage_fails "unknown option '-x'" -x
usage_fails "option '--hosts' needs an argument" --hosts
usage_fails "option '--test-send' needs an argument" --hosts "$lab_ini" --test-send
usage_fails "--once and --check cannot be used together" --hosts "$lab_ini" --once --check
usage_fails "--test-send and --flush cannot be used together" --test-send a --flush b
usage_fails "unexpected argument 'extra'" --hosts "$lab_ini" extra
usage_fails "--to needs --test-send" --hosts "$lab_ini" --to a@dest.example
usage_fails "bad --to" --hosts "$lab_ini" --test-send origin-a --to 'a;b@dest.example'
usage_fails "bad --timeout '0'" --hosts "$lab_ini" --flush relay-c --timeout 0
usage_fails "--json works with" --hosts "$lab_ini" --flush relay-c --json
usage_fails "$tmp/nope.ini: No such file or directory" --hosts "$tmp/nope.ini" --once
usage_fails "$tmp: not a regular file" --hosts "$tmp" --check
usage_fails "no hosts file \(use --hosts FILE" --once
usage_fails "$bad_ini:3: bad port '65536'" --hosts "$bad_ini" --once
usage_fails "--flush: no host 'nope' in the hosts file" --hosts "$lab_ini" --flush nope
usage_fails "--test-send: no host 'nope' in the hosts file" --hosts "$lab_ini" --test-send nope
chmod 000 "$tmp" 2>/dev/null
if [[ $(id -u) -ne 0 ]]; then	# root reads anything
    usage_fails "Permission denied" --hosts "$tmp/x.ini" --once
fi
chmod 700 "$tmp"
# Every bad hosts file of the unit tests fails the same way from the CLI.
for f in "$REPO"/tests/data/config/bad-*.ini; do
    read -r want <"$f"
    want=${want#; expect: }
    [[ $want == [0-9]* ]] && prefix="$f:" || prefix="$f: "
    rc=0
    HOME=$tmp "$RT" --hosts "$f" --once >/dev/null 2>"$tmp/err" </dev/null || rc=$?
    assert_eq "$rc" 2 "exit status for $f"
    err=$(<"$tmp/err")
    [[ $err == "relaytop: $prefix$want"* ]] || t_fail "$f: got $err, want $prefix$want"
done
t_ok
