#!/bin/bash
# e2e-ssh-hostkey-new: relay-d missing from known_hosts -> refused as
# "hostkey-unknown" (strict default); --accept-new connects and appends the
# key ([host]:port-free, port 22), after which a strict run accepts it too.
. "$(dirname "$0")/lib.sh"
t_begin ssh-hostkey-new
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-new.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

lab_console sh -c "grep -v '^172\.16\.1\.12 ' /etc/relaytop-lab/known_hosts" >"$tmp/known_hosts"
assert_eq "$(grep -c . "$tmp/known_hosts")" 3 "known_hosts without relay-d"
sed -e "s|^known_hosts = .*|known_hosts = $tmp/known_hosts|" \
    -e 's/^timeout = .*/timeout = 10/' "$REPO/assets/lab/hosts.ini" >"$tmp/hosts.ini"
grep -q "^known_hosts = $tmp/known_hosts$" "$tmp/hosts.ini" || t_fail "ini rewrite"

rc=0
out=$(lab_console "$RT" --hosts "$tmp/hosts.ini" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "strict run: exit status"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +hostkey-unknown'
assert_match "$out" 'relay-d \(172\.16\.1\.12\): host key not in .*refusing'
assert_match "$out" 'hosts 4 +answered 3'
assert_eq "$(grep -c . "$tmp/known_hosts")" 3 "strict run must not write known_hosts"

out=$(lab_console "$RT" --hosts "$tmp/hosts.ini" --once --accept-new 2>&1) ||
    t_fail "accept-new run failed: $out"
assert_match "$out" 'hosts 4 +answered 4'
added=$(grep '^172\.16\.1\.12 ssh-ed25519 ' "$tmp/known_hosts") || t_fail "no relay-d line added"
want=$(lab_exec d cat /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $2}')
assert_eq "$(awk '{print $3}' <<<"$added")" "$want" "appended key is relay-d's"
assert_eq "$(grep -c . "$tmp/known_hosts")" 4 "exactly one line added"

out=$(lab_console "$RT" --hosts "$tmp/hosts.ini" --once 2>&1) || t_fail "strict after accept: $out"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +up '
t_ok
