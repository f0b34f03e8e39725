#!/bin/bash
# e2e-ssh-agent: the ssh-agent is asked with a deadline. An agent socket
# that accepts but never answers (SSH_AUTH_SOCK pointing at a silent
# listener) used to freeze relaytop inside libssh2 for good; now `--once`
# skips the agent after 500 ms, logs in with the identity file and all four
# hosts answer. A real ssh-agent holding the lab key still works (hosts.ini
# with `identity =`: the agent only).
. "$(dirname "$0")/lib.sh"
t_begin ssh-agent
tmp=$(mktemp -d /tmp/e2e-agent.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(64)
time.sleep(120)' "$tmp/silent.sock" &
silent=$!
t_cleanup "kill $silent 2>/dev/null || true"
for i in $(seq 50); do [[ -S $tmp/silent.sock ]] && break; sleep 0.1; done

start=$(date +%s)
rc=0
out=$(lab_console env SSH_AUTH_SOCK="$tmp/silent.sock" timeout 60 "$RELAYTOP" \
    --hosts "$REPO/assets/lab/hosts.ini" --once 2>&1) || rc=$?
secs=$(($(date +%s) - start))
echo "$out"
echo "silent agent: exit $rc after ${secs} s"
((rc != 124)) || t_fail "relaytop hung on the silent agent (killed after 60 s)"
assert_eq "$rc" 0 "exit status with a silent agent"
assert_match "$out" 'hosts 4 +answered 4'
((secs < 30)) || t_fail "--once took ${secs} s with a silent agent"

# a real agent with the lab key, and no identity file: the agent only
agent_env=$(lab_console ssh-agent -s -a "$tmp/real.sock")
agent_pid=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' <<<"$agent_env")
[[ -n $agent_pid ]] || t_fail "ssh-agent did not start: $agent_env"
t_cleanup "kill $agent_pid 2>/dev/null || true"
lab_console env SSH_AUTH_SOCK="$tmp/real.sock" ssh-add -q /etc/relaytop-lab/id_ed25519 ||
    t_fail "ssh-add failed"
sed 's|^identity = .*|identity =|' "$REPO/assets/lab/hosts.ini" >"$tmp/hosts.ini"
grep -q '^identity =$' "$tmp/hosts.ini" || t_fail "no identity line to empty"
out=$(lab_console env SSH_AUTH_SOCK="$tmp/real.sock" timeout 60 "$RELAYTOP" \
    --hosts "$tmp/hosts.ini" --once 2>&1) || t_fail "real agent: exit $?: $out"
assert_match "$out" 'hosts 4 +answered 4' "the agent's key was not used"
t_ok
