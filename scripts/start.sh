#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds, and
# starts the server on the embedded stores in ./datafast-data, printing the
# URL to open. Extra arguments go to `datafast serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/src/app/datafast serve --data-dir "${DATAFAST_DATA_DIR:-./datafast-data}" "$@"
