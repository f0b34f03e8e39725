#!/bin/bash
# tests/bench/bench-journald.sh - the steady refresh of a journald host
# against a file host, on the lab (LAB; tests/lab/lab-up first; root):
# origin-a on a real journald (scenario journald a: Postfix logs only to
# the journal, maillog = auto finds it), origin-b on its file log, both
# quiet, both read through the lab's sudo rule. bench-refresh (the fleet
# loop of the console, sessions kept open) times K refreshes of one host
# at a time, ROUNDS rounds taking turns; then what the host pays for one
# journal read against the one stat of a steady refresh, timed with
# farm-bench as the operator. Prints key=value lines; puts the lab back.
# Usage: LAB=NAME [NOSTAMP=1] tests/bench/bench-journald.sh [K] [ROUNDS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
K=${1:-30} ROUNDS=${2:-3}
LABD=$TOP/tests/lab
[[ $(id -u) -eq 0 ]] || { note "must run as root"; exit 2; }
make -C "$TOP" --no-print-directory -s relaytop build/librelaytop.a
build_driver bench-refresh
# NOSTAMP=1: also the journald host as it was before the stamp (journalctl
# on every refresh): the library built with PROBE_JOURNAL_RECHECK_MS=0
if [[ ${NOSTAMP:-0} == 1 ]]; then
    make -C "$TOP" --no-print-directory -s BUILD=build-nostamp \
        CFLAGS=-DPROBE_JOURNAL_RECHECK_MS=0 build-nostamp/librelaytop.a
    DRIVER_LIB=$TOP/build-nostamp/librelaytop.a DRIVER_OUT=bench-refresh-nostamp build_driver bench-refresh
fi
work=$(mktemp -d /tmp/rtbench-jd.XXXXXX)
trap '"$LABD/scenario" journald a undo >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$LABD/scenario" journald a debian >/dev/null
for h in origin-a origin-b; do
    # (timeout 15: a refresh that misses the lab's 5 s on a loaded machine
    # is a late figure, not a failure)
    sed -n '1,/^\[origin-a\]/p' "$TOP/assets/lab/hosts.ini" | sed '$d; s/^timeout = .*/timeout = 15/' >"$work/$h.ini"
    sed -n "/^\[$h\]/,/^\$/p" "$TOP/assets/lab/hosts.ini" >>"$work/$h.ini"
done
one() { # one HOST [DRIVER [SERIES]]: bench-refresh of HOST's inventory, K refreshes
    local s=${3:-$1}
    "$LABD/lab-console" "$BUILD_BENCH/${2:-bench-refresh}" "$work/$1.ini" "$K" >"$work/out" ||
        { cat "$work/out" >&2; note "bench-refresh $1 failed"; exit 1; }
    grep -q '^answered=1$' "$work/out" || { cat "$work/out" >&2; note "$1 did not answer"; exit 1; }
    sed -n 's/^refresh_median_ms=//p' "$work/out" >>"$work/$s.ms"
    sed -n 's/^refresh_bytes_median=//p' "$work/out" >>"$work/$s.bytes"
}
med() { local v; mapfile -t v <"$1"; median "${v[@]}"; }
for ((r = 0; r < ROUNDS; r++)); do
    one origin-a; one origin-b
    if [[ ${NOSTAMP:-0} == 1 ]]; then one origin-a bench-refresh-nostamp nostamp; fi
done
if [[ ${NOSTAMP:-0} == 1 ]]; then
    echo "journal_nostamp_refresh_median_ms=$(med "$work/nostamp.ms")"
    echo "journal_nostamp_refresh_bytes=$(med "$work/nostamp.bytes")"
    echo "nostamp per-round medians: $(tr '\n' ' ' <"$work/nostamp.ms")"
fi
echo "journal_refresh_median_ms=$(med "$work/origin-a.ms")"
echo "file_refresh_median_ms=$(med "$work/origin-b.ms")"
echo "journal_refresh_bytes=$(med "$work/origin-a.bytes")"
echo "file_refresh_bytes=$(med "$work/origin-b.bytes")"
echo "rounds=$ROUNDS refreshes_per_round=$K (per-round medians: journal $(tr '\n' ' ' <"$work/origin-a.ms")/ file $(tr '\n' ' ' <"$work/origin-b.ms"))"
# what one journal read costs the host (the operator, through the rule)
# against the stat a steady refresh runs instead
mi=$(cat /etc/machine-id)
cur=$("$LABD/lab-exec" a journalctl --no-pager -q -o short --show-cursor -u 'postfix*' -n 1 | sed -n 's/^-- cursor: //p')
chmod 0755 "$work"
printf '%s\n' "sudo -n /usr/bin/journalctl --no-pager -q -o short --show-cursor -u 'postfix*' --cursor='$cur' >/dev/null" >"$work/jread.sh"
printf '%s\n' "stat -L -c %i.%s.%.9Y /var/log/journal/$mi/system.journal >/dev/null" >"$work/jstat.sh"
chmod 0644 "$work/jread.sh" "$work/jstat.sh"
farm-bench -n 10 --timeout 300 --vs "$LABD/lab-exec a su relayop -s /bin/sh -c 'sh $work/jstat.sh'" \
    -- "$LABD/lab-exec" a su relayop -s /bin/sh -c "sh $work/jread.sh" 2>&1 | sed 's/^/farm-bench: /'
