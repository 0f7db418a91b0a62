"""Dash's scripts fetched and run after the first paint, not during the page's parse.

The index page used to link Dash's scripts as `<script defer>`: fetched while
the HTML and CSS arrive, run right after parsing, and on a busy phone run before
the browser had painted anything, so the server-sent skeleton
(components/skeleton.py) waited for a megabyte of JavaScript. Here the index
keeps their tags inside a <template> (inert: neither fetched nor run; Dash's
check of the index still finds them), and the renderer's inline script (Dash's
public `app.renderer`, hashed into the CSP by `app.csp_hashes()`) adds them, in
order, once the first frame is painted, then starts Dash's renderer when the
last one has run. A hidden tab (opened in the background) loads them at once.
Lighthouse's simulated FCP and LCP then count only the HTML and CSS the skeleton
needs, which is what the reader waits for.
"""

from __future__ import annotations

import re

SCRIPTS_ID = "compass-scripts"
SCRIPTS_MARK = "<!--compass:scripts-->"
# Dash's external <script> tags ({%scripts%}); its inline ones (clientside callbacks) stay.
SCRIPT_TAG = re.compile(r'<script src="([^"]+)"></script>[ \t]*\n?')

_LOADER = """(function () {{
  var listed = document.getElementById("{scripts_id}").content.querySelectorAll("script[src]");
  var urls = Array.prototype.map.call(listed, function (s) {{ return s.getAttribute("src"); }});
  function start() {{ {start} }}
  function load() {{
    var last = null;
    urls.forEach(function (url) {{
      last = document.createElement("script");
      last.src = url;
      last.async = false;
      document.body.appendChild(last);
    }});
    if (last) {{ last.addEventListener("load", start); }} else {{ start(); }}
  }}
  if (document.visibilityState === "hidden") {{ load(); return; }}
  requestAnimationFrame(function () {{ setTimeout(load, 0); }});
}})();"""


def loader_script(start: str) -> str:
    """The inline script that loads the listed scripts after the first paint, then
    runs `start` (the statement that starts Dash's renderer)."""
    return _LOADER.format(scripts_id=SCRIPTS_ID, start=start)


def script_urls(page: str) -> list[str]:
    """The URLs of the external scripts linked by `page`, in order."""
    return SCRIPT_TAG.findall(page)


def move_scripts_to_loader(page: str) -> str:
    """`page` with its external <script> tags moved into the inert <template> that
    the loader reads, where the index template has SCRIPTS_MARK (before the
    renderer's script)."""
    tags = "".join(f'<script src="{url}"></script>' for url in script_urls(page))
    block = f'<template id="{SCRIPTS_ID}">{tags}</template>'
    return SCRIPT_TAG.sub("", page).replace(SCRIPTS_MARK, block, 1)
