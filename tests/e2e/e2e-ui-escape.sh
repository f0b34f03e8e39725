#!/bin/bash
# e2e-ui-escape: a maillog line carrying terminal escapes (OSC window title,
# clear screen, BEL) written into A's /var/log/maillog reaches the console as
# harmless text: the pane title is not changed, the screen is not cleared,
# and the escapes show as '?'; a right-to-left override (U+202E ... U+202C)
# shows as two U+FFFD and does not reorder the line. What relaytop writes to
# its terminal is recorded (tmux pipe-pane) and searched: the line's text
# went out, its raw escapes and bidi controls did not. A's maillog is
# restored afterwards.
. "$(dirname "$0")/lib.sh"
t_begin ui-escape

. "$(dirname "$0")/ui-lib.sh"

rt_start 120 40
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a never came up"
tm select-pane -t rt -T clean-title
# every byte the program writes from now on
RAW=/tmp/rt-ui-escape-$LAB-$$.raw
t_cleanup "rm -f '$RAW'"
: >"$RAW"
tm pipe-pane -t rt -o "cat >>'$RAW'"
assert_eq "$(tm display-message -p -t rt '#{pane_title}')" clean-title "pane title"

# A crafted Postfix-looking line, removed afterwards in place (postlogd
# keeps the file open: same inode, other lines kept)
qid=$(fake_qid)
t_cleanup "lab_exec a sh -c 'f=/var/log/maillog; grep -v -- $qid \$f >\$f.rt-ui; cat \$f.rt-ui >\$f; rm -f \$f.rt-ui'"
lab_exec a sh -c "printf '%s mail-a postfix/smtp[4242]: $qid: to=<evil@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (\033]0;pwned\007 \033[2J\033[31mboom \342\200\256ab\342\200\254)\n' \"\$(date '+%b %d %H:%M:%S')\" >>/var/log/maillog"

tm send-keys -t rt l / "$qid" Enter
wait_screen "$qid +deferred +to=<evil@dest\.example>" 20 || fail_screen "the crafted line never shows"
s=$(screen)
line=$(grep -F "$qid" <<<"$s" | grep -F 'evil@' | head -n1)
assert_match "$line" '\(\?\]0;pwned\? \?\[2J\?\[31mboom ' "escapes not shown as harmless text"
assert_match "$line" $'boom \xef\xbf\xbdab\xef\xbf\xbd\\)' "bidi override not shown as U+FFFD"
tm pipe-pane -t rt
# the recording holds the line as drawn, and none of its raw escapes (no
# BEL at all: nothing here rings the bell) nor its bidi controls
grep -aqF '?]0;pwned?' "$RAW" || t_fail "the recording lacks the drawn line: $(tail -c 400 "$RAW" | od -c | tail -n 8)"
for e in $'\a' $'\e]0;pwned' $'\e[2J\e[31mboom' $'\e[31mboom' $'\xe2\x80\xae' $'\xe2\x80\xac'; do
    ! grep -aqF -- "$e" "$RAW" || t_fail "relaytop wrote a raw escape: $(printf '%q' "$e")"
done
assert_eq "$(tm display-message -p -t rt '#{pane_title}')" clean-title "the line changed the pane title"
assert_match "$s" '^ relaytop ' "header gone: the screen was cleared"
assert_match "$s" '^Log ' "log title gone"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
