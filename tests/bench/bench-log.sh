#!/bin/sh
# bench-log.sh: times `relaytop --log` against `grep -c status=` on a big
# generated maillog (default 1 GiB) and against pflogsumm on a smaller cut
# (default 100 MiB; pflogsumm is slow). Files live in $TMPDIR, never in the
# repository. Prints best and median of RUNS runs (wall s, CPU s, max RSS).
# Usage: tests/bench/bench-log.sh [BIG_SIZE [SMALL_SIZE [RUNS]]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
big=${1:-1G}; small=${2:-100M}; runs=${3:-5}
tmp=${TMPDIR:-/tmp}
bigf=$tmp/relaytop-bench-$big.q2.log
smallf=$tmp/relaytop-bench-$small.q2.log
relaytop=${RELAYTOP:-$top/relaytop}

[ -x "$relaytop" ] || { echo "bench: build ./relaytop first" >&2; exit 2; }
[ -s "$bigf" ] || "$here/gen-maillog" --bytes "$big" --seed 7 >"$bigf"
[ -s "$smallf" ] || "$here/gen-maillog" --bytes "$small" --seed 7 >"$smallf"

# One measurement: prints "wall cpu maxrss_kb". Output goes to a file, not
# /dev/null: GNU grep stops at the first match when it sees /dev/null.
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/relaytop-bench.t" "$@" \
	    >"$tmp/relaytop-bench.out" 2>&1 || true
	awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' "$tmp/relaytop-bench.t"
}

# Runs a command RUNS times; prints "best_wall median_wall best_cpu rss".
series() {
	n=$1; shift
	i=0
	while [ "$i" -lt "$n" ]; do measure "$@"; i=$((i + 1)); done |
	    sort -n | awk '{ w[NR] = $1; c[NR] = $2; r = $3 > r ? $3 : r }
	    END { m = w[int((NR + 1) / 2)]; bc = c[1];
	          for (i = 1; i <= NR; i++) if (c[i] < bc) bc = c[i];
	          printf "%.3f %.3f %.3f %d\n", w[1], m, bc, r }'
}

cat "$bigf" "$smallf" >/dev/null	# warm the page cache
echo "bench: $(wc -c <"$bigf") bytes, $(grep -c '' "$bigf") lines; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s %9s %9s %9s\n' "command" "best s" "median s" "cpu s" "rss KB"
g=$(series "$runs" grep -c status= "$bigf")
r=$(series "$runs" "$relaytop" --log "$bigf")
printf '%-34s %9s %9s %9s %9s\n' "grep -c status= ($big)" $g
printf '%-34s %9s %9s %9s %9s\n' "relaytop --log ($big)" $r
rs=$(series "$runs" "$relaytop" --log "$smallf")
printf '%-34s %9s %9s %9s %9s\n' "relaytop --log ($small)" $rs
if command -v pflogsumm >/dev/null 2>&1; then
	p=$(series 1 pflogsumm "$smallf")
	printf '%-34s %9s %9s %9s %9s\n' "pflogsumm ($small)" $p
	echo "$p $rs" | awk '{ printf "relaytop vs pflogsumm (%s): %.0fx faster (wall), %.0fx (cpu)\n", "'"$small"'", $1 / $5, $3 / $7 }'
fi
echo "$g $r" | awk '{ printf "relaytop / grep (%s): %.2fx (best wall), %.2fx (median wall)\n", "'"$big"'", $5 / $1, $6 / $2 }'
