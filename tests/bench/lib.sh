# tests/bench/lib.sh - shared helpers of the bench scripts (sourced): clock,
# medians, the results file (one TSV row per figure: section, label, value,
# unit, detail, command) that tests/bench/run turns into BENCHMARKS.md.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_DIR/../.." && pwd)
RESULTS=${RESULTS:-/tmp/rtbench-results.tsv}
BUILD_BENCH=$TOP/build/bench
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

now_ms() { echo $(($(date +%s%N) / 1000000)); }
note() { echo "bench: $*" >&2; }

# median V...: median of numbers (mean of the middle two for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { if (NR == 0) { print "NaN"; exit }
	          if (NR % 2) print v[(NR + 1) / 2];
	          else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B [DIGITS]: A / B.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.*f\n", d, a / b }'; }

# emit SECTION LABEL VALUE UNIT DETAIL COMMAND: one figure into RESULTS.
emit() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$RESULTS"
	note "$1: $2 = $3 $4 ($5)"
}

# time_ms CMD...: wall milliseconds of CMD (stdout/stderr to /dev/null);
# fails when CMD fails.
# Output goes to a file, not /dev/null: GNU grep stops at the first match
# when its standard output is /dev/null, which would time nothing.
time_ms() {
	local t0 rc=0
	t0=$(now_ms)
	"$@" >"${TMPDIR:-/tmp}/rtbench-out.$$" 2>&1 || rc=$?
	echo $(($(now_ms) - t0))
	return "$rc"
}

# driver_parts NAME: the sources of driver NAME besides NAME.c, for a
# driver split by concern into files of its own (file names under
# tests/bench/, one a line; none for a driver of one file).
driver_parts() {
	case $1 in
	bench-metrics)
		printf '%s\n' bench-metrics-util.c bench-metrics-gen.c \
		    bench-metrics-body.c bench-metrics-serve.c \
		    bench-metrics-turns.c ;;
	esac
}

# build_driver NAME [extra objects...]: compile tests/bench/NAME.c and its
# parts (driver_parts) against build/librelaytop.a (the Makefile's flags)
# into build/bench/NAME.
# DRIVER_LIB, DRIVER_OUT: another library, another output name.
build_driver() {
	local name=$1; shift
	local cf libs part srcs=("$BENCH_DIR/$name.c")
	while read -r part; do
		srcs+=("$BENCH_DIR/$part")
	done < <(driver_parts "$name")
	cf="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter -O2 -g -I$TOP/include $(pkg-config --cflags ncursesw libssh2 inih jansson libcrypto libmicrohttpd zlib)"
	libs="$(pkg-config --libs ncursesw libssh2 inih jansson libcrypto libmicrohttpd zlib) -lpthread -lm -lcrypt"
	mkdir -p "$BUILD_BENCH"
	# shellcheck disable=SC2086
	cc $cf -o "$BUILD_BENCH/${DRIVER_OUT:-$name}" "${srcs[@]}" "$@" "${DRIVER_LIB:-$TOP/build/librelaytop.a}" $libs
}

# driver_ready NAME [extra objects...]: the core library and relaytop (whose
# console objects some drivers link) made first, then build_driver: the
# preamble of the drivers' scripts (bench-metrics, bench-model,
# bench-queue-view), which then run the driver into $out a run and read it
# with kv.
driver_ready() {
	make -C "$TOP" --no-print-directory -s relaytop build/librelaytop.a >/dev/null
	build_driver "$@"
}

# kv KEY: the value of the driver's "KEY=value" line in $out. (A script
# whose results are laid out otherwise defines its own kv after this.)
kv() { sed -n "s/^$1=//p" <<<"$out"; }

# maxrss_kb CMD...: peak RSS (KiB) of CMD per /usr/bin/time -v.
maxrss_kb() {
	/usr/bin/time -v -o /tmp/rtbench-time.$$ "$@" >/dev/null 2>&1 || true
	awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' /tmp/rtbench-time.$$
}

# cpu_split CMD...: "WALL_MS CLIENT_CPU_MS MACHINE_CPU_MS" of one run of CMD:
# the CPU (user + system) of CMD and the children it waited for, per
# /usr/bin/time, and the busy CPU of the whole machine (/proc/stat) over the
# run, which includes the hosts' sshd and commands when they share it.
# Fails (after printing) when CMD fails.
cpu_split() {
	local b0 b1 t0 t1 c rc=0
	b0=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
	t0=$(now_ms)
	/usr/bin/time -f '%U %S' -o /tmp/rtbench-cpu.txt "$@" >/tmp/rtbench-cpu.out 2>&1 || rc=$?
	t1=$(now_ms)
	b1=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
	c=$(awk 'END { printf "%.0f", ($1 + $2) * 1000 }' /tmp/rtbench-cpu.txt)
	echo "$((t1 - t0)) $c $(((b1 - b0) * 1000 / $(getconf CLK_TCK)))"
	return "$rc"
}
