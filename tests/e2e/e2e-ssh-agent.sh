#!/bin/bash
# e2e-ssh-agent: the ssh-agent is asked with a deadline. An agent socket
# that accepts but never answers (SSH_AUTH_SOCK pointing at a silent
# listener) used to freeze relaytop inside libssh2 for good; now `--once`
# skips the agent after 500 ms, logs in with the identity file and all four
# hosts answer. An agent that lists the lab key and then never answers the
# sign request (tests/lab/agent-mute-sign) used to freeze relaytop inside
# libssh2_agent_userauth: now relaytop signs through the agent itself with a
# 2 s deadline, says so, and logs in with the identity file; with no
# identity file (agent only) each host fails authentication naming the
# silent agent, and --once still ends. A real ssh-agent holding the lab key
# still works (hosts.ini with `identity =`: the agent only).
. "$(dirname "$0")/lib.sh"
t_begin ssh-agent
tmp=$(mktemp -d /tmp/e2e-agent.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

# agent_once SOCK HOSTS WHAT: relaytop --once with that agent (killed
# after 60 s); sets out and rc, fails on a hang or a run of 30 s or more.
agent_once() {
    local start secs
    start=$(date +%s)
    rc=0
    out=$(lab_console env SSH_AUTH_SOCK="$1" timeout 60 "$RELAYTOP" \
        --hosts "$2" --once 2>&1) || rc=$?
    secs=$(($(date +%s) - start))
    echo "$out"
    echo "$3: exit $rc after ${secs} s"
    ((rc != 124)) || t_fail "relaytop hung ($3; killed after 60 s)"
    ((secs < 30)) || t_fail "--once took ${secs} s ($3)"
}

python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(64)
time.sleep(120)' "$tmp/silent.sock" &
silent=$!
t_cleanup "kill $silent 2>/dev/null || true"
for i in $(seq 50); do [[ -S $tmp/silent.sock ]] && break; sleep 0.1; done

agent_once "$tmp/silent.sock" "$REPO/assets/lab/hosts.ini" "silent agent"
assert_eq "$rc" 0 "exit status with a silent agent"
assert_match "$out" 'hosts 4 +answered 4'

# an agent that lists the key and never signs
"$REPO/tests/lab/agent-mute-sign" "$tmp/mute.sock" \
    "/run/relaytop-lab/$LAB/console/relaytop-lab/id_ed25519.pub" &
mute=$!
t_cleanup "kill $mute 2>/dev/null || true"
for _ in $(seq 50); do [[ -S $tmp/mute.sock ]] && break; sleep 0.1; done
[[ -S $tmp/mute.sock ]] || t_fail "the mute agent did not start"
agent_once "$tmp/mute.sock" "$REPO/assets/lab/hosts.ini" "mute-sign agent, identity file"
assert_eq "$rc" 0 "exit status with an agent that never signs"
assert_match "$out" 'hosts 4 +answered 4' "the identity file was not used after the agent"
assert_match "$out" "ssh-agent at $tmp/mute.sock did not answer a sign request within 2000 ms" \
    "no message naming the silent agent"

sed 's|^identity = .*|identity =|' "$REPO/assets/lab/hosts.ini" >"$tmp/hosts.ini"
grep -q '^identity =$' "$tmp/hosts.ini" || t_fail "no identity line to empty"
agent_once "$tmp/mute.sock" "$tmp/hosts.ini" "mute-sign agent, agent only"
assert_match "$out" 'authentication as relayop failed: ssh-agent at [^ ]* did not answer a sign request within 2000 ms' \
    "the auth error does not name the silent agent"

# a real agent with the lab key, and no identity file: the agent only
agent_env=$(lab_console ssh-agent -s -a "$tmp/real.sock")
agent_pid=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' <<<"$agent_env")
[[ -n $agent_pid ]] || t_fail "ssh-agent did not start: $agent_env"
t_cleanup "kill $agent_pid 2>/dev/null || true"
lab_console env SSH_AUTH_SOCK="$tmp/real.sock" ssh-add -q /etc/relaytop-lab/id_ed25519 ||
    t_fail "ssh-add failed"
out=$(lab_console env SSH_AUTH_SOCK="$tmp/real.sock" timeout 60 "$RELAYTOP" \
    --hosts "$tmp/hosts.ini" --once 2>&1) || t_fail "real agent: exit $?: $out"
assert_match "$out" 'hosts 4 +answered 4' "the agent's key was not used"
t_ok
