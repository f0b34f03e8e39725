#!/bin/bash
# tests/data/captured/capture.sh - regenerate the captured Postfix output in
# this directory from the running lab (tests/lab/lab-up first).  Every file is
# real output of Postfix 3.x on the lab hosts; see README.md for each case.
# Leaves the lab in its normal state (scenario reset).
set -euo pipefail
. "$(dirname "$0")/capture-lib.sh"
S() { "$lab/scenario" "$@"; }
W() { "$lab/wait-log" "$@" >/dev/null; }
mark() { local h; for h in a c d; do off[$h]=$(stat -c %s "$STATE/$h/log/maillog"); done; }
grab() { since "$1" >"$here/$2"; } # grab HOST FILE: the lines since mark
nsent() { grep -c "$2" "$STATE/$1/log/maillog" || true; }
settle() { sleep "${1:-2}"; }
trap 'S reset >/dev/null 2>&1 || true' EXIT

S reset
PARAMS="myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version"
for h in a c; do
    n=$(host_name "$h")
    X "$h" postconf >"$here/$n.postconf.txt"
    X "$h" postconf -n >"$here/$n.postconf-n.txt"
    X "$h" postconf $PARAMS >"$here/$n.postconf-params.txt"
done
X a postqueue -j >"$here/origin-a.postqueue-j.empty.txt"
X a postqueue -p >"$here/origin-a.postqueue-p.empty.txt"

# normal send: A -> C -> dest
mark; send "normal"
W c 'to=<probe@dest.example>, relay=172.16.30.25.*status=sent' 30; settle
grab a origin-a.maillog.normal.txt; grab c relay-c.maillog.normal.txt

# failover: C stopped, A -> D -> dest
S postfix-stop c
mark; send "failover"
n0=$(nsent d 'relay=172.16.30.25.*status=sent')
W a 'relay=172\.16\.1\.12\[172\.16\.1\.12\]:25.*status=sent' 30
until (($(nsent d 'relay=172.16.30.25.*status=sent') > n0)); do sleep 0.2; done; settle
grab a origin-a.maillog.failover.txt; grab d relay-d.maillog.failover.txt
S postfix-start c

# both relays down: 3 mails deferred on A (Connection refused), one held
S postfix-stop c; S postfix-stop d
mark
for i in 1 2 3; do send "both-down $i"; done
until (($(tail -c +"$((off[a] + 1))" "$STATE/a/log/maillog" | grep -c 'status=deferred') >= 3)); do sleep 0.2; done
settle
id=$(X a postqueue -j | sed -n 's/.*"queue_id": *"\([0-9A-F]*\)".*/\1/p' | head -n1)
X a postsuper -h "$id"
settle 1
X a postqueue -j >"$here/origin-a.postqueue-j.deferred.txt"
X a postqueue -p >"$here/origin-a.postqueue-p.deferred.txt"
grab a origin-a.maillog.both-down.txt
S purge a
S postfix-start c; S postfix-start d

# Relay access denied: A no longer in C's mynetworks, D stopped
S param c 'mynetworks = 127.0.0.1, 172.16.10.6'
S postfix-stop d
mark; send "relay-denied"
W c 'Relay access denied' 30
W a 'status=deferred' 30; settle
grab a origin-a.maillog.relay-denied.txt; grab c relay-c.maillog.relay-denied.txt
S reset a c d

# shared myhostname: C calls itself mail-a.example.jp like A
S param c 'myhostname = mail-a.example.jp'
mark; send "loop"
W a 'loops back to myself' 30; settle 4
grab a origin-a.maillog.loop.txt; grab c relay-c.maillog.loop.txt
S reset a c d
echo "captured into $here"
