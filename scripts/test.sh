#!/usr/bin/env bash
# The second command of the README, and what CI runs: installs what is
# missing, builds, and runs every suite: the C++ unit and conformance tests
# (ctest), then the black-box, crash and browser tests against the real
# binary (node --test). Any failure fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

# PostgreSQL, ClickHouse and a ClickHouse cluster for the scale-out
# backends' suites.
source scripts/test-servers.sh

echo "== unit and conformance tests (ctest)"
# Ten minutes a test: the conformance suite compares hundreds of reports
# from real servers, and shares two cores with the rest of the run.
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 600

echo "== black-box, crash and browser tests (node --test)"
export DATAFAST_BIN="$PWD/build/src/app/datafast"
node --test --test-concurrency=1 --test-timeout=300000 tests/blackbox/ tests/browser/
