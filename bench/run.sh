#!/usr/bin/env bash
# Ingestion benchmark. Measures, in one run on this machine:
#   - nginx answering `return 204` to the same POSTs: the ceiling for an HTTP
#     server here (same load generator, same connections, same requests);
#   - datafast ingesting them durably (202 = in the ingest log, synced to disk),
#     in three pairs alternating with nginx, as the machine drifts.
# Both are driven by wrk (closed loop, keep-alive, max rate) and by hey at a
# fixed 10,000 requests/s for latency. Prints a Markdown report; copy it into
# docs/benchmarks.md with the date and the machine.
#
# usage: bash bench/run.sh [seconds per run, default 10]
# (then the dashboard benchmark, bench/dashboard.sh: DASHBOARD_EVENTS, DASHBOARD_ROUNDS)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
BIN=build/src/app/datafast
[ -x "$BIN" ] && [ -x build/bench/event_store_bench ] && [ -x build/bench/pipeline_bench ] && [ -x build/bench/auth_bench ] ||
  bash scripts/build.sh >/dev/null

work=$(mktemp -d)
cleanup() {
  [ -n "${df_pid:-}" ] && kill "$df_pid" 2>/dev/null && wait "$df_pid" 2>/dev/null
  [ -n "${ch_df_pid:-}" ] && kill "$ch_df_pid" 2>/dev/null && wait "$ch_df_pid" 2>/dev/null
  bash scripts/clickhouse-server.sh stop "$work/clickhouse" >/dev/null 2>&1 || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

source bench/reference.sh
start_nginx "$work"

# --- datafast
data="$work/data"
site=$($BIN site create --domain bench.example --data-dir "$data")
df_port=$(free_port)
api_key=$($BIN key create --site "$site" --data-dir "$data")
# The per-key rate limit (100 a minute by default) is lifted to measure the API itself.
$BIN serve --listen 127.0.0.1:$df_port --data-dir "$data" --log-level warn --api-rate-limit 100000000 \
  >"$work/df.out" 2>"$work/df.err" &
df_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$df_port/healthz" >/dev/null && break; sleep 0.1; done

export BENCH_BODY=$(event_body "$site")
echo "$BENCH_BODY" > "$work/body.json"

accepted() { curl -fs "http://127.0.0.1:$1/metrics" | awk '/^datafast_events_accepted_total /{print $2}'; }

# wrk: prints "rps p50_ms p99_ms non2xx"
run_wrk() {
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/event.lua "http://127.0.0.1:$1/api/events" >"$work/wrk.txt"
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r'^\s*' + label + r'%\s+([\d.]+)(us|ms|s)', t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {bad.group(1) if bad else 0}")
PY
}

# hey at a fixed rate: prints "rps p50_ms p99_ms non2xx"
run_hey_fixed() {
  local workers=50 per_worker=$(( $2 / 50 ))
  hey -z "${SECONDS_PER_RUN}s" -c $workers -q $per_worker -m POST -T 'text/plain;charset=UTF-8' \
    -H 'X-Forwarded-For: 81.2.69.142' \
    -H 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \
    -D "$work/body.json" "http://127.0.0.1:$1/api/events" >"$work/hey.txt"
  python3 - "$work/hey.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
p = lambda q: float(re.search(r'\s' + q + r'%% in ([\d.]+) secs' % (), t).group(1)) * 1000
codes = re.findall(r'\[(\d{3})\]\s+(\d+) responses', t)
bad = sum(int(n) for c, n in codes if not c.startswith('2'))
print(f"{rps:.0f} {p('50'):.2f} {p('99'):.2f} {bad}")
PY
}

# CPU seconds and context switches of each datafast thread, by name
# (core/current_thread.h): "name utime+stime switches" per line.
thread_costs() {
  for task in /proc/$df_pid/task/*; do
    name=$(cat "$task/comm")
    ticks=$(awk '{print $14 + $15}' "$task/stat")
    switches=$(awk '/ctxt_switches/{n += $2} END {print n}' "$task/status")
    echo "$name $ticks $switches"
  done
}
# This machine's speed drifts from one minute to the next by more than 10 %:
# datafast and nginx run in alternation, three pairs back to back, and the
# report takes the pair with the median ratio (and lists all three).
thread_costs >"$work/threads.before"
before=$(accepted $df_port)
for _ in 1 2 3; do
  pair_before=$(accepted $df_port)
  read -r rps p50 p99 bad < <(run_wrk $df_port)
  pair_durable=$(( ($(accepted $df_port) - pair_before) / SECONDS_PER_RUN ))
  echo "$rps $p50 $p99 $bad $pair_durable $(run_wrk $ngx_port)" >>"$work/pairs"
done
after=$(accepted $df_port)
thread_costs >"$work/threads.after"
read -r df_rps df_p50 df_p99 df_bad df_durable ngx_rps ngx_p50 ngx_p99 ngx_bad pair_ratios < <(python3 - "$work/pairs" <<'PY'
import sys
pairs = [line.split() for line in open(sys.argv[1])]
pairs.sort(key=lambda p: float(p[0]) / float(p[5]))
ratios = ", ".join(f"{100 * float(p[0]) / float(p[5]):.1f} %" for p in pairs)
print(" ".join(pairs[len(pairs) // 2]), ratios)  # read gives the last name the rest of the line
PY
)
# µs of CPU and context switches per durable event, per kind of thread.
per_thread=$(python3 - "$work/threads.before" "$work/threads.after" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
def load(path):
    out = {}
    for line in open(path):
        name, ticks, switches = line.rsplit(None, 2)
        kind = re.sub(r'-\d+$', '', name)
        t, s = out.get(kind, (0, 0))
        out[kind] = (t + int(ticks), s + int(switches))
    return out
before, after = load(sys.argv[1]), load(sys.argv[2])
events, hz = int(sys.argv[3]), int(sys.argv[4])
parts = []
for kind, (ticks, switches) in sorted(after.items()):
    t0, s0 = before.get(kind, (0, 0))
    us = (ticks - t0) / hz * 1e6 / events
    if us >= 0.5:
        parts.append(f"{kind} {us:.1f} µs, {(switches - s0) / events:.2f} switches")
print("; ".join(parts))
PY
)
read -r dfq_rps dfq_p50 dfq_p99 dfq_bad < <(run_hey_fixed $df_port 10000)
read -r ngq_rps ngq_p50 ngq_p99 ngq_bad < <(run_hey_fixed $ngx_port 10000)

# An authenticated v1 API read (key lookup by hash, site check, rate limit)
# against nginx answering the same GET.
run_wrk_get() {
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $api_key" \
    "http://127.0.0.1:$1/api/v1/website" >"$work/wrk.txt"
  grep -E 'Requests/sec' "$work/wrk.txt" | awk '{printf "%.0f", $2}'
}
api_rps=$(run_wrk_get $df_port)
ngx_get_rps=$(run_wrk_get $ngx_port)
api_ratio=$(python3 -c "print(f'{100 * $api_rps / $ngx_get_rps:.0f}')")

# Payments through the API, each attributed (the visitor's sessions read
# from the event store) and its revenue event committed before the answer,
# against the authenticated GET above: the API layer's own rate.
# A visitor of their own, with two visits (the bench's event visitor has
# hundreds of thousands of pageviews, which no real visitor has).
visitor=$(python3 -c 'import uuid; print(uuid.uuid4())')
for referrer in https://www.google.com/ https://t.co/x; do
  curl -fs -o /dev/null -H 'Content-Type: text/plain' -A "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" \
    --data "{\"websiteId\":\"$site\",\"type\":\"pageview\",\"href\":\"https://bench.example/\",\"referrer\":\"$referrer\",\"visitorId\":\"$visitor\",\"sessionId\":\"$(python3 -c 'import uuid; print(uuid.uuid4())')\"}" \
    "http://127.0.0.1:$df_port/api/events"
done
BENCH_KEY=$api_key BENCH_VISITOR=$visitor wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
  -s bench/payment.lua "http://127.0.0.1:$df_port/api/v1/payments" >"$work/wrk.txt"
read -r pay_rps pay_p50 pay_p99 < <(python3 - "$work/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"\s" + label + r"\s+([\d.]+)(us|ms|s)\b", t)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
print(f"{rps:.0f} {ms('50%'):.1f} {ms('99%'):.1f}")
PY
)
pay_ratio=$(python3 -c "print(f'{100 * $pay_rps / $api_rps:.1f}')")
# And one at a time: 20 payments in a row, each answered before the next.
pay_alone=$(for i in $(seq 20); do
  curl -s -o /dev/null -w "%{time_total}\n" -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    --data "{\"amount\":9.99,\"currency\":\"USD\",\"transaction_id\":\"alone-$i\",\"datafast_visitor_id\":\"$visitor\"}" \
    "http://127.0.0.1:$df_port/api/v1/payments"
done | sort -n | awk '{a[NR] = $1 * 1000} END {printf "p50 %.1f ms, max %.1f ms", a[int((NR + 1) / 2)], a[NR]}')

# Where the ingestion gap to nginx lies: the HTTP layer alone (GET
# /healthz), and events refused at validation (nothing written), beside the
# durable path above.
healthz_rps=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$df_port/healthz" |
  awk '/Requests\/sec/{printf "%.0f", $2}')
refused_rps=$(BENCH_BODY='{"websiteId":"not-a-site","type":"pageview","href":"https://bench.example/"}' \
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s bench/event.lua "http://127.0.0.1:$df_port/api/events" |
  awk '/Requests\/sec/{printf "%.0f", $2}')
layers=$(python3 -c "n = $ngx_rps; print(f'GET /healthz {$healthz_rps}/s ({100 * $healthz_rps / n:.0f} %), events refused at validation {$refused_rps}/s ({100 * $refused_rps / n:.0f} %), durable events {$df_rps}/s ({100 * $df_rps / n:.0f} %)')")

# The same events into ClickHouse through the spool (docs/adr/0011): a 202
# once logged and synced, loaded in large inserts behind it. Acknowledged
# events/s during the run, then the time until ClickHouse holds all of them:
# the loaded rate is every acknowledged event over both.
ch_dir="$work/clickhouse"
ch_port=$(free_port)
bash scripts/clickhouse-server.sh start "$ch_dir" "$ch_port" "$(free_port)" >/dev/null
ch_data="$work/ch-data"
ch_site=$($BIN site create --domain bench.example --data-dir "$ch_data" --events "clickhouse://127.0.0.1:$ch_port/bench")
ch_df_port=$(free_port)
$BIN serve --listen 127.0.0.1:$ch_df_port --data-dir "$ch_data" --events "clickhouse://127.0.0.1:$ch_port/bench" \
  --log-level warn >"$work/ch-df.out" 2>"$work/ch-df.err" &
ch_df_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$ch_df_port/healthz" >/dev/null && break; sleep 0.1; done
ch_count() { curl -fs "http://127.0.0.1:$ch_port/?database=bench" --data-binary "SELECT count() FROM events"; }
ch_start=$(date +%s.%N)
export BENCH_BODY=${BENCH_BODY//$site/$ch_site}
read -r ch_rps ch_p50 ch_p99 ch_bad < <(run_wrk $ch_df_port)
ch_acked=$(accepted $ch_df_port)
until [ "$(ch_count)" -ge "$ch_acked" ]; do sleep 0.05; done
ch_loaded=$(python3 -c "import time; print(round($ch_acked / (time.time() - $ch_start)))")
ch_inserts=$(curl -fs "http://127.0.0.1:$ch_df_port/metrics" | awk '/^datafast_event_load_seconds_count/{print $2}')
kill "$ch_df_pid" && wait "$ch_df_pid" 2>/dev/null || true
ch_df_pid=
bash scripts/clickhouse-server.sh stop "$ch_dir" >/dev/null
ch_ratio=$(python3 -c "print(f'{100 * $ch_rps / $ngx_rps:.0f}')")

# Micro-benchmarks, after the HTTP runs so they do not share the CPU with them.
store_rates=$(build/bench/event_store_bench --benchmark_min_time=1 2>/dev/null |
  awk '/^BM_/{split($1, a, "/"); sub("items_per_second=", "", $NF); sub("/s$", "", $NF); printf "%s%s per commit %s/s", sep, a[2], $NF; sep = ", "}')
pipeline_ns=$(build/bench/pipeline_bench --benchmark_min_time=1 2>/dev/null | awk '/^BM_PipelineProcess/{print $2}')
auth_costs=$(build/bench/auth_bench --benchmark_min_time=1 2>/dev/null |
  awk '/^BM_/{sub("BM_", "", $1); printf "%s%s %s %s", sep, $1, $2, $3; sep = ", "}')
dashboard_js=$(cat build/dashboard/assets/*.js | gzip -9 | wc -c)
dashboard_css=$(cat build/dashboard/assets/*.css | gzip -9 | wc -c)

ratio=$(python3 -c "print(f'{100 * $df_rps / $ngx_rps:.1f}')")
tracker_gz=$(curl -fs -H 'Accept-Encoding: gzip' "http://127.0.0.1:$df_port/js/script.js" | wc -c)
tracker_br=$(curl -fs -H 'Accept-Encoding: br' "http://127.0.0.1:$df_port/js/script.js" | wc -c)
commits=$(curl -fs "http://127.0.0.1:$df_port/metrics" | awk '/^datafast_event_commit_seconds_count/{print $2}')

cat <<REPORT
Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r); ${SECONDS_PER_RUN}s per run, wrk -t2 -c$CONNECTIONS, hey 50 workers.

| run | requests/s | p50 ms | p99 ms | non-2xx |
| --- | ---: | ---: | ---: | ---: |
| nginx \`return 204\`, max rate (wrk) | $ngx_rps | $ngx_p50 | $ngx_p99 | $ngx_bad |
| datafast \`POST /api/events\`, max rate (wrk) | $df_rps | $df_p50 | $df_p99 | $df_bad |
| nginx at 10,000/s (hey) | $ngq_rps | $ngq_p50 | $ngq_p99 | $ngq_bad |
| datafast at 10,000/s (hey) | $dfq_rps | $dfq_p50 | $dfq_p99 | $dfq_bad |

- Durable events/s at max rate (accepted counter delta / duration), in the median pair: **$df_durable**
- Server CPU and context switches per durable event, by thread: $per_thread
- Against nginx's max rate, layer by layer: $layers
- datafast / nginx request rate: **$ratio %**, the median of three pairs run back to back ($pair_ratios)
- Into ClickHouse $(clickhouse-client --version 2>/dev/null | grep -o '[0-9][0-9.]*[0-9]' | head -n1) through the spool, max rate (wrk): $ch_rps acknowledged/s (**$ch_ratio %** of nginx), p50 $ch_p50 ms, p99 $ch_p99 ms, non-2xx $ch_bad; all $ch_acked in ClickHouse at **$ch_loaded events/s** from the first request, in $ch_inserts inserts
- Commits (transactions) during the whole run: $commits
- Tracker \`script.js\`: $tracker_gz bytes gzip, $tracker_br bytes brotli
- Pipeline CPU per event (\`build/bench/pipeline_bench\`): $pipeline_ns ns
- v1 API \`GET /api/v1/website\` with a Bearer key, max rate (wrk): $api_rps/s, **$api_ratio %** of nginx on the same GET ($ngx_get_rps/s)
- Payments API \`POST /api/v1/payments\` (attributed, revenue event durable before the answer), max rate (wrk): $pay_rps/s, p50 $pay_p50 ms, p99 $pay_p99 ms; $pay_ratio % of the authenticated GET above; one at a time (20 in a row): $pay_alone
- Account primitives (\`build/bench/auth_bench\`): $auth_costs
- Dashboard: all its JavaScript $dashboard_js bytes and its CSS $dashboard_css bytes, each concatenated and gzipped
- DuckDB events/s by events per commit (\`build/bench/event_store_bench\`): $store_rates
REPORT

echo
echo "### Dashboard queries"
bash bench/dashboard.sh "${DASHBOARD_EVENTS:-10000000}" "${DASHBOARD_ROUNDS:-10}"
