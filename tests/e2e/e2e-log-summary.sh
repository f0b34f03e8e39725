#!/bin/bash
# e2e-log-summary: `relaytop --log` on real lab maillogs. A mail goes A -> C
# -> destination; then the summaries of A's and C's maillog must agree with
# the log text itself (sent count = status=sent lines, the relay row for C
# on A and for the destination on C, the message counted), and a missing
# file is one error line with exit 2. Reads only; the lab is left as it was.
. "$(dirname "$0")/lib.sh"
t_begin log-summary

tmp=$(mktemp -d)
t_cleanup "rm -rf '$tmp'"

tok=$(send_mail a x@example.jp probe@dest.example log-summary)
id_a=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
line=$(wait_log a "$id_a: to=<probe@dest\.example>, relay=.*status=sent \(250 2\.0\.0 Ok: queued as [0-9A-Za-z]+\)" 30) ||
    t_fail "A did not hand the message on"
x=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
relay=$(sed -E 's/.*relay=([^,]*),.*/\1/' <<<"$line")
wait_log c "$x: to=<probe@dest\.example>, relay=.*status=sent" 30 >/dev/null ||
    wait_log d "$x: to=<probe@dest\.example>, relay=.*status=sent" 5 >/dev/null ||
    t_fail "no relay delivered $x"

# facts JSON RELAY: "lines sent total exact messages relay_sent" from
# relaytop's JSON, in one python run (python is slow to start on a busy box).
facts() { python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
r=sum(x["sent"] for x in d["relays"] if x["relay"] == sys.argv[2])
print(d["lines"], d["deliveries"]["sent"], d["deliveries"]["total"],
      str(d["messages_exact"]).lower(), d["messages"], r)' "$1" "$2"; }

for h in a c; do
    lab_exec "$h" cat /var/log/maillog >"$tmp/$h.log" || t_fail "cannot read $h's maillog"
    "$RELAYTOP" --log "$tmp/$h.log" --json >"$tmp/$h.json" || t_fail "relaytop --log failed on $h"
    if [[ $h == a ]]; then via=$relay; else via="172.16.30.25[172.16.30.25]:25"; fi
    read -r lines sent total exact msgs rsent < <(facts "$tmp/$h.json" "$via")
    assert_eq "$lines" "$(grep -c '' "$tmp/$h.log")" "$h: lines"
    assert_eq "$sent" "$(grep -c 'status=sent' "$tmp/$h.log")" "$h: sent"
    assert_eq "$total" "$(grep -c 'status=' "$tmp/$h.log")" "$h: deliveries"
    assert_eq "$exact" "true" "$h: exact message count"
    [[ $msgs -ge 1 ]] || t_fail "$h: no message counted"
    want=$(grep -F "relay=$via, " "$tmp/$h.log" | grep -c 'status=sent' || true)
    [[ $want -ge 1 ]] || t_fail "$h: the log has no delivery via $via"
    assert_eq "$rsent" "$want" "$h: sent via $via"
done

text=$("$RELAYTOP" --log "$tmp/a.log") || t_fail "text summary failed"
assert_match "$text" "^  ${relay//[/\\[}" "A's text summary lists $relay"

err=$("$RELAYTOP" --log "$tmp/missing.log" 2>&1 >/dev/null) && t_fail "missing file: exit 0"
rc=$("$RELAYTOP" --log "$tmp/missing.log" >/dev/null 2>&1; echo $?)
assert_eq "$rc" 2 "missing file: exit status"
assert_eq "$err" "relaytop: $tmp/missing.log: No such file or directory" "missing file: message"
t_ok
