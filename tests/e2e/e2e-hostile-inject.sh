#!/bin/bash
# e2e-hostile-inject: hosts.ini values built to run a command on the remote
# shell (address, maillog, postfix_config, user, test_to, identity and
# known_hosts too). Each is either refused by the loader (exit 2, a message
# naming the key) or, when accepted, used quoted: after --once (and
# --test-send for test_to) with every accepted value, the marker files the
# injections would create exist nowhere (/tmp and /home/relayop are shared by
# the console and every lab host, and each host's /var/tmp is checked).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin hostile-inject
tmp_ini; d=$T_DIR
M=/tmp/rt-pwned-$$
t_cleanup "rm -f $M-*"
# relay-d's maillog = /var/log/mail+log@x:y.z is outside the sudo rule: sudo
# refuses and mails root, mail that stays deferred on relay-d: empty it
t_cleanup "sleep 1; scenario purge d >/dev/null"
rm -f "$M"-*

# KEY<TAB>VALUE; every value would create $M-N if a shell ran it.
# One inventory per value (relay-d's KEY replaced), all run in one
# console-namespace shell: exit status and stderr of --json per value.
cat >"$d/values" <<'VALUES'
address	172.16.1.12;touch @M@
address	$(touch @M@)
address	`touch @M@`
address	172.16.1.12 -oProxyCommand=touch@M@
maillog	/var/log/maillog;touch @M@
maillog	/var/log/$(touch @M@)
maillog	/var/log/maillog'$(touch @M@)'
maillog	/var/log/`touch @M@`
maillog	/var/log/mail log|touch @M@
postfix_config	/etc/postfix;touch @M@
postfix_config	/etc/$(touch @M@)
postfix_config	/etc/postfix' ; touch @M@ ; '
postfix_config	/etc/postfix"$(touch @M@)"
user	relayop;touch @M@
user	$(touch @M@)
user	relayop'`touch @M@`'
test_to	probe@dest.example;touch @M@
test_to	probe@dest.example$(touch @M@)
test_to	probe@dest.example`touch @M@`
test_to	-bv probe@dest.example
test_to	probe@dest.example' ; touch @M@ ; '
test_to	"probe;touch @M@"@dest.example
identity	/etc/relaytop-lab/id_ed25519;touch @M@
known_hosts	/etc/relaytop-lab/known_hosts$(touch @M@)
maillog	/var/log/mail+log@x:y.z
test_to	probe+x.y@dest.example
VALUES
python3 - "$LAB_INI" "$d" "$M" <<'PY'
import sys
lab, d, m = sys.argv[1:4]
base = open(lab).read().rstrip("\n").split("\n")
for n, l in enumerate(open(d + "/values").read().splitlines(), 1):
    key, val = l.split("\t", 1)
    val = val.replace("@M@", "%s-%d" % (m, n))
    out, sec = [], None
    for b in base:
        s = b.strip()
        if s.startswith("["):
            sec = s
        elif sec == "[relay-d]" and s.split("=")[0].strip() == key:
            continue
        elif s.startswith("timeout"):
            b = "timeout = 20"
        out.append(b)
    out.append("%s = %s" % (key, val))
    open("%s/inj-%d.ini" % (d, n), "w").write("\n".join(out) + "\n")
    open("%s/key-%d" % (d, n), "w").write(key)
PY
n=$(grep -c . "$d/values")
lab_console bash -c '
cd "$1"; n=$2; rt=$3
for ((i = 1; i <= n; i++)); do
    rc=0; "$rt" --hosts inj-$i.ini --json >out-$i 2>err-$i || rc=$?
    echo $rc >rc-$i
    if ((rc != 2)) && [[ $(cat key-$i) == test_to ]]; then
        "$rt" --hosts inj-$i.ini --test-send origin-a --timeout 5 >/dev/null 2>&1 || true
    fi
done' _ "$d" "$n" "$RT"
refused=0 accepted=()
for ((i = 1; i <= n; i++)); do
    key=$(cat "$d/key-$i") rc=$(cat "$d/rc-$i")
    line=$(grep -E "^$key = " "$d/inj-$i.ini" | tail -n1)
    if ((rc == 2)); then
        refused=$((refused + 1))
        grep -qE "bad $key '" "$d/err-$i" ||
            t_fail "refused $line without a clear error: $(cat "$d/err-$i")"
        echo "refused  $line: $(head -n1 "$d/err-$i")"
    elif ((rc == 0 || rc == 1)); then
        accepted+=("$i")
        echo "accepted $line (exit $rc)"
    else
        t_fail "$line: relaytop did not run properly (exit $rc): $(head -c 300 "$d/err-$i")"
    fi
done
echo "$refused refused, ${#accepted[@]} accepted of $n"
((n >= 20)) || t_fail "value list not read"
# nothing ran: no marker anywhere
found=$(ls -d "$M"-* 2>/dev/null || true)
for h in a b c d; do
    found+=$(lab_exec "$h" sh -c "ls -d $M-* /var/tmp/rt-pwned-$$-* 2>/dev/null" || true)
done
[[ -z $found ]] || t_fail "an injection ran: $found"
# the refusals are the rule for shell metacharacters in paths and names
((refused >= n - 6)) || t_fail "only $refused of $n hostile values refused"
t_ok
