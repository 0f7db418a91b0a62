// plotly.js with only the trace types the COMPASS figure builders create
// (components/*figures.py: go.Choropleth, go.Bar, go.Scatter; scatter is in
// core anyway). Same pattern as plotly.js's own lib/index-*.js partial bundles.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/scatter'),
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
]);

module.exports = Plotly;
