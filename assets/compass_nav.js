/* COMPASS Dashboard: controls write the next URL in the browser; Copy link
 * copies the pinned link of the view on screen.
 *
 * 1. `compass_nav.change` (a clientside callback, pages/navigation.py): a
 *    control sent a value. The view state Store of the rendered view says what
 *    each control sets (pages/share.py): a query key (a list is sorted and
 *    comma-joined, a text's white space collapsed, an empty or default value
 *    dropped) or, for the country select, the URL of each option. The new URL
 *    goes to the shell's dcc.Location; Dash's pages router renders it: one
 *    request per change. No URL rule lives here beyond that.
 * 2. Focus: the control that caused a change gets the focus back once the new
 *    view has replaced it (found again by its id).
 * 3. Native selects: a closed <select> fires `change` on every arrow key; a
 *    value chosen with the keyboard is applied on Enter or when the select
 *    loses focus, a mouse choice at once.
 * 4. Copy link: commits a search being typed, waits until the address and the
 *    view on screen agree (the button carries the path and query its view was
 *    rendered for), then copies the view's pinned link: the clipboard API, else
 *    a hidden textarea and execCommand("copy") (plain http from another host),
 *    else the link is shown selected in a field to copy by hand.
 */
(function () {
  "use strict";

  var NAVIGATE = "nav-location";
  var COPY = "nav-copy-link";
  var COPY_STATUS = "nav-copy-link-status";
  var COPY_MANUAL = "nav-copy-link-manual";
  var COPY_FIELD = "nav-copy-link-field";
  var FOCUS_WAIT_MS = 5000;
  var COPY_WAIT_MS = 6000;
  var COPIED_MS = 3000;
  var NAV_WAIT_MS = 2000; // for the address to take a URL a control wrote
  var KEY_MOVES = { ArrowUp: 1, ArrowDown: 1, ArrowLeft: 1, ArrowRight: 1, Home: 1, End: 1, PageUp: 1, PageDown: 1 };

  var keyed = null; // id of the select a key is moving right now
  var deferred = {}; // select id -> true: its value was moved with the keyboard
  var pending = {}; // select id -> the URL that value leads to, applied on Enter or blur
  var commitAsked = {}; // select id -> Enter/blur came before its callback ran
  var lastNav = null; // {from, at}: a URL was written at `at` while the address was `from`
  var focusWanted = null; // {id, element, until}: give the focus back after a render

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  // --- 1. the next URL ----------------------------------------------------------------

  function controlText(value, spec) {
    if (Array.isArray(value)) {
      var seen = {};
      return value
        .filter(function (v) { return v !== null && v !== undefined && v !== ""; })
        .map(String)
        .filter(function (v) { return seen[v] ? false : (seen[v] = true); })
        .sort()
        .join(",");
    }
    if (value === null || value === undefined) {
      return "";
    }
    var text = String(value);
    return spec && spec.text ? text.split(/\s+/).filter(Boolean).join(" ") : text;
  }

  function encode(text) {
    // As Python's urlencode(safe=","): spaces as "+", commas kept, !'()* escaped.
    return encodeURIComponent(text)
      .replace(/[!'()*]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); })
      .replace(/%20/g, "+")
      .replace(/%2C/g, ",");
  }

  function buildUrl(nav, changes) {
    var query = {};
    (nav.query || []).forEach(function (pair) { query[pair[0]] = pair[1]; });
    Object.keys(changes).forEach(function (key) {
      var text = changes[key];
      if (text === "" || (nav.defaults || {})[key] === text) {
        delete query[key];
      } else {
        query[key] = text;
      }
    });
    var order = (nav.order || []).slice();
    Object.keys(query).forEach(function (key) {
      if (order.indexOf(key) < 0) {
        order.push(key);
      }
    });
    var parts = [];
    order.forEach(function (key) {
      if (Object.prototype.hasOwnProperty.call(query, key)) {
        parts.push(encode(key) + "=" + encode(query[key]));
      }
    });
    return nav.path + (parts.length ? "?" + parts.join("&") : "");
  }

  /* The URL the controls' values lead to, or null when they show the view as it is. */
  function nextUrl(nav, inputs, values, triggered) {
    var changes = {};
    var target = null;
    var changed = false;
    inputs.forEach(function (input, n) {
      var spec = (nav.controls || {})[input.id];
      if (!spec) {
        return;
      }
      var text = controlText(values[n], spec);
      if (text === spec.shown) {
        return;
      }
      if (spec.urls) {
        if ((input.id === triggered || !target) && spec.urls[text]) {
          target = spec.urls[text];
        }
        return;
      }
      changes[spec.key] = text;
      changed = true;
    });
    if (target) {
      return target;
    }
    return changed ? buildUrl(nav, changes) : null;
  }

  function change() {
    var values = Array.prototype.slice.call(arguments);
    var state = values.pop();
    var context = window.dash_clientside.callback_context || {};
    var inputs = (context.inputs_list || []).map(function (item) {
      return Array.isArray(item) ? item[0] : item;
    });
    var nav = state && state.nav;
    if (!nav || !nav.path) {
      return noUpdate();
    }
    var triggered = context.triggered_id;
    var url = nextUrl(nav, inputs, values, triggered);
    if (typeof triggered === "string" && deferred[triggered]) {
      if (!commitAsked[triggered]) {
        pending[triggered] = url;
        return noUpdate();
      }
      delete commitAsked[triggered];
      delete deferred[triggered];
    }
    if (!url) {
      return noUpdate();
    }
    return navigate(url, document.activeElement, triggered);
  }

  function hideManual() {
    var box = document.getElementById(COPY_MANUAL);
    if (box) {
      box.hidden = true;
    }
  }

  function navigate(url, focusFrom, controlId) {
    hideManual(); // a link shown for copying by hand belongs to the view being left
    rememberFocus(focusFrom, controlId);
    lastNav = { from: window.location.href, at: Date.now() };
    return url;
  }

  // --- 2. focus kept across the render ---------------------------------------------------

  /* Remember where the focus goes back: the focused element when it lies in the
   * control that changed (a checkbox of a list, a select), else that control
   * (a dropdown whose menu, elsewhere in the page, had the focus). */
  function rememberFocus(element, controlId) {
    var control = typeof controlId === "string" ? document.getElementById(controlId) : null;
    var inControl = element && control && control.contains(element);
    var holder = element && element !== document.body && element.closest ? element.closest("[id]") : null;
    if (control && !inControl) {
      holder = control;
      element = control;
    }
    focusWanted = holder
      ? { id: holder.id, element: element, inner: holder !== element, until: Date.now() + FOCUS_WAIT_MS }
      : null;
  }

  function focusable(holder, inner) {
    if (!inner) {
      return holder;
    }
    return holder.querySelector("input, select, textarea, button, [tabindex]:not([tabindex='-1'])") || holder;
  }

  function restoreFocus() {
    if (!focusWanted) {
      return;
    }
    if (Date.now() > focusWanted.until) {
      focusWanted = null;
      return;
    }
    var active = document.activeElement;
    if (focusWanted.element.isConnected && active === focusWanted.element) {
      return; // not replaced (yet)
    }
    if (active && active !== document.body && active.isConnected && active !== focusWanted.element) {
      focusWanted = null; // the reader moved on
      return;
    }
    var holder = document.getElementById(focusWanted.id);
    if (!holder || (holder === focusWanted.element && holder.isConnected)) {
      return;
    }
    var target = focusable(holder, focusWanted.inner);
    target.focus({ preventScroll: true });
    if (document.activeElement === target) {
      focusWanted = null;
    }
  }

  new MutationObserver(restoreFocus).observe(document.documentElement, { childList: true, subtree: true });

  // --- 3. native selects: keyboard choices apply on Enter or blur ------------------------

  function isSelect(element) {
    return element && element.tagName === "SELECT" && element.id;
  }

  /* Apply a keyboard choice; `focusFrom`: where the focus went (blur) or the select (Enter). */
  function commit(id, focusFrom) {
    if (!deferred[id]) {
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(pending, id)) {
      commitAsked[id] = true; // its callback has not run yet: it will navigate
      return;
    }
    var url = pending[id];
    delete pending[id];
    delete deferred[id];
    if (url && window.dash_clientside && window.dash_clientside.set_props) {
      var select = document.getElementById(id);
      var control = focusFrom === select ? id : null;
      window.dash_clientside.set_props(NAVIGATE, { href: navigate(url, focusFrom, control) });
    }
  }

  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!isSelect(select)) {
      return;
    }
    if (event.key === "Enter") {
      commit(select.id, select);
      return;
    }
    var moves = KEY_MOVES[event.key] || (event.key.length === 1 && event.key !== " ");
    if (moves && !event.altKey && !event.ctrlKey && !event.metaKey) {
      keyed = select.id;
      setTimeout(function () { keyed = null; }, 0);
    }
  }, true);

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!isSelect(select)) {
      return;
    }
    if (keyed === select.id) {
      deferred[select.id] = true;
      delete pending[select.id];
    } else {
      delete deferred[select.id];
      delete pending[select.id];
      delete commitAsked[select.id];
    }
  }, true);

  document.addEventListener("focusout", function (event) {
    if (isSelect(event.target)) {
      commit(event.target.id, event.relatedTarget || event.target);
    }
  }, true);

  // --- 4. Copy link ------------------------------------------------------------------

  function queryOf(search) {
    var found = {};
    new URLSearchParams(search).forEach(function (value, key) {
      if (Object.prototype.hasOwnProperty.call(found, key)) {
        found[key] = [].concat(found[key], value);
      } else {
        found[key] = value;
      }
    });
    return found;
  }

  function sameValue(asked, value) {
    if (asked === null) {
      return value !== undefined;
    }
    return JSON.stringify(asked) === JSON.stringify(value);
  }

  /* True when the view on screen is the one the address asks for. */
  function viewMatchesAddress(button) {
    var path = button.getAttribute("data-path") || "";
    var here = decodeURIComponent(window.location.pathname).replace(/\/+$/, "").toLowerCase();
    if (path && here !== path.replace(/\/+$/, "").toLowerCase()) {
      return false;
    }
    var asked = JSON.parse(button.getAttribute("data-asked") || "{}");
    var query = queryOf(window.location.search);
    var keys = Object.keys(query);
    if (keys.length !== Object.keys(asked).length) {
      return false;
    }
    return keys.every(function (key) {
      return Object.prototype.hasOwnProperty.call(asked, key) && sameValue(asked[key], query[key]);
    });
  }

  /* False while a URL a control wrote has not reached the address yet (any later
   * change of address, a link or back, also ends the wait). */
  function addressShowsLastNav() {
    if (!lastNav) {
      return true;
    }
    if (window.location.href !== lastNav.from || Date.now() - lastNav.at > NAV_WAIT_MS) {
      lastNav = null;
      return true;
    }
    return false;
  }

  function commitTyping() {
    // A search being typed is applied on blur (dcc.Input debounce), as Enter would.
    var active = document.activeElement;
    if (active && (active.tagName === "INPUT" || active.tagName === "SELECT") && active.id !== COPY_FIELD) {
      active.blur();
    }
  }

  function whenSettled(started, done) {
    var button = document.getElementById(COPY);
    var ready = button && addressShowsLastNav() && viewMatchesAddress(button);
    if (ready || Date.now() - started > COPY_WAIT_MS) {
      done(document.getElementById(COPY));
      return;
    }
    setTimeout(function () { whenSettled(started, done); }, 50);
  }

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied;
  }

  function writeClipboard(text) {
    if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function showCopied(button) {
    var text = button.querySelector(".copy-link-text");
    var status = document.getElementById(COPY_STATUS);
    var copied = button.getAttribute("data-copied") || "";
    if (text && text.firstChild) {
      text.firstChild.nodeValue = copied;
    }
    button.setAttribute("data-state", "copied");
    hideManual();
    if (status) {
      status.textContent = copied;
    }
    clearTimeout(showCopied.timer);
    showCopied.timer = setTimeout(function () {
      var now = document.getElementById(COPY);
      var label = now && now.querySelector(".copy-link-text");
      if (label && label.firstChild) {
        label.firstChild.nodeValue = now.getAttribute("data-label") || "";
      }
      if (now) {
        now.removeAttribute("data-state");
      }
      var region = document.getElementById(COPY_STATUS);
      if (region) {
        region.textContent = "";
      }
    }, COPIED_MS);
  }

  function showManual(link) {
    var box = document.getElementById(COPY_MANUAL);
    var field = document.getElementById(COPY_FIELD);
    if (!box || !field) {
      return;
    }
    field.value = link;
    box.hidden = false;
    field.focus();
    field.select();
  }

  function copyView(button) {
    if (button.getAttribute("data-busy")) {
      return;
    }
    button.setAttribute("data-busy", "true");
    button.setAttribute("aria-busy", "true");
    commitTyping();
    // Let a control's last value reach its callback before judging what is pending.
    setTimeout(function () {
      whenSettled(Date.now(), function (settled) {
        var current = settled || button;
        var pinned = current.getAttribute("data-pinned");
        var link = pinned ? new URL(pinned, window.location.href).href : window.location.href;
        writeClipboard(link).then(function (copied) {
          button.removeAttribute("data-busy");
          button.removeAttribute("aria-busy");
          var shown = document.getElementById(COPY) || current;
          shown.removeAttribute("data-busy");
          shown.removeAttribute("aria-busy");
          if (copied) {
            showCopied(shown);
          } else {
            showManual(link);
          }
        });
      });
    }, 60);
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("#" + COPY) : null;
    if (button) {
      event.preventDefault();
      copyView(button);
    }
  });

  // The page's language and writing direction on <html> (screen readers, Arabic
  // right to left), and Bootstrap's stylesheet of that direction: the index links
  // one (web/frontend.py) and names both on its <link data-ltr data-rtl>.
  function language(_mounted, state) {
    var lang = (state && state.lang) || "en";
    var dir = (state && state.dir) === "rtl" ? "rtl" : "ltr";
    var root = document.documentElement;
    root.lang = lang;
    if (root.dir !== dir) {
      root.dir = dir;
      var link = document.querySelector("link[data-rtl][data-ltr]");
      var href = link && link.getAttribute("data-" + dir);
      if (href && link.getAttribute("href") !== href) {
        link.setAttribute("href", href);
      }
    }
    return lang;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.compass_nav = { change: change, language: language };
  // For tests of the URL rules without a browser (tests/test_share_js.py).
  window.compassNav = { controlText: controlText, buildUrl: buildUrl, nextUrl: nextUrl };
})();
