#!/bin/sh
# Installs every package relaytop needs to build, test and run its lab, from
# Debian's archive. Idempotent and quick when all is present. --check only
# reports (exit 1 when something is missing).
set -eu

PKGS="build-essential pkg-config clang libncurses-dev libssh2-1-dev libinih-dev
libjansson-dev libcmocka-dev libclang-rt-14-dev libssl-dev postfix openssh-server openssh-client sudo
nftables iproute2 tmux util-linux procps psmisc valgrind strace jq python3
mawk gawk busybox"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && exit 0
	echo "missing packages:$missing"
	exit 1
fi

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing; run 'make deps' as root" >&2
	exit 2
fi

echo "deps: installing$missing"
# Postfix must not ask questions, and must not start in the root namespace:
# the lab runs its own instances inside network namespaces.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string relaytop.invalid" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "deps: done"
