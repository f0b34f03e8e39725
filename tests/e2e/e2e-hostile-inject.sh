#!/bin/bash
# e2e-hostile-inject: hosts.ini values built to run a command on a shell
# (address, maillog, postfix_config, user, test_to, identity, known_hosts)
# and a few odd but valid ones. Each value's outcome is listed and checked
# exactly:
#   refused   the loader exits 2 with "bad KEY '...'" on stderr;
#   accepted  relaytop runs and uses the value literally.
# Every value but test_to goes into [relay-d] and is read by --once --json;
# a test_to goes into [origin-a], where `--test-send origin-a` (no --to)
# reads it: refused, nothing is sent and nothing logged; accepted, the mail
# is delivered to exactly that address (origin-a's maillog) and the action
# log records exactly that address. After all runs the marker files the
# injections would create exist on no host (/tmp and /home/relayop are
# shared by the console and every lab host, each host's /var/tmp is its own).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin hostile-inject
tmp_ini; d=$T_DIR
M=/tmp/rt-pwned-$$
ALOG=/run/relaytop-lab/$LAB/a/log/maillog
t_cleanup "rm -f $M-*"
# relay-d's maillog = /var/log/mail+log@x:y.z is outside the sudo rule: sudo
# refuses and mails root, mail that stays deferred on relay-d: empty it
t_cleanup "sleep 1; scenario purge d >/dev/null"
rm -f "$M"-*

# OUTCOME<TAB>KEY<TAB>VALUE; @M@ becomes a marker file of its own per value
cat >"$d/values" <<'VALUES'
refused	address	172.16.1.12;touch @M@
refused	address	$(touch @M@)
refused	address	`touch @M@`
refused	address	172.16.1.12 -oProxyCommand=touch@M@
refused	address	-oProxyCommand=touch@M@
refused	maillog	/var/log/maillog;touch @M@
refused	maillog	/var/log/$(touch @M@)
refused	maillog	/var/log/maillog'$(touch @M@)'
refused	maillog	/var/log/`touch @M@`
refused	maillog	/var/log/mail log|touch @M@
refused	postfix_config	/etc/postfix;touch @M@
refused	postfix_config	/etc/$(touch @M@)
refused	postfix_config	/etc/postfix' ; touch @M@ ; '
refused	postfix_config	/etc/postfix"$(touch @M@)"
refused	user	relayop;touch @M@
refused	user	$(touch @M@)
refused	user	relayop'`touch @M@`'
refused	test_to	probe@dest.example;touch @M@
refused	test_to	probe@dest.example$(touch @M@)
refused	test_to	probe@dest.example`touch @M@`
refused	test_to	-bv probe@dest.example
refused	test_to	-bv@dest.example
refused	test_to	probe@dest.example' ; touch @M@ ; '
refused	test_to	"probe;touch @M@"@dest.example
refused	identity	/etc/relaytop-lab/id_ed25519;touch @M@
refused	known_hosts	/etc/relaytop-lab/known_hosts$(touch @M@)
accepted	maillog	/var/log/mail+log@x:y.z
accepted	maillog	/var/log/-n
accepted	postfix_config	/etc/po+stfix@x:y
accepted	test_to	probe+x.y@dest.example
accepted	test_to	a-b_c=d@dest.example
VALUES
python3 - "$LAB_INI" "$d" "$M" <<'PY'
import sys
lab, d, m = sys.argv[1:4]
base = open(lab).read().rstrip("\n").split("\n")
for n, l in enumerate(open(d + "/values").read().splitlines(), 1):
    want, key, val = l.split("\t", 2)
    val = val.replace("@M@", "%s-%d" % (m, n))
    sect = "[origin-a]" if key == "test_to" else "[relay-d]"
    out, sec = [], None
    for b in base:
        s = b.strip()
        if s.startswith("["):
            if sec == sect:
                out.append("%s = %s" % (key, val))
            sec = s
        elif sec == sect and s.split("=")[0].strip() == key:
            continue
        elif s.startswith("timeout"):
            b = "timeout = 20"
        out.append(b)
    if sec == sect:
        out.append("%s = %s" % (key, val))
    open("%s/inj-%d.ini" % (d, n), "w").write("\n".join(out) + "\n")
    open("%s/key-%d" % (d, n), "w").write(key)
    open("%s/want-%d" % (d, n), "w").write(want)
    open("%s/val-%d" % (d, n), "w").write(val)
PY
n=$(grep -c . "$d/values")
((n == 31)) || t_fail "value list not read ($n values)"
sent0=$(grep -ac 'message-id=<relaytop-' "$ALOG" || true)
# one console-namespace shell: per value, exit status, stdout and stderr;
# test_to values by --test-send origin-a with an action log of their own
lab_console bash -c '
cd "$1"; n=$2; rt=$3
for ((i = 1; i <= n; i++)); do
    rc=0
    if [[ $(cat key-$i) == test_to ]]; then
        XDG_STATE_HOME=$PWD/state-$i "$rt" --hosts inj-$i.ini --test-send origin-a \
            --timeout 40 >out-$i 2>err-$i || rc=$?
    else
        "$rt" --hosts inj-$i.ini --json >out-$i 2>err-$i || rc=$?
    fi
    echo $rc >rc-$i
done' _ "$d" "$n" "$RT"

refused=0 accepted=0 sends=0
for ((i = 1; i <= n; i++)); do
    key=$(cat "$d/key-$i") rc=$(cat "$d/rc-$i") want=$(cat "$d/want-$i") val=$(cat "$d/val-$i")
    what="#$i $key = $val"
    san_check "$d/err-$i" "$what"
    if [[ $want == refused ]]; then
        assert_eq "$rc" 2 "$what: exit status (want refused); stderr: $(head -c 300 "$d/err-$i")"
        grep -qE "bad $key '" "$d/err-$i" ||
            t_fail "$what: refused without a clear error: $(cat "$d/err-$i")"
        [[ ! -e $d/state-$i/relaytop/actions.log ]] ||
            t_fail "$what: refused, but the action log has: $(cat "$d/state-$i/relaytop/actions.log")"
        refused=$((refused + 1))
        echo "refused  $what: $(head -n1 "$d/err-$i")"
        continue
    fi
    accepted=$((accepted + 1))
    if [[ $key == test_to ]]; then
        # delivered to exactly that address, and the action log says so
        sends=$((sends + 1))
        assert_eq "$rc" 0 "$what: --test-send exit status: $(cat "$d/out-$i" "$d/err-$i")"
        tok=$(sed -nE 's/^test mail (relaytop-[0-9]+-[0-9a-f]{16}) from origin-a .*/\1/p' "$d/out-$i")
        [[ -n $tok ]] || t_fail "$what: no token in: $(cat "$d/out-$i")"
        assert_match "$(head -n1 "$d/out-$i")" "to <${val//+/\\+}>: delivered" "$what: trace"
        id=$(log_queue_id a "message-id=<$tok@relaytop>" 5) || t_fail "$what: $tok not in origin-a's log"
        assert_match "$(grep -aF "$id: to=<" "$ALOG")" "$id: to=<${val//+/\\+}>, .*status=sent" "$what: origin-a's maillog"
        log=$(cat "$d/state-$i/relaytop/actions.log" 2>/dev/null) || t_fail "$what: no action log"
        # exactly: submitted, then delivered, both naming this address
        assert_eq "$(grep -c . <<<"$log")" 2 "$what: action log lines: $log"
        grep -qF "origin-a test-send to=$val token=$tok: submitted" <<<"$(sed -n 1p <<<"$log")" ||
            t_fail "$what: the action log does not show what was submitted: $log"
        grep -qF "origin-a test-send to=$val token=$tok: delivered: " <<<"$(sed -n 2p <<<"$log")" ||
            t_fail "$what: the action log does not show the delivery: $log"
    else
        # relay-d read the literal value: it names it, the others are up
        ((rc == 0 || rc == 1)) || t_fail "$what: --json exit $rc: $(head -c 300 "$d/err-$i")"
        python3 - "$d/out-$i" "$key" "$val" <<'PY' || t_fail "$what: --json: $(cat "$d/out-$i" | head -c 600)"
import json, sys
d = json.load(open(sys.argv[1]))
key, val = sys.argv[2:4]
h = {x["name"]: x for x in d["hosts"]}
for o in ("origin-a", "origin-b", "relay-c"):
    assert h[o]["answered"], o
r = h["relay-d"]
assert r["answered"], r["state_message"]
assert val in r["problem_message"], (key, val, r["problem_message"])
PY
    fi
    echo "accepted $what: exit $rc"
done
echo "$refused refused, $accepted accepted of $n"
assert_eq "$((refused + accepted))" "$n" "values checked"
# refused test_to values sent nothing: only the accepted ones' mails
assert_eq "$(($(grep -ac 'message-id=<relaytop-' "$ALOG" || true) - sent0))" "$sends" "test mails submitted"
# nothing ran: no marker anywhere
found=$(ls -d "$M"-* /home/relayop/rt-pwned-* 2>/dev/null || true)
for h in a b c d; do
    found+=$(lab_exec "$h" sh -c "ls -d $M-* /var/tmp/rt-pwned-$$-* 2>/dev/null" || true)
done
[[ -z $found ]] || t_fail "an injection ran: $found"
t_ok
