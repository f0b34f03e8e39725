#!/bin/bash
# e2e-real-quick-refresh: between full runs, a host's resident probe answers
# "same" with builtins only, and still misses nothing. relaytop --serve on
# the lab with refresh = 1 (and no timed queue read); its
# relaytop_probe_answers_total{answer="same"|"full"} counters show the two
# kinds. strace on origin-a's resident shell over a window of only "same"
# answers finds no fork and no exec. Then each change is made just after a
# full run was seen (one brought on by touching the host's master.cf, so
# the next timed full run, PROBE_FULL_MS = 10 s for the lab's four hosts,
# is at least 5 s away) and must be seen by the quick check itself: the
# host's resident shell, traced (its writes, timed) from just before the
# change, writes no "same" after the change before the full run that
# shows it; a check that missed it would say "same" every second until
# the timed full run. The wall time is printed, not bounded: Postfix's
# postconf reads a main.cf changed within the last second again every
# 300 ms until it is a second old (seen in the trace: 1.5 s), and
# /metrics bodies may be a second old. The changes: a
# line appended to origin-a's maillog (its event counted), relay-c's main.cf
# edited in place (same inode, a full run follows), Postfix stopped on
# relay-d (running 0), relay-d's master killed by SIGKILL (no log line:
# only the master check sees it), relay-c's maillog truncated and written again (the
# new line counted), then rewritten in place to exactly its old size (the
# new line counted: two runs, neither a "same"). Afterwards "same" answers
# come again.
# Restores: relay-d started, relay-c's main.cf line removed.
. "$(dirname "$0")/lib.sh"
t_begin real-quick-refresh
cd "$REPO"

port=9471
tmp=$(mktemp -d /tmp/e2e-quick.XXXXXX)
chmod 755 "$tmp"
t_cleanup "rm -rf '$tmp'"
t_cleanup 'scenario postfix-start d'
t_cleanup "lab_exec c sed -i '/^# quick-refresh test/d' /etc/postfix/main.cf"
sed -e 's/^refresh = .*/refresh = 1/' -e '/^\[defaults\]/a queue_interval = 3600' \
    assets/lab/hosts.ini >"$tmp/hosts.ini"
grep -q '^refresh = 1$' "$tmp/hosts.ini" || t_fail "could not set refresh = 1"

serve_bg "$tmp/hosts.ini"
answers() { val "relaytop_probe_answers_total{host=\"$1\",answer=\"$2\"}"; }
events() { val "relaytop_log_events_total{host=\"$1\"}"; }
# until_ SECONDS CMD...: scrape every 0.1 s until CMD holds; 1 on time out
until_() {
    local end=$(($(date +%s%N) + $1 * 1000000000))
    while (($(date +%s%N) < end)); do
        scrape
        "${@:2}" && return 0
        sleep 0.1
    done
    return 1
}
gt() { (($(eval "$1") > $2)); }
# after_full HOST: returns just after HOST's next full answer is seen,
# brought on at once by touching its master.cf (a newer mtime than the
# last full run's mark: the quick check itself asks for the full run)
after_full() {
    scrape
    local f; f=$(answers "$1" full)
    lab_exec "$1" touch /etc/postfix/master.cf
    until_ 15 gt "answers $1 full" "$f" || t_fail "$1: no full answer in 15 s after its master.cf was touched"
}
# before LETTER: the host's resident shells traced (their writes and
# reads, with the time) from before a change until caught() is done with it
ST=
before() {
    local pids
    pids=$(lab_residents "$1")
    [[ -n $pids ]] || t_fail "host $1: no resident probe shell (relaytop-probe -r) found"
    : >"$tmp/st"
    # shellcheck disable=SC2086 # $pids: -p PID words
    strace -ttt -qq -e trace=write,read -e signal=none -s 400 -o "$tmp/st" $pids 2>/dev/null &
    ST=$!
    t_cleanup "kill $ST 2>/dev/null || true"
    # shellcheck disable=SC2086
    set -- $pids
    for _ in $(seq 50); do	# attached: a tracer on the first
        grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$2/status" 2>/dev/null && break
        sleep 0.05
    done
    sleep 0.1
}
# caught WHAT CMD...: the change made since before() (done at the call) is
# seen: CMD holds within 12 s, and no request the host read after the
# call was answered "same" before its first full run traced ended (a
# change may be seen while it is made: a Postfix stopping). An answer to a
# request read before the call proves nothing either way: its check may
# have run before the change (on a loaded machine the shell can wait
# between its check and its write). Prints the time.
# verdict E: from the trace so far, the first answer to a request read
# after time E: "full" (once its "done" is written), '"same" at ...', or
# nothing yet. A request: read a byte at a time from fd 0, ended by ".\n"
# (the shell reads /proc/PID/status through fd 0 too: "Name:\tmaster\n"...); an
# answer: "@@RT-<token> begin" (a quick one: with "same" in the same
# write), then "@@RT-<token> done".
verdict() {
    awk -v e="$1" '
        / read\(0, "\.", 1\)/ { dot = 1; next }
        / read\(0, "\\n", 1\)/ { if (dot) r = $1; dot = 0; next }
        / read\(0, / { dot = 0; next }
        /@@RT-[0-9a-f]* begin / {
            if (r + 0 <= e + 0) next
            if ($0 ~ /@@RT-[0-9a-f]* same\\n/) {
                print "\"same\" at " $1 " (asked at " r ")"; exit
            } else
                f = 1
            next
        }
        /@@RT-[0-9a-f]* done\\n/ && f { print "full"; exit }' "$tmp/st"
}
caught() {
    local e t0 first
    e=$(date +%s.%N) t0=$(date +%s%N)
    until_ 12 "${@:2}" || t_fail "$1: not seen within 12 s (the quick check missed it and so did the timed full run)"
    local ms=$((($(date +%s%N) - t0) / 1000000))
    # a change seen by a run asked before the call (a Postfix stopping
    # is seen while it stops) leaves no answer after it yet: the trace
    # goes on until one is there
    for _ in $(seq 50); do
        [[ -n $(verdict "$e") ]] && break
        sleep 0.1
    done
    kill "$ST" 2>/dev/null || true
    wait "$ST" 2>/dev/null || true
    first=$(verdict "$e")
    [[ $first == full ]] || t_fail "$1: the first answer after the change was not a full run (${first:-no answer traced in 5 s}: the quick check missed it)"
    echo "$1: seen after $ms ms, the first answer after it a full run"
}
line() {	# line HOSTNAME TEXT: a maillog line of Postfix's smtp
    printf '%s %s postfix/smtp[4242]: 3F2A1B2C3D: to=<quick@dest.example>, relay=172.16.1.11[172.16.1.11]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n' \
        "$(date '+%b %e %T')" "$1" "$2"
}

until_ 30 gt "answers origin-a same" 2 || t_fail "origin-a: no \"same\" answer in 30 s: $(grep -F relaytop_probe_answers <<<"$M" | tr '\n' ' ')"
until_ 10 gt "answers relay-c same" 2 || t_fail "relay-c: no \"same\" answer"

# 1. a window of "same" answers only: origin-a's resident shell forks
# nothing. Its writes are traced too, so the answers in the window are
# counted from the shell itself: a window with any of a full run's output
# (one begun before it included) is tried again.
clean=0
for try in 1 2 3; do
    after_full origin-a
    pids=$(lab_residents a)
    [[ -n $pids ]] || t_fail "origin-a: no resident probe shell (relaytop-probe -r) found"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086 # $pids: -p PID words
    timeout 3 strace -f -qq -e trace=execve,clone,clone3,fork,vfork,write -e signal=none -s 400 -o "$tmp/strace" $pids 2>/dev/null || true
    (($(date +%s%N) - t0 > 2900000000)) || continue	# strace ended early: again
    # quick answers (begin and "same" in one write), and whether any
    # other probe output (a full run's) was written
    read -r nq full < <(awk '
        /write\(/ && /@@RT-/ {
            if (/ begin / && /@@RT-[0-9a-f]* same\\n/) { q++; last = "q"; next }
            if (/@@RT-[0-9a-f]* done\\n/ && last == "q") { last = ""; next }
            full = 1
        }
        END { print q + 0, full + 0 }' "$tmp/strace")
    ((full == 0)) || { echo "origin-a: try $try: a full run in the window, again"; continue; }
    ((nq >= 2)) || t_fail "origin-a: fewer than 2 \"same\" answers in 3 s ($nq)"
    if grep -Eq 'execve|clone|fork' "$tmp/strace"; then
        t_fail "origin-a: the shell forked during \"same\" answers: $(grep -E 'execve|clone|fork' "$tmp/strace" | head -n 3 | tr '\n' ' ')"
    fi
    clean=1
    echo "origin-a: $nq \"same\" answers in 3 s, no fork, no exec"
    break
done
((clean)) || t_fail "origin-a: no 3-s window without a full run in 3 tries"

# 2. a new maillog line on origin-a
after_full origin-a
e0=$(events origin-a)
before a
lab_exec a sh -c "cat >>/var/log/maillog" <<<"$(line mail-a 4B5C6D7E8F)"
caught "origin-a: appended line" gt "events origin-a" "$e0"

# 3. relay-c's main.cf edited in place (inode and path unchanged)
after_full relay-c
f0=$(answers relay-c full)
before c
lab_exec c sh -c 'echo "# quick-refresh test" >>/etc/postfix/main.cf'
caught "relay-c: main.cf edited in place" gt "answers relay-c full" "$f0"

# 4. Postfix stopped on relay-d (while it stops, master.pid still there,
# "same" is right: counted from when the scenario has stopped it)
after_full relay-d
before d
scenario postfix-stop d >/dev/null
caught "relay-d: Postfix stopped" eval '(($(val "relaytop_postfix_running{host=\"relay-d\"}") == 0))'

# 4b. relay-d started again, then its master killed outright (SIGKILL:
# Postfix writes no log line and leaves master.pid behind, so only the
# quick check's look at the master's /proc/PID/status can tell)
running_d() { (($(val "relaytop_postfix_running{host=\"relay-d\"}") == $1)); }
scenario postfix-start d >/dev/null
until_ 15 running_d 1 || t_fail "relay-d: not seen running again in 15 s"
after_full relay-d
mp=$(lab_exec d cat /var/spool/postfix/pid/master.pid | tr -d ' ')
[[ $mp =~ ^[0-9]+$ && $(ps -o comm= -p "$mp") == master ]] || t_fail "relay-d: no master at the pid in master.pid ($mp)"
l0=$(lab_exec d stat -c %s /var/log/maillog)
before d
kill -9 "$mp"
caught "relay-d: master killed, no log line" running_d 0
l1=$(lab_exec d stat -c %s /var/log/maillog)
[[ $l1 == "$l0" ]] || t_fail "relay-d: its maillog grew when master was killed ($l0 -> $l1 bytes): the master check was not the only way to see it"

# 5. relay-c's maillog truncated (copytruncate) and written again
after_full relay-c
e0=$(events relay-c)
before c
lab_exec c sh -c ': >/var/log/maillog'
lab_exec c sh -c "cat >>/var/log/maillog" <<<"$(line relay-c 5C6D7E8F9A)"
caught "relay-c: truncated log, new line" gt "events relay-c" "$e0"

# 6. relay-c's maillog rewritten in place to exactly its size (dd
# conv=notrunc: its size never changes, its inode stays): the bytes before
# relaytop's cursor are others now, so the file is read again from its
# start and the new line counted (two runs: the one that finds the
# rewrite, the one that reads). Without the cursor's fingerprint the same
# inode and size looked like "nothing new" and the line was never read.
lab_exec c sh -c "printf '%s relay-c relaytop-test: %0300d\n' '$(date '+%b %e %T')' 0 >>/var/log/maillog"
after_full relay-c
e0=$(events relay-c)
sz=$(lab_exec c stat -c %s /var/log/maillog)
new=$(line relay-c 6D7E8F9A0B)
fill=$(printf '%s relay-c relaytop-test: ' "$(date '+%b %e %T')")
pad=$((sz - ${#new} - 2 - ${#fill}))
((pad >= 10)) || t_fail "relay-c: maillog too short to rewrite ($sz bytes)"
fill+=$(printf '%*s' "$pad" '' | tr ' ' x)
before c
lab_exec c sh -c 'dd of=/var/log/maillog conv=notrunc status=none' <<<"$fill"$'\n'"$new"
sz2=$(lab_exec c stat -c %s /var/log/maillog)
[[ $sz2 == "$sz" ]] || t_fail "relay-c: the rewrite changed the log's size ($sz -> $sz2)"
caught "relay-c: log rewritten to its own size" gt "events relay-c" "$e0"

# 7. quick answers resume
scrape
s0=$(answers origin-a same)
until_ 15 gt "answers origin-a same" $((s0 + 1)) || t_fail "origin-a: \"same\" answers did not resume"
kill "$rt" 2>/dev/null || true
wait "$rt" 2>/dev/null || true
san_check "$tmp/relaytop.err" relaytop
t_ok
