#!/bin/bash
# e2e-ui-queue-view: the console's queue view (Q) at 80x24. Both relays
# stopped: two mails deferred on origin-a, one on origin-b. Q lists all
# three with their hosts; / narrows the list live as the recipient is
# typed; Tab shows the qshape table (dest.example, the normalised reason
# with its counts per host); tag + H holds the filtered one (the
# confirmation says 1 message on 1 host) and the host's queue shows it in
# hold; D asks for the typed word (a wrong word deletes nothing, "delete"
# deletes); Enter shows postcat's headers (or says what sudo lacks, and
# no refused sudo mails root an alert);
# --read-only refuses H with the status line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin ui-queue-view

t_cleanup 'scenario postfix-start c; scenario postfix-start d'
t_cleanup 'scenario purge a; scenario purge b'
scenario purge a
scenario purge b
scenario postfix-stop c
scenario postfix-stop d

ids=()
for m in "a x$$@dest.example" "a y$$@other.example" "b z$$@dest.example"; do
    read -r h to <<<"$m"
    tok=$(send_mail "$h" relaytest@example.jp "$to")
    id=$(log_queue_id "$h" "message-id=<$tok@relaytop-lab>") || t_fail "$h did not accept the mail to $to"
    ids+=("$id")
done
for i in 0 1 2; do
    h=a; ((i == 2)) && h=b
    wait_log "$h" "${ids[$i]}: to=<.*status=deferred" 30 >/dev/null || t_fail "$h did not defer ${ids[$i]}"
done
echo "deferred: ${ids[*]}"

queue_of() { # queue_of HOST ID: the queue the host's postqueue -j names for ID
    lab_exec "$1" /usr/sbin/postqueue -j | grep -F "\"$2\"" |
        sed -E 's/.*"queue_name": "([a-z]+)".*/\1/'
}

# Q at once, before the sessions are up: each host is listed when it is
rt_start 80 24 "$LAB_INI"
wait_screen 'relaytop' 10 || fail_screen "no console"
tm send-keys -t rt Q
for id in "${ids[@]}"; do
    wait_screen "$id" 30 || fail_screen "Q did not list $id"
done
s=$(screen)
assert_match "$s" "origin-a +deferred +${ids[0]}" "row of ${ids[0]}"
assert_match "$s" "origin-b +deferred +${ids[2]}" "row of ${ids[2]}"
assert_match "$s" "Queue 3 on all hosts" "title"

# / narrows as the recipient is typed
tm send-keys -t rt / y "$$"
wait_screen "Queue 1 of 3" 10 || fail_screen "the filter did not narrow the list"
s=$(screen)
assert_match "$s" "${ids[1]}" "filtered row"
assert_no_match "$s" "${ids[0]}|${ids[2]}" "rows the filter should hide"
tm send-keys -t rt Enter

# the qshape table and the reasons
tm send-keys -t rt Tab
wait_screen 'Deferred by domain and age' 10 || fail_screen "Tab did not show the queue shape"
s=$(screen)
assert_match "$s" 'DOMAIN +T +5 +10 +20' "qshape header"
assert_match "$s" 'TOTAL +3 +3 ' "merged total, all under 5 minutes"
assert_match "$s" 'dest\.example +2 +2 ' "dest.example row"
assert_match "$s" 'connect to #\.#\.#\.#\[#\.#\.#\.#\]:#: Connection refused' "normalised reason"
assert_match "$s" 'on origin-a 2, origin-b 1' "reason counts per host"
tm send-keys -t rt Tab
wait_screen 'Queue 1 of 3' 5 || fail_screen "Tab did not come back to the list"

# tag what the filter shows, hold it
tm send-keys -t rt M
wait_screen '1 tagged on 1 host' 5 || fail_screen "M did not tag the filtered message"
tm send-keys -t rt H
wait_screen 'hold 1 message on 1 host \(postsuper -h\)\? \[y/n\]' 5 || fail_screen "no hold confirmation"
tm send-keys -t rt y
for ((i = 0; i < 40; i++)); do
    [[ $(queue_of a "${ids[1]}") == hold ]] && break
    sleep 0.25
done
[[ $(queue_of a "${ids[1]}") == hold ]] || fail_screen "${ids[1]} is not in origin-a's hold queue ($(queue_of a "${ids[1]}"))"
wait_screen "origin-a +hold +${ids[1]}" 15 || fail_screen "the view did not show ${ids[1]} held"
echo "held ${ids[1]}"

# delete asks for the word: a wrong one deletes nothing
tm send-keys -t rt Escape
wait_screen 'Queue 3 on all hosts' 5 || fail_screen "Esc did not clear the filter"
tm send-keys -t rt / z "$$" Enter
wait_screen 'Queue 1 of 3' 10 || fail_screen "the filter on z$$ did not narrow"
tm send-keys -t rt D
wait_screen 'delete 1 message on 1 host \(postsuper -d\)\? type delete:' 5 || fail_screen "no typed-word question"
tm send-keys -t rt y Enter
wait_screen 'nothing deleted' 5 || fail_screen "a wrong word was not refused"
[[ $(queue_of b "${ids[2]}") == deferred ]] || t_fail "${ids[2]} left origin-b's queue after a refused delete"
tm send-keys -t rt D d e l e t e Enter
for ((i = 0; i < 40; i++)); do
    [[ -z $(queue_of b "${ids[2]}") ]] && break
    sleep 0.25
done
[[ -z $(queue_of b "${ids[2]}") ]] || fail_screen "${ids[2]} is still in origin-b's queue"
wait_screen 'no message matches' 15 || fail_screen "the view still lists the deleted ${ids[2]}"
echo "deleted ${ids[2]}"

# a message's headers (postcat -hq), or what its sudo rule lacks
tm send-keys -t rt Escape
wait_screen 'Queue 2 on all hosts' 10 || fail_screen "not 2 messages left"
alerts() { grep -c 'pickup.*from=<relayop>' "/run/relaytop-lab/$LAB/a/log/maillog" || true; }
n0=$(alerts)
tm send-keys -t rt g Enter
wait_screen 'Subject: probe e2e-|NOPASSWD: /usr/sbin/postcat' 15 || fail_screen "postcat showed neither headers nor what it needs"
sleep 1	# a refused sudo would mail root a security alert from the login
assert_eq "$(alerts)" "$n0" "mails the login submitted on origin-a during postcat (a sudo alert?)"
s=$(screen)
if grep -q 'Subject: probe' <<<"$s"; then echo "postcat: headers shown"; else t_note "postcat: the login lacks its sudoers line: $(grep -o 'NOPASSWD: .*' <<<"$s")"; fi
tm send-keys -t rt Escape q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"

# read-only: the list shows, the acts refuse
tm kill-server 2>/dev/null || true
rt_start 80 24 "$LAB_INI" --read-only
wait_screen '^.origin-a +up' 30 || fail_screen "origin-a never came up (read-only)"
tm send-keys -t rt Q
wait_screen "${ids[0]}" 20 || fail_screen "read-only: Q did not list ${ids[0]}"
tm send-keys -t rt H
wait_screen 'read-only: actions are disabled' 5 || fail_screen "read-only did not refuse H"
[[ $(queue_of a "${ids[0]}") == deferred ]] || t_fail "read-only: ${ids[0]} changed queue"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0 (read-only)"
t_ok
