#!/bin/bash
# e2e-lab-traffic: the demo's living chain. With the console open at 80x24
# on logs just emptied, `scenario traffic` (what `make demo` starts) sends
# its first 4 mails from each origin (origin-a: sent, deferred, sent,
# bounced; origin-b: sent, deferred, sent, sent); the first screen shows sent,
# deferred and bounced outcomes, the primary edges "sent" and relay-c's
# refusal, and no host logs an aliases.db error. The source stopped and
# relay-c's queue emptied (no more retries), --once --json counts on
# origin-a, origin-b and relay-c are exactly grep's on their logs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin lab-traffic
S=/run/relaytop-lab/$LAB
t_cleanup "scenario traffic-off; scenario purge c >/dev/null 2>&1 || true"
scenario clear-log a b c
rt_start 80 24
wait_screen '^.origin-a +up' 30 || fail_screen "console did not come up"
start=$SECONDS
scenario traffic
# the loop's 5th mail comes LAB_TRAFFIC_GAP (20) s or more after the 4th
wait_screen '^.origin-a .* [0-9]+/0/1/0 ' 20 || fail_screen "origin-a's bounce not counted"
wait_screen '^.relay-c .* [0-9]+/[1-9][0-9]*/0/1 ' 20 || fail_screen "relay-c's deferral and refusal not counted"
scr=$(screen)
scenario traffic-off
((SECONDS - start < 20)) || t_note "the first outcomes took $((SECONDS - start)) s"
for w in 'primary: sent' ' sent ' ' deferred ' ' bounced '; do
    assert_match "$scr" "$w" "the first screen shows '$w'"
done
echo "$scr"
# every mail of the burst has its outcome on origin-a, then C stops retrying
for ((i = 0; i < 80; i++)); do
    [[ $(grep -c 'relay=172\.16\.1\.11.*status=\(sent\|bounced\)' "$S/a/log/maillog") == 4 &&
       $(grep -c 'relay=172\.16\.1\.11.*status=sent' "$S/b/log/maillog") == 4 ]] && break
    sleep 0.25
done
((i < 80)) || t_fail "the 4+4 mails did not all leave the origins"
scenario purge c >/dev/null
sleep 1
truth() { # truth HOST: "sent deferred bounced refused" as grep counts them
    local f=$S/$1/log/maillog
    echo "$(grep -c ' status=sent' "$f") $(grep -c ' status=deferred' "$f") $(grep -c ' status=bounced' "$f") $(grep -c 'NOQUEUE: reject:' "$f")"
}
json=$(once --json) || t_fail "--once --json failed"
for h in a b c; do
    case $h in a) n=origin-a ;; b) n=origin-b ;; *) n=relay-c ;; esac
    got=$(python3 -c '
import json, sys
r = [h for h in json.loads(sys.argv[1])["hosts"] if h["name"] == sys.argv[2]][0]["recent"]
print(r["sent"], r["deferred"], r["bounced"], r["refused"])' "$json" "$n")
    assert_eq "$got" "$(truth "$h")" "$n: --once --json sent/deferred/bounced/refused vs grep"
    echo "$n: $got"
done
# what the burst must hold (origin-a: 3 relayed + its bounce notice
# delivered to root locally, 1 bounced; relay-c: 5 to dest, 2 deferred at
# least, the refused unknown user)
read -r as _ ab _ <<<"$(truth a)"
read -r cs cd _ cr <<<"$(truth c)"
assert_eq "$as $ab" "4 1" "origin-a sent and bounced"
assert_eq "$cs $cr" "5 1" "relay-c sent and refused"
((cd >= 2)) || t_fail "relay-c deferred $cd, want 2 or more"
bad=$(grep -h 'aliases\.db' "$S"/[abcd]/log/maillog || true)
[[ -z $bad ]] || t_fail "alias database errors: $bad"
tm send-keys -t rt q
t_ok
