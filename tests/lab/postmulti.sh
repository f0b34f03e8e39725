# shellcheck shell=bash
# tests/lab/postmulti.sh - sourced by tests/lab/scenario: a relay with two
# Postfix instances, as `postmulti` makes them (scenario postmulti HOST, undo
# postmulti-off HOST). The default instance hands every mail for dest.example
# to the second instance `postfix-out` (transport_maps ->
# smtp:[127.0.0.1]:10026); postfix-out (its own /etc/postfix-out,
# /var/spool/postfix-out, /var/lib/postfix-out, syslog_name postfix-out,
# myhostname HOST-out...) listens on 127.0.0.1:10026 only and delivers to
# dest. Both instances log to the one /var/log/maillog through their own
# postlogd (maillog_file in each main.cf: Postfix 3.7 runs one postlogd per
# instance, each appending to the file). The three directories are per host:
# HOST's own /var/lib/postfix/lab-postfix-out/{etc,spool,lib} bound over them
# inside HOST's mount namespace (its /run hides the lab's state dir, so the
# source must be a path the host sees); the empty mount points are made once
# in the machine's file system and left there, like /etc/relaytop-lab.

PM_NAME=postfix-out
PM_PORT=10026
PM_DIRS=(/etc/postfix-out /var/spool/postfix-out /var/lib/postfix-out)
PM_SRC=/var/lib/postfix/lab-postfix-out     # as HOST sees it

pm_src_outside() { echo "$STATE/$1/postfix/lib/lab-postfix-out"; }

# pm_mount HOST: the instance's directories, per host (idempotent)
pm_mount() {
    local h=$1 d
    mkdir -p "${PM_DIRS[@]}"
    hx "$h" mkdir -p "$PM_SRC/etc" "$PM_SRC/spool" "$PM_SRC/lib"
    for d in etc:/etc/postfix-out spool:/var/spool/postfix-out lib:/var/lib/postfix-out; do
        hx "$h" mountpoint -q "${d#*:}" || hx "$h" mount --bind "$PM_SRC/${d%%:*}" "${d#*:}"
    done
}

# pm_main_cf HOST: postfix-out's main.cf: the lab's relay main.cf with the
# instance's own names, directories and listener
pm_main_cf() {
    local h=$1
    main_cf "$h" | grep -Ev '^(inet_interfaces|mynetworks|mydestination|alias_maps|alias_database|myhostname) ='
    cat <<EOF
# --- second instance (tests/lab/postmulti.sh): 127.0.0.1:$PM_PORT -> dest
config_directory = /etc/postfix-out
queue_directory = /var/spool/postfix-out
data_directory = /var/lib/postfix-out
multi_instance_name = $PM_NAME
multi_instance_group = mta
multi_instance_enable = yes
syslog_name = $PM_NAME
myhostname = $(host_fqdn "$h" | sed 's/\./-out./')
inet_interfaces = loopback-only
mynetworks = 127.0.0.0/8
mydestination =
alias_maps =
alias_database =
EOF
}

pm_instance_running() {
    local pid
    pid=$({ tr -dc 0-9 <"$(pm_src_outside "$1")/spool/pid/master.pid"; } 2>/dev/null) || return 1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
        [[ $(ip netns identify "$pid" 2>/dev/null) == "$(ns_of "$1")" ]]
}

do_postmulti() {
    local h=$1 o
    o=$(pm_src_outside "$h")
    postfix_running "$h" || die "postfix is not running on $h"
    pm_instance_running "$h" && die "$h already runs $PM_NAME (scenario postmulti $h undo)"
    rm -rf "$o"
    pm_mount "$h"
    hx "$h" postmulti -e init
    hx "$h" postmulti -I "$PM_NAME" -G mta -e create
    # the lab's master.cf (no chroot, postlog), smtpd on loopback:PORT only
    cp "$STATE/$h/postfix/etc/master.cf" "$o/etc/master.cf"
    hx "$h" postconf -c /etc/postfix-out -MX smtp/inet
    hx "$h" postconf -c /etc/postfix-out -M "127.0.0.1:$PM_PORT/inet = 127.0.0.1:$PM_PORT inet n - n - - smtpd"
    pm_main_cf "$h" >"$o/etc/main.cf"
    hx "$h" postmulti -i "$PM_NAME" -p start >/dev/null 2>&1 || die "$PM_NAME did not start on $h"
    wait_until 15 tcp_open "$h" 127.0.0.1 "$PM_PORT" || die "$PM_NAME on $h does not answer on 127.0.0.1:$PM_PORT"
    hx "$h" postconf -e "transport_maps = inline:{ dest.example=smtp:[127.0.0.1]:$PM_PORT }"
    hx "$h" postfix reload >/dev/null 2>&1
}

# do_postmulti_off HOST: stop postfix-out, drop its directories, and give the
# default instance its lab settings back (also after a half-made set-up)
do_postmulti_off() {
    local h=$1 d
    if pm_instance_running "$h"; then
        hx "$h" postfix -c /etc/postfix-out stop >/dev/null 2>&1 || true
        wait_until 15 bash -c "! kill -0 \$(tr -dc 0-9 <'$(pm_src_outside "$h")/spool/pid/master.pid') 2>/dev/null" ||
            die "$PM_NAME on $h did not stop"
    fi
    hx "$h" postconf -X multi_instance_directories multi_instance_enable multi_instance_wrapper
    if grep -q '^transport_maps = ' < <(main_cf "$h"); then
        hx "$h" postconf -e "transport_maps = $(main_cf "$h" | sed -n 's/^transport_maps = //p')"
    else
        hx "$h" postconf -X transport_maps
    fi
    for d in "${PM_DIRS[@]}"; do
        if hx "$h" mountpoint -q "$d"; then hx "$h" umount "$d"; fi
    done
    rm -rf "$(pm_src_outside "$h")"
    if postfix_running "$h"; then hx "$h" postfix reload >/dev/null 2>&1; fi
}
