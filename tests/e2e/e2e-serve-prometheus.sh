#!/bin/bash
# e2e-serve-prometheus: `relaytop --serve` scraped by Debian's real
# Prometheus, both in the console namespace (Prometheus on 127.0.0.1:9090,
# a 1 s scrape and rule interval, storage in a temp dir, the shipped rules
# with their `for:` cut to 2 s), queried through its HTTP API:
# every host up; `promtool check metrics` clean on relaytop's text and
# OpenMetrics served on request; with Postfix stopped on relays C and D, a
# mail deferred on origin-a shows as its deferred-queue gauge and the
# shipped RelaytopRelayDown alert fires for relay-c by rule evaluation; with
# D started again and A's queue flushed, the mail goes through the fallback:
# relaytop_fallback_carrying_mail{from="origin-a",to="relay-d"} is 1, the
# RelaytopFallbackCarryingMail alert fires, and the per-relay counters have
# A's deferral and its delivery through relay-d. SIGTERM ends relaytop with
# status 0. Then --shard: `--once --json --shard K/2` for K = 1, 2 list
# every lab host exactly once, each in the shard a second FNV-1a (in bash)
# predicts, and an origin's edge to a relay of the other shard still names
# it. Restores: C and D started, A's queue emptied.
. "$(dirname "$0")/lib.sh"
t_begin serve-prometheus
cd "$REPO"

for c in prometheus promtool curl jq; do
    command -v "$c" >/dev/null || t_fail "no $c (tests/deps.sh installs it)"
done
tmp=$(mktemp -d /tmp/e2e-prom.XXXXXX)
chmod 755 "$tmp"
t_cleanup "rm -rf '$tmp'"
t_cleanup 'scenario purge a'
t_cleanup 'scenario postfix-start d'
t_cleanup 'scenario postfix-start c'

# The shipped rules, with every for: cut to 2 s so the test waits seconds.
sed -E 's/^( +for: ).*/\12s/' assets/prometheus/relaytop-rules.yml >"$tmp/rules.yml"
grep -q 'for: 2s' "$tmp/rules.yml" || t_fail "could not shorten the rules' for:"
cat >"$tmp/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $tmp/rules.yml
scrape_configs:
  - job_name: relaytop
    static_configs:
      - targets: ['127.0.0.1:9464']
EOT

# lab-console execs down to the program: $! is relaytop's (prometheus') pid
"$LAB_DIR/lab-console" "$RELAYTOP" --hosts assets/lab/hosts.ini --serve 9464 \
    >"$tmp/relaytop.out" 2>"$tmp/relaytop.err" &
rt=$!
t_cleanup "kill $rt 2>/dev/null || true"
"$LAB_DIR/lab-console" prometheus --config.file="$tmp/prometheus.yml" \
    --storage.tsdb.path="$tmp/data" --web.listen-address=127.0.0.1:9090 \
    >"$tmp/prometheus.log" 2>&1 &
prom=$!
t_cleanup "kill $prom 2>/dev/null; wait $prom 2>/dev/null || true"

# query EXPR: the instant query's result as JSON lines, one per series
query() {
    lab_console curl -sS --max-time 3 http://127.0.0.1:9090/api/v1/query \
        --data-urlencode "query=$1" 2>/dev/null | jq -c '.data.result[]?' 2>/dev/null
}
# wait_query EXPR SECONDS: until the query has a result; prints it
wait_query() {
    local end=$((SECONDS + $2)) out
    while ((SECONDS < end)); do
        out=$(query "$1" || true)
        [[ -n $out ]] && { printf '%s\n' "$out"; return 0; }
        sleep 1
    done
    echo "no result for $1 in $2 s" >&2
    return 1
}
fail_logs() {
    tail -n 20 "$tmp/relaytop.err" "$tmp/prometheus.log" >&2 || true
    t_fail "$@"
}

# --- every host up, as Prometheus scraped it ------------------------------
wait_query 'up{job="relaytop"} == 1' 30 >/dev/null || fail_logs "Prometheus never scraped relaytop"
wait_query 'count(relaytop_host_up == 1) == 4' 30 >/dev/null || fail_logs "not every host up"
grep -q 'metrics on http://127.0.0.1:9464/metrics' "$tmp/relaytop.err" ||
    t_fail "relaytop did not say where it serves: $(cat "$tmp/relaytop.err")"

# --- the text is clean for promtool; OpenMetrics when asked -----------------
lab_console curl -sS --max-time 3 -D "$tmp/h1" -o "$tmp/m.txt" http://127.0.0.1:9464/metrics ||
    t_fail "no /metrics"
assert_match "$(cat "$tmp/h1")" '^Content-Type: text/plain; version=0.0.4' "text format's Content-Type"
lint=$(promtool check metrics <"$tmp/m.txt" 2>&1) || t_fail "promtool check metrics: $lint"
assert_eq "$lint" "" "promtool check metrics findings"
assert_match "$(cat "$tmp/m.txt")" '^relaytop_host_up\{host="relay-d"\} 1$'
lab_console curl -sS --max-time 3 -D "$tmp/h2" -o "$tmp/om.txt" \
    -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5' \
    http://127.0.0.1:9464/metrics || t_fail "no OpenMetrics /metrics"
assert_match "$(cat "$tmp/h2")" '^Content-Type: application/openmetrics-text; version=1.0.0'
assert_eq "$(tail -n 1 "$tmp/om.txt")" "# EOF" "OpenMetrics ends in # EOF"
assert_match "$(cat "$tmp/om.txt")" '^# TYPE relaytop_deliveries counter$'
code=$(lab_console curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:9464/metrics)
assert_eq "$code" 405 "POST /metrics"

# --- relays stopped: A's deferred mail is a queue gauge; an alert fires ----
scenario purge a
scenario postfix-stop c
scenario postfix-stop d
tok=$(send_mail a relaytest@example.jp probe@dest.example serve-prometheus)
id=$(log_queue_id a "message-id=<$tok@relaytop-lab>") || t_fail "A did not accept the message"
wait_log a "$id: to=<probe@dest.example>, relay=none, .*status=deferred" 30 >/dev/null ||
    t_fail "A did not defer $id"
r=$(wait_query 'relaytop_queue_messages{host="origin-a",queue="deferred"} >= 1' 30) ||
    fail_logs "A's deferred mail is not in the queue gauge"
echo "queue: $r"
r=$(wait_query 'ALERTS{alertname="RelaytopRelayDown",alertstate="firing",host="relay-c"}' 30) ||
    fail_logs "RelaytopRelayDown did not fire for relay-c"
echo "alert: $r"

# --- D back, C still stopped: the fallback edge carries A's mail -----------
scenario postfix-start d
"$LAB_DIR/lab-exec" a postqueue -f
wait_log a "$id: to=<probe@dest.example>, relay=172\.16\.1\.12\[172\.16\.1\.12\]:25, .*status=sent" 40 >/dev/null ||
    t_fail "A did not deliver $id through relay-d"
r=$(wait_query 'relaytop_fallback_carrying_mail{from="origin-a",to="relay-d"} == 1' 30) ||
    fail_logs "the fallback edge A -> D is not carrying mail"
echo "fallback: $r"
wait_query 'ALERTS{alertname="RelaytopFallbackCarryingMail",alertstate="firing",from="origin-a"}' 20 >/dev/null ||
    fail_logs "RelaytopFallbackCarryingMail did not fire"
wait_query 'relaytop_deliveries_total{host="origin-a",relay="relay-d",status="sent"} >= 1' 10 >/dev/null ||
    fail_logs "no delivery of A through relay-d counted"
wait_query 'relaytop_deliveries_total{host="origin-a",relay="none",status="deferred"} >= 1' 10 >/dev/null ||
    fail_logs "A's deferral not counted"

# --- SIGTERM: a clean end -------------------------------------------------
kill -TERM "$rt"
rc=0; wait "$rt" || rc=$?
assert_eq "$rc" 0 "relaytop --serve exit status on SIGTERM"

# --- --shard: two halves cover the lab once; edges keep their names --------
fnv() { # FNV-1a 32 of $1
    local s=$1 h=2166136261 i c
    for ((i = 0; i < ${#s}; i++)); do
        printf -v c '%d' "'${s:i:1}"
        h=$(((h ^ c) * 16777619 & 0xffffffff))
    done
    echo "$h"
}
all=""
for k in 1 2; do
    j=$(lab_console "$RELAYTOP" --hosts assets/lab/hosts.ini --once --json --shard "$k/2") ||
        t_fail "--once --shard $k/2: exit $?"
    names=$(jq -r '.hosts[].name' <<<"$j")
    for h in $names; do
        assert_eq "$(($(fnv "$h") % 2 + 1))" "$k" "shard of $h"
    done
    all="$all $names"
    # every edge of a watched origin names its relay, watched here or not
    bad=$(jq -c '[.edges[] | select(.kind != "onward" and .to == null)]' <<<"$j")
    assert_eq "$bad" "[]" "--shard $k/2: an edge to an unnamed relay"
done
assert_eq "$(tr ' ' '\n' <<<"$all" | sed '/^$/d' | sort | tr '\n' ' ')" \
    "origin-a origin-b relay-c relay-d " "the two shards' hosts"
t_ok
