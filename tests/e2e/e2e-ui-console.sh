#!/bin/bash
# e2e-ui-console: the console on the lab, driven in tmux inside the console
# namespace. Topology shows A and B to C with the fallback to D; ? shows the
# help; / filters the log and Esc clears it; a resize to 80x24 keeps the host
# table readable; q leaves a clean terminal (no alternate screen, exit 0).
. "$(dirname "$0")/lib.sh"
t_begin ui-console

. "$(dirname "$0")/ui-lib.sh"

tok=$(send_mail a x@example.jp probe@dest.example ui-console)
id_a=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
rt_start 120 40
wait_screen 'origin-a +up .*primary.*relay-c' 20 || fail_screen "origin-a never came up"
wait_screen 'origin-b +up .*primary.*relay-c' 10 || fail_screen "origin-b never came up"
s=$(screen)
# each origin: primary arrow to relay-c, the next row a fallback arrow to relay-d
for o in origin-a origin-b; do
    pair=$(grep -A1 -E "^.$o .*primary" <<<"$s")
    assert_match "$pair" "primary: [a-z]+.*relay-c" "$o primary edge"
    assert_match "$(sed -n 2p <<<"$pair")" "fallback: [a-z]+.*relay-d" "$o fallback edge"
done
assert_match "$s" "^.relay-c +up" "relay-c state"
assert_match "$s" "^.relay-d +up" "relay-d state"
assert_match "$s" "host.*state.*relayhost.*fallback.*last outcome" "host table header"
assert_match "$s" "origin-a .*172\.16\.10\.5 +\[172\.16\.1\.11\] +\[172\.16\.1\.12\]" "origin-a table row"

# sort: S reverses (host names descending), s moves to the next column
tm send-keys -t rt S
wait_screen 'sorted by host, reversed' 5 || fail_screen "S did not reverse the sort"
rows=$(screen | grep -A4 -E '^ host' | sed -n '2,5p' | cut -c2-10 | tr -s ' \n' ' ')
assert_eq "$rows" "relay-d relay-c origin-b origin-a " "reversed host order"
tm send-keys -t rt S s
wait_screen 'sorted by state \(s/S\)' 5 || fail_screen "s did not sort by state"
tm send-keys -t rt s s s s s s s s s s
wait_screen 'sorted by host \(s/S\)' 5 || fail_screen "s did not cycle back to host"

# mouse: a click (X10 report, as the pane's terminal sends it) on relay-d's
# table row selects it; a second click opens its detail
row=$(screen | grep -nE '^ relay-d .* 172\.16\.1\.12 ' | head -n1 | cut -d: -f1)
[[ -n $row ]] || fail_screen "no table row for relay-d"
xy=$(printf '%b%b' "\\0$(printf %o $((32 + 6)))" "\\0$(printf %o $((32 + row)))")
click=$(printf '\033[M %s\033[M#%s' "$xy" "$xy")	# press, release
tm send-keys -t rt -l "$click"
wait_screen '^>relay-d .* 172\.16\.1\.12 ' 5 || fail_screen "a click did not select relay-d"
tm send-keys -t rt -l "$click"
wait_screen '^relay-d +relay +relayop@172\.16\.1\.12:22' 5 || fail_screen "a second click did not open relay-d's detail"
tm send-keys -t rt Escape
wait_screen '^Topology' 5 || fail_screen "Esc did not leave the detail"

# help overlay, closed by any key
tm send-keys -t rt '?'
wait_screen 'relaytop keys' 5 || fail_screen "? shows no help"
s=$(screen)
for k in 'Tab' 'filter the log' 'test mail' 'flush' 'quit'; do
    assert_match "$s" "$k" "help lists $k"
done
tm send-keys -t rt x
sleep 0.5
assert_no_match "$(screen)" 'relaytop keys' "help did not close"

# log view with a filter; Esc clears the filter
tm send-keys -t rt l
wait_screen '^Log +[0-9]+ lines' 5 || fail_screen "l shows no log"
tm send-keys -t rt / "$id_a" Enter
wait_screen "filter \"$id_a\"" 5 || fail_screen "no filter shown"
wait_screen "^[0-9:]{8} origin-a +$id_a +sent " 20 || fail_screen "A's delivery line is not in the filtered log"
body=$(screen | sed -n '3,39p' | grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2} ')
assert_match "$(wc -l <<<"$body")" '^[2-9]|[1-9][0-9]' "the filter leaves fewer than 2 lines"
assert_no_match "$(grep -v -- "$id_a" <<<"$body")" . "a line without $id_a passes the filter"
tm send-keys -t rt Escape
wait_screen '^Log +[0-9]+ lines, newest first +\(/ filter' 5 || fail_screen "Esc did not clear the filter"
tm send-keys -t rt Escape
wait_screen '^Topology' 5 || fail_screen "Esc did not go back to the main view"

# 80x24: the table keeps host, state and last outcome, no line wraps
tm resize-window -t rt -x 80 -y 24
sleep 1.5
s=$(screen)
assert_match "$s" "host.*state.*last outcome" "80x24 table header"
for h in origin-a origin-b relay-c relay-d; do
    assert_match "$s" "^.$h( !?[0-9])? +(up|stale)" "80x24 row of $h"
done
# nothing drawn past the edge: a line that reaches column 80 was cut on
# purpose and ends in an ellipsis (text clipped by the terminal does not);
# the header's clock is whole; each host is one row, right under the header
cut=$(python3 -c '
import sys
for l in sys.stdin.read().split("\n"):
    if len(l) >= 80 and not l.endswith("\u2026"):
        print(repr(l))
' <<<"$s")
[[ -z $cut ]] || fail_screen "80 columns: lines clipped at the edge: $cut"
assert_match "$(head -n1 <<<"$s")" ' [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "80x24: header clock cut"
names=$(grep -A4 -E '^ host.*last outcome' <<<"$s" | tail -n4 | cut -c2- | awk '{print $1}' | sort | tr '\n' ' ')
assert_eq "$names" "origin-a origin-b relay-c relay-d " "80x24: the 4 lines under the header are not the 4 host rows"

# q: the program exits 0 and the terminal leaves the alternate screen
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
assert_eq "$(tm display-message -p -t rt '#{alternate_on}')" 0 "alternate screen still on"
t_ok
