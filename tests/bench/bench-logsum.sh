#!/bin/bash
# tests/bench/bench-logsum.sh - `relaytop --log` against pflogsumm and the
# `grep -c status=` ceiling on seeded generated maillog (the parser
# engineer's tests/bench/gen-maillog; same idea as bench-log.sh, written
# into the results file). Files in /tmp/rtbench-log, cached between runs.
# Env: LOG_SIZE (1G), LOG_SMALL (256M, the second size for peak memory),
# PFLOG_SLICE (32M: pflogsumm is slow, run on a slice and scaled), RUNS (3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
LOG_SIZE=${LOG_SIZE:-1G}
LOG_SMALL=${LOG_SMALL:-256M}
PFLOG_SLICE=${PFLOG_SLICE:-32M}
RUNS=${RUNS:-3}
D=/tmp/rtbench-log
SEC="log summary"
mkdir -p "$D"
bytes() { numfmt --from=iec "$1"; }

big=$D/maillog-$LOG_SIZE.q2.log
if [[ ! -s $big ]]; then
	note "generating $LOG_SIZE of maillog (seed 7) into $big"
	"$BENCH_DIR/gen-maillog" --bytes "$LOG_SIZE" --seed 7 >"$big.tmp"
	mv "$big.tmp" "$big"
fi
# The smaller sizes are prefixes of the big file, cut at a line end.
cut_prefix() {	# SIZE FILE
	[[ -s $2 ]] && return 0
	head -c "$(bytes "$1")" "$big" | sed '$d' >"$2.tmp"; mv "$2.tmp" "$2"
}
small=$D/maillog-$LOG_SMALL.q2.log; cut_prefix "$LOG_SMALL" "$small"
slice=$D/maillog-$PFLOG_SLICE.q2.log; cut_prefix "$PFLOG_SLICE" "$slice"
cat "$big" "$small" "$slice" >/dev/null	# page cache warm for everyone
sz_big=$(stat -c %s "$big"); sz_small=$(stat -c %s "$small"); sz_slice=$(stat -c %s "$slice")

series() {	# RUNS CMD... -> "median run1 run2 ..." (ms)
	local n=$1 r v=(); shift
	for ((r = 0; r < n; r++)); do v+=("$(time_ms "$@" || true)"); done
	echo "$(median "${v[@]}") ${v[*]}"
}
RT=$TOP/relaytop
"$RT" --log "$slice" >/dev/null || { note "relaytop --log failed"; exit 1; }
read -r g gl <<<"$(series "$RUNS" grep -c status= "$big")"
emit "$SEC" "grep -c status= ($LOG_SIZE)" "$g" ms "median of $RUNS; runs $gl" "grep -c status= $big"
read -r r rl <<<"$(series "$RUNS" "$RT" --log "$big")"
emit "$SEC" "relaytop --log ($LOG_SIZE)" "$r" ms "median of $RUNS; runs $rl; $((sz_big / 1048576)) MiB" "./relaytop --log $big"
read -r rs rsl <<<"$(series "$RUNS" "$RT" --log "$slice")"
emit "$SEC" "relaytop --log ($PFLOG_SLICE slice)" "$rs" ms "median of $RUNS; runs $rsl" "./relaytop --log $slice"
read -r p pl <<<"$(series "$RUNS" pflogsumm "$slice")"
emit "$SEC" "pflogsumm ($PFLOG_SLICE slice)" "$p" ms "median of $RUNS; runs $pl" "pflogsumm $slice"
pscaled=$(awk -v p="$p" -v a="$sz_big" -v b="$sz_slice" 'BEGIN { printf "%.0f", p * a / b }')
emit "$SEC" "pflogsumm ($LOG_SIZE, scaled linearly from the slice)" "$pscaled" ms \
    "slice median x $sz_big / $sz_slice bytes" "(derived)"
emit "$SEC" "ratio pflogsumm / relaytop, same slice (target >= 50)" "$(ratio "$p" "$rs")" x "" "(derived)"
emit "$SEC" "ratio pflogsumm scaled / relaytop, $LOG_SIZE (target >= 50)" "$(ratio "$pscaled" "$r")" x "" "(derived)"
emit "$SEC" "ratio relaytop / grep, $LOG_SIZE (target <= 1.5)" "$(ratio "$r" "$g" 2)" x "" "(derived)"
# Peak memory at two sizes: it must not grow with the file.
for f in "$slice" "$small" "$big"; do
	kb=$(maxrss_kb "$RT" --log "$f")
	emit "$SEC" "relaytop --log max RSS ($(($(stat -c %s "$f") / 1048576)) MiB file)" "$kb" KiB \
	    "/usr/bin/time -v" "/usr/bin/time -v ./relaytop --log $f"
done
kb=$(maxrss_kb pflogsumm "$slice")
emit "$SEC" "pflogsumm max RSS ($((sz_slice / 1048576)) MiB file)" "$kb" KiB "/usr/bin/time -v" "/usr/bin/time -v pflogsumm $slice"
