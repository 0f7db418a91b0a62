/* COMPASS Dashboard: two things screen-reader and keyboard users need that the
 * components do not give.
 *
 * 1. Result counts read out. A filter, search or tick on the Partners page or
 *    the explorer writes a new URL and the page is rendered again from it, so a
 *    live region inside the page would be a new element each time (and a new
 *    live region is not read out). One polite live region lives here, outside
 *    the page; when the page at the same path is rendered again, the text of its
 *    elements marked data-announce (components/announce.py: the count, or the
 *    "nothing matches" message) is written into it. A new page is not read out
 *    this way: its title and heading say what it is.
 *
 * 2. dcc.Dropdown's Tab stop. Dash 4's dropdown puts a focusable
 *    <input aria-hidden="true"> before its button and moves focus from it to the
 *    button (for Safari, which skips buttons in the Tab order by default), so
 *    the Tab stop is an element hidden from assistive technology (axe:
 *    aria-hidden-focus). Here the button itself is the Tab stop and the input is
 *    taken out of the Tab order, also after the button's blur handler puts it
 *    back. Drop this part once dcc.Dropdown no longer renders
 *    .dash-dropdown-focus-target with aria-hidden (dash/dcc/async-dropdown.js).
 */
(function () {
  "use strict";
  var ANNOUNCED = "data-announce";
  var FOCUS_TARGET = "dash-dropdown-focus-target";
  var region = null;
  var lastPath = null;
  var scheduled = false;

  function liveRegion() {
    if (region && document.body.contains(region)) return region;
    region = document.createElement("div");
    region.id = "compass-announcer";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    document.body.appendChild(region);
    return region;
  }

  function announceNewCounts() {
    var marked = document.querySelectorAll("#main [" + ANNOUNCED + "]");
    var fresh = Array.prototype.filter.call(marked, function (el) {
      return !el.compassAnnounced;
    });
    if (!fresh.length) return;
    var text = Array.prototype.map
      .call(marked, function (el) {
        el.compassAnnounced = true;
        return el.textContent.trim();
      })
      .join(" ");
    if (location.pathname === lastPath) {
      // Emptied first so that the same count after another search is read again.
      var live = liveRegion();
      live.textContent = "";
      window.setTimeout(function () {
        live.textContent = text;
      }, 100);
    }
    lastPath = location.pathname;
  }

  function dropdownsTabbable() {
    var inputs = document.getElementsByClassName(FOCUS_TARGET);
    for (var i = 0; i < inputs.length; i++) {
      var button = inputs[i].nextElementSibling;
      if (!button || button.tagName !== "BUTTON" || button.disabled) continue;
      if (inputs[i].tabIndex !== -1) inputs[i].tabIndex = -1;
      if (button.tabIndex !== 0) button.tabIndex = 0;
    }
  }

  function update() {
    scheduled = false;
    dropdownsTabbable();
    announceNewCounts();
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(update);
  }

  function start() {
    liveRegion();
    lastPath = null;
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    // The dropdown's own blur handler (React's, on the root) makes its input a Tab
    // stop again; this listener on the document runs after it.
    document.addEventListener("focusout", function (event) {
      var input = event.target && event.target.previousElementSibling;
      if (input && input.classList && input.classList.contains(FOCUS_TARGET)) input.tabIndex = -1;
    });
    schedule();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
