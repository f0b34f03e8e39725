#!/bin/bash
# e2e-ui-escape: a maillog line carrying terminal escapes (OSC window title,
# clear screen, BEL) written into A's /var/log/maillog reaches the console as
# harmless text: the pane title is not changed, the screen is not cleared,
# and the escapes show as '?'; a right-to-left override (U+202E ... U+202C)
# shows as two U+FFFD and does not reorder the line. A's maillog is
# restored afterwards.
. "$(dirname "$0")/lib.sh"
t_begin ui-escape

. "$(dirname "$0")/ui-lib.sh"

rt_start 120 40
wait_screen '^.origin-a +up' 20 || fail_screen "origin-a never came up"
tm select-pane -t rt -T clean-title
assert_eq "$(tm display-message -p -t rt '#{pane_title}')" clean-title "pane title"

# A crafted Postfix-looking line, removed afterwards in place (postlogd
# keeps the file open: same inode, other lines kept)
qid=E$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)
t_cleanup "lab_exec a sh -c 'f=/var/log/maillog; grep -v -- $qid \$f >\$f.rt-ui; cat \$f.rt-ui >\$f; rm -f \$f.rt-ui'"
lab_exec a sh -c "printf '%s mail-a postfix/smtp[4242]: $qid: to=<evil@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (\033]0;pwned\007 \033[2J\033[31mboom \342\200\256ab\342\200\254)\n' \"\$(date '+%b %d %H:%M:%S')\" >>/var/log/maillog"

tm send-keys -t rt l / "$qid" Enter
wait_screen "$qid +deferred +to=<evil@dest\.example>" 20 || fail_screen "the crafted line never shows"
s=$(screen)
line=$(grep -F "$qid" <<<"$s" | grep -F 'evil@' | head -n1)
assert_match "$line" '\(\?\]0;pwned\? \?\[2J\?\[31mboom ' "escapes not shown as harmless text"
assert_match "$line" $'boom \xef\xbf\xbdab\xef\xbf\xbd\\)' "bidi override not shown as U+FFFD"
assert_no_match "$(tm capture-pane -p -e -t rt | grep -F "$qid")" $'\xe2\x80\xae|\xe2\x80\xac' "bidi override reached the pane"
assert_no_match "$(tm capture-pane -p -e -t rt | grep -F "$qid" | grep -F evil@)" $'\a|\e\\]|\e\\[2J' "raw escape reached the pane"
assert_eq "$(tm display-message -p -t rt '#{pane_title}')" clean-title "the line changed the pane title"
assert_match "$s" '^ relaytop ' "header gone: the screen was cleared"
assert_match "$s" '^Log ' "log title gone"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
