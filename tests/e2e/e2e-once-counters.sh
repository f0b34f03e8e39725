#!/bin/bash
# e2e-once-counters: after a test mail (plain sendmail on origin A) has been
# delivered through relay C, `relaytop --once --json` counts one more sent
# on A and on C in the last 60 minutes, and A's last outcome names relay-c.
. "$(dirname "$0")/lib.sh"
t_begin once-counters
cd "$REPO"

before=$(once --json) || t_fail "exit $? before"
a0=$(once_sent "$before" origin-a) c0=$(once_sent "$before" relay-c)
echo "before: A sent $a0, C sent $c0"

tok=$(send_mail a relaytest@example.jp probe@dest.example once-counters)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
line=$(wait_log a "$id: to=<probe@dest.example>, relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as [0-9A-Za-z]+\)" 30) ||
    t_fail "A did not relay $id to C"
x=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
wait_log c "$x: to=<probe@dest.example>, relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent" 30 >/dev/null ||
    t_fail "C did not deliver $x"

after=$(once --json) || t_fail "exit $? after"
a1=$(once_sent "$after" origin-a) c1=$(once_sent "$after" relay-c)
echo "after: A sent $a1, C sent $c1"
assert_eq "$a1" "$((a0 + 1))" "A's sent counter"
((c1 >= c0 + 1)) || t_fail "C's sent counter did not move: $c0 -> $c1"
last=$(python3 -c 'import json, sys
d = json.loads(sys.argv[1])
print([h for h in d["hosts"] if h["name"] == "origin-a"][0]["last_outcome"])' "$after")
assert_match "$last" '^sent [0-9:]{8} to probe@dest\.example via relay-c$'
out=$(once) || t_fail "exit $? (text)"
assert_match "$out" "^  origin-a +-> relay-c +primary +sent .*queued as $x"
assert_match "$out" '^  relay-c +-> \[172\.16\.30\.25\]:25 +onward +sent '
t_ok
