#!/bin/bash
# e2e-fault-once-timeout: `--timeout S` overrides every host's inventory
# `timeout` in --once. A host on a port that accepts TCP and never speaks,
# with `timeout = 1` in the inventory and `--timeout 12`, is waited for
# ~12 s (it once gave up after 1 s + 3 s grace).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin fault-once-timeout
tmp_ini; d=$T_DIR
pid=$(lab_exec d sh -c 'python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"172.16.1.12\", 2202)); s.listen(8); held = []
while True: held.append(s.accept()[0])
" >/dev/null 2>&1 </dev/null & echo $!')
t_cleanup "kill $pid 2>/dev/null || true"
cat >"$d/hosts.ini" <<'INI'
[defaults]
user = relayop
identity = /etc/relaytop-lab/id_ed25519
known_hosts = /etc/relaytop-lab/known_hosts
timeout = 1
[mute]
address = 172.16.1.12
port = 2202
role = relay
INI
sleep 1
start=$(date +%s.%N)
rc=0
out=$(lab_console "$RT" --hosts "$d/hosts.ini" --once --timeout 12 2>&1) || rc=$?
took=$(python3 -c "import time; print(int(time.time() - $start))")
echo "$out"; echo "took ${took}s"
assert_eq "$rc" 1 "exit status"
assert_match "$out" '^mute +relay +172\.16\.1\.12:2202 +unreachable'
((took >= 11)) || t_fail "--once --timeout 12 gave up after ${took}s: --timeout not applied"
t_ok
