#!/usr/bin/env bash
# Rebuilds the front-end files web/frontend.py serves instead of Dash's own:
#   assets/vendor/plotly-compass.min.js     plotly.js with only the trace types
#       COMPASS draws (scripts/plotly-bundle/entry.js), instead of the full
#       plotly.min.js (4.8 MB) that dcc.Graph would load;
#   assets/vendor/regenerator-runtime.min.js  the one global Dash's bundles need
#       from @babel/polyfill, instead of the whole polyfill.
# NOT run at install or test time: its output is committed under assets/.
#
# The plotly.js version is pinned in scripts/plotly-bundle/package.json and must
# match the one the plotly Python package ships (plotly/package_data/plotly.min.js
# header; the export renderer, kaleido, uses that full file server-side).
#
# Usage: scripts/build_plotly_bundle.sh [OUT_DIR]   (default: assets/vendor)
# Needs: node >= 18 and npm. Only the npm registry is contacted.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT_DIR=${1:-"$HERE/../assets/vendor"}
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

cd "$HERE/plotly-bundle"
# Exact versions from package-lock.json; no install scripts needed (esbuild's
# binary comes as an optional dependency).
npm ci --ignore-scripts --no-audit --no-fund --silent

WANT=$(node -p 'require("plotly.js/package.json").version')
SHIPPED=$(sed -n 's/^\* plotly.js v\([0-9.]*\)$/\1/p' \
  "$(cd "$HERE/.." && .venv/bin/python -c 'import plotly, os; print(os.path.dirname(plotly.__file__))' 2>/dev/null \
     || python3 -c 'import plotly, os; print(os.path.dirname(plotly.__file__))')/package_data/plotly.min.js" | head -1)
if [ -n "$SHIPPED" ] && [ "$SHIPPED" != "$WANT" ]; then
  echo "plotly.js $WANT here but the plotly package ships $SHIPPED: update package.json" >&2
  exit 1
fi

node build.mjs "$OUT_DIR"
ls -l "$OUT_DIR/plotly-compass.min.js" "$OUT_DIR/regenerator-runtime.min.js"
