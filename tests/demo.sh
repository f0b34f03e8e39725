#!/usr/bin/env bash
# `make demo`: brings the lab up (if needed), starts its traffic source (a
# few mails a minute from both origins, now and then one to an unknown user
# of relay-c, which bounces, and one to a partner domain relay-c cannot
# resolve, which stays deferred: `scenario traffic`) and opens relaytop on
# it, inside the lab's console namespace. The lab and its traffic stay up
# afterwards for a quick re-run; `make lab-down` removes both.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export LAB="${LAB:-rtlab}"
"$here/tests/lab/lab-up"
"$here/tests/lab/scenario" traffic
"$here/tests/lab/lab-console" env TERM="${TERM:-xterm-256color}" \
	"$here/relaytop" --hosts "$here/assets/lab/hosts.ini" "$@" || true
echo "relaytop demo: the lab and its traffic are still up; 'make lab-down' removes them."
