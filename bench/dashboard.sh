#!/usr/bin/env bash
# Dashboard benchmark: writes EVENTS events of realistic traffic for one site
# (bench/generate_traffic.cc), starts datafast on them, and loads the full
# dashboard view for 30 days and for 12 months (bench/dashboard.mjs). Then,
# in the same run, copies them into a ClickHouse and a PostgreSQL of its own
# (datafast migrate; scripts/clickhouse-server.sh, scripts/pg-cluster.sh) and
# loads the same view from a datafast on those. Prints a Markdown report for
# docs/benchmarks.md.
#
# usage: bash bench/dashboard.sh [EVENTS, default 10000000] [ROUNDS, default 10]
#   DASHBOARD_DATA=DIR: instead of generating events, copy those of DIR, the
#   data dir of an earlier run (hours saved at 100 M events); EVENTS is then
#   ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000000}
ROUNDS=${2:-10}
BIN=build/src/app/datafast
[ -x "$BIN" ] && [ -x build/bench/generate_traffic ] || bash scripts/build.sh >/dev/null

work=$(mktemp -d)
cleanup() {
  local status=$?
  # The work dir goes with the run: on a failure, what the servers and the
  # migration said must not.
  if [ "$status" -ne 0 ]; then
    for log in "$work/server.log" "$work/migrate.log" "$work/scale/server.log"; do
      [ -s "$log" ] && { echo "--- the end of ${log#"$work/"}:"; tail -n 20 "$log"; } >&2
    done
  fi
  [ -n "${df_pid:-}" ] && kill "$df_pid" 2>/dev/null && wait "$df_pid" 2>/dev/null
  bash scripts/clickhouse-server.sh stop "$work/clickhouse" >/dev/null 2>&1 || true
  [ -f "$work/pg/postmaster.pid" ] && bash scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
source bench/reference.sh
# Seconds since the `date +%s.%N` in $1, to a tenth.
since() { printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"; }
# Serves the data dir $1 with the stores of the remaining arguments, times
# the first report (which builds what the store derives from the events:
# FIRST_REPORT names it) apart from the view, then loads the view.
serve_and_load() {
  local dir=$1 port
  shift
  port=$(free_port)
  "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" "$@" --api-rate-limit 1000000 >"$dir/server.log" 2>&1 &
  df_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  local start
  start=$(date +%s.%N)
  if ! curl -sf -o /dev/null -H "Authorization: Bearer $key" \
    "http://127.0.0.1:$port/api/v1/analytics/overview?period=all"; then
    echo "The first report failed after $(since "$start") s." >&2
    exit 1
  fi
  echo "First report, which $FIRST_REPORT: $(since "$start") s."
  node bench/dashboard.mjs "http://127.0.0.1:$port" "$key" "$ROUNDS"
  kill "$df_pid" && wait "$df_pid" 2>/dev/null || true
  df_pid=
}

if [ -n "${DASHBOARD_DATA:-}" ]; then
  # The data dir of an earlier run, with its events (and, once its first
  # report ran, its sessions): copied, so that this run leaves it as it was.
  cp "$DASHBOARD_DATA/events.duckdb" "$DASHBOARD_DATA/meta.sqlite" "$work/"
  site=$("$BIN" site list --data-dir "$work" | head -n1 | cut -f1)
  echo "The events of $DASHBOARD_DATA, copied ($(du -sh "$work/events.duckdb" | cut -f1) on disk)."
  first_report="built what the copy did not have yet"
else
  site=$("$BIN" site create --domain example.com --timezone Europe/Paris --data-dir "$work")
  start=$(date +%s.%N)
  written=$(build/bench/generate_traffic "$work/events.duckdb" "$site" "$EVENTS")
  echo "Generated $written events in $(since "$start") s ($(du -sh "$work/events.duckdb" | cut -f1) on disk)."
  # The events were written straight into the store, so the first report
  # builds every session row (docs/adr/0006).
  first_report="built the sessions table"
fi
key=$("$BIN" key create --site "$site" --name bench --data-dir "$work")
FIRST_REPORT=$first_report serve_and_load "$work"

echo
echo "### The same events in ClickHouse $(clickhouse-client --version 2>/dev/null | grep -o '[0-9][0-9.]*[0-9]' | head -n1)"
ch_port=$(free_port)
pg_port=$(free_port)
bash scripts/clickhouse-server.sh start "$work/clickhouse" "$ch_port" "$(free_port)"
bash scripts/pg-cluster.sh start "$work/pg" "$pg_port"
scale=(--meta "postgres://postgres@127.0.0.1:$pg_port/postgres" --events "clickhouse://127.0.0.1:$ch_port/bench")
start=$(date +%s.%N)
"$BIN" migrate --data-dir "$work" "${scale[@]}" 2>"$work/migrate.log"
echo "Copied by datafast migrate in $(since "$start") s ($(du -sh "$work/clickhouse/data" | cut -f1) on disk in ClickHouse;" \
  "counts checked: $(tail -n1 "$work/migrate.log"))."
# The first report seals every day that is over (docs/adr/0012).
mkdir -p "$work/scale"
FIRST_REPORT="sealed the sessions of every past day" serve_and_load "$work/scale" "${scale[@]}"
