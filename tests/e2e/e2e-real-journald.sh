#!/bin/bash
# e2e-real-journald: Postfix logging only to a real systemd-journald, as on
# Debian 12 without rsyslog (origin-a, unit postfix@-.service) and RHEL 9
# (relay-c, postfix.service): `scenario journald`, no file log, maillog =
# auto. 20 mails from A in three batches (each with one traced by
# --test-send), a journald restart on A and C between the first two, a
# rotate + vacuum of every archived journal file (the entries of relaytop's
# cursors gone) between the last two. The console, running throughout and
# reading by cursor, counts each of the 20 once on A and on C (nothing lost,
# nothing twice); the traces end delivered under the ids of the journals;
# --once --json counts what the journal holds (15 before the vacuum, 5
# after) and says the log is the journal read through sudo, or directly
# once the operator is in group systemd-journal. As the operator, the
# pinned sudo journalctl lines read the real journal; other journalctl uses
# are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin real-journald
cd "$REPO" || exit 1
work=$(mktemp -d)
t_cleanup "rm -rf '$work'"
t_cleanup 'scenario journald a undo >/dev/null & scenario journald c undo >/dev/null; wait'
scenario journald a debian >"$work/sa" 2>&1 & pa=$!
scenario journald c rhel >"$work/sc" 2>&1 & pc=$!
wait "$pa" || t_fail "scenario journald a: $(cat "$work/sa")"
wait "$pc" || t_fail "scenario journald c: $(cat "$work/sc")"
J() { lab_exec "$1" journalctl --no-pager -q -o short -u 'postfix*'; }
assert_match "$(lab_exec a journalctl -F _SYSTEMD_UNIT)" '^postfix@-\.service$'
assert_match "$(lab_exec c journalctl -F _SYSTEMD_UNIT)" '^postfix\.service$'
assert_fail lab_exec a test -e /var/log/maillog
assert_eq "$(lab_exec c postconf -h maillog_file)" "" "C's maillog_file"

# the truth: every journal line of A and C, kept across the vacuum
snap() { J a >>"$work/a.log"; J c >>"$work/c.log"; }
# delivered: C's deliveries to dest in its journal now
delivered() { J c | grep -c 'relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent' || true; }
tok="e2e-jd-$(date +%s)-$$"
bulk() { send_bulk a "$1" "$tok" "$2"; }   # bulk N NAME: N mails from A
trace() { # trace K: one traced test mail, its JSON in $work/traceK.json
    local rc=0
    lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a \
        --to probe@dest.example --timeout 90 --json >"$work/trace$1.json" 2>"$work/trace$1.err" || rc=$?
    ((rc == 0)) || t_fail "trace $1: exit $rc: $(cat "$work/trace$1.json" "$work/trace$1.err")"
}
# wait_delivered N: C's journal holds N deliveries (since the last vacuum)
wait_delivered() {
    local t=$((SECONDS + 60))
    until (($(delivered) >= $1)); do
        ((SECONDS < t)) || t_fail "C delivered $(delivered) of $1"
        sleep 0.5
    done
}
# once_check N VIA_A: --once --json counts N sent on A and C, read from
# the journal, A's through VIA_A, C's through sudo
once_check() {
    local js
    js=$(once --json) || t_fail "--once exit $?"
    python3 - "$js" "$1" "$2" <<'PY' || t_fail "--once --json: want $1 sent, A read $2"
import json, sys
h = {x["name"]: x for x in json.loads(sys.argv[1])["hosts"]}
n, via = int(sys.argv[2]), sys.argv[3]
for name, v in (("origin-a", via), ("relay-c", "sudo")):
    x = h[name]
    assert x["answered"] and not x["problems"], (name, x["problems"], x["problem_message"])
    assert x["maillog"] == "journal" and x["maillog_read"] == v, (name, x["maillog"], x["maillog_read"])
    assert x["recent"]["sent"] == n, (name, x["recent"]["sent"], n)
print("--once --json: %d sent on A and C, the journal read %s on A" % (n, via))
PY
}

ac_start
tm send-keys -t rt Enter
wait_screen 'maillog: journal \(read sudo\)' 20 || fail_screen "detail does not say the journal is read through sudo"
tm send-keys -t rt Escape

# 8 mails; journald restarted on A and C; 7 more
bulk 7 b1; trace 1; wait_delivered 8
ac_sent_is 8
scenario journald-restart a; scenario journald-restart c
bulk 6 b2; trace 2; wait_delivered 15
ac_sent_is 15
once_check 15 sudo
# rotate and vacuum: every entry read so far is gone; 5 more
snap
scenario journald-vacuum a; scenario journald-vacuum c
assert_eq "$(delivered)" 0 "C's deliveries left after the vacuum"
once_check 0 sudo   # no postfix entry left at all: an empty read, no fault
bulk 4 b3; trace 3; wait_delivered 5
ac_sent_is 20
sleep 4   # two more refreshes
ac_sent_is 20
once_check 5 sudo
sleep 1; snap

# the truth of the journals: 20 mails A -> C -> dest; the traces under them
python3 - "$work" <<'PY' || t_fail "journal truth"
import json, re, sys
w = sys.argv[1]
a, c = open(w + "/a.log").read(), open(w + "/c.log").read()
sent_a = dict(set(re.findall(r"\]: ([0-9A-Za-z]+): to=<probe@dest\.example>, relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as ([0-9A-Za-z]+)\)", a)))
sent_c = set(re.findall(r"\]: ([0-9A-Za-z]+): to=<probe@dest\.example>, relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent", c))
assert len(sent_a) == 20, "A sent %d to C" % len(sent_a)
missing = [q for q in sent_a.values() if q not in sent_c]
assert not missing, "C never delivered %s" % missing
for i in (1, 2, 3):
    t = json.load(open("%s/trace%d.json" % (w, i)))[0]
    h = t["hops"]
    assert t["state"] == "delivered", t["summary"]
    assert [x["host"] for x in h] == ["origin-a", "relay-c"], t["summary"]
    assert sent_a.get(h[0]["queue_id"]) == h[1]["queue_id"], (h[0]["queue_id"], h[1]["queue_id"])
print("journals: 20 mails A -> C -> dest; 3 traces delivered under their ids")
PY

# the operator in group systemd-journal on A: read without sudo
t_cleanup "scenario operator-group a undo"
scenario operator-group a systemd-journal
once_check 5 direct

# as the operator on C (not in the group): the pinned lines read the real
# journal through sudo; journalctl alone sees nothing of Postfix; any other
# journalctl use through sudo is refused by sudo itself (which mails root
# about it: C's queue is emptied after)
t_cleanup "sleep 1; scenario purge c >/dev/null"
as() { lab_exec c su relayop -s /bin/sh -c "cd / && $1"; }
pin="sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*'"
out=$(as "$pin -n 50") || t_fail "pinned journalctl -n refused"
assert_match "$out" 'relay-c\.example\.jp postfix/smtp\[[0-9]+\]: [0-9A-F]+: to=<probe@dest\.example>, relay=172\.16\.30\.25'
cur=$(sed -n 's/^-- cursor: //p' <<<"$out")
[[ -n $cur ]] || t_fail "no cursor in: $out"
out=$(as "$pin --cursor='$cur'") || t_fail "pinned journalctl --cursor refused"
assert_eq "$(grep -vc '^-- cursor: ' <<<"$out")" 1 "--cursor=C prints C's own entry"
chmod 0755 "$work"
cat >"$work/as-operator.sh" <<'EOF'
# each line as the operator: its exit status and first line of stderr
p='/usr/bin/journalctl --no-pager -q -o short --show-cursor -u postfix*'
try() { e=$(timeout 5 "$@" 2>&1 >/dev/null); echo "rc=$? ${e%%
*} <- $*"; }
set -f   # postfix* is an argument, not a glob
try journalctl --no-pager -q -u 'postfix*' -n 5
try sudo -n journalctl -u 'postfix*' -n 5
try sudo -n $p -n 5 --file=/etc/shadow
try sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'sshd*' -n 5
try sudo -n $p -f -n 5
try sudo -n $p --cursor="$1" -o verbose
try sudo -n /usr/bin/journalctl --vacuum-size=1
try sudo -n /usr/bin/journalctl --rotate
try sudo -n SYSTEMD_PAGER=/bin/sh $p -n 5
EOF
res=$(as "sh $work/as-operator.sh '$cur'")
echo "$res"
assert_eq "$(grep -c '^rc=[1-9][0-9]* sudo: ' <<<"$res")" 8 "refused by sudo (of 8)"
assert_match "$(head -n 1 <<<"$res")" '^rc=1 Failed to add filter for units: No data available <- journalctl'
[[ $(J c | grep -c .) -gt 0 ]] || t_fail "C's journal emptied"
t_ok
