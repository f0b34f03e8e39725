#!/bin/bash
# e2e-real-long-ids: enable_long_queue_ids = yes on origin-a and relay-c
# (the lab's "real" profile; on the default lab the test sets it and puts it
# back), logs emptied first. 200 mails from A (LONG_IDS_MAILS): 195 by
# sendmail and 5 traced by `relaytop --test-send` while the others flow.
# Truth from the logs: each A id -> its "queued as" -> C's status=sent.
# Then every relaytop view agrees: the 5 traces end delivered under the ids
# of the logs, the console (running throughout) and `--once --json` count
# all 200 sent on A and on C, and `--log` on the two logs counts what grep
# counts. Among the ids, some have a 'z' inside the time part (Postfix's
# base-52 time alphabet has it): the shape that lost mail before the
# queue-id recogniser.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin real-long-ids
cd "$REPO"
N=${LONG_IDS_MAILS:-200} SAMPLE=5
STATE=/run/relaytop-lab/$LAB
work=$(mktemp -d)
t_cleanup "rm -rf '$work'"

for h in a c; do
    if [[ $(lab_exec "$h" postconf -h enable_long_queue_ids) != yes ]]; then
        scenario param "$h" enable_long_queue_ids=yes >/dev/null
        t_cleanup "scenario param $h enable_long_queue_ids=yes undo >/dev/null"
    fi
done

# --once reads the last 256 KB of each log on first contact
# (PROBE_FIRST_BYTES): 200 mails are about 190 KB of C's log, so the test
# starts from empty logs (copytruncate, as logrotate does).
scenario clear-log a c
before=$(once --json) || t_fail "exit $? before"
a0=$(once_sent "$before" origin-a) c0=$(once_sent "$before" relay-c)
offa=$(stat -c %s "$STATE/a/log/maillog") offc=$(stat -c %s "$STATE/c/log/maillog")
since() { tail -c +"$(($2 + 1))" "$STATE/$1/log/maillog"; }
ac_start

# the bulk, in one shell on A, while relaytop traces its sample
tok="e2e-long-$(date +%s)-$$"
lab_exec a /bin/sh -c 'i=0; while [ "$i" -lt "$1" ]; do i=$((i + 1))
    printf "From: relaytest@example.jp\nTo: probe@dest.example\nSubject: long ids %s\nMessage-ID: <%s-%s@relaytop-lab>\n\nrelaytop e2e\n" "$i" "$2" "$i" |
        /usr/sbin/sendmail -f relaytest@example.jp probe@dest.example || exit 1
    done' sh "$((N - SAMPLE))" "$tok" &
bulk=$!
for i in $(seq "$SAMPLE"); do
    rc=0
    lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a \
        --to probe@dest.example --timeout 90 --json >"$work/trace$i.json" 2>"$work/trace$i.err" || rc=$?
    ((rc == 0)) || t_fail "trace $i: exit $rc: $(cat "$work/trace$i.json" "$work/trace$i.err")"
done
wait "$bulk" || t_fail "sendmail on A failed"

# every mail delivered by C (grep truth), within two minutes
t=$((SECONDS + 120))
until (($(since c "$offc" | grep -c 'relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent') >= N)); do
    ((SECONDS < t)) || t_fail "C delivered $(since c "$offc" | grep -c 'status=sent') of $N"
    sleep 1
done
since a "$offa" >"$work/a.log"; since c "$offc" >"$work/c.log"
python3 - "$work" "$N" <<'EOF' || t_fail "log truth"
import json, re, sys
work, n = sys.argv[1], int(sys.argv[2])
idre = r"([0-9A-Za-z]+)"
a = open(work + "/a.log").read()
c = open(work + "/c.log").read()
sent_a = re.findall(r"\]: " + idre + r": to=<probe@dest\.example>, relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as " + idre + r"\)", a)
sent_c = set(re.findall(r"\]: " + idre + r": to=<probe@dest\.example>, relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent", c))
assert len(sent_a) == n, "A sent %d of %d to C" % (len(sent_a), n)
missing = [q for _, q in sent_a if q not in sent_c]
assert not missing, "C has no delivery of %s" % missing[:5]
long_id = re.compile(r"^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,16}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-y]*$")
ids = [x for pair in sent_a for x in pair]
bad = [x for x in ids if not long_id.match(x)]
assert not bad, "not long ids: %s" % bad[:5]
zt = [x for x in ids if x.count("z") > 1]
assert zt, "no id with a 'z' in its time part among %d" % len(ids)
print("log truth: %d mails A -> C -> dest, %d long ids with a 'z' in the time part, e.g. %s" % (n, len(zt), zt[0]))
# relaytop's traces: delivered, under the ids of the logs
pairs = dict(sent_a)
zt = 0
for i in range(1, 6):
    t = json.load(open("%s/trace%d.json" % (work, i)))[0]
    h = t["hops"]
    assert t["state"] == "delivered", t["summary"]
    assert [x["host"] for x in h] == ["origin-a", "relay-c"], t["summary"]
    assert pairs.get(h[0]["queue_id"]) == h[1]["queue_id"], (h[0]["queue_id"], h[1]["queue_id"])
    assert h[0]["queued_as"] == h[1]["queue_id"]
    zt += any(x["queue_id"].count("z") > 1 for x in h)
# (whether a sampled id has a 'z' in its time part is chance: the trace of
# such ids is proven on captured ones in test-trace.c)
print("relaytop traced 5 of them: delivered under the logs' ids (%d with a 'z' in a time part)" % zt)
EOF

ac_sent_is "$N"
echo "console: A sent $KA0 -> $(console_sent "$ROW_A"), C sent $KC0 -> $(console_sent "$ROW_C")"
after=$(once --json) || t_fail "exit $? after"
a1=$(once_sent "$after" origin-a) c1=$(once_sent "$after" relay-c)
echo "counters: A sent $a0 -> $a1, C sent $c0 -> $c1"
assert_eq "$((a1 - a0))" "$N" "A's sent counter"
assert_eq "$((c1 - c0))" "$N" "C's sent counter"

# --log on the two logs: what grep counts
cat "$work/a.log" "$work/c.log" >"$work/both.log"
g=$(grep -c ' status=sent ' "$work/both.log")
js=$("$RELAYTOP" --log "$work/both.log" --json) || t_fail "--log exit $?"
l=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["deliveries"]["sent"])' "$js")
echo "--log sent $l, grep $g"
assert_eq "$l" "$g" "--log sent vs grep"
assert_eq "$g" "$((2 * N))" "grep: sent lines on A and C"
t_ok
