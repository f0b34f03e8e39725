#!/bin/bash
# e2e-real-reinject: relay-c with a content filter that re-injects, as
# amavis set-ups have (`scenario content-filter c`: C hands each mail as
# postfix-out/smtp to 127.0.0.1:10024, where Postfix's own smtpd queues it
# anew and passes it to the re-injection smtpd on 127.0.0.1:10025, which
# queues it a third time for dest; put back at the end). N mails through C
# (REINJECT_MAILS, default 20): N-3 by sendmail on A, 2 by SMTP to C's
# submission port (postfix/submission/smtpd), 1 traced by `relaytop
# --test-send`. Then REJECTS refusals on C: unknown users (550) from A and
# Relay access denied (454) from the console. Truth from C's log (grep): N
# deliveries to dest, 2N hand-offs on loopback, REJECTS NOQUEUE rejects.
# relaytop must count N (not 3N) sent on C in the console (running
# throughout), --once --json and --log,
# N messages, the refusals, and trace the test mail delivered at dest
# through both hand-offs. Leaves A's and C's logs empty.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin real-reinject
cd "$REPO"
N=${REINJECT_MAILS:-20} UNKNOWN=3 REJECTS=4
STATE=/run/relaytop-lab/$LAB
FROM=relaytest@example.jp TO=probe@dest.example
work=$(mktemp -d)
t_cleanup "rm -rf '$work'"
talk() { "$LAB_DIR/smtp-talk" "$@" >>"$work/talk.log" 2>&1; }

scenario content-filter c >/dev/null
t_cleanup "scenario content-filter c undo >/dev/null"
# --once reads the last 256 KB of each log on first contact
# (PROBE_FIRST_BYTES): counts before and after must see the same history,
# so the test starts from empty logs (copytruncate, as logrotate does).
scenario clear-log a c
# and ends with them empty again: the hand-offs are no status=sent that
# other tests (e2e-log-summary) count by grep
t_cleanup "scenario clear-log a c"
before=$(once --json) || t_fail "exit $? before"
since() { tail -c +"$(($2 + 1))" "$STATE/$1/log/maillog"; }
# the console, running throughout
rt_start 160 45
wait_screen '^.relay-c +up' 30 || fail_screen "relay-c never came up"
sleep 2
kc0=$(console_sent "$ROW_C")
[[ $kc0 =~ ^[0-9]+$ ]] || fail_screen "no sent counter on relay-c"
offa=$(stat -c %s "$STATE/a/log/maillog") offc=$(stat -c %s "$STATE/c/log/maillog")

# the bulk from A, 2 by submission to C, the traced one
lab_exec a /bin/sh -c 'i=0; while [ "$i" -lt "$1" ]; do i=$((i + 1))
    printf "From: relaytest@example.jp\nTo: probe@dest.example\nSubject: reinject %s\n\nrelaytop e2e\n" "$i" |
        /usr/sbin/sendmail -f relaytest@example.jp probe@dest.example || exit 1
    done' sh "$((N - 3))" || t_fail "sendmail on A failed"
for i in 1 2; do
    talk a 172.16.1.11 587 "$FROM" "$TO" "e2e-reinject-sub-$i-$$" || t_fail "submission $i refused: $(cat "$work/talk.log")"
done
rc=0
lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a \
    --to "$TO" --timeout 90 --json >"$work/trace.json" 2>"$work/trace.err" || rc=$?
((rc == 0)) || t_fail "trace: exit $rc: $(cat "$work/trace.json" "$work/trace.err")"
# the refusals
for i in $(seq "$UNKNOWN"); do
    ! talk a 172.16.1.11 25 "$FROM" "nosuchuser$i@localhost" "e2e-reinject-unknown-$i" ||
        t_fail "C accepted nosuchuser$i@localhost"
done
! talk console 172.16.1.11 25 "$FROM" "$TO" "e2e-reinject-outside" || t_fail "C relayed for the console"

# grep truth: N delivered by C to dest, within two minutes
t=$((SECONDS + 120))
dest_re='relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent'
until (($(since c "$offc" | grep -Ec "$dest_re") >= N)); do
    ((SECONDS < t)) || t_fail "C delivered $(since c "$offc" | grep -Ec "$dest_re") of $N"
    sleep 1
done
sleep 2
since a "$offa" >"$work/a.log"; since c "$offc" >"$work/c.log"
g_dest=$(grep -Ec "$dest_re" "$work/c.log")
g_hand=$(grep -Ec 'relay=127\.0\.0\.1\[127\.0\.0\.1\]:1002[45], .*status=sent \(250 2\.0\.0 Ok: queued as ' "$work/c.log")
g_sent=$(grep -c ' status=sent ' "$work/c.log")
g_rej=$(grep -c 'NOQUEUE: reject: ' "$work/c.log")
g_sub=$(grep -c 'postfix/submission/smtpd\[[0-9]*\]: [0-9A-Za-z]*: client=' "$work/c.log")
g_out=$(grep -c 'postfix-out/smtp\[[0-9]*\]: ' "$work/c.log")
echo "grep on C: $g_dest to dest, $g_hand hand-offs, $g_sent status=sent, $g_rej rejects," \
    "$g_sub by submission, $g_out postfix-out lines"
assert_eq "$g_dest" "$N" "grep: C's deliveries to dest"
assert_eq "$g_hand" "$((2 * N))" "grep: C's hand-offs"
assert_eq "$g_sent" "$((3 * N))" "grep: C's status=sent lines"
assert_eq "$g_rej" "$REJECTS" "grep: C's NOQUEUE rejects"
assert_eq "$g_sub" 2 "grep: submission clients"
((g_out >= N)) || t_fail "postfix-out/smtp lines: $g_out"

# the trace: delivered at dest, through both hand-offs on C
python3 - "$work/trace.json" <<'EOF' || t_fail "trace: $(cat "$work/trace.json")"
import json, sys
t = json.load(open(sys.argv[1]))[0]
h = t["hops"]
assert t["state"] == "delivered", t["summary"]
assert [x["host"] for x in h] == ["origin-a", "relay-c"], t["summary"]
assert h[0]["queued_as"] == h[1]["queue_id"], (h[0]["queued_as"], h[1]["queue_id"])
assert h[1]["relay_addr"] == "172.16.30.25", h[1]["relay"]
assert h[1]["client"] == "unknown[172.16.10.5]", h[1]["client"]
print("trace: %s" % t["summary"])
EOF

# the console: N more sent on C too
t=$((SECONDS + 30))
until [[ $(console_sent "$ROW_C") == $((kc0 + N)) ]]; do
    ((SECONDS < t)) || fail_screen "console: want $N more sent on C ($kc0)"
    sleep 0.5
done
echo "console: C sent $kc0 -> $(console_sent "$ROW_C")"

# --once --json: N more sent on C (not 3N), N-2 more on A, the refusals
after=$(once --json) || t_fail "exit $? after"
python3 - "$before" "$after" "$N" "$REJECTS" <<'EOF' || t_fail "--once --json counters"
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n, rej = int(sys.argv[3]), int(sys.argv[4])
def rec(d, name):
    return [h for h in d["hosts"] if h["name"] == name][0]["recent"]
dc = {k: rec(a, "relay-c")[k] - rec(b, "relay-c").get(k, 0) for k in ("sent", "refused")}
da = rec(a, "origin-a")["sent"] - rec(b, "origin-a")["sent"]
print("--once: C sent +%d, refused +%d; A sent +%d" % (dc["sent"], dc["refused"], da))
assert dc["sent"] == n, "C sent +%d, want %d" % (dc["sent"], n)
assert dc["refused"] == rej, "C refused +%d, want %d" % (dc["refused"], rej)
assert da == n - 2, "A sent +%d, want %d" % (da, n - 2)
c = [h for h in a["hosts"] if h["name"] == "relay-c"][0]
assert "127.0.0.1" not in (c["last_outcome"] or ""), c["last_outcome"]
EOF

# --log on C's log and on both: what grep says, a filtered mail once
js=$("$RELAYTOP" --log "$work/c.log" --json) || t_fail "--log exit $?"
cat "$work/a.log" "$work/c.log" >"$work/both.log"
jb=$("$RELAYTOP" --log "$work/both.log" --json) || t_fail "--log both exit $?"
python3 - "$js" "$jb" "$N" "$REJECTS" "$(grep -c ' status=sent ' "$work/a.log")" <<'EOF' || t_fail "--log counts"
import json, sys
c, both = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n, rej, a_sent = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("--log C: sent %d, handoffs %d, messages %d, refused %d, relay_denied %d" % (
    c["deliveries"]["sent"], c["handoffs"], c["messages"], c["refused"], c["relay_denied"]))
assert c["deliveries"]["sent"] == n, c["deliveries"]
assert c["deliveries"]["total"] == n, c["deliveries"]
assert c["handoffs"] == 2 * n, c["handoffs"]
assert c["messages"] == n and c["messages_exact"], c["messages"]
assert c["refused"] == rej and c["relay_denied"] == 1, (c["refused"], c["relay_denied"])
assert [r["relay"] for r in c["relays"]] == ["172.16.30.25[172.16.30.25]:25"], c["relays"]
assert a_sent == n - 2, a_sent
assert both["deliveries"]["sent"] == n + a_sent, both["deliveries"]
print("--log A+C: sent %d (A %d + C %d)" % (both["deliveries"]["sent"], a_sent, n))
EOF
t_ok
