#!/bin/bash
# e2e-three-hops: a chain of three relays deep (scenario three-hops: the
# relays' relayhost is the outbound relay outbound-e, a fifth real Postfix
# host whose mynetworks holds the relays; inventory
# assets/lab/hosts-three-hops.ini). Clean: the doctor says exit 0; a
# --test-send from origin-a is traced over three hops by their "queued as"
# ids (each hop's queue id as its host logged it, the client it came from,
# the TLS/family/port facts) and ends delivered; --once text and --once
# --json show the levels (origins 0, relays 1, outbound-e 2) and the
# relay -> outbound edges (hop 2); the console at 80x24 shows "3 levels"
# with the rows origin, relay, outbound in that order. Then relay-c is
# dropped from outbound-e's mynetworks: outbound-e refuses it (454 Relay
# access denied), relay-c defers, the edge is deferred and the doctor names
# host, setting, severity and fix; restored, the mail goes on and the
# finding is gone. Everything is undone (three-hops-off removes outbound-e).
. "$(dirname "$0")/lib.sh"
t_begin three-hops
cd "$REPO"
INV=assets/lab/hosts-three-hops.ini
export ONCE_HOSTS=$INV RT_HOSTS=$INV
rt() { lab_console "$RELAYTOP" --hosts "$REPO/$INV" "$@"; }
json_py() { # json_py JSON PYTHON-EXPR-OVER-d
    python3 -c 'import json, sys
d = json.loads(sys.argv[1])
edge = lambda f, t: [e for e in d["edges"] if e["from"] == f and e["to"] == t][0]
print(eval(sys.argv[2]))' "$1" "$2"
}

t_cleanup 'scenario three-hops-off'
scenario three-hops >/dev/null

# --- clean: the doctor is content, a traced mail takes three hops
rc=0; chk=$(rt --check 2>&1) || rc=$?
assert_eq "$rc" 0 "--check on the clean three-hop lab: $chk"
tr=$(rt --test-send origin-a --timeout 60 2>&1) || t_fail "test-send over three hops: $tr"
echo "$tr"
q1=$(sed -nE 's/^  hop 1  origin-a  queue id ([0-9A-Za-z]+).*/\1/p' <<<"$tr")
q2=$(sed -nE 's/^  hop 2  relay-c  queue id ([0-9A-Za-z]+) .*/\1/p' <<<"$tr")
q3=$(sed -nE 's/^  hop 3  outbound-e  queue id ([0-9A-Za-z]+) .*/\1/p' <<<"$tr")
[[ -n $q1 && -n $q2 && -n $q3 ]] || t_fail "the trace does not name three hops a -> c -> e"
assert_match "$tr" "-> relay-c \(172\.16\.1\.11\[172\.16\.1\.11\]:25, primary\)  sent  dsn 2\.0\.0 .* queued as $q2\$"
assert_match "$tr" "^  hop 2  relay-c  queue id $q2  from unknown\[172\.16\.10\.5\]\$"
assert_match "$tr" "-> outbound-e \(172\.16\.1\.13\[172\.16\.1\.13\]:25, primary\)  sent  dsn 2\.0\.0 .* queued as $q3\$"
assert_match "$tr" "^  hop 3  outbound-e  queue id $q3  from unknown\[172\.16\.1\.11\]\$"
assert_match "$tr" '-> 172\.16\.30\.25\[172\.16\.30\.25\]:25 \(outside the inventory\)  sent  dsn 2\.0\.0'
assert_eq "$(grep -c '^         tls: cleartext (TLS off)  sasl [a-z?]*  ipv4 port 25$' <<<"$tr")" 3 "a TLS/family/port line per hop"
assert_match "$tr" '^  delivered: origin-a -> relay-c -> outbound-e -> 172\.16\.30\.25 '
# the ids are the ones the hosts logged, "queued as" from hop to hop
wait_log c "$q2: to=<probe@dest\.example>, relay=172\.16\.1\.13\[172\.16\.1\.13\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as $q3\)" 5 >/dev/null ||
    t_fail "relay-c did not log $q2 -> $q3"
wait_log e "$q3: client=unknown\[172\.16\.1\.11\]" 5 >/dev/null || t_fail "outbound-e did not log $q3 from relay-c"

# --- the levels in --once text and JSON (the inventory lists outbound-e
# before the relays: the chain is ordered by level, not by the file)
txt=$(once) || t_fail "exit $? (text)"
assert_match "$txt" '^  levels: origin-a, origin-b -> relay-c, relay-d -> outbound-e -> \[172\.16\.30\.25\]:25$'
assert_match "$txt" '^  relay-c +-> outbound-e +primary +sent '
assert_match "$txt" '^  outbound-e +-> \[172\.16\.30\.25\]:25 onward +sent '
assert_match "$(grep -nE '^  (origin-a|relay-c|outbound-e) +->' <<<"$txt" | cut -d: -f2 | awk '{print $1}' | uniq | tr '\n' ' ')" \
    '^origin-a relay-c outbound-e $' "edges not listed origin, relay, outbound"
j=$(once --json) || t_fail "exit $? (json)"
assert_eq "$(json_py "$j" '" ".join("%s:%s:%d" % (h["name"], h["role"], h["level"]) for h in d["hosts"])')" \
    "origin-a:origin:0 origin-b:origin:0 outbound-e:relay:2 relay-c:relay:1 relay-d:relay:1" "host levels (inventory order)"
assert_eq "$(json_py "$j" '[edge(f, "outbound-e")["kind"] + "/" + str(edge(f, "outbound-e")["hop"]) for f in ("relay-c", "relay-d")]')" \
    "['primary/2', 'primary/2']" "relay -> outbound edges"
assert_eq "$(json_py "$j" 'edge("relay-c", "outbound-e")["state"]')" sent
assert_eq "$(json_py "$j" '[(e["kind"], e["state"], e["hop"], e["target"]) for e in d["edges"] if e["from"] == "outbound-e"]')" \
    "[('onward', 'sent', 3, '172.16.30.25')]" "outbound-e's onward edge"

# --- the console at 80x24: three levels, rows in chain order
. "$(dirname "$0")/ui-lib.sh"
rt_start 80 24
wait_screen '^Topology .* 3 levels' 30 || fail_screen "no '3 levels' in the topology title at 80x24"
wait_screen '^.relay-c +up +── primary: sent .*▶ outbound-e up' 20 || fail_screen "no relay-c -> outbound-e edge at 80x24"
wait_screen '^.outbound-e +up +── onward: sent .*▶ \[172\.16\.30\.25\]:25' 10 || fail_screen "no outbound-e -> dest edge at 80x24"
order=$(screen | sed -n '/^Topology/,/^Hosts/p' | grep -oE '^.(origin-[ab]|relay-[cd]|outbound-e) ' | cut -c2- | tr -d ' ' | tr '\n' ' ')
assert_eq "$order" "origin-a origin-b relay-c relay-d outbound-e " "topology rows not in level order"
tm send-keys -t rt q

# --- broken: outbound-e's mynetworks without relay-c
t_cleanup 'scenario purge c'
t_cleanup 'scenario param-restore e mynetworks'
scenario param e 'mynetworks = 127.0.0.1, 172.16.1.12' >/dev/null
tok=$(send_mail a relaytest@example.jp probe@dest.example three-hops-denied)
ida=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
idc=$(wait_log a "$ida: to=<probe@dest\.example>, relay=172\.16\.1\.11\[.*status=sent .*queued as " 30 |
    sed -nE 's/.*queued as ([0-9A-Za-z]+)\).*/\1/p' | head -n1) || true
[[ -n $idc ]] || t_fail "A did not relay $ida to relay-c"
wait_log c "$idc: to=<probe@dest\.example>, relay=172\.16\.1\.13\[172\.16\.1\.13\]:25, .*status=deferred \(host 172\.16\.1\.13\[172\.16\.1\.13\] said: 454 4\.7\.1 <probe@dest\.example>: Relay access denied" 30 >/dev/null ||
    t_fail "relay-c was not deferred by outbound-e"
wait_log e 'NOQUEUE: reject: RCPT from unknown\[172\.16\.1\.11\]: 454 4\.7\.1' 5 >/dev/null || t_fail "outbound-e logged no refusal"
rc=0; chk=$(rt --check 2>&1) || rc=$?
echo "$chk"
assert_eq "$rc" 2 "--check with relay-c outside outbound-e's mynetworks"
assert_match "$chk" '^critical origin-not-in-mynetworks \[outbound-e, relay-c\]$'
assert_match "$chk" "^  what: +relay-c \(172\.16\.1\.11\) is not in outbound-e's mynetworks: outbound-e refuses its mail with \"Relay access denied\""
assert_match "$chk" '^  evidence: outbound-e: mynetworks = 127\.0\.0\.1, 172\.16\.1\.12$'
assert_match "$chk" '^  fix: +outbound-e main\.cf: mynetworks = 127\.0\.0\.1, 172\.16\.1\.12, 172\.16\.1\.11 \(then postfix reload\)$'
assert_match "$chk" '^warning log-relay-denied \[outbound-e, relay-c\]$'
j=$(once --json) || [[ $? == 1 ]] || t_fail "once --json (broken)"
assert_eq "$(json_py "$j" 'edge("relay-c", "outbound-e")["state"]')" deferred "relay-c -> outbound-e edge state"
assert_match "$(json_py "$j" 'edge("relay-c", "outbound-e")["reason"]')" '454 4\.7\.1 <probe@dest\.example>: Relay access denied'

# --- restored: the mail goes on, the finding goes
scenario param-restore e mynetworks >/dev/null
scenario flush c >/dev/null
wait_log c "$idc: to=<probe@dest\.example>, relay=172\.16\.1\.13\[172\.16\.1\.13\]:25, .*status=sent" 40 >/dev/null ||
    t_fail "relay-c did not deliver $idc once restored"
rc=0; chk=$(rt --check 2>&1) || rc=$?
echo "$chk"
assert_no_match "$chk" 'origin-not-in-mynetworks' "the finding stayed after the restore"
assert_no_match "$chk" '^(critical|warning) ' "a critical or warning finding after the restore"
t_ok
