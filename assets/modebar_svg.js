/* COMPASS Dashboard: an "SVG" button beside Plotly's PNG camera on every chart,
 * and every chart's toolbar in the page's language.
 *
 * dcc.Graph's `config` is JSON, so it cannot carry the click function of a
 * custom toolbar button. plotly.js is loaded lazily and assigns window.Plotly;
 * this wraps Plotly.react/newPlot as it arrives and adds the button to each
 * chart's config. The file name is the chart's own toImageButtonOptions name
 * (e.g. compass-migrants_return_assistance-LBY-2022), so PNG and SVG match.
 *
 * The same wrapper is the one place that sets each chart's `locale` from the
 * page's <html lang> (which pages/navigation.py keeps current): "fr" gives the
 * toolbar's French titles and French number formats, from plotly.js's locale
 * that assets/plotly_lazy.js loads with the bundle.
 */
(function () {
  "use strict";
  var BUTTON = "compassDownloadSvg";

  function pageLanguage() {
    var lang = document.documentElement.lang;
    return lang === "fr" || lang === "ar" ? lang : "en";
  }

  function label() {
    var lang = pageLanguage();
    return lang === "fr" ? "Télécharger en SVG" : lang === "ar" ? "تنزيل بصيغة SVG" : "Download as SVG";
  }

  function withSvgButton(plotly, config) {
    var out = Object.assign({}, config || {});
    var buttons = (out.modeBarButtonsToAdd || []).filter(function (b) {
      return !(b && b.name === BUTTON);
    });
    var filename = (out.toImageButtonOptions || {}).filename || "compass-chart";
    buttons.push({
      name: BUTTON,
      title: label(),
      icon: plotly.Icons.disk || plotly.Icons.camera,
      click: function (gd) {
        plotly.downloadImage(gd, { format: "svg", filename: filename });
      },
    });
    out.modeBarButtonsToAdd = buttons;
    out.locale = pageLanguage();
    return out;
  }

  function wrap(plotly) {
    if (!plotly || plotly.__compassSvg) {
      return plotly;
    }
    ["react", "newPlot"].forEach(function (name) {
      var original = plotly[name];
      if (typeof original !== "function") {
        return;
      }
      plotly[name] = function (gd, data, layout, config) {
        // Object form, as dcc.Graph calls it: Plotly.react(gd, {data, layout, config, frames}).
        if (data && !Array.isArray(data) && typeof data === "object") {
          return original.call(plotly, gd, Object.assign({}, data, { config: withSvgButton(plotly, data.config) }));
        }
        return original.call(plotly, gd, data, layout, withSvgButton(plotly, config));
      };
    });
    plotly.__compassSvg = true;
    return plotly;
  }

  var current = wrap(window.Plotly);
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () {
      return current;
    },
    set: function (value) {
      current = wrap(value);
    },
  });
})();
