# shellcheck shell=bash
# tests/lab/three-hops.sh - scenario three-hops (sourced by scenario): an
# outbound relay between the relays and the destination, so mail takes three
# hops: origin -> relay -> outbound-e -> dest. outbound-e (host e,
# 172.16.1.13 and fd16:172::1:13, outbound-e.example.jp) is a fifth real
# host, made here and not by lab-up (the default lab keeps its four Postfix
# hosts): its own
# network, mount and UTS namespaces on the lab's switch, Postfix (main_cf e:
# mynetworks = the relays, delivers to dest) and sshd like the others, its
# host key in the console's known_hosts, the operator's sudo rule as on a.
# The relays get relayhost = [172.16.1.13] instead of their transport_maps
# (main_cf reads $STATE/three-hops, so param-restore and reset keep it).
# three-hops-off puts the relays back and removes host e entirely.

E_KH_TAG='172.16.1.13 '     # its known_hosts line starts so

e_ready() { anchor_pid e >/dev/null && postfix_running e && sshd_pid e >/dev/null &&
    tcp_open console 172.16.1.13 25 && tcp_open console 172.16.1.13 22; }

# e_build: host e from nothing (a half-made one is removed first).
e_build() {
    local hd=$STATE/e ns kh=$STATE/console/relaytop-lab/known_hosts
    e_ready && return 0
    e_remove
    ns=$(ns_of e)
    mkdir -p "$hd/etc" "$hd/log" "$hd/mail"
    chown root:mail "$hd/mail"; chmod 2775 "$hd/mail"
    host_fqdn e >"$hd/etc/hostname"
    printf '127.0.0.1\tlocalhost\n%s\t%s %s\n' 172.16.1.13 "$(host_fqdn e)" outbound-e >"$hd/etc/hosts"
    printf '::1\tlocalhost ip6-localhost ip6-loopback\n%s\t%s %s\n' "$(host_ip6 e)" "$(host_fqdn e)" outbound-e >>"$hd/etc/hosts"
    printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$hd/etc/resolv.conf"
    install -m 0600 -o root -g root /dev/null "$hd/log/maillog"
    cp -a "$STATE/a/sudoers.d" "$hd/sudoers.d"   # the same rule: relaytop --sudoers
    prep_pf_host e
    echo "$E_KH_TAG$(cut -d' ' -f1,2 "$hd/ssh/ssh_host_ed25519_key.pub")" >>"$kh"
    ip netns add "$ns" || die "cannot create network namespace $ns"
    ip -n "$SW_NS" link add v-e type veth peer name eth0 netns "$ns"
    ip -n "$SW_NS" link set v-e master br0 up
    ip -n "$ns" link set lo up
    # a fixed MAC: the other hosts' neighbour entries for 172.16.1.13 stay
    # right when e is made anew (a new random one left them stale: relay-c's
    # connects timed out for seconds after a three-hops-off + three-hops)
    ip -n "$ns" link set eth0 address 02:00:ac:10:01:0d
    ip -n "$ns" addr add 172.16.1.13/16 dev eth0
    # dual stack as lab-up makes it: ULA, no router advertisements, no DAD
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 \
        net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.eth0.accept_ra=0
    ip -n "$ns" -6 addr add "$(host_ip6 e)/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
    setsid ip netns exec "$ns" unshare --mount --uts --propagation private -- \
        /bin/bash "$LAB_DIR/host-init" e "$hd" "$(host_fqdn e)" \
        </dev/null >>"$hd/anchor.log" 2>&1 9>&- &
    wait_until 10 anchor_pid e >/dev/null || die "host e did not come up: $(tail -n 3 "$hd/anchor.log" 2>/dev/null)"
    postfix_start e || die "postfix did not start on e: $(tail -n 3 "$hd/log/maillog")"
    sshd_start e || die "sshd did not start on e"
    wait_until 20 e_ready || die "outbound-e does not answer on :25 and :22"
}

# e_remove: host e's processes, namespace, files and known_hosts line gone.
e_remove() {
    local ns kh=$STATE/console/relaytop-lab/known_hosts
    ns=$(ns_of e)
    if ns_exists "$ns"; then
        kill_ns_procs "$ns"
        ip netns del "$ns" 2>/dev/null || echo "lab($LAB): warning: cannot delete netns $ns" >&2
    fi
    ip -n "$SW_NS" link del v-e 2>/dev/null || true
    rm -rf --one-file-system "${STATE:?}/e"
    if [[ -f $kh ]] && grep -q "^$E_KH_TAG" "$kh"; then
        grep -v "^$E_KH_TAG" "$kh" >"$kh.new" || true
        cat "$kh.new" >"$kh"; rm -f "$kh.new"
    fi
}

# the relays' routing: relayhost = [outbound-e] on, transport_maps back off
three_hops_relays() {
    local h
    for h in c d; do
        if three_hops_on; then
            hx "$h" postconf -X transport_maps
            hx "$h" postconf -e 'relayhost = [172.16.1.13]'
        else
            hx "$h" postconf -X relayhost
            hx "$h" postconf -e "transport_maps = $(normal_value "$h" transport_maps)"
        fi
        reload "$h"
    done
}

do_three_hops() {
    e_build
    touch "$STATE/three-hops"
    three_hops_relays
}

do_three_hops_off() {
    if three_hops_on; then
        rm -f "$STATE/three-hops"
        three_hops_relays
    fi
    e_remove
}
