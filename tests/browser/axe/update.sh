#!/usr/bin/env bash
# Re-vendor axe-core for tests/browser/test_accessibility.py from the npm package
# pinned in package.json / package-lock.json: `npm ci` here, check axe.min.js
# against the SRI hash the package itself publishes (sri-history.json), copy it and
# its licence beside this script. The tests read the copy, so they run offline.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund --silent
version="$(node -p "require('./node_modules/axe-core/package.json').version")"
expected="$(node -p "require('./node_modules/axe-core/sri-history.json')['$version']['axe.min.js']")"
actual="sha256-$(openssl dgst -sha256 -binary node_modules/axe-core/axe.min.js | base64)"
if [ "$expected" != "$actual" ]; then
  echo "axe.min.js $version: $actual, the package says $expected" >&2
  exit 1
fi
cp node_modules/axe-core/axe.min.js axe.min.js
cp node_modules/axe-core/LICENSE LICENSE
printf '%s\n' "$actual" > axe.min.js.sri
rm -rf node_modules
echo "vendored axe-core $version ($actual)"
