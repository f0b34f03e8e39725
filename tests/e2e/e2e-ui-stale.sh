#!/bin/bash
# e2e-ui-stale: a hung host never freezes the console. relay-d's sshd port
# is silently dropped (nftables in relay-d's namespace, removed afterwards):
# relay-d turns stale/unreachable with the age of its last answer, while the
# clock keeps ticking, the other hosts stay up and keys still work.
. "$(dirname "$0")/lib.sh"
t_begin ui-stale

. "$(dirname "$0")/ui-lib.sh"

rt_start 120 40
wait_screen '^.relay-d( !?[0-9]+)? +up +relay +172\.16\.1\.12 +- ' 20 || fail_screen "relay-d never answered"

t_cleanup "lab_exec d nft delete table inet relaytop_ui_hang 2>/dev/null || true"
lab_exec d nft -f - <<'NFT'
table inet relaytop_ui_hang {
	chain in {
		type filter hook input priority -10; policy accept;
		tcp dport 22 drop
	}
}
NFT
# relay-d: stale or unreachable, with the age of its last answer
wait_screen '^.relay-d +(stale|unreachable) [0-9]+s' 40 || fail_screen "relay-d not shown stale"
c1=$(screen | head -n1 | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2} *$')
s=$(screen)
for h in origin-a origin-b relay-c; do
    assert_match "$s" "^.$h +up" "$h not up while relay-d hangs"
done
# keys still answer and the clock still moves
tm send-keys -t rt l
wait_screen '^Log +[0-9]+ lines' 5 || fail_screen "the console did not answer l"
tm send-keys -t rt Escape
wait_screen '^Topology' 5 || fail_screen "the console did not answer Esc"
sleep 1.5
c2=$(screen | head -n1 | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2} *$')
[[ -n $c1 && $c1 != "$c2" ]] || fail_screen "the header clock stopped ($c1 / $c2)"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
