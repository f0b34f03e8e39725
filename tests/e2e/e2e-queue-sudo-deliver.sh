#!/bin/bash
# e2e-queue-sudo-deliver: the queue operations' two edges. On a host whose
# sudoers lacks the postsuper lines, a hold is refused once, plainly (what
# to install), nothing is held, and no alert is mailed to root (relaytop asks
# `sudo -n -l` first: a refused `sudo -n` mails root sudo's alert once a
# batch). `--deliver` tries one deferred message now (postqueue -i as the
# login): with a backoff of an hour, only --deliver moves it once the relay
# is back, and the other deferred message stays. Restores: sudoers, queue,
# backoff, relays.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/queue-lib.sh"
t_begin queue-sudo-deliver
cd "$REPO"

hb=/run/relaytop-lab/$LAB/b
t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario postfix-start c'
t_cleanup 'scenario purge b >/dev/null'	# before the relays start
st=$(mktemp -d /tmp/e2e-qsd.XXXXXX)
t_cleanup "rm -rf '$st'"
scenario postfix-stop c
scenario postfix-stop d
slow_retries b

send_mail b alice@example.jp eve@dest.example s1 >/dev/null
send_mail b carol@example.org dave@dest.example s2 >/dev/null
wait_deferred b 2

# --- sudoers without the postsuper lines ---------------------------------
sud=$hb/sudoers.d/relaytop
cp -p "$sud" "$st/sudoers.b"
t_cleanup "cp -p '$st/sudoers.b' '$sud'"
grep -v '/usr/sbin/postsuper' "$st/sudoers.b" >"$sud"
visudo -qcf "$sud" >/dev/null || t_fail "the sudoers file without postsuper does not validate"
pickups() { grep -c 'postfix/pickup' "$hb/log/maillog" || true; }
p0=$(pickups)
rt --queue origin-b --match carol --hold --yes
assert_eq "$RC" 1 "exit when sudo does not allow postsuper"
assert_match "$OUT$ERR" "sudo does not allow /usr/sbin/postsuper -h - for this login: install the rule relaytop --sudoers prints"
assert_eq "$(qcount b '"queue_name": "hold"')" 0 "held on B although sudo refused"
assert_match "$(cat "$st/relaytop/actions.log")" 'origin-b queue-hold batch failed: failed 1: sudo does not allow'
sleep 2	# an alert mail would be picked up within a second
assert_eq "$(pickups)" "$p0" "mails submitted on origin-b while sudo refused (sudo's alert to root?)"
cp -p "$st/sudoers.b" "$sud"

# --- deliver ---------------------------------------------------------------
scenario postfix-start c
eid=$(qj b | grep '"address": "eve@dest.example"' | sed 's/.*"queue_id": "\([0-9A-Za-z]*\)".*/\1/' || true)
[[ -n $eid ]] || t_fail "eve's mail is not in B's queue: $(qj b)"
rt --queue origin-b --id "$eid" --deliver --yes
assert_eq "$RC" 0 "--deliver exit: $OUT $ERR"
assert_match "$OUT" 'deliver origin-b: 1 of 1 done'
for _ in $(seq 120); do
    grep -q "$eid: to=<eve@dest.example>, relay=172.16.1.11.*status=sent" "$hb/log/maillog" && break
    sleep 0.25
done
grep -q "$eid: to=<eve@dest.example>, relay=172.16.1.11.*status=sent" "$hb/log/maillog" ||
    t_fail "--deliver: $eid not sent through relay-c: $(grep "$eid" "$hb/log/maillog" | tail -n 3)"
assert_eq "$(qcount b eve@dest.example)" 0 "eve's mail still queued after --deliver"
assert_eq "$(qcount b dave@dest.example)" 1 "--deliver moved carol's mail too"
assert_match "$(cat "$st/relaytop/actions.log")" "origin-b queue-deliver postqueue -i ids 1-1 of 1: $eid: starting"
t_ok
