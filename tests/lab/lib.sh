# shellcheck shell=bash disable=SC2034
# tests/lab/lib.sh - shared code for the relaytop lab scripts (sourced, not run).
#
# The lab is the seed's relay network as network namespaces on one machine:
# one "switch" namespace ($LAB-sw, holding the bridge) and one namespace per
# host ($LAB-a, $LAB-b, $LAB-c, $LAB-d, $LAB-dest, $LAB-console).  Each host
# also has its own mount and UTS namespace, held open by an "anchor" process
# (a sleep) whose pid is in $STATE/<host>/anchor.pid.  Nothing of the lab is
# in the root network namespace.

LAB="${LAB:-rtlab}"
if ! [[ $LAB =~ ^[a-z][a-z0-9-]{0,11}$ ]]; then
    echo "lab: bad LAB name '$LAB' (want [a-z][a-z0-9-]{0,11})" >&2
    exit 2
fi
LAB_ROOT=/run/relaytop-lab
STATE=$LAB_ROOT/$LAB
SW_NS=$LAB-sw
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOSTS=(a b c d dest console)
PF_HOSTS=(a b c d)          # hosts running Postfix and sshd
EXTRA_HOSTS=(e)             # made by a scenario, not lab-up (three-hops)
SUDOERS=/etc/sudoers.d/relaytop-lab   # made by earlier versions: dropped
OPERATOR=relayop
CONSOLE_ETC=/etc/relaytop-lab   # where the console sees key + known_hosts
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "lab($LAB): error: $*" >&2; exit 1; }
say() { echo "lab($LAB): $*"; }

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root"; }

# canon HOST -> a|b|c|d|dest|console (accepts short names, long names, IPs)
canon() {
    case "$1" in
    a|origin-a|mail-a|mail-a.example.jp|172.16.10.5|fd16:172::10:5) echo a ;;
    b|origin-b|mail-b|mail-b.example.jp|172.16.10.6|fd16:172::10:6) echo b ;;
    c|relay-c|relay-c.example.jp|172.16.1.11|fd16:172::1:11) echo c ;;
    d|relay-d|relay-d.example.jp|172.16.1.12|fd16:172::1:12) echo d ;;
    e|outbound-e|outbound-e.example.jp|172.16.1.13|fd16:172::1:13) echo e ;;
    dest|dest.example|172.16.30.25|fd16:172::30:25) echo dest ;;
    console|172.16.1.100|fd16:172::1:100) echo console ;;
    *) echo "lab: unknown host '$1' (a|b|c|d|dest|console|origin-a|...)" >&2; return 1 ;;
    esac
}
host_ip() {
    case "$1" in
    a) echo 172.16.10.5 ;; b) echo 172.16.10.6 ;;
    c) echo 172.16.1.11 ;; d) echo 172.16.1.12 ;;
    e) echo 172.16.1.13 ;;
    dest) echo 172.16.30.25 ;; console) echo 172.16.1.100 ;;
    esac
}
# host_ip6 HOST: its address in the lab's ULA prefix fd16:172::/64 (the
# dual stack; the interface id spells the IPv4 address's last two bytes)
host_ip6() {
    case "$1" in
    a) echo fd16:172::10:5 ;; b) echo fd16:172::10:6 ;;
    c) echo fd16:172::1:11 ;; d) echo fd16:172::1:12 ;;
    e) echo fd16:172::1:13 ;;
    dest) echo fd16:172::30:25 ;; console) echo fd16:172::1:100 ;;
    esac
}
host_fqdn() {
    case "$1" in
    a) echo mail-a.example.jp ;; b) echo mail-b.example.jp ;;
    c) echo relay-c.example.jp ;; d) echo relay-d.example.jp ;;
    e) echo outbound-e.example.jp ;;
    dest) echo dest.example ;; console) echo console.example.jp ;;
    esac
}
host_name() {
    case "$1" in
    a) echo origin-a ;; b) echo origin-b ;; c) echo relay-c ;; d) echo relay-d ;;
    e) echo outbound-e ;;
    *) echo "$1" ;;
    esac
}
host_role() { case "$1" in a|b) echo origin ;; c|d) echo relay ;; e) echo outbound ;; *) echo "$1" ;; esac; }
ns_of() { echo "$LAB-$1"; }

ns_exists() { [[ -e /run/netns/$1 ]]; }

# anchor_pid HOST: pid of the live anchor of HOST, or fail.
anchor_pid() {
    local f=$STATE/$1/anchor.pid pid
    [[ -r $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # guard against pid reuse: it must sit in the host's network namespace
    [[ $(ip netns identify "$pid" 2>/dev/null) == "$(ns_of "$1")" ]] || return 1
    echo "$pid"
}

# hx HOST CMD...: run CMD as root inside HOST's net+mount+uts namespaces,
# in the caller's working directory when it exists there (else /).
hx() {
    local h=$1 pid; shift
    pid=$(anchor_pid "$h") || die "host $h is not up (no anchor); run tests/lab/lab-up"
    nsenter -t "$pid" -n -m -u -- /bin/sh -c \
        'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD" "$@" 9>&-
}

# tcp_open HOST IP PORT [SECS]: can HOST connect to IP:PORT?
tcp_open() {
    hx "$1" timeout "${4:-2}" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$2" "$3" 2>/dev/null
}

# with_lock FILE CMD...: run CMD holding an flock on FILE.
with_lock() {
    local f=$1; shift
    mkdir -p "$LAB_ROOT"
    (
        flock -w 60 9 || die "cannot lock $f"
        "$@"
    ) 9>"$f"
}

# --- Postfix configuration -------------------------------------------------

# lab_profile: the lab's profile, as lab-up recorded it ($STATE/profile),
# else LAB_PROFILE, else "default". "real" adds shapes of real fleets that
# the seed lacks: enable_long_queue_ids = yes on origin-a and relay-c.
lab_profile() {
    local p
    p=$(cat "$STATE/profile" 2>/dev/null) || p=${LAB_PROFILE:-default}
    case $p in
    default|real) echo "$p" ;;
    *) die "bad lab profile '$p' (want default or real)" ;;
    esac
}

# aliases_db CONFDIR: /etc/aliases.db for the hosts' alias_maps =
# hash:/etc/aliases (their /etc is the machine's), made as Debian's postfix
# postinst makes it (newaliases); without it every host's smtpd logs
# "error: open database /etc/aliases.db: No such file or directory". Shared
# by every lab and left by lab-down, like the relayop account. CONFDIR: a
# lab host's /etc/postfix.
aliases_db() {
    [[ -f /etc/aliases ]] || printf '# See man 5 aliases for format\npostmaster:    root\n' >/etc/aliases
    [[ /etc/aliases.db -nt /etc/aliases ]] && return 0
    postalias -c "$1" /etc/aliases
}

# main_cf HOST: the lab's normal main.cf for HOST on stdout.
main_cf() {
    local h=$1
    cat <<EOF
# main.cf for $(host_name "$h") in relaytop lab "$LAB" (generated by tests/lab)
compatibility_level = 3.6
smtpd_banner = \$myhostname ESMTP \$mail_name (Debian/GNU)
biff = no
append_dot_mydomain = no
readme_directory = no
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
mailbox_size_limit = 0
recipient_delimiter = +
myhostname = $(host_fqdn "$h")
mydomain = example.jp
myorigin = \$mydomain
inet_protocols = $(case $h in c|d|e) echo all ;; *) echo ipv4 ;; esac)
mydestination = localhost
maillog_file = /var/log/maillog
# lab timers: short, so tests see retries within seconds
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 30s
smtp_connect_timeout = 10s
EOF
    case "$h" in
    a|b) cat <<EOF
# --- origin (seed): local submission only, everything via the relay
inet_interfaces = loopback-only
mynetworks = 127.0.0.1
relayhost = [172.16.1.11]
smtp_fallback_relay = [172.16.1.12]
EOF
    ;;
    c|d) cat <<EOF
# --- relay (seed): accept from the origins, deliver to the "internet"
inet_interfaces = all
mynetworks = 127.0.0.1, 172.16.10.5, 172.16.10.6, [fd16:172::10:5], [fd16:172::10:6]
# the lab has no DNS: dest.example is the smtp-sink host
smtp_dns_support_level = disabled
$(if three_hops_on; then echo 'relayhost = [172.16.1.13]'; else echo 'transport_maps = inline:{ dest.example=smtp:[172.16.30.25] }'; fi)
EOF
    ;;
    e) cat <<EOF
# --- outbound relay (scenario three-hops): accept from the relays, deliver
# to the "internet"
inet_interfaces = all
mynetworks = 127.0.0.1, 172.16.1.11, 172.16.1.12, [fd16:172::1:11], [fd16:172::1:12]
smtp_dns_support_level = disabled
transport_maps = inline:{ dest.example=smtp:[172.16.30.25] }
EOF
    ;;
    esac
    if [[ $(lab_profile) == real && ($h == a || $h == c) ]]; then cat <<EOF
# --- profile real: long queue ids, as on many real fleets
enable_long_queue_ids = yes
EOF
    fi
}

# postfix_template: $STATE/postfix-etc, the package's /etc/postfix with the
# lab's master.cf (chroot off everywhere, postlog present); made once per lab
# because postconf is slow on small machines.
postfix_template() {
    local d=$STATE/postfix-etc
    [[ -f $d/.done ]] && return 0
    rm -rf "$d"; mkdir -p "$d"
    cp -a /etc/postfix/. "$d/"
    [[ -f $d/master.cf ]] || cp /usr/share/postfix/master.cf.dist "$d/master.cf"
    [[ -f $d/dynamicmaps.cf ]] || cp /usr/share/postfix/dynamicmaps.cf "$d/dynamicmaps.cf"
    rm -f "$d/main.cf"
    # no chroot anywhere: nothing to copy into the spool
    postconf -c "$d" -F '*/*/chroot = n'
    if ! grep -Eq '^postlog[[:space:]]+unix-dgram' "$d/master.cf"; then
        postconf -c "$d" -M 'postlog/unix-dgram = postlog unix-dgram n - n - 1 postlogd'
    fi
    touch "$d/.done"
}

# write_postfix_etc HOST DIR: fresh /etc/postfix for HOST in DIR (in place,
# DIR may be bind-mounted already).
write_postfix_etc() {
    local h=$1 d=$2
    postfix_template
    mkdir -p "$d"
    find "$d" -mindepth 1 -delete
    cp -a "$STATE/postfix-etc/." "$d/"
    rm -f "$d/.done"
    main_cf "$h" >"$d/main.cf"
}

# sshd_config HOST: the lab sshd_config on stdout.
sshd_config() {
    cat <<EOF
# sshd_config for $(host_name "$1") in relaytop lab "$LAB" (generated by tests/lab)
Port 22
ListenAddress $(host_ip "$1")
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
PermitRootLogin no
AllowUsers $OPERATOR
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PubkeyAcceptedAlgorithms ssh-ed25519
HostKeyAlgorithms ssh-ed25519
AuthenticationMethods publickey
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
X11Forwarding no
PrintMotd no
UseDNS no
LogLevel INFO
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

# lab_sudoers DIR: DIR/relaytop (0440), the operator's sudo rule: exactly
# what the built relaytop prints for the lab inventory (relaytop --sudoers),
# checked by visudo. Each Postfix host binds its own DIR over /etc/sudoers.d
# (host-init), so the machine's /etc/sudoers.d and other labs are untouched.
lab_sudoers() {
    local d=$1 rt=$LAB_DIR/../../relaytop
    [[ -x $rt ]] || die "relaytop is not built (run make): the lab's sudo rule is what relaytop --sudoers prints"
    mkdir -p "$d"
    "$rt" --sudoers --hosts "$LAB_DIR/../../assets/lab/hosts.ini" >"$d/relaytop.new" ||
        die "relaytop --sudoers failed"
    visudo -qcf "$d/relaytop.new" >/dev/null || die "the rule of relaytop --sudoers does not validate (visudo -c)"
    chmod 0440 "$d/relaytop.new"
    mv "$d/relaytop.new" "$d/relaytop"
}

# --- services inside a host ------------------------------------------------

# postfix_running HOST: master alive? (pid file check: `postfix status` would
# write a line into the host's maillog every time)
postfix_running() {
    local pid
    pid=$({ tr -dc 0-9 <"$STATE/$1/postfix/spool/pid/master.pid"; } 2>/dev/null) || return 1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
        [[ $(ip netns identify "$pid" 2>/dev/null) == "$(ns_of "$1")" ]]
}
postfix_stopped() { ! postfix_running "$1"; }
postfix_start() { postfix_running "$1" || pf_start "$1" </dev/null >/dev/null 2>&1; }
# pf_start HOST: postfix start, inside the unit's cgroup when the journald
# scenario made one (tests/lab/journald.sh: journald names the unit by it),
# on HOST's fake clock when scenario year-end gave it one
pf_start() {
    local cg=$STATE/$1/postfix.cgroup
    if [[ -f $cg ]]; then hx "$1" sh -c 'echo $$ >"$0/cgroup.procs" && exec postfix start' "$(<"$cg")"
    else faked "$1" postfix start; fi
}
# faked HOST CMD...: hx HOST CMD, on the lab's fake clock when scenario
# year-end put HOST on it ($STATE/HOST/faketime): libfaketime reads its
# FAKETIME, an offset from the real clock, from FAKETIME_FILE (in /tmp, which
# every host shares) at most a second old, so every process so started
# agrees, also after the scenario moves the clock. Only the wall clock is
# faked: CLOCK_MONOTONIC and file times stay real.
FAKETIME_FILE=/tmp/relaytop-lab-$LAB.faketime
FAKETIME_ENV=("FAKETIME_TIMESTAMP_FILE=$FAKETIME_FILE" FAKETIME_CACHE_DURATION=1
    FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1)
faketime_lib() { local f; for f in /usr/lib/*/faketime/libfaketimeMT.so.1; do [[ -f $f ]] && { echo "$f"; return 0; }; done; return 1; }
faked() {
    local h=$1 lib
    shift
    if [[ -f $STATE/$h/faketime ]]; then
        lib=$(faketime_lib) || die "libfaketime is not installed (tests/deps.sh installs libfaketime)"
        hx "$h" env "LD_PRELOAD=$lib" "${FAKETIME_ENV[@]}" "$@"
    else hx "$h" "$@"; fi
}
postfix_stop() { ! postfix_running "$1" || hx "$1" postfix stop </dev/null >/dev/null 2>&1; }

sshd_pid() {
    local pid
    pid=$(hx "$1" cat /run/sshd.pid 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}
# sshd logs to /var/log/sshd.log (the host's own; e2e tests read how sessions ended)
sshd_start() { sshd_pid "$1" >/dev/null || hx "$1" /usr/sbin/sshd -E /var/log/sshd.log </dev/null >/dev/null 2>&1; }
sshd_stop() {
    local pid i
    pid=$(sshd_pid "$1") || return 0
    kill "$pid"
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

sink_start() {
    tcp_open console 172.16.30.25 25 && return 0
    hx dest sh -c 'setsid /usr/sbin/smtp-sink -u nobody -h dest.example 172.16.30.25:25 128 \
        </dev/null >>/var/log/smtp-sink.log 2>&1 & echo $! >/run/smtp-sink.pid'
}

# wait_until SECS CMD...: retry CMD every 0.2 s until it succeeds.
wait_until() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < end)) || return 1
        sleep 0.2
    done
}

# host_ports_ok HOST: the host's services answer.
host_ports_ok() {
    case "$1" in
    a|b) tcp_open console "$(host_ip "$1")" 22 && tcp_open "$1" 127.0.0.1 25 ;;
    c|d) tcp_open console "$(host_ip "$1")" 22 && tcp_open console "$(host_ip "$1")" 25 ;;
    dest) tcp_open console 172.16.30.25 25 ;;
    console) anchor_pid console >/dev/null ;;
    esac
}

# --- build and teardown ------------------------------------------------------

# lab_any_remnant: anything of this LAB exists (namespaces or state)?
lab_any_remnant() {
    local h
    [[ -e $STATE ]] && return 0
    for h in "${HOSTS[@]}" "${EXTRA_HOSTS[@]}" sw; do ns_exists "$LAB-$h" && return 0; done
    return 1
}

# lab_healthy: every namespace, anchor and service of this LAB is fine.
lab_healthy() {
    local h
    [[ -f $STATE/up ]] || return 1
    ns_exists "$SW_NS" || return 1
    for h in "${HOSTS[@]}"; do
        ns_exists "$(ns_of "$h")" && anchor_pid "$h" >/dev/null || return 1
    done
    for h in "${HOSTS[@]}"; do host_ports_ok "$h" || return 1; done
}

# kill_ns_procs NS: end every process living in network namespace NS.
kill_ns_procs() {
    local ns=$1 pids i
    for i in $(seq 30); do
        pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
        [[ -z ${pids// /} ]] && return 0
        if ((i < 20)); then kill -TERM $pids 2>/dev/null || true
        else kill -KILL $pids 2>/dev/null || true; fi
        sleep 0.1
    done
    echo "lab($LAB): warning: processes left in $ns: $pids" >&2
}

# lab_teardown: remove every namespace, process, mount and file of this LAB.
lab_teardown() {
    local h ns m
    for h in "${HOSTS[@]}" "${EXTRA_HOSTS[@]}" sw; do
        ns=$LAB-$h
        ns_exists "$ns" || continue
        kill_ns_procs "$ns"
        ip netns del "$ns" 2>/dev/null || echo "lab($LAB): warning: cannot delete netns $ns" >&2
    done
    # the journald scenario's cgroups (tests/lab/journald.sh), now empty
    for h in "${PF_HOSTS[@]}"; do
        for m in /sys/fs/cgroup/systemd /sys/fs/cgroup /sys/fs/cgroup/unified; do
            [[ -d $m/relaytop-lab-$LAB-$h.slice ]] || continue
            find "$m/relaytop-lab-$LAB-$h.slice" -depth -type d -exec rmdir {} + 2>/dev/null || true
        done
    done
    # nothing is mounted from the state dir in the root namespace, but be sure
    if [[ -d $STATE ]]; then
        { findmnt -rn -o TARGET | grep -F "$STATE/" || true; } | sort -r | while read -r m; do
            umount -l "$m" || true
        done
        rm -rf --one-file-system "$STATE"
    fi
    with_lock "$LAB_ROOT/.shared.lock" shared_release
}

# shared_setup: the operator account and /etc/relaytop-lab mount point;
# shared by every lab on this machine (idempotent). The sudo rule is per
# host (lab_sudoers).
shared_setup() {
    if ! id "$OPERATOR" >/dev/null 2>&1; then
        useradd -m -d /home/$OPERATOR -s /bin/sh -c "relaytop lab operator" "$OPERATOR"
    fi
    # sshd without PAM refuses "locked" (!) accounts; '*' = no password, not locked
    if [[ $(getent shadow "$OPERATOR" | cut -d: -f2) == !* ]]; then
        usermod -p '*' "$OPERATOR"
    fi
    mkdir -p "$CONSOLE_ETC"
}

# shared_release: drop the machine-wide sudoers rule that earlier versions
# of the lab installed, when no lab is left on the machine.
# (The relayop account and the empty /etc/relaytop-lab directory stay.)
shared_release() {
    local other
    other=$(find "$LAB_ROOT" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n1)
    [[ -z $other ]] && rm -f "$SUDOERS"
    return 0
}

# --- host files (lab-up, scenario three-hops) ------------------------------

# prep_pf_host HOST: the Postfix and sshd files of HOST under $STATE/HOST.
prep_pf_host() {
    local h=$1 hd=$STATE/$1
    write_postfix_etc "$h" "$hd/postfix/etc"
    # fresh empty queue with the owners and modes of Debian's postfix
    # (postfix-files + postinst); few processes: spawning is slow when loaded
    local q=$hd/postfix/spool
    install -d -o root -g root -m 0755 "$q" "$q/pid" "$q/dev" "$q/etc" "$q/lib" "$q/usr"
    install -d -o postfix -g root -m 0700 "$q"/{active,bounce,corrupt,defer,deferred,flush,hold,incoming,private,saved,trace}
    install -d -o postfix -g postdrop -m 1730 "$q/maildrop"
    install -d -o postfix -g postdrop -m 2710 "$q/public"
    # the queue is complete: let the first `postfix start` skip its slow
    # integrity checks (Postfix's own quick-start mechanism)
    touch "$hd/postfix/spool/quick-start"
    install -d -o postfix -g postfix -m 0755 "$hd/postfix/lib"
    # sshd: own host key, lab config, operator's key
    mkdir -p "$hd/ssh/authorized_keys"
    chmod 0755 "$hd/ssh" "$hd/ssh/authorized_keys"
    sshd_config "$h" >"$hd/ssh/sshd_config"
    cp /etc/ssh/moduli "$hd/ssh/" 2>/dev/null || true
    ssh-keygen -q -t ed25519 -N '' -C "root@$(host_fqdn "$h")" -f "$hd/ssh/ssh_host_ed25519_key"
    cp "$STATE/console/relaytop-lab/id_ed25519.pub" "$hd/ssh/authorized_keys/$OPERATOR"
    chmod 0644 "$hd/ssh/authorized_keys/$OPERATOR"
}

# three_hops_on: scenario three-hops is on (tests/lab/three-hops.sh): the
# relays' relayhost is the outbound relay outbound-e (host e).
three_hops_on() { [[ -f $STATE/three-hops ]]; }
