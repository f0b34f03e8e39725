#!/usr/bin/env bash
# `make demo`: brings the lab up (if needed) and opens relaytop on it, inside
# the lab's console namespace. The lab stays up afterwards for a quick
# re-run; `make lab-down` removes it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export LAB="${LAB:-rtlab}"
"$here/tests/lab/lab-up"
"$here/tests/lab/lab-console" env TERM="${TERM:-xterm-256color}" \
	"$here/relaytop" --hosts "$here/assets/lab/hosts.ini" "$@" || true
echo "relaytop demo: the lab is still up; 'make lab-down' removes it."
