#!/bin/bash
# e2e-ssh-rsa: an RSA user key, as file and in an ssh-agent, against an sshd
# on origin-a that takes rsa-sha2 (OpenSSH 8.8+'s default: no ssh-rsa). With
# libssh2 1.11+ it signs in; with 1.10 relaytop refuses it before trying, in
# one line that names the fix (an ed25519 key).
. "$(dirname "$0")/lib.sh"
t_begin ssh-rsa
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-ssh-rsa.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"

ssh-keygen -q -t rsa -b 3072 -N '' -C e2e-rsa -f "$tmp/id_rsa"
cp "$tmp/id_rsa.pub" "$tmp/authorized_keys"
chmod 0644 "$tmp/authorized_keys"
# A second sshd on origin-a, port 2222: the lab's, with RSA keys allowed.
lab_exec a cat /etc/ssh/sshd_config | sed \
    -e 's/^Port .*/Port 2222/' \
    -e "s|^PidFile .*|PidFile $tmp/sshd.pid|" \
    -e 's/^PubkeyAcceptedAlgorithms .*/PubkeyAcceptedAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256/' \
    -e "s|^AuthorizedKeysFile .*|AuthorizedKeysFile $tmp/authorized_keys|" >"$tmp/sshd_config"
# (the keys file is under /tmp, which StrictModes refuses as world-writable)
echo 'StrictModes no' >>"$tmp/sshd_config"
grep -q '^Port 2222$' "$tmp/sshd_config" || t_fail "sshd_config rewrite"
lab_exec a /usr/sbin/sshd -f "$tmp/sshd_config" </dev/null ||
    t_fail "second sshd did not start"
t_cleanup "kill \$(cat '$tmp/sshd.pid') 2>/dev/null || true"
for i in $(seq 50); do
    lab_console timeout 1 bash -c 'exec 3<>/dev/tcp/172.16.10.5/2222' 2>/dev/null && break
    ((i < 50)) || t_fail "port 2222 of origin-a does not answer"
    sleep 0.2
done

hostkey=$(lab_exec a cat /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $1, $2}')
echo "[172.16.10.5]:2222 $hostkey" >"$tmp/known_hosts"
# OpenSSH's own client signs in there with the RSA key (rsa-sha2).
got=$(lab_console env -u SSH_AUTH_SOCK ssh -F /dev/null -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$tmp/known_hosts" \
    -o IdentitiesOnly=yes -i "$tmp/id_rsa" -p 2222 relayop@172.16.10.5 \
    echo rsa-ok 2>&1) || t_fail "ssh with the RSA key: $got"
assert_eq "$got" rsa-ok "ssh with the RSA key"

ini() {
    printf '[defaults]\nuser = relayop\nidentity = %s\nknown_hosts = %s\n' \
        "$1" "$tmp/known_hosts"
    printf 'sudo = yes\ntimeout = 10\n\n[origin-a]\naddress = 172.16.10.5\n'
    printf 'port = 2222\nrole = origin\n'
}
ini "$tmp/id_rsa" >"$tmp/hosts.ini"
ini "" >"$tmp/hosts-agent.ini"

# The libssh2 relaytop runs with: on Debian, the one it was built against.
libver=$(pkg-config --modversion libssh2)
echo "libssh2 $libver"

rc=0
out=$(lab_console env -u SSH_AUTH_SOCK "$RT" --hosts "$tmp/hosts.ini" --once 2>&1) || rc=$?
rca=0
outa=$(lab_console env -u SSH_AUTH_SOCK ssh-agent sh -c \
    "ssh-add -q '$tmp/id_rsa' && '$RT' --hosts '$tmp/hosts-agent.ini' --once" 2>&1) || rca=$?
case $libver in
1.[0-9].* | 1.10.*)
    assert_eq "$rc" 1 "RSA key file with libssh2 $libver: exit status"
    assert_match "$out" "origin-a: authentication as relayop failed: key $tmp/id_rsa is RSA, not tried: libssh2 1\.10\.[0-9]+ signs RSA keys only with ssh-rsa \(SHA-1\), which OpenSSH 8\.8\+ refuses: use an ed25519 key \(ssh-keygen -t ed25519\)"
    assert_eq "$rca" 1 "RSA agent key with libssh2 $libver: exit status"
    assert_match "$outa" "origin-a: authentication as relayop failed: the ssh-agent's key is RSA, not tried: libssh2 .*ssh-keygen -t ed25519"
    assert_eq "$(grep -o 'ssh-keygen' <<<"$out$outa" | wc -l)" 2 "the fix named once per run"
    # the same key with no .pub beside it: known as RSA from the private
    # key's openssh-key-v1 blob alone
    mkdir "$tmp/nopub"
    cp "$tmp/id_rsa" "$tmp/nopub/id_rsa"
    ini "$tmp/nopub/id_rsa" >"$tmp/hosts-nopub.ini"
    rcn=0
    outn=$(lab_console env -u SSH_AUTH_SOCK "$RT" --hosts "$tmp/hosts-nopub.ini" --once 2>&1) || rcn=$?
    assert_eq "$rcn" 1 "RSA key file without .pub: exit status"
    assert_match "$outn" "key $tmp/nopub/id_rsa is RSA, not tried: libssh2 1\.10"
    ;;
*)
    assert_eq "$rc" 0 "RSA key file with libssh2 $libver: exit status ($out)"
    assert_match "$out" '^origin-a +origin +172\.16\.10\.5:2222 +up '
    assert_eq "$rca" 0 "RSA agent key with libssh2 $libver: exit status ($outa)"
    assert_match "$outa" '^origin-a +origin +172\.16\.10\.5:2222 +up '
    ;;
esac
t_ok
