/* COMPASS Dashboard: the StaticHtml component (components/html_block.py).
 *
 * The server sends a subtree that no callback touches as HTML: one element with
 * its attributes, rendered by React, and its content as innerHTML (escaped on the
 * server). dash-renderer then manages one component instead of hundreds.
 * Links that were dcc.Links carry data-dash-link and are followed the way
 * dcc.Link follows them: a new history entry, Dash's router told, back to the top.
 */
(function () {
  "use strict";

  function followLink(event) {
    if (event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[data-dash-link]") : null;
    if (!link || !event.currentTarget.contains(link)) {
      return;
    }
    var target = link.getAttribute("target");
    if (target && target !== "_self") {
      return;
    }
    event.preventDefault();
    window.history.pushState({}, "", link.getAttribute("href"));
    // dcc.Location (Dash's pages router among them) reads the address again on
    // popstate, the event of back and forward: the page is rendered from it.
    window.dispatchEvent(new PopStateEvent("popstate", { state: {} }));
    window.scrollTo(0, 0);
  }

  function StaticHtml(props) {
    var attributes = Object.assign({}, props.attributes, { onClick: followLink });
    if (props.html) {
      attributes.dangerouslySetInnerHTML = { __html: props.html };
    }
    return window.React.createElement(props.tag, attributes);
  }

  // The namespace and type that components/html_block.py HtmlBlock sends.
  window.compass_static = { StaticHtml: StaticHtml };
})();
