#!/bin/bash
# e2e-once-chain: `relaytop --once` (text and --json) on the healthy lab shows
# the seed's chain: origins A and B relay to C (relayhost) with fallback D,
# with the seed's settings on every host, and exits 0 (all answered).
. "$(dirname "$0")/lib.sh"
t_begin once-chain
cd "$REPO"

out=$(once) || t_fail "exit $? (want 0): $out"
echo "$out"
assert_match "$out" 'hosts 4  answered 4'
for o in origin-a:172.16.10.5 origin-b:172.16.10.6; do
    assert_match "$out" "^${o%%:*} +origin +${o#*:} +up +\[172\.16\.1\.11\] +\[172\.16\.1\.12\] +127\.0\.0\.1 +loopback-only "
    assert_match "$out" "^  ${o%%:*} +-> relay-c +primary "
    assert_match "$out" "^  ${o%%:*} +-> relay-d +fallback "
done
for r in relay-c:172.16.1.11 relay-d:172.16.1.12; do
    assert_match "$out" "^${r%%:*} +relay +${r#*:} +up +- +- +127\.0\.0\.1, 172\.16\.10\.5, 172\.16\.10\.6, \[fd16:172::10:5\], \[fd16:172::10:6\] +all "
done
assert_no_match "$out" '^Problems:' "a healthy lab has problems"

json=$(once --json) || t_fail "--json exit $?"
check=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["version"] == 1, "version"
h = {x["name"]: x for x in d["hosts"]}
for o in ("origin-a", "origin-b"):
    s = h[o]["settings"]
    assert h[o]["role"] == "origin" and h[o]["answered"] is True, o
    assert s["relayhost"] == {"value": "[172.16.1.11]", "explicit": True}, s["relayhost"]
    assert s["smtp_fallback_relay"] == {"value": "[172.16.1.12]", "explicit": True}
    assert s["inet_interfaces"]["value"] == "loopback-only"
    assert s["mynetworks"]["value"] == "127.0.0.1"
    assert s["myorigin"] == {"value": "example.jp", "explicit": True}, s["myorigin"]
    assert s["mail_version"]["explicit"] is False
    assert h[o]["postfix_running"] is True and h[o]["maillog"] == "/var/log/maillog"
    assert h[o]["problems"] == [], h[o]["problems"]
    assert h[o]["queue"] is not None
for r in ("relay-c", "relay-d"):
    s = h[r]["settings"]
    assert h[r]["role"] == "relay"
    assert s["relayhost"]["value"] == "" and s["inet_interfaces"]["value"] == "all"
    assert s["mynetworks"]["value"] == "127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:5], [fd16:172::10:6]"
    assert s["inet_protocols"]["value"] == "all"
assert h["origin-a"]["settings"]["myhostname"]["value"] != h["relay-c"]["settings"]["myhostname"]["value"]
e = {(x["from"], x["kind"]): x for x in d["edges"]}
for o in ("origin-a", "origin-b"):
    assert e[(o, "primary")]["to"] == "relay-c" and e[(o, "primary")]["target"] == "172.16.1.11"
    assert e[(o, "fallback")]["to"] == "relay-d" and e[(o, "fallback")]["bracketed"] is True
print("json ok")
' "$json") || t_fail "JSON: $check"
assert_eq "$check" "json ok"
t_ok
