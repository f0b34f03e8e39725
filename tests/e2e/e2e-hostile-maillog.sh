#!/bin/bash
# e2e-hostile-maillog: Postfix-looking lines carrying an OSC title, a clear
# screen, C0/C1 controls, DEL, NUL bytes, invalid UTF-8, and a 1 MB line are
# appended to origin-a's maillog (removed again in place afterwards).
# Console (tmux): the lines show as inert text with '?', what relaytop writes
# to its terminal (recorded with tmux pipe-pane) holds none of their raw
# bytes, the pane title is unchanged, the screen not cleared, and relaytop's
# peak memory (VmHWM) stays
# under 64 MB (a 1 MB log cap per refresh, 2000 events per host).
# --once --json: valid JSON (python3 json), valid UTF-8, no raw control byte.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
t_begin hostile-maillog
HWM_MAX_KB=$((64 * 1024))
qid=$(fake_qid)

rt_start 160 45 "$LAB_INI"
wait_screen '^.origin-a +up' 30 || fail_screen "origin-a never came up"
tm select-pane -t rt -T clean-title
# every byte the program writes from now on (searched below)
RAW=/tmp/rt-hostile-$LAB-$$.raw
t_cleanup "rm -f '$RAW'"
: >"$RAW"
tm pipe-pane -t rt -o "cat >>'$RAW'"

t_cleanup "lab_exec a sh -c 'f=/var/log/maillog; grep -a -v -- $qid \$f >\$f.rt-h; cat \$f.rt-h >\$f; rm -f \$f.rt-h'"
lab_exec a python3 - "$qid" <<'PY'
import sys, time
q = sys.argv[1].encode()
ts = time.strftime("%b %d %H:%M:%S").encode()
pre = ts + b" mail-a postfix/smtp[4242]: " + q + b": to=<evil@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred ("
lines = [
    pre + b"D mega " + b"M" * (1024 * 1024) + b")",
    pre + b"A\x1b]0;pwned\x07 \x1b[2J\x1b[H\x1b[31mred\x1b[0m)",
    pre + b"B nul\x00byte \x01\x02\x08\x0b\x0c\r\x7f c1\xc2\x9b31m \x9b)",
    pre + b"C bad utf8 \xff\xfe \xc3( \xe2\x82 \xf4\x90\x80\x80 \xed\xa0\x80)",
    ts + b" mail-a postfix/qmgr[4243]: " + q + b": from=<\x1b]2;t2\x07x@example.jp>, size=1, nrcpt=1 (queue active)",
]
with open("/var/log/maillog", "ab") as f:
    f.write(b"\n".join(lines) + b"\n")
PY

tm send-keys -t rt l / "$qid" Enter
wait_screen "$qid +deferred +to=<evil@dest\.example>" 60 || fail_screen "the hostile lines never show"
sleep 3 # a few refreshes with the hostile log in the window
s=$(screen)
assert_match "$(grep -F "$qid" <<<"$s")" '\?\]0;pwned\? \?\[2J\?\[H\?\[31mred' "escapes not shown as inert text"
assert_match "$(grep -F "$qid" <<<"$s")" 'B nul\?byte' "NUL not shown as '?'"
assert_match "$(grep -F "$qid" <<<"$s")" 'C bad utf8 \?' "invalid UTF-8 not shown as '?'"
tm pipe-pane -t rt
# the recording holds the lines as drawn and none of their raw bytes
python3 - "$RAW" <<'PY' || t_fail "relaytop wrote raw hostile bytes to the terminal"
import sys
b = open(sys.argv[1], "rb").read()
assert b"?]0;pwned?" in b, "the recording lacks the drawn lines (%d bytes)" % len(b)
for x in (b"\x07", b"\x00", b"\x1b]0;pwned", b"\x1b]2;t2", b"\x1b[2J\x1b[H\x1b[31mred",
          b"\x1b[31mred", b"\xc2\x9b", b"\xff\xfe", b"nul\x00byte"):
    assert x not in b, "raw %r in what relaytop wrote" % x
print("recording ok:", len(b), "bytes")
PY
assert_eq "$(tm display-message -p -t rt '#{pane_title}')" clean-title "pane title changed"
assert_match "$s" '^ relaytop ' "header gone: the screen was cleared"
pid=$(rt_pid) || fail_screen "relaytop died"
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
echo "VmHWM ${hwm} kB (bound ${HWM_MAX_KB} kB)"
((hwm < HWM_MAX_KB)) || t_fail "VmHWM ${hwm} kB over ${HWM_MAX_KB} kB"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 15 || fail_screen "q did not exit 0"

lab_console "$RT" --hosts "$LAB_INI" --once --json >"/tmp/rt-hostile-$$.json" 2>/dev/null || true
t_cleanup "rm -f /tmp/rt-hostile-$$.json"
python3 - "/tmp/rt-hostile-$$.json" "$qid" <<'PY' || t_fail "--json output unsafe"
import json, re, sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8")                     # strict: invalid UTF-8 raises
bad = [c for c in t if (ord(c) < 0x20 and c not in "\n") or 0x7f <= ord(c) < 0xa0]
assert not bad, "raw control characters: %r" % bad[:10]
d = json.loads(t)
a = [h for h in d["hosts"] if h["name"] == "origin-a"][0]
assert a["answered"], a["state_message"]
s = json.dumps(d, ensure_ascii=False)
for x in ("\x1b", "\x07", "\x00", "\x9b"):
    assert x not in s, repr(x)
evs = []
def walk(o):
    if isinstance(o, dict):
        if o.get("queue_id") == sys.argv[2]:
            evs.append(o)
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(d)
reasons = " | ".join(e.get("reason", "") for e in evs)
assert "?]0;pwned?" in reasons, "hostile events missing from --json: " + reasons[:300]
assert "nul?byte" in reasons and "bad utf8 ?" in reasons, reasons[:300]
print("json ok:", len(b), "bytes")
PY
t_ok
