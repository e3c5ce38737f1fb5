#!/usr/bin/env bash
# Installs everything datafast needs to build, run and test on Debian 12 or
# Ubuntu: Debian packages, the pinned npm packages (tracker build tools and the
# data the ingestion pipeline embeds), and DuckDB's C library, which Debian does
# not package. Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

DUCKDB_VERSION=1.4.4
DUCKDB_BINDINGS_VERSION=1.4.4-r.4

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libssl-dev libcurl4-openssl-dev zlib1g-dev
  libmaxminddb-dev libre2-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libargon2-dev libjemalloc-dev
  chromium nginx-light wrk hey postgresql clickhouse-server clickhouse-client zookeeper
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js builds the tracker and the dashboard; keep one that is already there.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm 11 does not run install scripts unless approved; none of our packages
# needs one (esbuild ships its binary as an optional dependency).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# DuckDB: libduckdb.so from the prebuilt Node bindings, duckdb.h from the
# duckdb package's sources, both of one pinned version (docs/adr/0002).
DEPS=.deps/duckdb-$DUCKDB_VERSION
if [ ! -f "$DEPS/lib/libduckdb.so" ] || [ ! -f "$DEPS/include/duckdb.h" ]; then
  echo "install-deps: fetching DuckDB $DUCKDB_VERSION"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@duckdb/node-bindings-linux-x64@$DUCKDB_BINDINGS_VERSION" "duckdb@$DUCKDB_VERSION" >/dev/null)
  mkdir -p "$tmp/bindings" "$tmp/duckdb" "$DEPS/lib" "$DEPS/include"
  tar xzf "$tmp"/duckdb-node-bindings-linux-x64-*.tgz -C "$tmp/bindings"
  tar xzf "$tmp/duckdb-$DUCKDB_VERSION.tgz" -C "$tmp/duckdb" package/src/duckdb/src/include/duckdb.h
  cp "$(find "$tmp/bindings" -name libduckdb.so | head -n1)" "$DEPS/lib/libduckdb.so"
  cp "$tmp/duckdb/package/src/duckdb/src/include/duckdb.h" "$DEPS/include/duckdb.h"
fi
echo "install-deps: ok"
