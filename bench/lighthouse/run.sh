#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices, SEO; desktop and mobile
# presets; median of LIGHTHOUSE_RUNS=3) on the five pages of a running server,
# against Debian's Chromium; the table says which targets are met. Installs the
# pinned lighthouse (package-lock.json) on first use.
#   bench/lighthouse/run.sh http://127.0.0.1:8050
#   bench/lighthouse/run.sh http://127.0.0.1:8050 /indicators /partners
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
exec "${PYTHON:-$ROOT/.venv/bin/python}" -m bench.lighthouse "$@"
