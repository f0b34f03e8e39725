#!/bin/bash
# e2e-ssh-config: an inventory that names hosts only (no address, user, key,
# known_hosts, jump) and points [defaults] ssh_config at a real ssh_config
# using Include, Match and a ProxyJump chain. relay-c and origin-b drop SSH
# from the console: relay-c is reached through relay-d, origin-b through
# relay-d then relay-c, as the real `ssh -F` on the same file goes too.
# A value in hosts.ini beats ssh's; ssh_config = no and a ProxyJump to a
# host outside the inventory are refused with a clear message.
. "$(dirname "$0")/lib.sh"
t_begin ssh-config
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-config.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

# relay-c and origin-b drop SSH from the console (172.16.1.100)
t=relaytop_e2e_ssh_config
for h in b c; do
    lab_exec $h nft add table inet $t
    t_cleanup "lab_exec $h nft delete table inet $t"
    lab_exec $h nft add chain inet $t in '{ type filter hook input priority 0; }'
    lab_exec $h nft add rule inet $t in ip saddr 172.16.1.100 tcp dport 22 drop
done

mkdir -p "$tmp/conf.d"
cat >"$tmp/conf.d/lab.conf" <<'CONF'
Host relay-c
    HostName 172.16.1.11
    ProxyJump relay-d
Host relay-d
    HostName 172.16.1.12
Host origin-b
    HostName 172.16.10.6
CONF
cat >"$tmp/ssh_config" <<CONF
Include $tmp/conf.d/*.conf
Host relay-* origin-*
    User relayop
    IdentityFile /etc/relaytop-lab/id_ed25519
    UserKnownHostsFile /etc/relaytop-lab/known_hosts
    StrictHostKeyChecking yes
    ConnectTimeout 8
    BatchMode yes
Match host 172.16.10.*
    ProxyJump relay-d,relay-c
CONF
cat >"$tmp/hosts.ini" <<INI
[defaults]
ssh_config = $tmp/ssh_config
sudo = yes
[relay-d]
role = relay
[relay-c]
role = relay
[origin-b]
role = origin
INI

# OpenSSH itself, on the same file: origin-b over the two-hop chain
out=$(lab_console ssh -F "$tmp/ssh_config" origin-b uname -n 2>&1) ||
    t_fail "ssh -F on the same file failed: $out"
assert_match "$out" '^mail-b' "ssh itself reaches origin-b"

rc=0
out=$(lab_console "$RT" --hosts "$tmp/hosts.ini" --once 2>&1) || rc=$?
assert_eq "$rc" 0 "exit status: $out"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +up '
assert_match "$out" '^relay-c +relay +172\.16\.1\.11 +up ' "relay-c via relay-d"
assert_match "$out" '^origin-b +origin +172\.16\.10\.6 +up ' "origin-b via relay-d,relay-c"
assert_match "$out" 'hosts 3 +answered 3'

# hosts.ini wins: origin-b's own "jump =" (direct) beats ssh's ProxyJump,
# and its firewall drops the console
sed 's/^role = origin$/role = origin\njump =/' "$tmp/hosts.ini" >"$tmp/direct.ini"
rc=0
out=$(lab_console "$RT" --hosts "$tmp/direct.ini" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "direct origin-b: exit status"
assert_match "$out" '^origin-b +origin +172\.16\.10\.6 +unreachable' "origin-b direct"
assert_match "$out" '^relay-c +relay +172\.16\.1\.11 +up '

# refusals, before anything connects: exit 2 and one line
refused() {
    local rc=0 out
    out=$(lab_console "$RT" --hosts "$1" --once 2>&1) || rc=$?
    assert_eq "$rc" 2 "$1: exit status"
    assert_match "$out" "$2"
}
sed 's|^ssh_config = .*|ssh_config = no|' "$tmp/hosts.ini" >"$tmp/no.ini"
refused "$tmp/no.ini" "no\.ini:4: \[relay-d\]: missing address \(ssh_config = no\)"
sed '/^\[relay-d\]$/,/^role = relay$/d' "$tmp/hosts.ini" >"$tmp/nohop.ini"
refused "$tmp/nohop.ini" "\[relay-c\]: ssh ProxyJump hop 'relay-d' is not a host of this file"
t_ok
