#!/bin/bash
# e2e-serve-prometheus: `relaytop --serve` scraped by Debian's real
# Prometheus, both in the console namespace (Prometheus on 127.0.0.1:9090,
# a 1 s scrape and rule interval, storage in a temp dir, the shipped rules
# with their `for:` cut to 2 s), queried through its HTTP API:
# every host up; `promtool check metrics` clean on relaytop's text,
# OpenMetrics served on request and gzip when asked; with Postfix stopped on relays C and D, a
# mail deferred on origin-a shows as its deferred-queue gauge and the
# shipped RelaytopRelayDown alert fires for relay-c by rule evaluation; with
# D started again and A's queue flushed, the mail goes through the fallback:
# relaytop_fallback_carrying_mail{from="origin-a",to="relay-d"} is 1, the
# RelaytopFallbackCarryingMail alert fires, and the per-relay counters have
# A's deferral and its delivery through relay-d. SIGTERM ends relaytop with
# status 0. Then --shard: `--once --json --shard K/2` for K = 1, 2 list
# every lab host exactly once, each in the shard a second FNV-1a (in bash)
# predicts, and an origin's edge to a relay of the other shard still names
# it; the console with --serve --console --shard 1/2 shows its shard's
# hosts and serves their metrics. A second relaytop serves with --web-config (a self-signed
# certificate from openssl, a bcrypt user): Prometheus scrapes it over
# HTTPS with basic auth; curl without a password or with a wrong one gets
# 401, plain HTTP gets no answer. Restores: C and D started, A's queue
# emptied.
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
# TLS and basic auth for the second relaytop
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null || t_fail "openssl req"
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
cat >"$tmp/web.yml" <<EOT
tls_server_config:
  cert_file: $tmp/cert.pem
  key_file: $tmp/key.pem
basic_auth_users:
  prom: '$hash'
EOT
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
  - job_name: relaytop-tls
    scheme: https
    tls_config:
      ca_file: $tmp/cert.pem
    basic_auth:
      username: prom
      password: s3cret
    static_configs:
      - targets: ['127.0.0.1:9465']
EOT

# lab-console execs down to the program: $! is relaytop's (prometheus') pid
"$LAB_DIR/lab-console" "$RELAYTOP" --hosts assets/lab/hosts.ini --serve 9464 \
    >"$tmp/relaytop.out" 2>"$tmp/relaytop.err" &
rt=$!
t_cleanup "kill $rt 2>/dev/null || true"
"$LAB_DIR/lab-console" "$RELAYTOP" --hosts assets/lab/hosts.ini --serve 9465 \
    --web-config "$tmp/web.yml" >"$tmp/tls.out" 2>"$tmp/tls.err" &
rt2=$!
t_cleanup "kill $rt2 2>/dev/null || true"
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
wait_query 'count(relaytop_host_up{job="relaytop"} == 1) == 4' 30 >/dev/null || fail_logs "not every host up"
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
# gzip when asked (as Prometheus asks on every scrape): curl inflates it
lab_console curl -sS --max-time 3 --compressed -D "$tmp/h3" -o "$tmp/gz.txt" \
    http://127.0.0.1:9464/metrics || t_fail "no gzip /metrics"
assert_match "$(cat "$tmp/h3")" '^Content-Encoding: gzip' "gzip asked, gzip served"
assert_match "$(cat "$tmp/gz.txt")" '^relaytop_host_up\{host="relay-d"\} 1$'
code=$(lab_console curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:9464/metrics)
assert_eq "$code" 405 "POST /metrics"

# --- --web-config: HTTPS and basic auth; Prometheus scrapes with both -------
wait_query 'up{job="relaytop-tls"} == 1' 20 >/dev/null ||
    fail_logs "Prometheus could not scrape relaytop over HTTPS with basic auth: $(cat "$tmp/tls.err")"
wait_query 'relaytop_host_up{job="relaytop-tls",host="origin-a"} == 1' 20 >/dev/null ||
    fail_logs "no host up through the TLS relaytop"
grep -q 'metrics on https://127.0.0.1:9465/metrics' "$tmp/tls.err" ||
    t_fail "the TLS relaytop did not say https: $(cat "$tmp/tls.err")"
tls() { lab_console curl -s --max-time 3 --cacert "$tmp/cert.pem" -o /dev/null -w '%{http_code}' "$@"; }
assert_eq "$(tls https://127.0.0.1:9465/metrics || true)" 401 "HTTPS without a password"
assert_eq "$(tls -u prom:wrong https://127.0.0.1:9465/metrics || true)" 401 "a wrong password"
assert_eq "$(tls -u nobody:s3cret https://127.0.0.1:9465/metrics || true)" 401 "an unknown user"
assert_eq "$(tls -u prom:s3cret https://127.0.0.1:9465/metrics || true)" 200 "the right password"
code=$(lab_console curl -s --max-time 3 -o /dev/null -w '%{http_code}' -u prom:s3cret http://127.0.0.1:9465/metrics || true)
[[ $code != 200 ]] || t_fail "plain HTTP answered on the TLS port"

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
kill -TERM "$rt2"
rc=0; wait "$rt2" || rc=$?
assert_eq "$rc" 0 "relaytop --serve --web-config exit status on SIGTERM"
san_check "$tmp/relaytop.err" "relaytop --serve" || t_fail "sanitizer report from relaytop --serve"
san_check "$tmp/tls.err" "relaytop --serve --web-config" || t_fail "sanitizer report from the TLS relaytop"

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
    # once(): tries again only when a probe missed its deadline (load)
    j=$(once --json --shard "$k/2") || t_fail "--once --shard $k/2: exit $?"
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

# --- the console serves too (--console), here for shard 1 of 2 ------------
. "$E2E_DIR/ui-lib.sh"
s1=$(for h in origin-a origin-b relay-c relay-d; do
    if (($(fnv "$h") % 2 == 0)); then echo "$h"; fi; done)
k1=$(head -n 1 <<<"$s1")
rt_start 120 40 --serve 9466 --console --shard 1/2
wait_screen "^.$k1 +up" 30 || fail_screen "$k1 (shard 1) never came up in the console"
m=$(lab_console curl -sS --max-time 3 http://127.0.0.1:9466/metrics) || fail_screen "the console does not serve"
assert_match "$m" '^relaytop_shard_info\{shard="1",shards="2"\} 1$'
assert_match "$m" "^relaytop_host_up\\{host=\"$k1\"\\} 1$"
assert_eq "$(grep -c '^relaytop_host_info' <<<"$m")" "$(wc -l <<<"$s1")" "hosts served by shard 1/2"
tm send-keys -t rt q
wait_screen 'RELAYTOP-EXIT=0' 10 || fail_screen "q did not end the serving console with 0"
t_ok
