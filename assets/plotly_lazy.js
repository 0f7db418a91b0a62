/* COMPASS Dashboard: load plotly.js, and draw each chart, only when a chart
 * comes near the screen.
 *
 * plotly.js is the heaviest script of the app (about half a second of main
 * thread on a mid-range phone just to start), and drawing a big chart takes as
 * long again (the overview's per-country bars with a full programme). A chart
 * below the fold is not looked at yet, so:
 *
 * - Loading. dcc.Graph's loader runs `Promise.resolve(window.Plotly || <inject
 *   script>)`. Until plotly.js is in, window.Plotly answers a "thenable" that
 *   settles once a chart (`.dash-graph`, rendered before plotly.js arrives) is
 *   within MARGIN of the viewport, or the reader scrolls, types or prints; it
 *   then injects our partial bundle, whose URL the index page names in
 *   <meta name="compass-plotly-url"> (web/frontend.py), as dcc.Graph would
 *   have injected Dash's full plotly.js, and right after it the plotly.js
 *   locales named in <meta name="compass-plotly-locale"> (French, Arabic and
 *   the Arabic toolbar's words), which
 *   register themselves with the Plotly global: the promise settles once they
 *   are in, so no chart is drawn before its toolbar can speak French or Arabic.
 * - Drawing. Plotly.react / Plotly.newPlot (dcc.Graph waits for the promise they
 *   return) are held for a chart further than MARGIN from the viewport until an
 *   IntersectionObserver sees it, then made with the latest figure.
 *
 * - Printing. Nothing may wait for the screen then: `window.compassCharts` lets
 *   assets/print.js have every chart drawn at once (plotly.js loaded if need be)
 *   and narrowed to the paper's width, and put back after printing.
 *
 * Loads after modebar_svg.js (Dash links assets in name order) and chains its
 * window.Plotly accessor, so both apply. The server-side exports do not use this.
 */
(function () {
  "use strict";
  var MARGIN = 200; // px around the viewport within which charts load and draw at once
  // A4 portrait less the print margins of assets/compass.css (@page), in CSS pixels.
  var PRINT_WIDTH = 680;
  var DRAW_ALL_TIMEOUT_MS = 8000; // a chart that cannot be drawn must not hold printing forever
  if (typeof IntersectionObserver === "undefined") {
    return; // very old browser: load and draw everything, as before
  }
  var nearScreen = { rootMargin: MARGIN + "px 0px" };

  // --- loading plotly.js ---------------------------------------------------

  var released = false;
  var waiting = []; // callbacks to run once plotly.js may load
  var graphWatch = null;
  var domWatch = null;

  function release() {
    if (released) {
      return;
    }
    released = true;
    if (graphWatch) graphWatch.disconnect();
    if (domWatch) domWatch.disconnect();
    ["scroll", "keydown", "pointerdown"].forEach(function (name) {
      window.removeEventListener(name, release, true);
    });
    waiting.splice(0).forEach(function (run) {
      run();
    });
  }

  function watchGraphs() {
    document.querySelectorAll(".dash-graph").forEach(function (graph) {
      graphWatch.observe(graph); // observing twice is a no-op
    });
  }

  function whenAChartIsNear(run) {
    if (released) {
      run();
      return;
    }
    waiting.push(run);
    if (!graphWatch) {
      graphWatch = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          release();
        }
      }, nearScreen);
      domWatch = new MutationObserver(watchGraphs);
      domWatch.observe(document.body, { childList: true, subtree: true });
      // Whatever the page looks like, a reader who scrolls or types gets the charts.
      ["scroll", "keydown", "pointerdown"].forEach(function (name) {
        window.addEventListener(name, release, { capture: true, passive: true });
      });
    }
    watchGraphs();
  }

  function bundleURL() {
    var meta = document.querySelector('meta[name="compass-plotly-url"]');
    return meta ? meta.content : "";
  }

  function localeURLs() {
    return Array.from(document.querySelectorAll('meta[name="compass-plotly-locale"]')).map(function (m) {
      return m.content;
    });
  }

  // Injected scripts with async = false run in the order they were added: the
  // locales after the bundle, both downloaded at once.
  function addScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      script.onload = function () { resolve(); };
      script.onerror = reject;
      document.body.appendChild(script);
    });
  }

  var loading = null;
  function loadPlotly() {
    if (!loading) {
      var bundle = addScript(bundleURL());
      // A locale that fails to load leaves the toolbar in English, never a chart undrawn.
      var locales = localeURLs().map(function (url) {
        return addScript(url).catch(function () {});
      });
      loading = Promise.all([bundle].concat(locales)).then(function () {});
    }
    return loading;
  }

  var gate = {
    then: function (resolve, reject) {
      whenAChartIsNear(function () {
        loadPlotly().then(resolve, reject);
      });
    },
  };

  // --- drawing -----------------------------------------------------------------

  var pending = new Map(); // graph div -> {draw, waiters}
  var printing = false; // while true every chart is drawn at once, wherever it is

  function nearViewport(gd) {
    var box = gd.getBoundingClientRect();
    return box.top < window.innerHeight + MARGIN && box.bottom > -MARGIN;
  }

  var drawWatch = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        drawNow(entry.target);
      }
    });
  }, nearScreen);

  function drawNow(gd) {
    var held = pending.get(gd);
    if (held) {
      pending.delete(gd);
      drawWatch.unobserve(gd);
      held.draw();
    }
  }

  function whenNear(original) {
    return function (gd) {
      var args = arguments;
      var self = this;
      if (printing || !(gd instanceof Element) || !gd.isConnected || nearViewport(gd)) {
        return original.apply(self, args);
      }
      return new Promise(function (resolve, reject) {
        // Several calls before the chart is drawn: draw the latest figure once,
        // and settle every caller's promise with that drawing.
        var held = pending.get(gd) || { waiters: [] };
        held.waiters.push([resolve, reject]);
        held.draw = function () {
          var done = Promise.resolve(original.apply(self, args));
          held.waiters.forEach(function (w) {
            done.then(w[0], w[1]);
          });
        };
        pending.set(gd, held);
        drawWatch.observe(gd);
      });
    };
  }

  function wrap(plotly) {
    if (!plotly || plotly === gate || plotly.__compassLazy) {
      return plotly;
    }
    ["react", "newPlot"].forEach(function (name) {
      if (typeof plotly[name] === "function") {
        plotly[name] = whenNear(plotly[name]);
      }
    });
    plotly.__compassLazy = true;
    return plotly;
  }

  // --- printing ------------------------------------------------------------------

  function undrawn() {
    return Array.from(document.querySelectorAll(".dash-graph")).filter(function (graph) {
      return !graph.querySelector(".main-svg");
    });
  }

  // Every chart drawn now; the promise settles once each has its SVG (or after a timeout).
  function drawAll() {
    printing = true;
    release();
    Array.from(pending.keys()).forEach(drawNow);
    var started = Date.now();
    return new Promise(function (resolve) {
      (function check() {
        if (!undrawn().length || Date.now() - started > DRAW_ALL_TIMEOUT_MS) {
          resolve();
          return;
        }
        setTimeout(check, 50);
      })();
    });
  }

  // Charts keep the width of the screen they were drawn on; paper is narrower.
  function fitCharts(forPrint) {
    if (!current || typeof current.relayout !== "function") {
      return;
    }
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var width = gd._fullLayout && gd._fullLayout.width;
      if (forPrint && !gd.__compassScreenWidth && width > PRINT_WIDTH) {
        gd.__compassScreenWidth = width;
        current.relayout(gd, { width: PRINT_WIDTH });
      } else if (!forPrint && gd.__compassScreenWidth) {
        delete gd.__compassScreenWidth;
        Promise.resolve(current.relayout(gd, { width: null })).then(function () {
          return current.Plots.resize(gd);
        });
      }
    });
  }

  window.compassCharts = {
    allDrawn: function () {
      return undrawn().length === 0;
    },
    drawAll: drawAll,
    prepareForPrint: function () {
      var done = drawAll();
      fitCharts(true);
      return done.then(function () {
        if (printing) fitCharts(true); // the charts drawn since
      });
    },
    afterPrint: function () {
      printing = false;
      fitCharts(false);
    },
  };

  var inner = Object.getOwnPropertyDescriptor(window, "Plotly");
  var current = wrap(window.Plotly);
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () {
      return current || gate;
    },
    set: function (value) {
      if (inner && inner.set) {
        inner.set.call(window, value); // modebar_svg.js wraps it first
        value = inner.get.call(window);
      }
      current = wrap(value);
    },
  });
})();
