#!/bin/bash
# tests/bench/bench-fleet.sh N - fleet refresh on a running bench fleet
# (tests/bench/fleet-lab up N): relaytop's first snapshot (--once) and its
# steady-state refresh (bench-refresh driver, sessions kept open) against
# parallel-ssh, an Ansible ad-hoc shell run and warm ControlMaster ssh, all
# collecting the same facts. Figures go to $RESULTS (see lib.sh).
# Env: RUNS (3) runs of each tool, REFRESHES (7) steady refreshes,
# ANSIBLE_RUNS (1: one Ansible run costs minutes here).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${1:?usage: bench-fleet.sh N}
RUNS=${RUNS:-3}
REFRESHES=${REFRESHES:-7}
ANSIBLE_RUNS=${ANSIBLE_RUNS:-1}
FL=$BENCH_DIR/fleet-lab
S=/run/relaytop-lab/${BENCH:-rtbench}
C=$S/con
SEC="fleet N=$N"
con() { "$FL" con "$@"; }

# The same facts relaytop's probe collects: the effective settings it asks
# postconf for (explicit list), the queue (postqueue -j), new log lines.
LIST="myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory"
PROBE="PATH=/usr/sbin:/usr/bin:/bin; postconf -x $LIST; postqueue -j; sudo -n tail -n 100 /var/log/maillog"
OUT=/tmp/rtbench-out
rm -rf "$OUT"; mkdir -p "$OUT"

# --- relaytop: first snapshot, the real binary ----------------------------
once=()
for ((r = 0; r < RUNS; r++)); do	# exit 0 only when every host answered
	t=$(time_ms con "$TOP/relaytop" --hosts "$C/bench.ini" --once) ||
	    { note "relaytop --once: not every host answered"; exit 1; }
	once+=("$t")
done
answered=$N
m_once=$(median "${once[@]}")
emit "$SEC" "relaytop first snapshot (--once)" "$m_once" ms "median of $RUNS; $answered/$N hosts up; runs ${once[*]}" \
    "tests/bench/fleet-lab con ./relaytop --hosts \$STATE/con/bench.ini --once"

# --- relaytop: steady refresh through the library (sessions kept open) ------
build_driver bench-refresh
# steady INI LABEL: REFRESHES full refreshes of every host with INI; the
# driver's key=value lines stay in $OUT/LABEL.txt (kv LABEL KEY reads one).
kv() { sed -n "s/^$2=//p" "$OUT/$1.txt"; }
steady() {
	con "$BUILD_BENCH/bench-refresh" "$1" "$REFRESHES" >"$OUT/$2.txt" ||
	    { cat "$OUT/$2.txt" >&2; note "bench-refresh ($2) failed"; exit 1; }
}
steady "$C/bench.ini" refresh
m_ref=$(kv refresh refresh_median_ms)
emit "$SEC" "relaytop steady refresh (sessions open)" "$m_ref" ms \
    "median of $REFRESHES consecutive full refreshes; $(kv refresh answered)/$N up; runs $(kv refresh refresh_ms); first snapshot in-driver $(kv refresh first_ms) ms" \
    "tests/bench/fleet-lab con build/bench/bench-refresh \$STATE/con/bench.ini $REFRESHES"
emit "$SEC" "relaytop bytes received per steady refresh (all hosts)" "$(kv refresh refresh_bytes_median)" B \
    "console eth0 rx bytes; first snapshot $(kv refresh first_bytes) B" "(same run)"

# The same with the queue read on every refresh (queue_interval = 0): the
# default reads it again only after log activity or 30 s; nothing happens
# on the bench fleet between refreshes, so the run above never reads it.
sed 's/^refresh = 3600$/refresh = 3600\nqueue_interval = 0/' "$C/bench.ini" >"$C/bench-q0.ini"
steady "$C/bench-q0.ini" refresh-q0
m_refq=$(kv refresh-q0 refresh_median_ms)
emit "$SEC" "relaytop steady refresh, queue read every time (queue_interval = 0)" "$m_refq" ms \
    "median of $REFRESHES consecutive full refreshes; $(kv refresh-q0 answered)/$N up; runs $(kv refresh-q0 refresh_ms)" \
    "tests/bench/fleet-lab con build/bench/bench-refresh \$STATE/con/bench-q0.ini $REFRESHES"
emit "$SEC" "relaytop bytes per steady refresh, queue read every time" "$(kv refresh-q0 refresh_bytes_median)" B \
    "console eth0 rx bytes" "(same run)"

# --- parallel-ssh: one fresh connection per host per run ------------------
pssh=()
for ((r = 0; r < RUNS; r++)); do
	rm -rf "$OUT/pssh"
	t=$(time_ms con parallel-ssh -h "$C/hosts.txt" -p "$N" -t 300 -o "$OUT/pssh" \
	    -x "-F $C/ssh_config" "$PROBE") || note "parallel-ssh run $r reported failures"
	pssh+=("$t")
done
ok=$(grep -l '"queue_name"\|^mail_version' "$OUT"/pssh/* 2>/dev/null | wc -l)
m_pssh=$(median "${pssh[@]}")
emit "$SEC" "parallel-ssh (same probe)" "$m_pssh" ms "median of $RUNS; $ok/$N outputs; runs ${pssh[*]}" \
    "parallel-ssh -h hosts.txt -p $N -t 300 -o OUT -x '-F ssh_config' '$PROBE'"

# --- warm ControlMaster: masters opened first, then N ssh in parallel -------
cm() { ssh -F "$C/ssh_config" -o ControlPath="$S/cm-%h" "$@"; }
export -f cm; export C S
con bash -c 'for h in $(cat "$C/hosts.txt"); do
	cm -o ControlMaster=yes -o ControlPersist=900 -fN "$h" & done; wait'
cmrun() {
	con bash -c 'for h in $(cat "$C/hosts.txt"); do
		cm "$h" "$0" >"'"$OUT"'/cm-$h" 2>&1 & done; wait' "$PROBE"
}
cms=()
cmrun >/dev/null 2>&1		# one warm-up, not counted
for ((r = 0; r < RUNS; r++)); do cms+=("$(time_ms cmrun)"); done
ok=$(grep -l '^mail_version' "$OUT"/cm-* 2>/dev/null | wc -l)
con bash -c 'for h in $(cat "$C/hosts.txt"); do cm -O exit "$h" 2>/dev/null & done; wait' || true
m_cm=$(median "${cms[@]}")
emit "$SEC" "warm ControlMaster ssh, in parallel" "$m_cm" ms "median of $RUNS (after one warm-up); $ok/$N outputs; runs ${cms[*]}" \
    "for h in hosts: ssh -o ControlPath=... h '$PROBE' & done; wait  (masters opened before)"

# --- Ansible ad-hoc shell (no ControlPersist: a cold run each time) -------
ans=()
export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_SSH_ARGS="-F $C/ssh_config" \
    ANSIBLE_LOCAL_TEMP=/tmp/rtbench-ansible ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
    ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_GATHERING=explicit
for ((r = 0; r < ANSIBLE_RUNS; r++)); do
	t=$(time_ms con bash -c 'exec ansible all -i "$0" -u relayop -f "$1" -m shell -a "$2" -o >"$3" 2>&1' \
	    "$C/ansible.ini" "$N" "$PROBE" "$OUT/ansible.txt") || note "ansible run $r reported failures"
	ans+=("$t")
done
ok=$(grep -c 'CHANGED' "$OUT/ansible.txt" || true)
m_ans=$(median "${ans[@]}")
emit "$SEC" "Ansible ad-hoc shell, forks=$N" "$m_ans" ms "median of $ANSIBLE_RUNS; $ok/$N changed; runs ${ans[*]}" \
    "ansible all -i ansible.ini -u relayop -f $N -m shell -a '$PROBE'"

# --- where the CPU goes: client process vs the whole machine -------------
# All N hosts share this machine's CPUs with the client, so a first
# snapshot's wall time is bounded by everyone's work; on a real fleet each
# host works on its own CPU and the client's own cost is what adds up.
read -r w1 c1 m1 <<<"$(cpu_split "$FL" con "$TOP/relaytop" --hosts "$C/bench.ini" --once)"
read -r w2 c2 m2 <<<"$(cpu_split "$FL" con parallel-ssh -h "$C/hosts.txt" -p "$N" -t 300 -o "$OUT/pssh-cpu" -x "-F $C/ssh_config" "$PROBE")"
emit "$SEC" "client CPU, relaytop first snapshot" "$c1" ms "user+sys of relaytop; that run took $w1 ms wall" "/usr/bin/time -f '%U %S' fleet-lab con ./relaytop ... --once"
emit "$SEC" "client CPU, parallel-ssh" "$c2" ms "user+sys of parallel-ssh and its ssh children; that run took $w2 ms wall" "/usr/bin/time -f '%U %S' fleet-lab con parallel-ssh ..."
emit "$SEC" "machine CPU, relaytop first snapshot" "$m1" ms "busy CPU of the whole machine (clients, sshd, host commands) over the run" "/proc/stat before and after"
emit "$SEC" "machine CPU, parallel-ssh" "$m2" ms "same" "/proc/stat before and after"
emit "$SEC" "ratio client CPU relaytop first snapshot / parallel-ssh" "$(ratio "$c1" "$c2" 3)" x "" "(derived)"
emit "$SEC" "relaytop client CPU per steady refresh (all hosts)" "$(kv refresh driver_cpu_ms_per_refresh)" ms "bench-refresh's own CPU per refresh" "(steady run above)"

# --- ratios -----------------------------------------------------------------
emit "$SEC" "ratio parallel-ssh / relaytop steady (target >= 20)" "$(ratio "$m_pssh" "$m_ref")" x "" "(derived)"
emit "$SEC" "ratio parallel-ssh / relaytop steady, queue read every time" "$(ratio "$m_pssh" "$m_refq")" x "" "(derived)"
emit "$SEC" "ratio warm ControlMaster / relaytop steady (target > 1)" "$(ratio "$m_cm" "$m_ref" 2)" x "" "(derived)"
emit "$SEC" "ratio relaytop first snapshot / parallel-ssh (target <= 0.5)" "$(ratio "$m_once" "$m_pssh" 2)" x "" "(derived)"
emit "$SEC" "ratio Ansible / relaytop steady" "$(ratio "$m_ans" "$m_ref")" x "" "(derived)"
