#!/bin/bash
# e2e-ui-acts: the act keys. t sends a traced test mail from the selected
# origin (A) and the trace view follows it live, hop by hop, to delivery via
# relay-c; T says how many origins it sends from and asks y/n first (n
# sends nothing, y one mail from each); f asks y/n before a flush (n cancels, y starts it). With
# --read-only the header says READ-ONLY and t, T, f, F are refused.
. "$(dirname "$0")/lib.sh"
t_begin ui-acts


. "$(dirname "$0")/ui-lib.sh"

rt_start 120 40
wait_screen '^>origin-a +up' 20 || fail_screen "origin-a never came up selected"
tm send-keys -t rt t
wait_screen '^Trace #[0-9]+ ' 10 || fail_screen "t did not open the trace view"
wait_screen '^Trace #[0-9]+ +delivered +from origin-a to probe@dest\.example' 40 ||
    fail_screen "the test mail was not traced to delivery"
s=$(screen)
assert_match "$s" 'hop 1 +origin-a +qid [0-9A-Za-z]+ ' "hop 1 on origin-a"
assert_match "$s" 'relay=172\.16\.1\.11\[172\.16\.1\.11\]:25 +next: relay-c' "hop 1 relays to relay-c"
assert_match "$s" 'hop 2 +relay-c +qid [0-9A-Za-z]+ ' "hop 2 on relay-c"
assert_match "$s" 'next: outside the inventory' "hop 2 delivers out of the inventory"
tok=$(sed -nE 's/^ +token ([A-Za-z0-9-]+).*/\1/p' <<<"$s" | head -n1)
[[ -n $tok ]] || fail_screen "no trace token shown"
lab_exec a grep -q "$tok" /var/log/maillog || t_fail "token $tok not in A's maillog"

# T: asks first, naming how many origins; n sends nothing
n_sent() { lab_exec "$1" grep -c 'message-id=<relaytop-' /var/log/maillog || true; }
a0=$(n_sent a) b0=$(n_sent b)
tm send-keys -t rt T
wait_screen 'send a test mail from each of the 2 origins\? \[y/n\]' 5 || fail_screen "T asks no confirmation"
tm send-keys -t rt n
wait_screen '^ cancelled' 5 || fail_screen "n did not cancel T"
sleep 2
assert_eq "$(n_sent a)" "$a0" "test mails on A after T n"
assert_eq "$(n_sent b)" "$b0" "test mails on B after T n"
# T y: one traced test mail from every origin, listed in the trace view
tm send-keys -t rt T
wait_screen 'send a test mail from each of the 2 origins\? \[y/n\]' 5 || fail_screen "T asks no confirmation"
tm send-keys -t rt y
wait_screen 'test mail #[0-9]+,#[0-9]+ sent from 2 origins' 10 || fail_screen "T did not send from both origins"
wait_screen '^> *#[0-9]+ +[a-z]+ +origin-b ' 10 || fail_screen "no trace from origin-b listed"
wait_screen '^ +#[0-9]+ +[a-z]+ +origin-a ' 10 || fail_screen "no trace from origin-a listed"

tm send-keys -t rt Escape f
wait_screen 'flush the queue on origin-a \(postqueue -f\)\? \[y/n\]' 5 || fail_screen "f asks no confirmation"
tm send-keys -t rt n
wait_screen '^ cancelled' 5 || fail_screen "n did not cancel"
tm send-keys -t rt f y
wait_screen 'flush origin-a' 10 || fail_screen "y did not start the flush"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
tm kill-server
rm -f "$RT_SOCK"

rt_start 100 30 --read-only --no-color
wait_screen 'READ-ONLY' 10 || fail_screen "no READ-ONLY in the header"
# --no-color: attributes only (bold, reverse...), never a colour
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a never came up"
sgr=$(tm capture-pane -p -e -t rt | grep -oE $'\e\\[[0-9;]*m' | sed -E $'s/^\e\\[//; s/m$//' | tr ';' '\n' | sort -u)
assert_match "$sgr" '^7$' "no reverse video in monochrome"
assert_no_match "$sgr" '^(3[0-7]|4[0-7]|38|48|9[0-7]|10[0-7])$' "a colour in --no-color"
for k in t T f F; do
    tm send-keys -t rt "$k"
    wait_screen 'read-only: actions are disabled' 5 || fail_screen "$k was not refused"
    assert_no_match "$(screen)" '\[y/n\]|to: *$' "$k opened a prompt in read-only mode"
    tm send-keys -t rt x
    sleep 0.3
done
tm send-keys -t rt v
wait_screen 'no test mail sent \(read-only\)' 5 || fail_screen "a trace exists in read-only mode"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
