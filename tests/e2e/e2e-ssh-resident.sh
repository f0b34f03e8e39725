#!/bin/bash
# e2e-ssh-resident: the console keeps one resident probe shell per host
# (`relaytop-probe -r`, started over each host's SSH session) and refreshes
# through it: across several refreshes the same four processes answer, the
# console keeps updating (a new mail on origin-a shows up), and on q every
# resident ends with its session - nothing is left running on the hosts.
. "$(dirname "$0")/lib.sh"
t_begin ssh-resident

. "$(dirname "$0")/ui-lib.sh"

# pids of resident probe shells, one line each: relayop's processes running
# `relaytop-probe -r` whose parent is sshd (the script's own subshells have
# the same arguments for a moment), in this lab's hosts' network namespaces
# only (every lab on the machine shares one pid namespace, so ps sees the
# processes of other labs too)
residents() {
    local h ours=" "
    for h in a b c d; do
        ours+="$(ip netns pids "$LAB-$h" 2>/dev/null | tr '\n' ' ')"
    done
    lab_exec a ps -eo pid=,ppid=,user=,comm=,args= |
        awk -v ours="$ours" '{ comm[$1] = $4; line[NR] = $0 }
             END { for (i = 1; i <= NR; i++) { split(line[i], f)
                 if (f[3] == "relayop" && line[i] ~ /relaytop-probe -r/ && comm[f[2]] == "sshd" &&
                     index(ours, " " f[1] " ")) print f[1] } }' | sort -n
}

assert_eq "$(residents | wc -l)" 0 "resident probes running before the test"
rt_start 120 40
for h in origin-a origin-b relay-c relay-d; do
    wait_screen "^.$h( !?[0-9]+)? +up " 20 || fail_screen "$h never answered"
done
before=$(residents)
assert_eq "$(wc -l <<<"$before")" 4 "resident probes (one per host): $before"

# several refreshes (refresh = 2 s) later: the same processes, and the
# console still sees what happens (a mail sent now shows as sent)
rcpt="resident-$$@dest.example"
send_mail a relaytest@example.jp "$rcpt" >/dev/null
wait_screen "origin-a +[0-9A-Za-z]+ sent +to=<$rcpt>" 30 ||
    fail_screen "origin-a's new mail never showed as sent"
sleep 5
after=$(residents)
assert_eq "$after" "$before" "the resident probes changed across refreshes"

tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not exit 0"
for ((i = 0; i < 20; i++)); do
    [[ -z $(residents) ]] && break
    sleep 0.25
done
assert_eq "$(residents | wc -l)" 0 "resident probes left running after q"
t_ok
