#!/bin/bash
# e2e-seed-relay: the seed's success case.  Mail submitted on origin A goes to
# relay C ("relay=172.16.1.11[172.16.1.11]:25 ... status=sent (250 2.0.0 Ok:
# queued as X)"), C logs "X: client=...[172.16.10.5]" and delivers it to the
# destination (relay=...[172.16.30.25]:25 status=sent).
. "$(dirname "$0")/lib.sh"
t_begin seed-relay

tok=$(send_mail a x@example.jp probe@dest.example seed-relay)
id_a=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
line=$(wait_log a "$id_a: to=<probe@dest.example>, relay=172\.16\.1\.11\[172\.16\.1\.11\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as [0-9A-Za-z]+\)" 30) ||
    t_fail "A did not hand the message to C"
echo "A: $line"
x=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
wait_log c "$x: client=[^ ]*\[172\.16\.10\.5\]" 10 || t_fail "C has no client line for $x"
wait_log c "$x: to=<probe@dest.example>, relay=[^ ]*\[172\.16\.30\.25\]:25, .*status=sent" 30 ||
    t_fail "C did not deliver $x to the destination"
t_ok
