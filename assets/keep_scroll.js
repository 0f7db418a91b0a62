/* COMPASS Dashboard: keep a list's scroll position and the focused checkbox
 * when the page renders again.
 *
 * The explorer's checklists (components/explorer_controls.py) apply at once: a
 * tick writes a new URL and the page is drawn again from it, replacing the
 * lists. Without this, a long list would jump back to its top and keyboard
 * focus would fall to the page after every tick. Boxes marked
 * data-keep-scroll="true" (with an id) are remembered as they scroll, and the
 * focused element inside one by its id; when new elements with those ids
 * appear, or a box's content is replaced (the browser then clamps its position
 * to the top), the scroll position and focus are put back.
 */
(function () {
  "use strict";
  var scrolls = {};
  var seen = {}; // id -> the element last restored, to know a new one
  var pending = {}; // id -> until when (ms) a new element may still take its position
  var WAIT_MS = 1500;

  function waiting(id) {
    return (pending[id] || 0) > Date.now();
  }
  var focused = null;

  function keeper(element) {
    return element && element.closest ? element.closest("[data-keep-scroll][id]") : null;
  }

  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (!(box && box.id && box.hasAttribute && box.hasAttribute("data-keep-scroll"))) {
      return;
    }
    var id = box.id;
    var saved = scrolls[id] || 0;
    if (box.scrollTop < saved && box.scrollHeight - box.clientHeight < saved - 1) {
      // Not the reader: the list was emptied while re-rendering and the browser
      // clamped its position. Put it back once the list is full again.
      pending[id] = Date.now() + WAIT_MS;
      return;
    }
    if (!waiting(id)) {
      scrolls[id] = box.scrollTop;
      seen[id] = box;
    }
  }, true);

  document.addEventListener("focusin", function (event) {
    focused = keeper(event.target) && event.target.id ? event.target.id : null;
  });

  function restore() {
    Object.keys(scrolls).forEach(function (id) {
      var box = document.getElementById(id);
      if (!box) {
        return;
      }
      if (box !== seen[id]) {
        seen[id] = box;
        pending[id] = Date.now() + WAIT_MS;
      }
      // A new box may fill in over several mutations: retry until it is tall enough.
      if (waiting(id) && box.scrollHeight - box.clientHeight >= scrolls[id]) {
        box.scrollTop = scrolls[id];
        pending[id] = 0;
      }
    });
    if (focused && (!document.activeElement || document.activeElement === document.body)) {
      var again = document.getElementById(focused);
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
  }

  new MutationObserver(restore).observe(document.documentElement, { childList: true, subtree: true });
})();
