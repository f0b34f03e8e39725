#!/bin/bash
# e2e-ssh-knownhosts-oracle: OpenSSH itself is the oracle for known_hosts.
# For each row of a table (a user file, a global file, the name and port
# dialled), `ssh -o StrictHostKeyChecking=yes` and then `accept-new` run in
# the console against relay-c's sshd with those files, and so does relaytop
# (strict, then --accept-new) with the same files in hosts.ini
# (known_hosts, global_known_hosts). The verdicts must be equal: accepted,
# refused for the host key, or accepted after adding the same
# "name type key" line, which relaytop must also print and write to the
# action log with its fingerprint. Rows run in batches (one relaytop run,
# a [rowN] section each); accept-new runs only where strict did not accept
# (a known key is accepted whatever the policy, on both sides). Keys: relay-c's own ed25519 host key ($ED) on port
# 22, an ECDSA key made here ($EC2) on a second sshd on port 2222, and two
# keys the host never shows ($OTHER, $EC). The name relay1.example.net is
# added to the console's /etc/hosts for the test. The one row where
# relaytop is meant to differ is marked: a host only a @cert-authority line
# names is refused under accept-new (libssh2 1.10 cannot check host
# certificates), where ssh adds the plain key it was shown.
. "$(dirname "$0")/lib.sh"
t_begin ssh-knownhosts-oracle
RT=$RELAYTOP
tmp=$(mktemp -d /tmp/e2e-kh-oracle.XXXXXX)
chmod 0755 "$tmp"
t_cleanup "rm -rf '$tmp'"
NAME=relay1.example.net
ADDR=172.16.1.11

# the name, in the console only (its /etc/hosts is the lab's own copy)
lab_console cp /etc/hosts "$tmp/hosts.orig"
t_cleanup "lab_console cp '$tmp/hosts.orig' /etc/hosts"
lab_console sh -c "echo '$ADDR $NAME' >>/etc/hosts"

ED=$(lab_exec c cat /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $1" "$2}')
[[ $ED == ssh-ed25519\ * ]] || t_fail "no relay-c host key"
ssh-keygen -q -t ed25519 -N '' -C other -f "$tmp/other"
ssh-keygen -q -t ecdsa -b 256 -N '' -C ec -f "$tmp/ec"
ssh-keygen -q -t ecdsa -b 256 -N '' -C ec2 -f "$tmp/ec2"
OTHER=$(awk '{print $1" "$2}' "$tmp/other.pub")
EC=$(awk '{print $1" "$2}' "$tmp/ec.pub")
EC2=$(awk '{print $1" "$2}' "$tmp/ec2.pub")
# hashed names, as ssh-keygen -H writes them
printf '%s %s\n[%s]:2222 %s\n' "$NAME" "$ED" "$NAME" "$EC2" >"$tmp/hashed"
ssh-keygen -q -H -f "$tmp/hashed" >/dev/null 2>&1
HASHED=$(sed -n 1p "$tmp/hashed" | awk '{print $1}')
HASHED2222=$(sed -n 2p "$tmp/hashed" | awk '{print $1}')
[[ $HASHED == '|1|'* && $HASHED2222 == '|1|'* ]] || t_fail "ssh-keygen -H"

# a second sshd on relay-c:2222 showing only the ECDSA key
sed -e 's/^Port .*/Port 2222/' -e "s|^HostKey .*|HostKey $tmp/ec2|" \
    -e 's/^HostKeyAlgorithms .*/HostKeyAlgorithms ecdsa-sha2-nistp256/' \
    -e "s|^PidFile .*|PidFile $tmp/sshd2222.pid|" \
    <(lab_exec c cat /etc/ssh/sshd_config) >"$tmp/sshd2222.conf"
lab_exec c /usr/sbin/sshd -f "$tmp/sshd2222.conf"
t_cleanup "lab_exec c sh -c 'kill \$(cat $tmp/sshd2222.pid)' 2>/dev/null || true"
for _ in $(seq 100); do
    lab_console timeout 1 bash -c "</dev/tcp/$ADDR/2222" 2>/dev/null && break
    sleep 0.1
done

# The global file as ssh reads it by default is the console's own.
lab_console sh -c 'test ! -e /etc/ssh/ssh_known_hosts' ||
    t_fail "the console already has /etc/ssh/ssh_known_hosts"
t_cleanup "lab_console rm -f /etc/ssh/ssh_known_hosts"

# expand TEXT: $ED... replaced, \t and \r as printf reads them
expand() {
    local s=$1
    s=${s//'$OTHER'/$OTHER}; s=${s//'$EC2'/$EC2}; s=${s//'$EC'/$EC}
    s=${s//'$ED'/$ED}; s=${s//'$HASHED2222'/$HASHED2222}
    s=${s//'$HASHED'/$HASHED}
    printf '%b' "$s"
}
global_default='relay1.example.net $ED\n'	# the "default" row's file

# The rows: what | host | port | user file | global file ("" none,
# "default": the console's own /etc/ssh/ssh_known_hosts) | verdict strict |
# verdict accept-new, both sides ("added": accepted after adding a line;
# "deviation:V": ssh says V, relaytop refuses on purpose).
mapfile -t ROWS <<'END'
plain line|relay1.example.net|22|relay1.example.net $ED\n||accept|accept
changed key|relay1.example.net|22|relay1.example.net $OTHER\n||refuse|refuse
unknown host|relay1.example.net|22|other.example.net $ED\n||refuse|added
@revoked and a plain line|relay1.example.net|22|@revoked * $ED\nrelay1.example.net $ED\n||refuse|refuse
lone @revoked|relay1.example.net|22|@revoked relay1.example.net $ED\n||refuse|refuse
@revoked of another key|relay1.example.net|22|@revoked * $OTHER\nrelay1.example.net $ED\n||accept|accept
name in capitals, changed key|Relay1.Example.NET|22|relay1.example.net $OTHER\n||refuse|refuse
capitals in the file|relay1.example.net|22|RELAY1.Example.NET $ED\n||accept|accept
name in capitals, unknown|Relay1.Example.NET|22|||refuse|added
wildcard|relay1.example.net|22|*.example.net $ED\n||accept|accept
wildcard, changed key|relay1.example.net|22|*.example.net $OTHER\n||refuse|refuse
question mark|relay1.example.net|22|relay?.example.net $ED\n||accept|accept
negation|relay1.example.net|22|*.example.net,!relay1.example.net $OTHER\n||refuse|added
negation, other line matches|relay1.example.net|22|!relay1.*,*.example.net $OTHER\nrelay1.example.net $ED\n||accept|accept
hashed|relay1.example.net|22|$HASHED $ED\n||accept|accept
hashed, changed key|relay1.example.net|22|$HASHED $OTHER\n||refuse|refuse
hashed [host]:port|relay1.example.net|2222|$HASHED2222 $EC2\n||accept|accept
[host]:port|relay1.example.net|2222|[relay1.example.net]:2222 $EC2\n||accept|accept
[host]:port, changed key|relay1.example.net|2222|[relay1.example.net]:2222 $EC\n||refuse|refuse
plain line, port 2222|relay1.example.net|2222|relay1.example.net $EC\n||refuse|added
another key type known|relay1.example.net|22|relay1.example.net $EC\n||refuse|refuse
global file only|relay1.example.net|22||relay1.example.net $ED\n|accept|accept
global file, changed key|relay1.example.net|22||relay1.example.net $OTHER\n|refuse|refuse
user file changed, global file matches|relay1.example.net|22|relay1.example.net $OTHER\n|relay1.example.net $ED\n|accept|accept
@revoked in the global file|relay1.example.net|22|relay1.example.net $ED\n|@revoked *.example.net $ED\n|refuse|refuse
default global file|relay1.example.net|22||default|accept|accept
@cert-authority only|relay1.example.net|22|@cert-authority *.example.net $OTHER\n||refuse|deviation:added
@cert-authority and a plain line|relay1.example.net|22|@cert-authority *.example.net $OTHER\nrelay1.example.net $ED\n||accept|accept
marker ended by a tab: skipped|relay1.example.net|22|@revoked\t*\t$ED\nrelay1.example.net $ED\n||accept|accept
unknown marker: skipped|relay1.example.net|22|@trusted relay1.example.net $OTHER\n||refuse|added
CRLF line without comment|relay1.example.net|22|relay1.example.net $ED\r\n||accept|accept
IP address pattern|172.16.1.11|22|172.16.1.* $ED\n||accept|accept
END

# ssh MODE DIR HOST PORT GLOBAL, run in the console: DIR/verdict is
# accept, refuse (host key) or error:...
cat >"$tmp/ssh-one" <<'END'
mode=$1 d=$2 host=$3 port=$4 g=$5 rc=0 gopt=()
[ "$g" = default ] || gopt=(-o "GlobalKnownHostsFile=$g")
err=$(ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes \
    -i /etc/relaytop-lab/id_ed25519 -o "UserKnownHostsFile=$d/known_hosts" \
    "${gopt[@]}" -o "StrictHostKeyChecking=$mode" -o CheckHostIP=no \
    -o UpdateHostKeys=no -o HashKnownHosts=no -o ConnectTimeout=30 \
    -p "$port" "relayop@$host" true 2>&1 >/dev/null </dev/null) || rc=$?
if [ $rc -eq 0 ]; then v=accept
elif grep -q 'Host key verification failed' <<<"$err"; then v=refuse
else v="error:$rc:$(tr '\n' ' ' <<<"$err")"; fi
echo "$v" >"$d/verdict"
END

# the lines a run added to DIR/known_hosts, as "name type key"
added() { tail -n +"$(($(cat "$1/before") + 1))" "$1/known_hosts" | awk '{print $1" "$2" "$3}'; }

# prepare N MODE WHO: the row's files in $tmp/rN-MODE-WHO
prepare() {
    local what host port user global ws wn d=$tmp/r$1-$2-$3
    IFS='|' read -r what host port user global ws wn <<<"${ROWS[$1]}"
    rm -rf "$d"; mkdir -p "$d"
    expand "$user" >"$d/known_hosts"
    wc -l <"$d/known_hosts" >"$d/before"
    [[ -n $global && $global != default ]] && expand "$global" >"$d/global"
    return 0
}

# run_batch MODE ROW...: ssh and relaytop verdicts of the rows, in one
# relaytop run (a [rowN] section each) and parallel ssh runs
run_batch() {
    local mode=$1 i what host port user global ws wn d g try out extra=() todo
    shift
    [[ $mode == accept-new ]] && extra=(--accept-new)
    for i in "$@"; do prepare "$i" "$mode" ssh; prepare "$i" "$mode" rt; done
    {
        for i in "$@"; do
            IFS='|' read -r what host port user global ws wn <<<"${ROWS[$i]}"
            g=/dev/null
            [[ $global == default ]] && g=default
            [[ -n $global && $global != default ]] && g=$tmp/r$i-$mode-ssh/global
            echo "bash $tmp/ssh-one $mode $tmp/r$i-$mode-ssh '$host' $port $g &"
        done
        echo wait
    } | lab_console bash
    todo=("$@")
    for try in 1 2; do	# a probe may miss its deadline on a busy machine
        {
            echo "[defaults]"
            echo "user = relayop"
            echo "identity = /etc/relaytop-lab/id_ed25519"
            echo "sudo = yes"
            echo "timeout = 30"
            for i in "${todo[@]}"; do
                IFS='|' read -r what host port user global ws wn <<<"${ROWS[$i]}"
                d=$tmp/r$i-$mode-rt
                echo "[row$i]"
                echo "address = $host"
                echo "port = $port"
                echo "role = relay"
                echo "known_hosts = $d/known_hosts"
                [[ -n $global && $global != default ]] &&
                    echo "global_known_hosts = $d/global"
            done
        } >"$tmp/hosts-$mode.ini"
        out=$(lab_console env XDG_STATE_HOME="$tmp/state-$mode" "$RT" \
            --hosts "$tmp/hosts-$mode.ini" --once "${extra[@]}" 2>&1) || true
        printf '%s\n' "$out" >>"$tmp/rt-$mode.out"
        local again=()
        for i in "${todo[@]}"; do
            d=$tmp/r$i-$mode-rt
            if grep -Eq "^row$i +relay +\S+ +hostkey-" <<<"$out"; then echo refuse >"$d/verdict"
            elif grep -Eq "^row$i +relay +\S+ +up " <<<"$out"; then echo accept >"$d/verdict"
            else
                echo "error: $(grep -E "^row$i " <<<"$out" | head -1)" >"$d/verdict"
                again+=("$i")
                prepare "$i" "$mode" rt
            fi
        done
        ((${#again[@]})) || break
        todo=("${again[@]}")
    done
}

# pass MODE ROW...: the rows in batches of up to 8 (sshd's MaxStartups
# begins dropping at 10); the row that fills the console's
# /etc/ssh/ssh_known_hosts goes alone
pass() {
    local mode=$1 i what host port user global ws wn batch=()
    shift
    for i in "$@"; do
        IFS='|' read -r what host port user global ws wn <<<"${ROWS[$i]}"
        if [[ $global == default ]]; then
            expand "$global_default" | lab_console sh -c 'cat >/etc/ssh/ssh_known_hosts'
            run_batch "$mode" "$i"
            lab_console rm -f /etc/ssh/ssh_known_hosts
            continue
        fi
        batch+=("$i")
        ((${#batch[@]} < 8)) || { run_batch "$mode" "${batch[@]}"; batch=(); }
    done
    ((${#batch[@]} == 0)) || run_batch "$mode" "${batch[@]}"
}
pass yes "${!ROWS[@]}"
# accept-new differs from strict only for a key that is not known: a row
# both sides accept under strict is accepted alike (and not run again)
again=()
for i in "${!ROWS[@]}"; do
    if [[ $(cat "$tmp/r$i-yes-ssh/verdict") == accept &&
        $(cat "$tmp/r$i-yes-rt/verdict") == accept ]]; then
        for who in ssh rt; do
            prepare "$i" accept-new "$who"
            echo accept >"$tmp/r$i-accept-new-$who/verdict"
        done
    else
        again+=("$i")
    fi
done
pass accept-new "${again[@]}"

fails=()
for i in "${!ROWS[@]}"; do
    IFS='|' read -r what host port user global want_strict want_new <<<"${ROWS[$i]}"
    for mode in yes accept-new; do
        for who in ssh rt; do
            d=$tmp/r$i-$mode-$who
            v=$(cat "$d/verdict" 2>/dev/null || echo "error: no verdict")
            a=$(added "$d")
            [[ $v == accept && -n $a ]] && v=added
            printf -v "v_$who" '%s' "$v"
            printf -v "a_$who" '%s' "$a"
        done
        want=$want_strict
        [[ $mode == accept-new ]] && want=$want_new
        line="row$i ($what, $mode): ssh $v_ssh, relaytop $v_rt"
        echo "$line"
        if [[ $want == deviation:* ]]; then
            [[ $v_ssh == "${want#deviation:}" && $v_rt == refuse ]] ||
                fails+=("$line (want ssh ${want#deviation:}, relaytop refuse)")
            continue
        fi
        [[ $v_ssh == "$want" ]] || fails+=("$line: ssh is not '$want' (table wrong?)")
        [[ $v_rt == "$v_ssh" ]] || fails+=("$line: relaytop differs from ssh")
        if [[ $v_rt == added ]]; then
            [[ $a_rt == "$a_ssh" ]] || fails+=("$line: added '$a_rt', ssh added '$a_ssh'")
            # accept-new says what it added: on screen and in the action log
            fp=$(awk '{print $2" "$3}' <<<"$a_rt" | ssh-keygen -lf - | awk '{print $2}')
            d=$tmp/r$i-$mode-rt
            grep -Fq "row$i ($host): accept-new: added ${a_rt% *} $fp to $d/known_hosts" \
                "$tmp/rt-$mode.out" || fails+=("$line: no 'added ... $fp' notice")
            grep -Fq " row$i accept-new ${a_rt% *}: added $fp to $d/known_hosts" \
                "$tmp/state-$mode/relaytop/actions.log" 2>/dev/null ||
                fails+=("$line: no action-log line for the added key")
        fi
    done
done
((${#fails[@]} == 0)) || t_fail "$(printf '\n  %s' "${fails[@]}")"
t_ok
