#!/usr/bin/env bash
# Lighthouse performance (desktop and mobile presets) for each URL given, against
# Debian's Chromium. Installs the pinned lighthouse (package-lock.json) on first use.
#   bench/lighthouse/run.sh http://127.0.0.1:8050/ http://127.0.0.1:8050/countries/LBY
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
exec "${PYTHON:-$ROOT/.venv/bin/python}" -m bench.lighthouse "$@"
