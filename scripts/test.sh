#!/usr/bin/env bash
# The second command of the README, and what CI runs: installs what is
# missing, builds, and runs every suite: the C++ unit and conformance tests
# (ctest), then the black-box, crash and browser tests against the real
# binary (node --test). Any failure fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

# PostgreSQL (and ClickHouse) for the scale-out backends' suites.
source scripts/test-servers.sh

echo "== unit and conformance tests (ctest)"
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 300

echo "== black-box, crash and browser tests (node --test)"
export DATAFAST_BIN="$PWD/build/src/app/datafast"
node --test --test-concurrency=1 --test-timeout=300000 tests/blackbox/ tests/browser/
