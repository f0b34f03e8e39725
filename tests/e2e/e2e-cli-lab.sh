#!/bin/bash
# e2e-cli-lab.sh - the inventory and command line as they reach the lab:
# [defaults] read_only and --read-only refuse actions (and log the refusal),
# --accept-new fills an empty known_hosts that strict mode refuses, and
# `jump` reaches a relay whose SSH port the console cannot reach directly.
source "$(dirname "$0")/lib.sh"
t_begin cli-lab

RT=$RELAYTOP
cd "$REPO"
[[ -x $RT ]] || t_fail "no $RT (run make)"
tmp=$(mktemp -d /tmp/e2e-cli-lab.XXXXXX)
t_cleanup "rm -rf '$tmp'"
# The lab's inventory with a generous per-host step timeout: a loaded
# machine must not turn a slow login into "unreachable".
sed 's/^timeout = .*/timeout = 20/' assets/lab/hosts.ini >"$tmp/lab.ini"
lab_ini=$tmp/lab.ini

# state HOST: the STATE column of HOST in the --once table on stdin.
state() { awk -v h="$1" '$1 == h && $3 ~ /^[0-9]/ { print $4 }'; }
once() { lab_console env XDG_STATE_HOME="$tmp/state" "$RT" --once --timeout 60 "$@"; }

# --- read-only from [defaults] and from --read-only -------------------------
sed 's/^\[defaults\]$/[defaults]\nread_only = yes/' "$lab_ini" >"$tmp/ro.ini"
grep -q '^read_only = yes' "$tmp/ro.ini" || t_fail "could not make ro.ini"
rc=0
lab_console env XDG_STATE_HOME="$tmp/state" "$RT" --hosts "$tmp/ro.ini" \
    --flush relay-c >"$tmp/out" 2>"$tmp/err" || rc=$?
assert_eq "$rc" 1 "--flush with [defaults] read_only = yes"
assert_match "$(cat "$tmp/err")" "read-only" "refusal message"
rc=0
lab_console env XDG_STATE_HOME="$tmp/state" "$RT" --hosts "$lab_ini" \
    --read-only --test-send origin-a >"$tmp/out" 2>"$tmp/err" || rc=$?
assert_eq "$rc" 1 "--test-send with --read-only"
log=$(cat "$tmp/state/relaytop/actions.log" 2>/dev/null) || t_fail "no action log"
assert_match "$log" "relay-c flush .*read-only" "flush refusal not logged"
assert_match "$log" "origin-a test-send .*read-only" "test-send refusal not logged"

# --- host keys: strict refuses an empty known_hosts, --accept-new fills it ---
: >"$tmp/kh"
sed "s|^known_hosts = .*|known_hosts = $tmp/kh|" "$lab_ini" >"$tmp/kh.ini"
rc=0; once --hosts "$tmp/kh.ini" >"$tmp/out" 2>&1 || rc=$?
assert_eq "$rc" 1 "--once with unknown host keys"
assert_eq "$(state relay-c <"$tmp/out")" "hostkey-unknown" "strict: relay-c"
assert_eq "$(wc -l <"$tmp/kh")" 0 "strict mode wrote known_hosts"
rc=0; once --hosts "$tmp/kh.ini" --accept-new >"$tmp/out" 2>&1 || rc=$?
assert_eq "$rc" 0 "--once --accept-new: $(cat "$tmp/out")"
for h in origin-a origin-b relay-c relay-d; do
    assert_eq "$(state $h <"$tmp/out")" up "--accept-new: $h"
done
assert_eq "$(grep -c 'ssh-ed25519' "$tmp/kh")" 4 "keys added"
rc=0; once --hosts "$tmp/kh.ini" >"$tmp/out" 2>&1 || rc=$?
assert_eq "$rc" 0 "strict again, keys now known"
assert_eq "$(state relay-d <"$tmp/out")" up "strict with the added key"

# --- jump: relay-d through relay-c when the console cannot reach it ---------
lab_console nft add table inet e2ecli
t_cleanup "lab_console nft delete table inet e2ecli"
lab_console nft add chain inet e2ecli out '{ type filter hook output priority 0; }'
lab_console nft add rule inet e2ecli out ip daddr 172.16.1.12 tcp dport 22 reject
rc=0; once --hosts "$lab_ini" >"$tmp/out" 2>&1 || rc=$?
assert_eq "$(state relay-d <"$tmp/out")" unreachable "blocked relay-d, direct"
sed 's/^\[relay-d\]$/[relay-d]\njump = relay-c/' "$lab_ini" >"$tmp/jump.ini"
rc=0; once --hosts "$tmp/jump.ini" >"$tmp/out" 2>&1 || rc=$?
assert_eq "$rc" 0 "--once via jump: $(cat "$tmp/out")"
assert_eq "$(state relay-d <"$tmp/out")" up "blocked relay-d, via jump relay-c"
t_ok
