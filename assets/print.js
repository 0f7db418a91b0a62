/* COMPASS Dashboard: printing a page prints all of it.
 *
 * - Every chart is drawn first, at the paper's width (assets/plotly_lazy.js
 *   draws charts only as they come near the screen, and at the screen's width).
 * - Every closed <details> (the "Sources (n)" lists and source quotes) is opened,
 *   and closed again after printing, so the paper carries the sources.
 * - Ctrl/Cmd+P while some chart is not drawn yet: the browser takes its picture
 *   of the page as soon as printing starts, and plotly.js may still have to be
 *   fetched, so the charts are drawn first and the page then printed.
 *
 * The same steps run for `beforeprint`/`afterprint` and for the print media
 * query (which is what a browser's "emulate print" and PDF tools switch).
 * assets/compass.css (@media print) hides the navigation, menus and buttons.
 */
(function () {
  "use strict";
  var opened = []; // the <details> this script opened, to close after printing
  var active = false;

  function charts() {
    return window.compassCharts;
  }

  function beforePrint() {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
    if (!active && charts()) {
      charts().prepareForPrint();
    }
    active = true;
  }

  function afterPrint() {
    opened.splice(0).forEach(function (details) {
      details.open = false;
    });
    if (active && charts()) {
      charts().afterPrint();
    }
    active = false;
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var media = window.matchMedia("print");
    var changed = function (event) {
      if (event.matches) {
        beforePrint();
      } else {
        afterPrint();
      }
    };
    if (media.addEventListener) {
      media.addEventListener("change", changed);
    } else if (media.addListener) {
      media.addListener(changed); // Safari before 14
    }
  }

  window.addEventListener(
    "keydown",
    function (event) {
      var printKey = (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "p" || event.key === "P");
      if (!printKey || !charts() || charts().allDrawn()) {
        return;
      }
      event.preventDefault();
      charts()
        .drawAll()
        .then(function () {
          window.print();
        });
    },
    true
  );
})();
