#!/usr/bin/env bash
# Where the ingestion rate's ceiling lies on this machine, layer by layer,
# each against nginx `return 204` in the same round (wrk -t2 -c64, the
# requests of bench/run.sh):
#   healthz   GET /healthz: the HTTP layer alone
#   refused   the tracker POST refused at validation (unknown website id)
#   no-writer  the whole pipeline, then 202 without the writer: nothing stored
#   log-tmpfs  the writer and its ingest log on tmpfs (fdatasync costs
#              nothing), the event store's Append doing nothing
#   log-disk   the same with the ingest log on disk: what fdatasync costs
#   duck-tmpfs everything on tmpfs: what DuckDB's loading costs
#   durable    the real thing, both on disk, as bench/run.sh measures it
# The two middle layers need a binary that can skip parts of the path: this
# script builds one from HEAD with bench/ceiling.patch applied, in a
# temporary copy, so the product carries no such switches.
# For each layer: requests/s, share of nginx, and the machine's busy CPU
# per request (both cores, wrk and kernel included, from /proc/stat).
#
# usage: bash bench/ceiling.sh [seconds per run, default 8] [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-8}
ROUNDS=${2:-5}
BIN=build/src/app/datafast
[ -x "$BIN" ] || bash scripts/build.sh >/dev/null

work=$(mktemp -d)
shm=$(mktemp -d -p /dev/shm)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work" "$shm"
}
trap cleanup EXIT

# The patched binary, from a copy of HEAD.
git archive HEAD | tar -x -C "$work" --one-top-level=tree
ln -s "$PWD/.deps" "$work/tree/.deps"
ln -s "$PWD/node_modules" "$work/tree/node_modules"
git -C "$work/tree" apply "$PWD/bench/ceiling.patch"
cmake -S "$work/tree" -B "$work/tree/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/tree/build" --target datafast >/dev/null
PATCHED="$work/tree/build/src/app/datafast"

source bench/reference.sh
start_nginx "$work"

# start DATA_DIR BINARY [VAR=value...]: sets $port and $site.
start() {
  local dir=$1 bin=$2
  shift 2
  site=$($bin site create --domain bench.example --data-dir "$dir")
  port=$(free_port)
  env "$@" "$bin" serve --listen "127.0.0.1:$port" --data-dir "$dir" --log-level warn >"$dir.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
start "$work/durable" "$BIN"
durable_port=$port durable_body=$(event_body "$site")
start "$work/no-writer" "$PATCHED" CEILING_SKIP_WRITER=1
no_writer_port=$port no_writer_body=$(event_body "$site")
start "$shm/log-tmpfs" "$PATCHED" CEILING_SKIP_STORE=1
log_tmpfs_port=$port log_tmpfs_body=$(event_body "$site")
start "$work/log-disk" "$PATCHED" CEILING_SKIP_STORE=1
log_disk_port=$port log_disk_body=$(event_body "$site")
start "$shm/duck-tmpfs" "$BIN"
duck_tmpfs_port=$port duck_tmpfs_body=$(event_body "$site")

# measure LAYER URL [BODY]: appends "layer requests/s idle-fraction" to
# $work/runs, from the middle of the run (the first and last 2 s left out).
measure() {
  local layer=$1 url=$2 body=${3:-} before after
  if [ -n "$body" ]; then
    BENCH_BODY=$body wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" -s bench/event.lua "$url" >"$work/wrk.txt" &
  else
    wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" "$url" >"$work/wrk.txt" &
  fi
  local wrk_pid=$!
  sleep 2
  before=$(head -1 /proc/stat)
  sleep $((SECONDS_PER_RUN - 4))
  after=$(head -1 /proc/stat)
  wait $wrk_pid
  python3 - "$layer" "$before" "$after" "$work/wrk.txt" >>"$work/runs" <<'PY'
import re, sys
layer, before, after, path = sys.argv[1:]
delta = [b - a for a, b in zip(map(int, before.split()[1:]), map(int, after.split()[1:]))]
idle = (delta[3] + delta[4]) / sum(delta[:8])
text = open(path).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
expect_errors = layer == "refused"
if bool(bad) != expect_errors:
    sys.exit(f"{layer}: unexpected answers: {bad.group(0) if bad else 'no refusals'}")
print(layer, rps, idle)
PY
}

for _ in $(seq "$ROUNDS"); do
  measure nginx "http://127.0.0.1:$ngx_port/api/events" "$durable_body"
  measure healthz "http://127.0.0.1:$durable_port/healthz"
  measure refused "http://127.0.0.1:$durable_port/api/events" \
    '{"websiteId":"not-a-site","type":"pageview","href":"https://bench.example/"}'
  measure no-writer "http://127.0.0.1:$no_writer_port/api/events" "$no_writer_body"
  measure log-tmpfs "http://127.0.0.1:$log_tmpfs_port/api/events" "$log_tmpfs_body"
  measure log-disk "http://127.0.0.1:$log_disk_port/api/events" "$log_disk_body"
  measure duck-tmpfs "http://127.0.0.1:$duck_tmpfs_port/api/events" "$duck_tmpfs_body"
  measure durable "http://127.0.0.1:$durable_port/api/events" "$durable_body"
done

python3 - "$work/runs" "$ROUNDS" "$SECONDS_PER_RUN" "$(nproc)" <<'PY'
import statistics, sys
path, rounds, seconds, cores = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
runs = [line.split() for line in open(path)]
layers = ["nginx", "healthz", "refused", "no-writer", "log-tmpfs", "log-disk", "duck-tmpfs", "durable"]
by_round = [dict() for _ in range(rounds)]
for i, (layer, rps, idle) in enumerate(runs):
    by_round[i // len(layers)][layer] = (float(rps), float(idle))
print(f"{rounds} rounds of {seconds} s per layer, each round's layers back to back; wrk -t2 -c64.\n")
print("| layer | requests/s (median) | share of nginx, per round | median share | machine CPU per request |")
print("| --- | ---: | --- | ---: | ---: |")
for layer in layers:
    rates = [r[layer][0] for r in by_round]
    shares = [100 * r[layer][0] / r["nginx"][0] for r in by_round]
    cpu = [cores * 1e6 * (1 - r[layer][1]) / r[layer][0] for r in by_round]
    print(f"| {layer} | {statistics.median(rates):,.0f} | {', '.join(f'{s:.1f}' for s in shares)} % "
          f"| {statistics.median(shares):.1f} % | {statistics.median(cpu):.1f} µs |")
PY
