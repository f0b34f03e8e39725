#!/bin/sh
# Installs every package relaytop needs to build, test and run its lab, from
# Debian's archive (12 bookworm and 13 trixie). Names that differ between
# releases are chosen by what this one has (resolve). Idempotent and quick
# when all is present. --check only reports (exit 1 when something is missing).
set -eu

PKGS="build-essential pkg-config clang libncurses-dev libssh2-1-dev libinih-dev
libjansson-dev libcmocka-dev libssl-dev postfix openssh-server openssh-client
sudo nftables iproute2 tmux util-linux mount procps psmisc valgrind strace jq python3
mawk gawk busybox shellcheck libmicrohttpd-dev prometheus libcrypt-dev rsyslog logrotate systemd"
# the lab's TLS and SASL scenarios (tests/lab/scenario tls, sasl, smarthost)
PKGS="$PKGS openssl libsasl2-modules sasl2-bin"
# the lab's year's end on a fake clock (tests/lab/scenario year-end)
PKGS="$PKGS libfaketime"
# gzip /metrics bodies (src/serve-gzip.c)
PKGS="$PKGS zlib1g-dev"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# The version of NAME installed, else the one apt would install (needs apt's
# lists: apt-get update); nothing when neither.
pkg_version() {
	if installed "$1"; then
		dpkg-query -W -f='${Version}' "$1"
		return
	fi
	apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' |
	    grep -v '^(none)$' || true
}

# A Debian version's upstream major: "1:19.0-63" -> 19.
major() {
	sed -n 's/^\([0-9]*:\)\{0,1\}\([0-9][0-9]*\)[.~+-].*/\2/p'
}

# The major version of the clang installed, else of the one apt would
# install ("Debian clang version 19.1.7 ...", or the package's version).
clang_major() {
	v=""
	if command -v clang >/dev/null 2>&1; then
		v=$(clang --version 2>/dev/null |
		    sed -n 's/.*clang version \([0-9][0-9]*\)\..*/\1/p' | head -n 1)
	fi
	[ -n "$v" ] || v=$(pkg_version clang | major)
	echo "$v"
}

# Adds the release's names to PKGS as $all; what has none goes to $unfound.
resolve() {
	all=$PKGS unfound=""
	# The sanitizer and fuzzer runtime must be the installed clang's:
	# libclang-rt-14-dev on Debian 12, libclang-rt-19-dev on 13; else
	# libclang-rt-dev when it follows a default clang of that version.
	m=$(clang_major)
	if [ -n "$m" ] && [ -n "$(pkg_version "libclang-rt-$m-dev")" ]; then
		all="$all libclang-rt-$m-dev"
	elif [ -n "$m" ] && [ "$(pkg_version libclang-rt-dev | major)" = "$m" ]; then
		all="$all libclang-rt-dev"
	else
		unfound="$unfound
  the sanitizer/fuzzer runtime of clang ${m:-(none found)}: neither libclang-rt-${m:-N}-dev nor a libclang-rt-dev for clang ${m:-N}"
	fi
}

# Sets $missing: the names of $all not installed.
find_missing() {
	missing=""
	for p in $all; do
		installed "$p" || missing="$missing $p"
	done
}

resolve
find_missing

if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && [ -z "$unfound" ] && exit 0
	[ -n "$missing" ] && echo "missing packages:$missing"
	[ -n "$unfound" ] && echo "no package in the apt lists for:$unfound"
	exit 1
fi

if [ -z "$missing" ] && [ -z "$unfound" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	[ -n "$missing" ] && echo "deps: missing:$missing" >&2
	[ -n "$unfound" ] && echo "deps: no package in the apt lists for:$unfound" >&2
	echo "deps: run 'make deps' as root" >&2
	exit 2
fi

# Postfix must not ask questions, and must not start in the root namespace:
# the lab runs its own instances inside network namespaces.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string relaytop.invalid" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Fresh lists may name what the old ones did not.
resolve
find_missing
if [ -n "$unfound" ]; then
	echo "deps: this release has no package for:$unfound" >&2
	echo "deps: install the equivalent by hand, then rerun" >&2
	exit 2
fi
echo "deps: installing$missing"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "deps: done"
