"""The server-sent first screen: what a reader sees while Dash's scripts load.

Dash sends an empty page and builds everything in the browser, so on a slow
connection nothing shows for seconds. The index page carries this skeleton
instead: the navigation bar's colour and name, the page's own heading and lede
when they are fixed (pages/intros.py) or else the programme's full name, and a
loading line, in the reader's language. The lede is the largest text of the
first screen, so the page's Largest Contentful Paint is the first paint: the
page's own lede, drawn later with the same looks, is no larger. It sits over the top of the page (out of
the flow, so nothing moves when it goes) and a small inline script removes it in
the same frame as Dash renders the page's content (into the element whose id
the delivery layer passes in).

Its classes are Bootstrap utilities only (no `.lead`, `.navbar-brand`...), so
nothing that looks for the real page's elements can find the skeleton instead.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from components.i18n import N_

SKELETON_ID = "compass-skeleton"
LEDE = N_(
    "Cooperation on Migration and Partnerships to Achieve Sustainable Solutions: "
    "the results the programme has published, by country and year."
)
LOADING = N_("Loading the dashboard\u2026")

SKELETON_CSS = (
    f"#{SKELETON_ID}{{position:absolute;top:0;left:0;right:0;z-index:1000;min-height:100vh;background:#fff}}"
    f"#{SKELETON_ID} .compass-skeleton-bar{{background:var(--compass-blue,#0b4f8a);color:#fff;"
    "padding:.75rem 0;font-size:1.25rem}"
    # Dash's own "Loading..." line is covered by ours: keep it from being read out twice.
    f"#{SKELETON_ID}~#react-entry-point ._dash-loading{{visibility:hidden}}"
)

# Removes the skeleton once the page content is in (a MutationObserver callback
# runs before the next paint, so the two never show together). Its exact text is
# hashed into the Content-Security-Policy (web/headers.py): no other inline script runs.
_REMOVE_SCRIPT = """
(function () {{
  var skeleton = document.getElementById("{skeleton}");
  new MutationObserver(function (_, observer) {{
    if (document.querySelector("#{content} > *")) {{
      observer.disconnect();
      skeleton.remove();
    }}
  }}).observe(document.body, {{ childList: true, subtree: true }});
}})();
"""


def remove_script(content_id: str) -> str:
    """The text of the inline script that removes the skeleton (without its tags)."""
    return _REMOVE_SCRIPT.format(skeleton=SKELETON_ID, content=escape(content_id))


def _intro_html(t: Callable[[str], str], intro: tuple[str, str] | None) -> str:
    """The page's heading (looking like its h1, but not one: the page's own comes
    with it) and lede (Bootstrap's .lead is fs-5 fw-light); the programme's name alone
    without an intro."""
    if intro is None:
        return f'<p class="fs-5 fw-light">{escape(t(LEDE))}</p>'
    heading, lede = intro
    return f'<p class="h2">{escape(t(heading))}</p>\n                <p class="fs-5 fw-light">{escape(t(lede))}</p>'


def skeleton_html(t: Callable[[str], str], content_id: str, intro: tuple[str, str] | None = None) -> str:
    """The skeleton's markup, in the language of `t`, and the script that removes
    it once the element `content_id` (where Dash renders the page) has content.
    `intro`: the page's (heading, lede) msgids, when they do not depend on the data."""
    script = f"<script>{remove_script(content_id)}</script>"
    return f"""<div id="{SKELETON_ID}">
            <div class="compass-skeleton-bar"><div class="container-lg">
                <span class="fw-bold">COMPASS</span> {escape(t("Dashboard"))}
            </div></div>
            <div class="container-lg pt-3">
                {_intro_html(t, intro)}
                <p class="text-body-secondary">
                    <span class="spinner-border spinner-border-sm me-2" aria-hidden="true"></span>{escape(t(LOADING))}
                </p>
            </div>
        </div>
        {script}"""
