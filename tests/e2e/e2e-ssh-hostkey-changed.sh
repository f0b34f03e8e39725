#!/bin/bash
# e2e-ssh-hostkey-changed: relay-d gets a new host key (known_hosts still has
# the old one) -> relay-d is refused with the loud "HOST KEY CHANGED" message
# while the others answer, and no authentication is even attempted: a debug
# sshd on relay-d (port 2222, the same new key) logs the key exchange but no
# userauth request, while the same check with the new key known does log one.
. "$(dirname "$0")/lib.sh"
t_begin ssh-hostkey-changed
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-hk.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"
HOSTS=$tmp/hosts.ini	# the lab's, with room for a busy machine
sed 's/^timeout = .*/timeout = 10/' "$REPO/assets/lab/hosts.ini" >"$HOSTS"

scenario hostkey-replace d >/dev/null
t_cleanup "scenario hostkey-restore d >/dev/null"
rc=0
out=$(lab_console "$RT" --hosts "$HOSTS" --once 2>&1) || rc=$?
assert_eq "$rc" 1 "exit status"
assert_match "$out" '^relay-d +relay +172\.16\.1\.12 +hostkey-changed'
assert_match "$out" 'HOST KEY CHANGED for relay-d \(172\.16\.1\.12\): possible man-in-the-middle; refusing\. Fix known_hosts if the change is expected\.'
for h in origin-a origin-b relay-c; do
    assert_match "$out" "^$h +[a-z]+ +[0-9.]+ +up " "$h should answer"
done

# No credentials for a changed key: watch it from the server's side.
old=$(lab_console sh -c "grep '^172\.16\.1\.12 ' /etc/relaytop-lab/known_hosts" | awk '{print $2" "$3}')
new=$(lab_exec d cat /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $1" "$2}')
[[ -n $old && -n $new && $old != "$new" ]] || t_fail "could not read old/new key"
echo "[172.16.1.12]:2222 $old" >"$tmp/kh-old"
echo "[172.16.1.12]:2222 $new" >"$tmp/kh-new"
for k in old new; do
    cat >"$tmp/$k.ini" <<INI
[defaults]
user = relayop
identity = /etc/relaytop-lab/id_ed25519
known_hosts = $tmp/kh-$k
sudo = yes
timeout = 10
[relay-d]
address = 172.16.1.12
port = 2222
role = relay
INI
done
debug_sshd() { # debug_sshd LOG: one-connection sshd -d on relay-d:2222
    lab_exec d sh -c "/usr/sbin/sshd -d -e -p 2222 -o ListenAddress=172.16.1.12 \
        -o LogLevel=DEBUG1 >'$1' 2>&1 </dev/null & echo \$!"
}
for k in old new; do
    pid=$(debug_sshd "$tmp/sshd-$k.log")
    t_cleanup "lab_exec d kill $pid 2>/dev/null || true"
    for _ in $(seq 50); do
        grep -q 'Server listening on 172.16.1.12 port 2222' "$tmp/sshd-$k.log" 2>/dev/null && break
        sleep 0.1
    done
    rc=0
    lab_console "$RT" --hosts "$tmp/$k.ini" --once >"$tmp/out-$k" 2>&1 || rc=$?
    for _ in $(seq 50); do lab_exec d kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "rc=$rc" >>"$tmp/out-$k"
done
log_old=$(cat "$tmp/sshd-old.log")
log_new=$(cat "$tmp/sshd-new.log")
assert_match "$(cat "$tmp/out-old")" 'HOST KEY CHANGED for relay-d'
assert_match "$(cat "$tmp/out-old")" 'rc=1'
assert_match "$log_old" 'KEX done'
assert_no_match "$log_old" 'userauth|SERVICE_REQUEST|Accepted publickey|Failed publickey'
# the control: the same server, key known -> auth happens and is logged
assert_match "$(cat "$tmp/out-new")" 'rc=0'
assert_match "$log_new" 'userauth-request for user relayop'
assert_match "$log_new" 'Accepted publickey for relayop'
t_ok
