#!/bin/bash
# e2e-once-deferred: with Postfix stopped on both relays C and D, a message
# submitted on origin A waits in A's deferred queue; `relaytop --once` shows
# it in A's deferred count with the reason (connection refused), both of A's
# relay edges refused, and the relays' Postfix as stopped.  Restores: both
# relays started, A's queue emptied.
. "$(dirname "$0")/lib.sh"
t_begin once-deferred
cd "$REPO"

t_cleanup 'scenario purge a'
t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario postfix-start c'
scenario purge a
scenario postfix-stop c
scenario postfix-stop d
tok=$(send_mail a relaytest@example.jp probe@dest.example once-deferred)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id: to=<probe@dest.example>, relay=none, .*status=deferred \(connect to 172\.16\.1\.1[12]\[[0-9.]+\]:25: Connection refused\)" 30 >/dev/null ||
    t_fail "A did not defer $id"

out=$(once) || t_fail "exit $? (want 0: all hosts answer): $out"
echo "$out"
assert_match "$out" '^origin-a +origin .* [0-9]+/[1-9][0-9]*/[0-9]+ ' "A's deferred count is 0"
assert_match "$out" '^  origin-a: [1-9][0-9]* deferred' "no waiting mail on A"
assert_match "$out" '^    [0-9]+ x connect to 172\.16\.1\.1[12]\[172\.16\.1\.1[12]\]:25: Connection refused$'
assert_match "$out" '^  origin-a +-> relay-c +primary +refused '
assert_match "$out" '^  origin-a +-> relay-d +fallback +refused '
assert_match "$out" '^  relay-c: \[postfix-stopped\] Postfix is not running'
assert_match "$out" '^  relay-d: \[postfix-stopped\] Postfix is not running'

json=$(once --json) || t_fail "--json exit $?"
check=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
a = [x for x in d["hosts"] if x["name"] == "origin-a"][0]
q = a["queue"]
assert q["deferred"] >= 1, q
assert any("Connection refused" in r["reason"] and r["count"] >= 1 for r in q["top_reasons"]), q
assert q["oldest_age_s"] is not None and q["oldest_age_s"] >= 0
assert a["recent"]["deferred"] >= 1, a["recent"]
assert a["last_outcome"].startswith("deferred "), a["last_outcome"]
assert any(e["status"] == "deferred" and e["queue_id"] == sys.argv[2] for e in a["events"]), a["events"]
c = [x for x in d["hosts"] if x["name"] == "relay-c"][0]
assert c["answered"] is True and "postfix-stopped" in c["problems"] and c["postfix_running"] is False, c
print("json ok")
' "$json" "$id") || t_fail "JSON: $check"
assert_eq "$check" "json ok"
t_ok
