// Builds the two front-end files COMPASS serves from assets/vendor/:
//
// - plotly-compass.min.js: entry.js bundled with esbuild the way plotly.js builds
//   its dist files (node_modules/plotly.js/esbuild-config.js: IIFE, global
//   `Plotly`, es2016), minified, with plotly.js's licence header on top;
// - regenerator-runtime.min.js: the `regeneratorRuntime` global that Dash's
//   bundles expect, minified; it replaces the whole @babel/polyfill Dash links
//   (core-js polyfills that current browsers do not need).
import { build, transform } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const outDir = process.argv[2];
if (!outDir) throw new Error('usage: node build.mjs OUT_DIR');

const entry = new URL('./entry.js', import.meta.url).pathname;
const { version } = require('plotly.js/package.json');
const traces = [...readFileSync(entry, 'utf8').matchAll(/require\('plotly\.js\/lib\/(\w+)'\)/g)]
    .map((m) => m[1]).filter((name) => name !== 'core');

await build({
    entryPoints: [entry],
    outfile: join(outDir, 'plotly-compass.min.js'),
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    // src/registry.js imports maplibre-gl's CSS for map traces only; we have none.
    loader: { '.css': 'empty' },
    banner: {
        js: `/*! plotly.js v${version} partial bundle for COMPASS (traces: ${traces.join(', ')}) | ` +
            'Copyright 2012-2026, Plotly, Inc. | MIT licence | built by scripts/build_plotly_bundle.sh */',
    },
    logLevel: 'info',
});

// A plain script (no bundling, no wrapper): its top-level `var runtime` and the
// assignment to `regeneratorRuntime` must stay global.
const runtimePath = require.resolve('regenerator-runtime/runtime.js');
const runtimeVersion = require('regenerator-runtime/package.json').version;
const runtime = await transform(readFileSync(runtimePath, 'utf8'), { minify: true, legalComments: 'none' });
writeFileSync(
    join(outDir, 'regenerator-runtime.min.js'),
    `/*! regenerator-runtime v${runtimeVersion} | Copyright (c) 2014-present, Facebook, Inc. | MIT licence */\n` +
        runtime.code,
);
console.log(`  ${join(outDir, 'regenerator-runtime.min.js')}`);
