# shellcheck shell=bash
# tests/lab/journald.sh - the lab's journald shape (sourced by scenario and
# lib.sh users, not run): a host whose Postfix logs only to the journal, as
# on Debian 12/13 without rsyslog (unit postfix@-.service) or RHEL 9
# (postfix.service). The real systemd-journald runs standalone inside the
# host's mount namespace: its own tmpfs on /run/systemd, its own
# journald.conf (bound over /etc/systemd/journald.conf), storage in the
# host's own /var/log/journal (root:systemd-journal 2755, as Debian makes
# it). /dev/log is Debian's symlink to /run/systemd/journal/dev-log; /run is
# each host's own, so it reaches that host's journald only (lab-up's hosts
# and the machine itself have no such socket: syslog there goes nowhere, as
# before). journald takes _SYSTEMD_UNIT from the sender's cgroup, so the
# host's Postfix runs in a cgroup named
#   relaytop-lab-$LAB-HOST.slice/system.slice/postfix@-.service
# (leading slices are skipped by journald: the unit is postfix@-.service),
# of the machine's name=systemd v1 hierarchy when it has one (the host sees
# it alone at /sys/fs/cgroup/systemd: legacy mode), else of cgroup v2
# (mounted at the host's /sys/fs/cgroup: unified mode).
# State: $STATE/HOST/journald (the unit), $STATE/HOST/postfix.cgroup (the
# cgroup, as the host sees it: lib.sh's postfix_start starts Postfix there).

JD_CONF='[Journal]
# relaytop lab: the machine'"'"'s kernel ring and audit are not this host'"'"'s
Storage=persistent
ReadKMsg=no
Audit=no
ForwardToSyslog=no
ForwardToWall=no'

# jd_cg_mode: "legacy DIR" (name=systemd v1 hierarchy at DIR on the
# machine) or "unified DIR" (cgroup v2 at DIR); fails when neither.
jd_cg_mode() {
    if [[ $(stat -f -c %T /sys/fs/cgroup/systemd 2>/dev/null) == cgroupfs ]]; then
        echo legacy /sys/fs/cgroup/systemd
    elif [[ $(stat -f -c %T /sys/fs/cgroup 2>/dev/null) == cgroup2fs ]]; then
        echo unified /sys/fs/cgroup
    elif [[ $(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null) == cgroup2fs ]]; then
        echo unified /sys/fs/cgroup/unified
    else
        return 1
    fi
}
jd_bin() {
    local b
    for b in /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald; do
        [[ -x $b ]] && { echo "$b"; return 0; }
    done
    return 1
}
jd_slice() { echo "relaytop-lab-$LAB-$1.slice"; }
jd_on() { [[ -f $STATE/$1/journald ]]; }

# jd_pid HOST: the pid of HOST's journald, or fail.
jd_pid() {
    local p
    p=$(hx "$1" cat /run/systemd/lab-journald.pid 2>/dev/null) || return 1
    [[ $p =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$p/comm" 2>/dev/null) == systemd-journal ]] &&
        [[ $(ip netns identify "$p" 2>/dev/null) == "$(ns_of "$1")" ]] || return 1
    echo "$p"
}

# jd_daemon_start HOST: journald running, its sockets there, the journal
# flushed to /var/log/journal (what systemd-journal-flush.service does).
jd_daemon_start() {
    local h=$1 bin
    jd_pid "$h" >/dev/null && return 0
    bin=$(jd_bin) || die "no systemd-journald binary (install the systemd package)"
    hx "$h" rm -f /run/systemd/journal/socket
    hx "$h" sh -c 'setsid "$0" </dev/null >/dev/null 2>&1 & echo $! >/run/systemd/lab-journald.pid' "$bin"
    wait_until 15 hx "$h" test -S /run/systemd/journal/io.systemd.journal ||
        die "systemd-journald did not start on $h"
    wait_until 15 hx "$h" journalctl --flush >/dev/null 2>&1 || die "journalctl --flush failed on $h"
}
jd_daemon_stop() {
    local p
    p=$(jd_pid "$1") || return 0
    kill "$p"
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
}

# do_journald HOST [debian|rhel]
do_journald() {
    local h=$1 flavor=${2:-debian} unit mode root cg
    case $flavor in
    debian) unit=postfix@-.service ;;
    rhel) unit=postfix.service ;;
    *) die "journald: flavor '$flavor' (want debian or rhel)" ;;
    esac
    jd_on "$h" && do_journald_off "$h"
    read -r mode root < <(jd_cg_mode) || die "journald: no name=systemd or cgroup v2 hierarchy on this machine"
    jd_bin >/dev/null || die "no systemd-journald binary (install the systemd package)"
    getent group systemd-journal >/dev/null || die "no group systemd-journal (install the systemd package)"
    # Debian's /dev/log; on the machine's /dev, resolved in each host's /run
    [[ -e /dev/log || -L /dev/log ]] || ln -s /run/systemd/journal/dev-log /dev/log 2>/dev/null ||
        [[ -L /dev/log ]] || die "cannot make /dev/log"
    echo "$unit" >"$STATE/$h/journald"
    cg=$(jd_slice "$h")/system.slice/$unit
    mkdir -p "$root/$cg"
    hx "$h" bash -s "$mode" "$root" "$JD_CONF" <<'EOF'
set -euo pipefail
mode=$1 root=$2 conf=$3
mkdir -p /run/systemd
mountpoint -q /run/systemd || mount -t tmpfs -o mode=0755,size=8m lab-journald /run/systemd
printf '%s\n' "$conf" >/run/systemd/lab-journald.conf
mountpoint -q /etc/systemd/journald.conf || mount --bind /run/systemd/lab-journald.conf /etc/systemd/journald.conf
if [[ ! -L /dev/log ]] && ! mountpoint -q /dev/log; then
    # a real /dev/log (a syslog daemon's socket): this host's own instead
    mkdir -p /run/systemd/journal
    touch /run/systemd/journal/dev-log
    mount --bind /run/systemd/journal/dev-log /dev/log
fi
install -d -m 2755 -o root -g systemd-journal /var/log/journal
if ! mountpoint -q /sys/fs/cgroup; then
    if [[ $mode == legacy ]]; then
        mount -t tmpfs -o mode=0755,size=1m lab-cgroup /sys/fs/cgroup
        mkdir /sys/fs/cgroup/systemd
        mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
    else
        mount -t cgroup2 cgroup2 /sys/fs/cgroup
    fi
fi
EOF
    if [[ $mode == legacy ]]; then echo "/sys/fs/cgroup/systemd/$cg" >"$STATE/$h/postfix.cgroup"
    else echo "/sys/fs/cgroup/$cg" >"$STATE/$h/postfix.cgroup"; fi
    jd_daemon_start "$h"
    # Postfix to syslog (no maillog_file: Debian's and RHEL's default), the
    # file log out of auto's way, Postfix restarted in its unit's cgroup
    hx "$h" postconf -X maillog_file
    if [[ -f $STATE/$h/log/maillog ]]; then mv -f "$STATE/$h/log/maillog" "$STATE/$h/log/maillog.lab-journald"; fi
    jd_restart_postfix "$h"
    wait_until 15 hx "$h" sh -c 'journalctl -q -u "$0" -n 1 | grep -q .' "$unit" ||
        die "journald on $h has no line of $unit"
}

# jd_restart_postfix HOST: Postfix stopped (quick-stop: the next start
# skips its integrity checks, seconds on a loaded machine) and started
# again: in the unit's cgroup while postfix.cgroup names one (pf_start),
# its processes logging as maillog_file now says.
jd_restart_postfix() {
    if postfix_running "$1"; then
        hx "$1" postfix quick-stop >/dev/null 2>&1 || die "postfix quick-stop failed on $1"
        wait_until 15 postfix_stopped "$1" || die "postfix on $1 did not stop"
    fi
    do_postfix_start "$1"
}

# do_journald_off HOST: the file log back, Postfix restarted outside the
# unit's cgroup, journald stopped, its mounts, cgroups and journal removed.
do_journald_off() {
    local h=$1 mode root
    jd_on "$h" || return 0
    read -r mode root < <(jd_cg_mode) || die "journald: no cgroup hierarchy"
    rm -f "$STATE/$h/postfix.cgroup"
    hx "$h" postconf -e "maillog_file = $(normal_value "$h" maillog_file)"
    if [[ -f $STATE/$h/log/maillog.lab-journald && ! -e $STATE/$h/log/maillog ]]; then
        mv "$STATE/$h/log/maillog.lab-journald" "$STATE/$h/log/maillog"
    fi
    jd_restart_postfix "$h"
    jd_daemon_stop "$h"
    hx "$h" bash -s <<'EOF'
set -uo pipefail
mountpoint -q /dev/log && umount /dev/log
mountpoint -q /etc/systemd/journald.conf && umount /etc/systemd/journald.conf
mountpoint -q /run/systemd && umount /run/systemd
rm -rf /var/log/journal
mountpoint -q /sys/fs/cgroup/systemd && umount /sys/fs/cgroup/systemd
mountpoint -q /sys/fs/cgroup && umount /sys/fs/cgroup
exit 0
EOF
    jd_cg_remove "$root" "$h"
    rm -f "$STATE/$h/journald" "$STATE/$h/log/maillog.lab-journald"
}

# jd_cg_remove ROOT HOST: HOST's slice under cgroup root ROOT, deepest first
# (its processes gone).
jd_cg_remove() {
    local d
    d=$1/$(jd_slice "$2")
    [[ -d $d ]] || return 0
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
}

do_journald_restart() {
    jd_on "$1" || die "journald is not on for $1 (scenario journald $1)"
    jd_daemon_stop "$1"
    jd_daemon_start "$1"
}

# do_journald_vacuum HOST: rotate, then remove every archived journal file:
# what was read before is gone, the active file starts empty.
do_journald_vacuum() {
    jd_on "$1" || die "journald is not on for $1 (scenario journald $1)"
    hx "$1" journalctl --rotate >/dev/null 2>&1 || die "journalctl --rotate failed on $1"
    hx "$1" journalctl --vacuum-size=1 >/dev/null 2>&1 || die "journalctl --vacuum-size failed on $1"
}

# do_operator_group HOST GROUP: the operator also in GROUP (e.g.
# systemd-journal, adm) on HOST only: a copy of the machine's /etc/group
# with it added, bound over /etc/group in HOST's mount namespace (sshd
# reads it at each login). do_operator_group_off HOST: the machine's again.
do_operator_group() {
    local h=$1 g=$2
    [[ $g =~ ^[a-z_][a-z0-9_-]*$ ]] && getent group "$g" >/dev/null || die "operator-group: no group '$g'"
    do_operator_group_off "$h"
    hx "$h" bash -s "$g" "$OPERATOR" <<'EOS'
set -euo pipefail
g=$1 u=$2
awk -F: -v OFS=: -v g="$g" -v u="$u" '$1 == g { $4 = ($4 == "" ? u : $4 "," u) } { print }' /etc/group >/run/lab-group
chmod 0644 /run/lab-group
mount --bind /run/lab-group /etc/group
EOS
}
do_operator_group_off() {
    hx "$1" sh -c 'if mountpoint -q /etc/group; then umount /etc/group; fi; rm -f /run/lab-group'
}
