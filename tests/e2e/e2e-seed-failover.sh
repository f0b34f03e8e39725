#!/bin/bash
# e2e-seed-failover: the seed's redundancy.  With Postfix stopped on relay C,
# origin A sends through smtp_fallback_relay D (relay=172.16.1.12...status=sent)
# and D delivers to the destination.  C is started again afterwards.
. "$(dirname "$0")/lib.sh"
t_begin seed-failover

t_cleanup 'scenario postfix-start c'
scenario postfix-stop c
tok=$(send_mail a x@example.jp probe@dest.example seed-failover)
id_a=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
line=$(wait_log a "$id_a: to=<probe@dest.example>, relay=172\.16\.1\.12\[172\.16\.1\.12\]:25, .*status=sent \(250 2\.0\.0 Ok: queued as [0-9A-Za-z]+\)" 40) ||
    t_fail "A did not fall back to D"
echo "A: $line"
x=$(sed -E 's/.*queued as ([0-9A-Za-z]+)\).*/\1/' <<<"$line")
wait_log d "$x: client=[^ ]*\[172\.16\.10\.5\]" 10 || t_fail "D has no client line for $x"
wait_log d "$x: to=<probe@dest.example>, relay=[^ ]*\[172\.16\.30\.25\]:25, .*status=sent" 30 ||
    t_fail "D did not deliver $x"
t_ok
