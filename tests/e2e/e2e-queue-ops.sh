#!/bin/bash
# e2e-queue-ops: `relaytop --queue` on real deferred mail. Both relays
# stopped, mail waits on both origins (A: two from alice, one from mallory;
# B: one from alice, one from carol). relaytop finds it across hosts by
# sender, recipient, domain and reason (text and --json, the stopped relays
# reported as unreadable); --read-only refuses, no --yes without a terminal
# refuses, --dry-run touches nothing; hold, release, requeue and delete
# change the hosts' queues (postsuper through the pinned sudo lines, ids on
# stdin); an id given with another arrival time (as a reused short id
# would be) is skipped and reported; a message deleted behind relaytop's
# back while it asks (on a terminal, the word "delete" typed) is skipped
# and reported; a selection of 2500 runs in batches of 1000 with progress,
# and SIGINT stops it after the batch in flight, listing what was not run;
# every step is in the action log. Restores: queues purged, relays started.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/queue-lib.sh"
t_begin queue-ops
cd "$REPO"

t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario postfix-start c'
# (cleanups run last first: the queues are purged before a relay starts,
# so no deferred test mail reaches a relay and stays there for later tests)
t_cleanup 'scenario purge a >/dev/null; scenario purge b >/dev/null'
st=$(mktemp -d /tmp/e2e-queue.XXXXXX)
t_cleanup "rm -rf '$st'"
scenario postfix-stop c
scenario postfix-stop d
slow_retries a
slow_retries b

send_mail a alice@example.jp bob@dest.example q1 >/dev/null
send_mail a alice@example.jp bob@dest.example q2 >/dev/null
send_mail a mallory@example.net mal@dest.example q3 >/dev/null
send_mail b alice@example.jp eve@dest.example q4 >/dev/null
send_mail b carol@example.org dave@other.example q5 >/dev/null

wait_deferred a 3
wait_deferred b 2

nlines() { grep -c . <<<"$1" || true; }

# --- find, across hosts --------------------------------------------------
rt --queue all
assert_eq "$RC" 1 "exit with the relays' queues unreadable"
assert_match "$ERR" '^relaytop: relay-c: postqueue -j failed: .*mail system is down'
assert_eq "$(nlines "$OUT")" 5 "messages listed on both origins"
assert_match "$OUT" '^origin-a deferred [0-9A-F]+ 20[0-9-]+T[0-9:]+Z [0-9]+ <mallory@example\.net> -> <mal@dest\.example> \(connect to 172\.16\.1\.1[12]\[172\.16\.1\.1[12]\]:25: Connection refused\)$'
rt --queue all --match from:alice
assert_eq "$(grep -c '^origin-a ' <<<"$OUT")/$(grep -c '^origin-b ' <<<"$OUT")" 2/1 "by sender"
rt --queue all --match to:dave
assert_match "$OUT" '^origin-b deferred .*<carol@example\.org> -> <dave@other\.example>'
assert_eq "$(nlines "$OUT")" 1 "by recipient"
rt --queue all --match domain:other.example
assert_eq "$(nlines "$OUT")" 1 "by domain"
rt --queue all --match 'reason:/connection (refused|timed out)/ ALICE'
assert_eq "$(nlines "$OUT")" 3 "by reason (regex) and a word in another case"
rt --queue all --match 'domain:dest.example /mallory|eve/' --json
check=$(python3 -c '
import json, sys
ms = [json.loads(l) for l in sys.argv[1].splitlines()]
assert sorted(m["host"] for m in ms) == ["origin-a", "origin-b"], ms
for m in ms:
    assert m["queue"] == "deferred" and m["arrival"] > 1500000000 and m["size"] > 0, m
    assert m["sender"] in ("mallory@example.net", "alice@example.jp"), m
    assert "Connection refused" in m["recipients"][0]["reason"], m
    assert m["recipients_total"] == 1 and m["arrival_iso"].endswith("Z"), m
print("ok")' "$OUT" 2>&1) || t_fail "--json: $check: $OUT"

# --- refusals: nothing changes -------------------------------------------
before_a=$(qj a)
rt --queue origin-a --match mallory --delete --yes --read-only
assert_eq "$RC" 1 "--read-only exit"
assert_match "$ERR" 'read-only: actions are disabled'
rt --queue origin-a --match alice --hold
assert_eq "$RC" 2 "no --yes without a terminal"
assert_match "$ERR" 'not run: stdin is not a terminal; give --yes'
rt --queue origin-a --match alice --hold --dry-run
assert_eq "$RC" 0 "--dry-run exit"
assert_eq "$(nlines "$OUT")" 2 "--dry-run lists what it would touch"
assert_match "$ERR" 'would touch 2 messages on 1 host'
assert_match "$ERR" 'origin-a runs short queue ids'
assert_eq "$(qj a)" "$before_a" "A's queue changed without an operation"
assert_match "$(cat "$st/relaytop/actions.log")" 'origin-a queue-delete 0 messages: read-only: actions are disabled'

# --- hold, release, requeue -----------------------------------------------
rt --queue all --match from:alice --hold --yes
assert_match "$OUT" 'hold origin-a: 2 of 2 done, 0 gone, 0 id reused \(postsuper said 2\)'
assert_match "$OUT" 'hold origin-b: 1 of 1 done, 0 gone, 0 id reused \(postsuper said 1\)'
assert_eq "$(qcount a '"queue_name": "hold".*alice')/$(qcount b '"queue_name": "hold".*alice')" 2/1 "held"
assert_eq "$(qcount a '"queue_name": "hold".*mallory')" 0 "mallory held too"
rt --queue all --match 'queue:hold' --release --yes
assert_match "$OUT" 'release origin-a: 2 of 2 done'
assert_eq "$(qcount a '"queue_name": "hold"')/$(qcount b '"queue_name": "hold"')" 0/0 "released"
rt --queue origin-b --match carol --requeue --yes
assert_match "$OUT" 'requeue origin-b: 1 of 1 done.*\(postsuper said 1\)'
assert_match "$(cat "$st/relaytop/actions.log")" 'origin-b queue-requeue batch: done 1: postsuper: Requeued: 1 message'

# --- a reused id: the same id, another arrival time: skipped ---------------
line=$(qj a | grep mallory)
mid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["queue_id"])' "$line")
marr=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["arrival_time"])' "$line")
rt --queue origin-a --id "$mid@$((marr - 60))" --delete --yes
assert_match "$OUT" "^origin-a $mid [0-9T:Z-]+: skipped: the id now names another message"
assert_match "$OUT" 'delete origin-a: 0 of 1 done, 0 gone, 1 id reused'
assert_eq "$(qcount a mallory)" 1 "a reused id was deleted"
assert_match "$(cat "$st/relaytop/actions.log")" "origin-a queue-delete id=$mid arrival=$((marr - 60)): skipped: the id now names another message"
rt --queue origin-a --id "$mid@$marr" --delete --yes
assert_match "$OUT" 'delete origin-a: 1 of 1 done'
assert_eq "$(qcount a mallory)" 0 "the exact id was not deleted"

# --- delete on a terminal: the word typed; one gone meanwhile --------------
. "$E2E_DIR/ui-lib.sh"
lab_console tmux -S "$RT_SOCK" new-session -d -s rt -x 160 -y 30 \
    "cd '$REPO' && XDG_STATE_HOME='$st' '$RELAYTOP' --hosts assets/lab/hosts.ini --queue origin-a --match from:alice --delete; echo RELAYTOP-EXIT=\$?; sleep 300"
t_cleanup "tm kill-server 2>/dev/null || true; rm -f '$RT_SOCK'"
wait_screen 'Type delete to delete them' 30 || fail_screen "no question before delete"
assert_match "$(screen)" '--delete: 2 messages on 1 host: origin-a \(2\)'
gone=$(qj a | grep alice | head -n1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["queue_id"])')
lab_exec a postsuper -d "$gone" >/dev/null 2>&1
tm send-keys -t rt -l delete; tm send-keys -t rt Enter
wait_screen 'RELAYTOP-EXIT=' 30 || fail_screen "relaytop did not finish"
assert_match "$(screen)" "origin-a $gone [0-9T:Z-]+: skipped: no longer queued"
assert_match "$(screen)" 'delete origin-a: 1 of 2 done, 1 gone, 0 id reused'
assert_match "$(screen)" 'RELAYTOP-EXIT=0'
assert_eq "$(qcount a alice)" 0 "alice's mail left on A"
log=$(cat "$st/relaytop/actions.log")
assert_match "$log" "origin-a queue-delete postsuper ids 1-1 of 1: [0-9A-F]+: starting"
assert_match "$log" "origin-a queue-delete id=$gone arrival=[0-9]+: skipped: no longer queued"
assert_match "$log" 'origin-a queue-delete batch: done 1: postsuper: Deleted: 1 message'
tm kill-server 2>/dev/null || true

# --- a big selection: batches of 1000, progress on stderr; SIGINT stops it
# after the batch in flight and it says exactly what was done. 2500 copies
# of a real deferred message (tests/bench/queue-clone.py; mtime ahead, so
# qmgr leaves them be).
send_mail a bulk@example.jp bulk@dest.example q6 >/dev/null
for _ in $(seq 120); do
    tid=$(qj a | grep '"sender": "bulk@example.jp".*"delay_reason"' | sed 's/.*"queue_id": "\([0-9A-F]*\)".*/\1/')
    [[ -n $tid ]] && lab_exec a test -f "/var/spool/postfix/defer/${tid:0:1}/$tid" && break
    sleep 0.25
done
[[ -n $tid ]] || t_fail "A did not defer the bulk template"
lab_exec a python3 "$REPO/tests/bench/queue-clone.py" /var/spool/postfix "$tid" 2499
assert_eq "$(qcount a bulk@example.jp)" 2500 "clones"
lab_console sh -c 'echo $$ >"$0/pid"; exec env XDG_STATE_HOME="$0" "$1" --hosts "$2" --queue origin-a --match from:bulk --delete --yes' \
    "$st" "$RELAYTOP" "$REPO/assets/lab/hosts.ini" >"$st/int.out" 2>&1 </dev/null &
bg=$!
for _ in $(seq 300); do grep -q 'delete origin-a: 1000 of 2500 done' "$st/int.out" && break; sleep 0.1; done
grep -q 'delete origin-a: 1000 of 2500 done' "$st/int.out" || t_fail "no progress line: $(cat "$st/int.out")"
kill -INT "$(cat "$st/pid")"
rc=0; wait "$bg" || rc=$?
out=$(cat "$st/int.out")
assert_eq "$rc" 1 "exit after SIGINT"
assert_match "$out" 'interrupted: stopping after the batches in flight'
assert_match "$out" '^delete origin-a: (1000|2000) of 2500 done, 0 gone, 0 id reused, not run: stopped \(postsuper said (1000|2000)\)$'
done_n=$(grep -oE '^delete origin-a: [0-9]+ of' <<<"$out" | grep -oE '[0-9]+' | head -n1)
assert_eq "$(grep -c ': not run$' <<<"$out")" $((2500 - done_n)) "each message not run is listed"
assert_eq "$(qcount a bulk@example.jp)" $((2500 - done_n)) "the queue holds exactly the ones not run"
assert_match "$(cat "$st/relaytop/actions.log")" 'origin-a queue-delete batch: done 1000: postsuper: Deleted: 1000 messages'
t_ok
