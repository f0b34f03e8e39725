#!/bin/bash
# e2e-ssh-mute-jump: a port that accepts TCP but never speaks SSH costs its
# own deadline only ("no SSH handshake within 3 s"), never the other hosts'
# (they answer, --once ends early);
# origin-b, firewalled from the console, is reached through relay-c (jump =
# relay-c: a direct-tcpip channel pumped through a socketpair).
. "$(dirname "$0")/lib.sh"
t_begin ssh-mute-jump
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-mj.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

# relay-d:2201 accepts and stays silent
pid=$(lab_exec d sh -c 'python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"172.16.1.12\", 2201)); s.listen(8); held = []
while True: held.append(s.accept()[0])
" >/dev/null 2>&1 </dev/null & echo $!')
t_cleanup "lab_exec d kill $pid 2>/dev/null || true"
# origin-b drops SSH from the console (172.16.1.100); relay-c may still come
t=relaytop_e2e_ssh_jump
lab_exec b nft add table inet $t
t_cleanup "lab_exec b nft delete table inet $t"
lab_exec b nft add chain inet $t in '{ type filter hook input priority 0; }'
lab_exec b nft add rule inet $t in ip saddr 172.16.1.100 tcp dport 22 drop

cat >"$tmp/hosts.ini" <<'INI'
[defaults]
user = relayop
identity = /etc/relaytop-lab/id_ed25519
known_hosts = /etc/relaytop-lab/known_hosts
sudo = yes
timeout = 10
[relay-c]
address = 172.16.1.11
role = relay
[origin-b]
address = 172.16.10.6
role = origin
jump = relay-c
[mute]
address = 172.16.1.12
port = 2201
role = relay
timeout = 3
INI
sed '/^jump = /d; s/^timeout = 10$/timeout = 2/' "$tmp/hosts.ini" >"$tmp/direct.ini"
for _ in $(seq 50); do
    lab_console bash -c 'exec 3<>/dev/tcp/172.16.1.12/2201' 2>/dev/null && break
    sleep 0.1
done

start=$SECONDS
rc=0
out=$(lab_console "$RT" --hosts "$tmp/hosts.ini" --once 2>&1) || rc=$?
took=$((SECONDS - start))
assert_eq "$rc" 1 "exit status (mute host)"
assert_match "$out" '^mute +relay +172\.16\.1\.12:2201 +unreachable'
assert_match "$out" 'mute \(172\.16\.1\.12:2201\): no SSH handshake within 3 s'
assert_match "$out" '^relay-c +relay +172\.16\.1\.11 +up '
assert_match "$out" '^origin-b +origin +172\.16\.10\.6 +up ' "origin-b through relay-c"
assert_match "$out" 'hosts 3 +answered 2'
# --once ended because every host was done, not at its deadline (10 + 3 s)
((took < 13)) || t_fail "--once took $took s: ran into its deadline"

# the control: without the jump, origin-b is out of reach from the console
rc=0
out=$(lab_console "$RT" --hosts "$tmp/direct.ini" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "direct run: exit status"
assert_match "$out" '^origin-b +origin +172\.16\.10\.6 +unreachable'
t_ok
