#!/bin/bash
# e2e-real-year-end: RHEL 9's /var/log/maillog (rsyslog, traditional times:
# no year) on origin-a and relay-c across a year's end: `scenario year-end
# a c` puts both hosts' log writers (rsyslogd, Postfix) on a fake clock
# (libfaketime) that passes Dec 31 -> Jan 1 a few seconds after the test
# asks (year-end-clock), and the test runs relaytop on the same clock (the console and the hosts pass midnight
# together). 3 mails from A before midnight, 1 traced by --test-send whose
# mail relay-c holds (defer_transports) until after midnight, 3 after: one
# file on each host holds Dec 31 and Jan 1. The console, running
# throughout, counts the 7 sent on A and on C; --once --json after midnight
# counts what grep counts in the live files (7); the trace ends delivered,
# its origin hop dated Dec 31 and its relay's delivery Jan 1. Then
# logrotate with dateext rotates A's log on Jan 1 (maillog-YYYY0101, the
# new year's name over lines of both years), one more mail is counted;
# --once, its first contact with a log just rotated, counts the rotation's
# tail and the new file (8 on A) as grep does; --log on all the files
# counts what grep counts, its first and last times in two years' dates.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
t_begin real-year-end
cd "$REPO" || exit 1
STATE=/run/relaytop-lab/$LAB
LA=$STATE/a/log LC=$STATE/c/log
work=$(mktemp -d)
chmod 0755 "$work"
t_cleanup "rm -rf '$work'"

t_cleanup "scenario year-end-off a c >/dev/null"
t_cleanup "lab_exec a sh -c 'rm -f /var/log/maillog-*'"
# midnight 5 minutes after the scenario; once the console runs, 3 mails
# are delivered and C holds the traced one, the clock jumps forward to a
# few seconds before it (year-end-clock): however slow a loaded machine
IN=300
LAB_YEAR_END_IN=$IN scenario year-end a c >"$work/sc" 2>&1 || t_fail "scenario year-end a c: $(cat "$work/sc")"
FT=/tmp/relaytop-lab-$LAB.faketime
off=$(<"$FT") mid=$(<"$STATE/year-end")
y=$(date -d "@$((mid - 1))" +%Y)
lib=$(echo /usr/lib/*/faketime/libfaketimeMT.so.1)
[[ -f $lib ]] || t_fail "no libfaketime"
# relaytop on the hosts' clock: every run below goes through this
FAKE=("LD_PRELOAD=$lib" "FAKETIME_TIMESTAMP_FILE=$FT" FAKETIME_CACHE_DURATION=1
    FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1)
cat >"$work/relaytop" <<EOF
#!/bin/sh
${FAKE[*]} \\
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 exec '$RELAYTOP' "\$@"
EOF
chmod 0755 "$work/relaytop"
export RELAYTOP=$work/relaytop
fnow() { off=$(<"$FT"); echo $(($(date +%s) + off)); }   # the hosts' (fake) time
left() { echo $((mid - $(fnow))); }       # seconds to midnight
echo "hosts' clock: $(date -d "@$(fnow)"), $(left) s to midnight"
assert_match "$(head -n1 "$LA/maillog")" "^Dec 31 23:[0-9:]{5} mail-a postfix/" "A's log starts on Dec 31"

SENT='relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent'
c_sent() { grep -c "$SENT" "$LC/maillog" || true; }
wait_c() { # wait_c N: C delivered N
    local t=$((SECONDS + 40))
    until (($(c_sent) >= $1)); do
        ((SECONDS < t)) || t_fail "C delivered $(c_sent) of $1"
        sleep 0.25
    done
}
tok="e2e-ye-$(date +%s)-$$"
bulk() { send_bulk a "$1" "$tok" "$2"; }   # bulk N NAME: N mails from A
# too_slow WHAT: the lab must do WHAT before midnight
too_slow() { (($(left) > 0)) || t_fail "midnight passed before $1 (a machine so slow that $IN s were not enough)"; }

ac_start

# Dec 31: 3 mails delivered; then C holds its mail, and a traced one
bulk 3 before; wait_c 3
too_slow "3 mails were delivered"
t_cleanup "scenario param-restore c defer_transports >/dev/null; scenario flush c"
scenario param c 'defer_transports = smtp'
# (a long timeout: the jump of the clock below ages the trace by minutes)
lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --test-send origin-a \
    --to probe@dest.example --timeout 900 --json >"$work/trace.json" 2>"$work/trace.err" &
tpid=$!
t=$((SECONDS + 30))
until grep -q 'status=deferred (deferred transport)' "$LC/maillog"; do
    ((SECONDS < t)) || t_fail "C never held the traced mail: $(tail -n 5 "$LC/maillog")"
    sleep 0.25
done
too_slow "C held the traced mail"
echo "C holds the traced mail, $(left) s before midnight"
scenario year-end-clock 6
echo "the clock moved: $(left) s before midnight"
while (($(left) > -2)); do sleep 0.5; done

# Jan 1: C delivers the held mail (flushed once the reload is done: an old
# qmgr would defer it again), 3 more
reloads() { grep -c 'postfix/master\[[0-9]*\]: reload ' "$LC/maillog" || true; }
r0=$(reloads)
scenario param-restore c defer_transports >/dev/null
t=$((SECONDS + 20))
until (($(reloads) > r0)); do
    ((SECONDS < t)) || t_fail "C never logged its reload"
    sleep 0.25
done
scenario flush c
bulk 3 after; wait_c 7
rc=0; wait "$tpid" || rc=$?
((rc == 0)) || t_fail "test-send: exit $rc: $(cat "$work/trace.json" "$work/trace.err")"

# the truth of the logs: A -> C -> dest 7 times, across the year in one file each
SENT_A='relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent'
a_sent=$(grep -c "$SENT_A" "$LA/maillog" || true)
assert_eq "$a_sent" 7 "A's sent lines"
assert_eq "$(c_sent)" 7 "C's sent lines"
assert_eq "$(grep "$SENT" "$LC/maillog" | grep -c '^Dec 31 ')" 3 "C's deliveries on Dec 31"
assert_eq "$(grep "$SENT" "$LC/maillog" | grep -c '^Jan  1 ')" 4 "C's deliveries on Jan 1"
python3 - "$work/trace.json" "$LC/maillog" "$mid" <<'PY' || t_fail "the trace across the year"
import json, re, sys
t = json.load(open(sys.argv[1]))[0]
log, mid = open(sys.argv[2]).read(), int(sys.argv[3])
h = t["hops"]
assert t["state"] == "delivered", t["summary"]
assert [x["host"] for x in h] == ["origin-a", "relay-c"], t["summary"]
# queued on A on Dec 31, in the minutes before midnight
assert mid - 600 <= h[0]["when"] < mid, (h[0]["when"], mid)
assert h[0]["when"] <= h[1]["when"] < mid, (h[1]["when"], mid)
# delivered by C on Jan 1: its log says so, and relaytop's delay spans midnight
m = re.search(r"^(Jan  1 00:00:\d\d) relay-c postfix/smtp\[\d+\]: %s: to=<probe@dest\.example>, relay=172\.16\.30\.25\[172\.16\.30\.25\]:25, .*status=sent" % h[1]["queue_id"], log, re.M)
assert m, "no Jan 1 delivery of %s in C's log" % h[1]["queue_id"]
assert h[1]["when"] + h[1]["delay"] >= mid - 1, (h[1]["when"], h[1]["delay"], mid)
print("trace: delivered; queued on A %d s before midnight, delivered by C at %s" % (mid - h[0]["when"], m.group(1)))
PY

# the console, running throughout, counted each once; --once too
ac_sent_is 7
js=$(once --json) || t_fail "--once exit $?"
assert_eq "$(once_sent "$js" origin-a)" "$a_sent" "--once --json sent on A (grep)"
assert_eq "$(once_sent "$js" relay-c)" "$(c_sent)" "--once --json sent on C (grep)"

# logrotate with dateext on Jan 1, on the hosts' clock (RHEL's stanza)
lab_exec a sh -c "cat >/run/lab-rsyslog/logrotate.conf" <<'EOF'
/var/log/maillog {
    dateext
    create 0600 root root
    rotate 4
    missingok
    sharedscripts
    postrotate
        kill -HUP $(cat /run/lab-rsyslog/rsyslogd.pid) 2>/dev/null || true
    endscript
}
EOF
lab_exec a env "${FAKE[@]}" /usr/sbin/logrotate -f -s /run/lab-rsyslog/logrotate.state /run/lab-rsyslog/logrotate.conf ||
    t_fail "logrotate failed"
rot=$LA/maillog-$((y + 1))0101
[[ -f $rot ]] || t_fail "no maillog-$((y + 1))0101 after the rotation: $(ls "$LA")"
grep -q '^Dec 31 ' "$rot" && grep -q '^Jan  1 ' "$rot" || t_fail "maillog-$((y + 1))0101 lacks a year's end"
bulk 1 rotated; wait_c 8
ac_sent_is 8
# a first contact just after the rotation reads the rotation's tail too
js=$(once --json) || t_fail "--once exit $?"
assert_eq "$(grep -c "$SENT_A" "$LA/maillog")" 1 "A's sent lines in the new file"
assert_eq "$(once_sent "$js" origin-a)" "$(cat "$rot" "$LA/maillog" | grep -c "$SENT_A")" "--once --json sent on A after the rotation (grep)"
assert_eq "$(once_sent "$js" relay-c)" 8 "--once --json sent on C after the rotation"

# --log on every file: grep's count, first and last across the year
cat "$rot" "$LA/maillog" "$LC/maillog" >"$work/all.log"
g=$(grep -c ' status=sent ' "$work/all.log" || true)
assert_eq "$g" 16 "grep: sent lines on A and C"
lj=$("$RELAYTOP" --log "$work/all.log" --json) || t_fail "--log exit $?"
python3 - "$lj" "$g" "$y" <<'PY' || t_fail "--log: $lj"
import json, sys
d, g, y = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
assert d["deliveries"]["sent"] == g, (d["deliveries"]["sent"], g)
assert d["first"].startswith("%d-12-31T23:" % y), d["first"]
assert d["last"].startswith("%d-01-01T00:0" % (y + 1)), d["last"]
assert 0 < d["last_epoch"] - d["first_epoch"] < 3600, (d["first"], d["last"])
print("--log: %d sent (grep %d), %s .. %s" % (d["deliveries"]["sent"], g, d["first"], d["last"]))
PY
t_ok
