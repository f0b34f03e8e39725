#!/bin/bash
# e2e-lab-aliases: no lab host logs "error: open database /etc/aliases.db:
# No such file or directory" (or that the db is older than /etc/aliases):
# lab-up makes the db as Debian's postinst does. After a reload (no idle
# smtpd left), an SMTP session to each host's port 25 starts a new smtpd,
# which opens alias_maps.
. "$(dirname "$0")/lib.sh"
t_begin lab-aliases
STATE=/run/relaytop-lab/$LAB
declare -A off
for h in a b c d; do off[$h]=$(stat -c %s "$STATE/$h/log/maillog"); done
for h in a b c d; do
    lab_exec "$h" postfix reload >/dev/null 2>&1 || t_fail "postfix reload on $h"
    case $h in c) ip=172.16.1.11 ;; d) ip=172.16.1.12 ;; *) ip=127.0.0.1 ;; esac	# origins: loopback only
    lab_exec "$h" timeout 10 bash -c "exec 3<>/dev/tcp/$ip/25; head -n1 <&3; printf 'QUIT\r\n' >&3; cat <&3 >/dev/null" ||
        t_fail "no SMTP session on $h ($ip)"
    wait_log "$h" "smtpd\[[0-9]+\]: disconnect from .* quit=1 commands=1" 10 >/dev/null ||
        t_fail "$h logged no smtpd session"
done
for h in a b c d; do
    bad=$(tail -c +"$((off[$h] + 1))" "$STATE/$h/log/maillog" | grep -E 'aliases\.db' || true)
    [[ -z $bad ]] || t_fail "alias database errors on $h: $bad"
done
t_ok
