#!/bin/bash
# e2e-ui-queue: the console's queue column follows the queue although a
# steady refresh does not read it: the queue is read again after log
# activity (queue_interval is 30 s in the lab inventory's default, longer
# than this test waits). Both relays stopped: a mail from origin-a is
# deferred and origin-a's "q a/d/h" shows it within seconds; relays back and
# A's queue flushed: the column returns to 0/0/0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin ui-queue

qa() { # origin-a's queue column (first n/n/n of its Hosts row)
    screen | grep -E 'origin +172\.16\.10\.5' | grep -oE '[0-9]+/[0-9]+/[0-9]+' | sed -n 1p
}
wait_qa() { # wait_qa VALUE SECONDS
    local i
    for ((i = 0; i < $2 * 4; i++)); do
        [[ $(qa) == "$1" ]] && return 0
        sleep 0.25
    done
    return 1
}

t_cleanup 'scenario purge a'
t_cleanup 'scenario postfix-start c; scenario postfix-start d'
scenario purge a
rt_start 160 45 "$LAB_INI"
wait_screen '^.origin-a +up' 30 || fail_screen "origin-a never came up"
wait_qa 0/0/0 10 || fail_screen "origin-a's queue is not empty at the start ($(qa))"

scenario postfix-stop c
scenario postfix-stop d
tok=$(send_mail a relaytest@example.jp "queue-$$@dest.example")
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id: to=<queue-$$@dest\.example>.*status=deferred" 30 >/dev/null || t_fail "A did not defer $id"
t0=$SECONDS
wait_qa 0/1/0 15 || fail_screen "the deferred mail never showed in origin-a's queue ($(qa))"
echo "deferred mail in the queue column after $((SECONDS - t0)) s"

scenario postfix-start c
scenario postfix-start d
scenario flush a
wait_log a "$id: to=<queue-$$@dest\.example>.*status=sent" 30 >/dev/null || t_fail "A did not deliver $id"
t0=$SECONDS
wait_qa 0/0/0 15 || fail_screen "origin-a's queue column did not empty ($(qa))"
echo "empty queue column after $((SECONDS - t0)) s"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
t_ok
