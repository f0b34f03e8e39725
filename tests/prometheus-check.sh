#!/bin/bash
# tests/prometheus-check.sh - the shipped Prometheus files (assets/prometheus/)
# checked with Debian's promtool: the alert rules (`promtool check rules`)
# and their unit tests (`promtool test rules`), the example configuration
# (`promtool check config`); the Grafana dashboard is valid JSON with
# panels; and every relaytop_ metric the rules, dashboard and metrics.md
# name is one src/metrics-*.c writes, and every one they write is in
# assets/metrics.md and the man page's METRICS. Run by `make test`; needs no lab.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$repo/assets/prometheus
fail=0
bad() { echo "prometheus-check: FAIL: $*" >&2; fail=1; }
command -v promtool >/dev/null || { echo "prometheus-check: no promtool (tests/deps.sh installs prometheus)" >&2; exit 1; }

(cd "$dir" && promtool check rules relaytop-rules.yml >/dev/null) || bad "promtool check rules"
(cd "$dir" && promtool test rules relaytop-rules.test.yml >/dev/null) || bad "promtool test rules"
(cd "$dir" && promtool check config prometheus.yml >/dev/null) || bad "promtool check config"
jq -e '(.panels | length) >= 5 and (.title | length) > 0 and
    ([.panels[].targets[].expr] | all(test("relaytop_")))' \
    "$dir/relaytop-dashboard.json" >/dev/null || bad "the dashboard: not JSON, or panels without relaytop_ queries"

# The families the code writes: mw_family(w, "NAME", ...) in
# src/metrics-text.c and src/metrics-chain.c.
written=$(grep -hozE 'family\(w, "relaytop_[a-z_]+"' "$repo"/src/metrics-*.c |
    tr '\0' '\n' | grep -oE 'relaytop_[a-z_]+' | sort -u)
[[ $(wc -l <<<"$written") -ge 15 ]] || bad "could not read the families of src/metrics-*.c: $written"
grep -q relaytop_edge_state <<<"$written" || bad "could not read the chain's families (src/metrics-chain.c)"
# shellcheck disable=SC2016  # backquotes: markdown, not a command
doc=$(grep -oE '^\| `relaytop_[a-z_]+`' "$repo/assets/metrics.md" | grep -oE 'relaytop_[a-z_]+' | sort -u)
only_code=$(comm -23 <(echo "$written") <(echo "$doc"))
[[ -z $only_code ]] || bad "written but not in assets/metrics.md: $only_code"
only_doc=$(comm -13 <(echo "$written") <(echo "$doc"))
[[ -z $only_doc ]] || bad "in assets/metrics.md but never written: $only_doc"
man=$(sed -n '/^\.SH METRICS/,/^\.SH /p' "$repo/assets/relaytop.1" | sed 's/\\-/-/g; s/\\%//g')
for m in $written; do
    grep -qE "^\.B $m(\{|\$)" <<<"$man" || bad "$m is not under METRICS in assets/relaytop.1"
done
# Every metric the rules, the dashboard, metrics.md and the man page use.
used=$(cat "$dir"/relaytop-rules.yml "$dir"/relaytop-rules.test.yml \
    "$dir"/relaytop-dashboard.json "$repo"/assets/metrics.md "$repo"/assets/relaytop.1 |
    sed 's/\\-/-/g; s/\\_/_/g' | grep -oE 'relaytop_[a-z_]+[a-z]' | sort -u)
for m in $used; do
    base=$m
    grep -qx "$base" <<<"$written" || bad "$m is used but relaytop writes no such metric"
done
((fail == 0)) && echo "prometheus-check: ok (rules, rule tests, config, dashboard, $(wc -l <<<"$written") families documented)"
exit "$fail"
