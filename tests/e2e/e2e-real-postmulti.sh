#!/bin/bash
# e2e-real-postmulti: relay-c runs two Postfix instances (`scenario postmulti
# c`: the default hands each mail to the instance postfix-out on
# 127.0.0.1:10026, its own config, queue and data directories and
# syslog_name, which delivers to dest; both log to C's one maillog; put
# back at the end). TRACES test mails by `relaytop --test-send origin-a`
# and BULK more by sendmail on A. Truth from C's log (grep): N deliveries
# to dest by postfix-out/smtp, N hand-offs by the default to
# 127.0.0.1:10026. relaytop must find the instance by itself (postmulti -l)
# and show it as its own host relay-c/postfix-out: every trace delivered
# through relay-c and relay-c/postfix-out (the hop between them a hand-off,
# no delivery); the console (running throughout): the instance's row
# with N sent, none on relay-c, the edges relay-c -> relay-c/postfix-out
# handed-off and on to dest sent, origin-a's mail via relay-c;
# --once --json: relay-c/postfix-out with its own settings
# (syslog_name postfix-out, its myhostname, mynetworks, inet_interfaces) and
# queue, N sent there and none at relay-c, which handed off N, the edge
# relay-c -> relay-c/postfix-out handed-off. With `instances =
# postfix-other` for relay-c the instance is not watched: no such host, and
# relay-c still counts none of its deliveries. Then the undo: one instance
# again, the lab's transport_maps, nothing on 10026 or /etc/postfix-out.
# Leaves A's and C's logs empty.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin real-postmulti
cd "$REPO"
TRACES=${POSTMULTI_TRACES:-3} BULK=${POSTMULTI_BULK:-5}
N=$((TRACES + BULK))
STATE=/run/relaytop-lab/$LAB
work=$(mktemp -d)
t_cleanup "rm -rf '$work'"

scenario postmulti c >/dev/null
t_cleanup "scenario postmulti c undo >/dev/null"
# --once reads the last 256 KB of each log on first contact: from empty
# logs, its counts are exactly this test's mails
scenario clear-log a c
t_cleanup "scenario clear-log a c"
# the console, running throughout
rt_start 160 45

lab_exec a /bin/sh -c 'i=0; while [ "$i" -lt "$1" ]; do i=$((i + 1))
    printf "From: relaytest@example.jp\nTo: probe@dest.example\nSubject: postmulti %s\n\nrelaytop e2e\n" "$i" |
        /usr/sbin/sendmail -f relaytest@example.jp probe@dest.example || exit 1
    done' sh "$BULK" || t_fail "sendmail on A failed"
for i in $(seq "$TRACES"); do
    rc=0
    lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a \
        --to probe@dest.example --timeout 60 --json >"$work/trace$i.json" 2>"$work/trace$i.err" || rc=$?
    ((rc == 0)) || t_fail "trace $i: exit $rc: $(cat "$work/trace$i.json" "$work/trace$i.err")"
done

# grep truth: N delivered by postfix-out to dest, N handed off by the default
t=$((SECONDS + 60))
dest_re='postfix-out/smtp\[[0-9]+\]: [0-9A-Za-z]+: to=<probe@dest\.example>, relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent'
until (($(grep -Ec "$dest_re" "$STATE/c/log/maillog") >= N)); do
    ((SECONDS < t)) || t_fail "postfix-out delivered $(grep -Ec "$dest_re" "$STATE/c/log/maillog") of $N"
    sleep 1
done
g_dest=$(grep -Ec "$dest_re" "$STATE/c/log/maillog")
g_hand=$(grep -Ec 'postfix/smtp\[[0-9]+\]: .*relay=127\.0\.0\.1\[127\.0\.0\.1\]:10026, .*status=sent \(250 2\.0\.0 Ok: queued as ' "$STATE/c/log/maillog")
echo "grep on C: $g_dest delivered by postfix-out, $g_hand handed off by the default"
assert_eq "$g_dest" "$N" "grep: postfix-out's deliveries to dest"
assert_eq "$g_hand" "$N" "grep: the default's hand-offs"

python3 - "$work" "$TRACES" <<'EOF' || t_fail "traces"
import json, sys
for i in range(1, int(sys.argv[2]) + 1):
    t = json.load(open("%s/trace%d.json" % (sys.argv[1], i)))[0]
    h = t["hops"]
    assert t["state"] == "delivered", t["summary"]
    assert [x["host"] for x in h] == ["origin-a", "relay-c", "relay-c/postfix-out"], t["summary"]
    assert h[0]["queued_as"] == h[1]["queue_id"], (h[0], h[1])
    assert h[1]["handoff"] and h[1]["route"] == "instance", h[1]
    assert h[1]["next_host"] == "relay-c/postfix-out", h[1]
    assert h[1]["relay_addr"] == "127.0.0.1" and h[1]["queued_as"] == h[2]["queue_id"], (h[1], h[2])
    assert not h[2]["handoff"] and h[2]["relay_addr"] == "172.16.30.25", h[2]
    assert h[2]["status"] == "sent" and h[2]["next_host"] is None, h[2]
print("traces: %s" % t["summary"])
EOF

out=$(once --json) || t_fail "--once exit $?"
python3 - "$out" "$N" <<'EOF' || t_fail "--once --json"
import json, sys
d, n = json.loads(sys.argv[1]), int(sys.argv[2])
hosts = {h["name"]: h for h in d["hosts"]}
c, o = hosts["relay-c"], hosts.get("relay-c/postfix-out")
assert o is not None, sorted(hosts)
assert [h["name"] for h in d["hosts"]].count("relay-c/postfix-out") == 1
assert o["instance"] == "postfix-out" and o["instance_of"] == "relay-c", o
assert c["instance"] is None and c["instance_of"] is None, c
assert o["answered"] and o["state"] == "up", o["state_message"]
so, sc = o["settings"], c["settings"]
assert so["syslog_name"]["value"] == "postfix-out", so["syslog_name"]
assert so["inet_interfaces"]["value"] == "loopback-only", so["inet_interfaces"]
assert sc["inet_interfaces"]["value"] == "all", sc["inet_interfaces"]
assert so["mynetworks"]["value"] == "127.0.0.0/8", so["mynetworks"]
assert sc["syslog_name"]["value"] == "postfix", sc["syslog_name"]
assert so["myhostname"]["value"] != sc["myhostname"]["value"], (so["myhostname"], sc["myhostname"])
assert o["queue"] is not None and c["queue"] is not None, (o["queue"], c["queue"])
# nothing stuck on C (deferred mail there would be counted on relay-c)
assert c["queue"]["deferred"] == 0 and o["queue"]["deferred"] == 0, (c["queue"], o["queue"])
print("--once: relay-c %s; relay-c/postfix-out %s" % (c["recent"], o["recent"]))
assert o["recent"]["sent"] == n, o["recent"]
assert o["recent"]["handed_off"] == 0, o["recent"]
assert c["recent"]["sent"] == 0, c["recent"]
assert c["recent"]["handed_off"] == n, c["recent"]
e = [x for x in d["edges"] if x["from"] == "relay-c" and x["to"] == "relay-c/postfix-out"]
assert len(e) == 1 and e[0]["state"] == "handed-off" and e[0]["port"] == 10026, e
EOF

# the console: the instance's own row and edges, origin-a's mail "via
# relay-c" (the host on that address, not its last instance entry)
ROW_O='relay-c/po.* +relay +172\.16\.1\.11'
ROW_CC='relay-c +up +relay +172\.16\.1\.11'
t=$((SECONDS + 30))
until [[ $(console_sent "$ROW_O") == "$N" ]]; do
    ((SECONDS < t)) || fail_screen "console: want $N sent on relay-c/postfix-out"
    sleep 0.5
done
wait_screen 'relay-c up +── onward: handed-off .*▶ relay-c/postfix-out up' 10 ||
    fail_screen "console: no handed-off edge relay-c -> relay-c/postfix-out"
wait_screen 'relay-c/postfix-out up +── onward: sent .*▶ \[172\.16\.30\.25\]:25' 10 ||
    fail_screen "console: no onward edge from relay-c/postfix-out to dest"
[[ $(console_sent "$ROW_CC") == 0 ]] || fail_screen "console: relay-c counts sent mail"
screen | grep -E "$ROW_A" | grep -Eq 'sent [0-9]+s via relay-c( |$)' || fail_screen "console: origin-a's mail not via relay-c"
# relay-c delivered nothing itself: no "sent via 127.0.0.1" for its hand-offs
! screen | grep -E "$ROW_CC" | grep -q 'via 127\.0\.0\.1' || fail_screen "console: a hand-off as relay-c's last outcome"
echo "console: relay-c/postfix-out sent $(console_sent "$ROW_O"), relay-c $(console_sent "$ROW_CC")"

# instances restricts: an instance it does not name is not watched
sed 's/^\[relay-c\]$/[relay-c]\ninstances = postfix-other/' assets/lab/hosts.ini >"$work/hosts.ini"
grep -q '^instances = postfix-other$' "$work/hosts.ini" || t_fail "no instances line in $work/hosts.ini"
rc=0
out=$(lab_console "$RELAYTOP" --hosts "$work/hosts.ini" --once --json 2>"$work/once.err") || rc=$?
((rc == 0)) || t_fail "--once with instances = postfix-other: exit $rc: $(cat "$work/once.err")"
python3 - "$out" <<'EOF' || t_fail "--once with instances = postfix-other"
import json, sys
d = json.loads(sys.argv[1])
names = [h["name"] for h in d["hosts"]]
assert "relay-c/postfix-out" not in names, names
c = [h for h in d["hosts"] if h["name"] == "relay-c"][0]
assert c["recent"]["sent"] == 0, c["recent"]
print("instances = postfix-other: hosts %s, relay-c %s" % (names, c["recent"]))
EOF

# the undo puts the lab back: one instance, the lab's transport, no 10026
scenario postmulti c undo >/dev/null || t_fail "scenario postmulti c undo failed"
pm=$(lab_exec c postmulti -l)
[[ $(wc -l <<<"$pm") == 1 && $pm == -* ]] || t_fail "after undo, postmulti -l: $pm"
assert_eq "$(lab_exec c postconf -h transport_maps)" 'inline:{ dest.example=smtp:[172.16.30.25] }' "transport_maps after undo"
! lab_exec c timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/10026' 2>/dev/null || t_fail "127.0.0.1:10026 still answers after undo"
! lab_exec c mountpoint -q /etc/postfix-out || t_fail "/etc/postfix-out still mounted after undo"
t_ok
