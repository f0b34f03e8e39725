#!/bin/bash
# tests/bench/bench-profile.sh - where a refresh's time goes: the CPU cost
# (user + system, so robust to other load) of each command relaytop's probe
# and the shell probes run on a host, measured on bench host h1 over ssh
# (/usr/bin/time around LOOPS calls), and the CPU of an ssh connect. The
# steady refresh is bounded below by N x (probe commands' CPU) / cores.
# Env: LOOPS (20).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
LOOPS=${LOOPS:-20}
FL=$BENCH_DIR/fleet-lab
S=/run/relaytop-lab/${BENCH:-rtbench}
C=$S/con
SEC="profile (CPU per call on a host)"
h=$(head -n 1 "$C/hosts.txt")
# Each line: a label, then the command looped on the host.
cat >/tmp/rtbench-prof.sh <<'EOF'
PATH=/usr/sbin:/usr/bin:/bin; export PATH
L=$1
c() { lab=$1; shift
	/usr/bin/time -f "%U %S" -o /tmp/rtbench-prof.t sh -c 'i=0; while [ $i -lt "$0" ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done' "$L" "$@"
	awk -v l="$lab" -v n="$L" '{ printf "%s\t%.2f\n", l, ($1 + $2) * 1000 / n }' /tmp/rtbench-prof.t; }
c "sh -c : (a fork+exec)" sh -c :
c "od 12 bytes of /dev/urandom" od -An -N12 -tx1 /dev/urandom
c "stat main.cf master.cf" stat -L -c %Y.%s.%i /etc/postfix/main.cf /etc/postfix/master.cf
c "sudo -n cat master.pid" sudo -n /usr/bin/cat /var/spool/postfix/pid/master.pid
c "sudo -n stat maillog" sudo -n /usr/bin/stat -L -c %i.%s.%Y /var/log/maillog
c "postqueue -j (small queue)" postqueue -j
c "postconf -x (18 names)" postconf -x myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory
c "sudo -n tail -n 100 maillog" sudo -n tail -n 100 /var/log/maillog
rm -f /tmp/rtbench-prof.t
EOF
out=$("$FL" con ssh -F "$C/ssh_config" "$h" sh -s "$LOOPS" </tmp/rtbench-prof.sh)
while IFS=$'\t' read -r lab v; do
	emit "$SEC" "$lab" "$v" "ms CPU" "mean of $LOOPS calls on $h" "tests/bench/bench-profile.sh"
done <<<"$out"
# An ssh connection (key exchange + auth + one trivial command): client CPU.
/usr/bin/time -f "%U %S" -o /tmp/rtbench-ssh.t "$FL" con sh -c \
    'i=0; while [ $i -lt 10 ]; do ssh -F "$0" "$1" true; i=$((i+1)); done' "$C/ssh_config" "$h"
emit "$SEC" "ssh connect + auth + true (client side only)" \
    "$(awk '{ printf "%.1f", ($1 + $2) * 100 }' /tmp/rtbench-ssh.t)" "ms CPU" "mean of 10" "ssh -F ssh_config $h true"
# relaytop's own CPU per steady refresh of all hosts (the driver process).
out=$("$FL" con "$BUILD_BENCH/bench-refresh" "$C/bench.ini" 3)
emit "$SEC" "relaytop process CPU per steady refresh of all $(sed -n 's/^hosts=//p' <<<"$out") hosts" \
    "$(sed -n 's/^driver_cpu_ms_per_refresh=//p' <<<"$out")" "ms CPU" \
    "getrusage of the driver over 3 refreshes (wall $(sed -n 's/^refresh_ms=//p' <<<"$out") ms)" \
    "build/bench/bench-refresh \$STATE/con/bench.ini 3"

# Whole machine, by process name (perf record -a, all CPUs): where a first
# snapshot's CPU goes, relaytop --once against parallel-ssh on the same
# fleet. The top names and their share of each run's samples.
if command -v perf >/dev/null 2>&1; then
	PROBE="PATH=/usr/sbin:/usr/bin:/bin; postconf -x myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory; postqueue -j; sudo -n tail -n 100 /var/log/maillog"
	by_comm() {	# by_comm LABEL CMD...: top process names by CPU samples
		local lab=$1; shift
		perf record -a -q -o /tmp/rtbench-perf.data -- "$@" >/dev/null 2>&1 || true
		perf report -i /tmp/rtbench-perf.data --sort comm --stdio 2>/dev/null |
		    awk '/^#/ || NF < 2 { next } { sub(/%/, "", $1); print $1 "\t" $2 }' | head -n 10 |
		    while IFS=$'\t' read -r pct comm; do
			emit "profile (whole machine, by process)" "$lab: CPU share of $comm" "$pct" "%" "perf record -a samples by process name over the run" \
			    "perf record -a -- fleet-lab con $lab; perf report --sort comm"
		    done
		rm -f /tmp/rtbench-perf.data
	}
	by_comm "relaytop --once" "$FL" con "$TOP/relaytop" --hosts "$C/bench.ini" --once
	by_comm "parallel-ssh" "$FL" con parallel-ssh -h "$C/hosts.txt" -p "$(wc -l <"$C/hosts.txt")" -t 300 \
	    -o /tmp/rtbench-perf-pssh -x "-F $C/ssh_config" "$PROBE"
else
	note "perf not installed: no whole-machine profile"
fi
