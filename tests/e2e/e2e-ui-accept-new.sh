#!/bin/bash
# e2e-ui-accept-new: in the console, accept-new says on the message line
# which key it added (name, type, SHA256 fingerprint, file) instead of
# writing to stderr under the screen; the action log has the same line.
. "$(dirname "$0")/lib.sh"
t_begin ui-accept-new
. "$(dirname "$0")/ui-lib.sh"
tmp=$(mktemp -d /tmp/e2e-ui-an.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

lab_console sh -c "grep -v '^172\.16\.1\.12 ' /etc/relaytop-lab/known_hosts" >"$tmp/known_hosts"
sed -e "s|^known_hosts = .*|known_hosts = $tmp/known_hosts|" \
    -e 's/^timeout = .*/timeout = 10/' "$REPO/assets/lab/hosts.ini" >"$tmp/hosts.ini"
fp=$(lab_exec d cat /etc/ssh/ssh_host_ed25519_key.pub | ssh-keygen -lf - | awk '{print $2}')
[[ $fp == SHA256:* ]] || t_fail "no relay-d fingerprint"

lab_console tmux -S "$RT_SOCK" new-session -d -s rt -x 250 -y 40 \
    "cd '$REPO' && LANG=C.UTF-8 XDG_STATE_HOME='$tmp/state' '$RELAYTOP' --hosts '$tmp/hosts.ini' --accept-new; echo RELAYTOP-EXIT=\$?; sleep 300"
t_cleanup "tm kill-server 2>/dev/null || true; rm -f '$RT_SOCK'"
want="^ relay-d \(172\.16\.1\.12\): accept-new: added 172\.16\.1\.12 ssh-ed25519 ${fp//+/\\+} to $tmp/known_hosts"
wait_screen "$want" 40 || fail_screen "no accept-new message on the screen"
wait_screen '^.relay-d +up' 30 || fail_screen "relay-d not up"
assert_no_match "$(screen)" '^relaytop: ' "a stderr line under the screen"
grep -Fq " relay-d accept-new 172.16.1.12 ssh-ed25519: added $fp to $tmp/known_hosts" \
    "$tmp/state/relaytop/actions.log" || t_fail "no action-log line"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
