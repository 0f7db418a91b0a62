#!/usr/bin/env bash
# Documents (and reproduces) where the vendored offline assets come from.
# NOT run at install or test time: its output is committed under assets/.
#
#   assets/vendor/bootstrap.min.css   <- npm bootstrap, dist/css/bootstrap.min.css
#   assets/vendor/bootstrap.rtl.min.css <- npm bootstrap, dist/css/bootstrap.rtl.min.css
#       (right-to-left pages: Arabic)
#   assets/geo/world_110m.json        <- npm plotly.js, dist/plotly-geo-assets.js
#   assets/geo/world_50m.json            (topojson objects pulled out with node)
#   assets/vendor/plotly-locale-fr.js <- npm plotly.js, dist/plotly-locale-fr.js
#       (the modebar's French titles and number format; a provenance line on top)
#   assets/vendor/plotly-locale-ar.js <- npm plotly.js, dist/plotly-locale-ar.js
#   assets/vendor/plotly.js-LICENSE.txt <- npm plotly.js, LICENSE
#
# Usage: scripts/vendor_assets.sh [OUT_DIR]   (default: the repo's assets/)
# Needs: bash, npm, node, tar, sed.  Only the npm registry is contacted.
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9   # newest 5.3.x when vendored
PLOTLYJS_VERSION=4.1.1    # must match the plotly.js bundled in the plotly
                          # Python package (plotly/offline/_plotlyjs_version.py)

OUT_DIR=${1:-"$(cd "$(dirname "$0")/.." && pwd)/assets"}
mkdir -p "$OUT_DIR/vendor" "$OUT_DIR/geo"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

# Download the published tarballs (npm verifies their integrity hashes).
npm pack --silent "bootstrap@$BOOTSTRAP_VERSION" "plotly.js@$PLOTLYJS_VERSION" >/dev/null
mkdir bs pl
tar -xzf "bootstrap-$BOOTSTRAP_VERSION.tgz" -C bs package/dist/css/bootstrap.min.css \
  package/dist/css/bootstrap.rtl.min.css
tar -xzf "plotly.js-$PLOTLYJS_VERSION.tgz" -C pl package/dist/plotly-geo-assets.js \
  package/dist/plotly-locale-fr.js package/dist/plotly-locale-ar.js package/LICENSE

# Bootstrap: keep @charset first (browsers ignore it anywhere else), put a
# provenance line after it, drop the trailing sourcemap comment (the .map file
# is not vendored, so the browser must not go looking for it).
for name in bootstrap.min.css bootstrap.rtl.min.css; do
  {
    printf '@charset "UTF-8";\n/* bootstrap %s, from the npm package, sourcemap comment removed */\n' "$BOOTSTRAP_VERSION"
    sed -e '/^\/\*# sourceMappingURL=.*\*\/$/d' -e '1s/^@charset "UTF-8";//' "bs/package/dist/css/$name"
  } > "$OUT_DIR/vendor/$name"
done

# Map shapes: plotly-geo-assets.js is a UMD bundle that sets window.Plotly =
# {topojson: {...}, version}. Run it in a sandbox and write out the two world
# maps as JSON. plotly.js fetches <topojsonURL>/<scope>_<resolution>m.json.
node -e '
const vm = require("vm"), fs = require("fs");
const [src, outDir, version] = process.argv.slice(1);
const sb = {}; sb.window = sb; sb.self = sb; vm.createContext(sb);
vm.runInContext(fs.readFileSync(src, "utf8"), sb);
const geo = sb.window.PlotlyGeoAssets || sb.window.Plotly;
if (geo.version !== version) throw new Error("geo assets version " + geo.version);
// Our maps never show rivers or subunits (state borders): drop those objects
// and the arcs only they use (about 16% of the 110m file gzipped). Turning on
// showrivers/showsubunits would need them back.
const KEEP = ["countries", "land", "coastlines", "lakes", "ocean"];
const mapArcs = (a, f) => (typeof a === "number" ? f(a) : a.map((x) => mapArcs(x, f)));
for (const name of ["world_110m", "world_50m"]) {
  const topo = geo.topojson[name];
  if (!topo || topo.type !== "Topology" || !topo.objects.countries)
    throw new Error(name + " is not a topojson Topology with countries");
  const objects = Object.fromEntries(KEEP.map((k) => [k, topo.objects[k]]));
  const used = new Set();
  for (const o of Object.values(objects))
    for (const g of o.geometries) if (g.arcs) mapArcs(g.arcs, (i) => used.add(i < 0 ? ~i : i));
  const order = [...used].sort((a, b) => a - b);
  const index = new Map(order.map((old, i) => [old, i]));
  for (const o of Object.values(objects))
    for (const g of o.geometries)
      if (g.arcs) g.arcs = mapArcs(g.arcs, (i) => (i < 0 ? ~index.get(~i) : index.get(i)));
  const pruned = { ...topo, objects, arcs: order.map((i) => topo.arcs[i]) };
  fs.writeFileSync(`${outDir}/${name}.json`, JSON.stringify(pruned));
}
' pl/package/dist/plotly-geo-assets.js "$OUT_DIR/geo" "$PLOTLYJS_VERSION"

# plotly.js's French and Arabic locales, as published: each registers itself
# with the Plotly global (assets/plotly_lazy.js loads them right after our bundle).
for pair in fr:French ar:Arabic; do
  code=${pair%%:*} language=${pair#*:}
  {
    printf '/*! plotly.js v%s %s locale: the npm package'"'"'s dist/plotly-locale-%s.js, unchanged below this line | Copyright (c) 2016-2024 Plotly Technologies Inc. | MIT licence: plotly.js-LICENSE.txt | vendored by scripts/vendor_assets.sh */\n' "$PLOTLYJS_VERSION" "$language" "$code"
    cat "pl/package/dist/plotly-locale-$code.js"
    echo
  } > "$OUT_DIR/vendor/plotly-locale-$code.js"
done
cp pl/package/LICENSE "$OUT_DIR/vendor/plotly.js-LICENSE.txt"

ls -l "$OUT_DIR"/vendor/plotly-locale-*.js "$OUT_DIR"/vendor/bootstrap*.min.css "$OUT_DIR/geo/world_110m.json" "$OUT_DIR/geo/world_50m.json"
