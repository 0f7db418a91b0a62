"""Front-end wiring for a light first load: what the index page links and shows.

- plotly.js: dcc.Graph loads it lazily, injecting a <script> whose src is
  `window._dashPlotlyJSURL`, which dash-renderer points at the full plotly.min.js
  (4.8 MB, 1.4 MB gzipped). We serve `assets/vendor/plotly-compass.min.js` instead,
  built by scripts/build_plotly_bundle.sh with only the trace types our figure
  builders use (a third of the bytes). It stays lazy (pages without a chart never
  fetch it): an inline script makes `_dashPlotlyJSURL` return the bundle's
  fingerprinted URL, so the one-year immutable cache header applies to it
  (pages/compression.py); dash-renderer's own assignment is ignored.
- @babel/polyfill (core-js for old browsers, about a second of main-thread work on
  a mid-range phone) is replaced by the one global Dash's bundles use from it,
  `regeneratorRuntime` (assets/vendor/regenerator-runtime.min.js).
- dash_table's loader, which Dash links on every page, is left out: no page has a
  DataTable (about 60 ms less start-up on a mid-range phone).
- Every script is `defer`red and the renderer starts on DOMContentLoaded, so the
  HTML parser never waits for scripts and the server-sent skeleton
  (components/skeleton.py, in the reader's language) is painted as soon as the CSS
  is in.

Both vendor files are kept out of Dash's automatic asset <script> tags
(`assets_ignore`) but served from /assets/ like any asset. Server-side exports
(kaleido) keep using the plotly package's full plotly.js.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from dash import Dash
from flask import Response, request

from components.i18n import get_translator
from components.skeleton import SKELETON_CSS, skeleton_html
from config import LANGUAGES
from pages.urlstate import parse_lang

PLOTLY_BUNDLE = "vendor/plotly-compass.min.js"  # under the assets folder
REGENERATOR_RUNTIME = "vendor/regenerator-runtime.min.js"
TRACE_TYPES = ("scatter", "bar", "choropleth")  # what the bundle registers

LANG_MARK = "__compass_lang__"
SKELETON_MARK = "<!--compass:skeleton-->"
BABEL_POLYFILL_TAG = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')
# dash_table's loader: Dash links it on every page, and no page of ours has a DataTable
# (tests/test_frontend.py checks every layout), so it is not linked.
DASH_TABLE_TAG = re.compile(r'<script src="[^"]*/dash/dash_table/bundle[.][^"]*"></script>\s*')

_PLOTLY_URL_SCRIPT = """<script>
/* COMPASS: dcc.Graph loads plotly.js from window._dashPlotlyJSURL; make it our
   partial bundle (pages/frontend.py). dash-renderer's own assignment is ignored. */
(function (url) {
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true, get: function () { return url; }, set: function () {}
  });
})(%s);
</script>"""


def fingerprint(path: Path) -> str:
    """A short content hash: the same file gets the same URL on every host."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(app: Dash, relative: str) -> str:
    """The URL of an asset, cache-busted by its content."""
    return f"{app.get_asset_url(relative)}?m={fingerprint(Path(app.config.assets_folder) / relative)}"


def _ignore_vendor_scripts(app: Dash) -> None:
    """Keep our vendor scripts out of Dash's automatic <script> tags (they are still served)."""
    names = "|".join(re.escape(Path(p).name) for p in (PLOTLY_BUNDLE, REGENERATOR_RUNTIME))
    ours = f"^(?:{names})$"
    current = app.config.assets_ignore
    app.config.assets_ignore = f"(?:{current})|{ours}" if current else ours


def plotly_url_script(url: str) -> str:
    """The inline <script> that points dcc.Graph's lazy loader at `url`."""
    # json.dumps quotes the URL; "</" is escaped so it cannot close the tag.
    return _PLOTLY_URL_SCRIPT % json.dumps(url).replace("</", "<\\/")


def swap_polyfill(page: str, runtime_url: str) -> str:
    """Dash's @babel/polyfill <script> replaced by the regenerator runtime alone."""
    return BABEL_POLYFILL_TAG.sub(lambda _: f'<script src="{runtime_url}"></script>', page, count=1)


def drop_unused_bundles(page: str) -> str:
    """The index page without the <script> of dash_table, which no page uses."""
    return DASH_TABLE_TAG.sub("", page, count=1)


def defer_scripts(page: str) -> str:
    """`defer` on every external script: the parser never stops for them. Deferred
    scripts still run in document order, before DOMContentLoaded."""
    return page.replace('<script src="', '<script defer src="')


def start_after_deferred_scripts(renderer: str) -> str:
    """Dash's inline `new DashRenderer()` line, run once the deferred scripts have run."""
    body = renderer.replace("var renderer = ", "window.renderer = ", 1)
    return f'window.addEventListener("DOMContentLoaded", function () {{ {body} }});'


def _query(args) -> dict[str, object]:
    """Flask's query arguments the way Dash pages hand them to layouts (a list when repeated)."""
    return {key: values[0] if len(values) == 1 else values for key, values in args.lists()}


def configure_frontend(app: Dash) -> None:
    """Install the index page; serve our plotly.js bundle and runtime instead of Dash's."""
    _ignore_vendor_scripts(app)
    app.index_string = index_html(plotly_url_script(asset_url(app, PLOTLY_BUNDLE)))
    app.renderer = start_after_deferred_scripts(app.renderer)
    runtime_url = asset_url(app, REGENERATOR_RUNTIME)
    settings = app.server.config.get("COMPASS_SETTINGS")
    default_lang = settings.default_language if settings else "en"
    skeletons = {lang: skeleton_html(get_translator(lang)) for lang in LANGUAGES}

    @app.server.after_request
    def finish_index(response: Response) -> Response:
        """Fill in the reader's language and skeleton; swap and defer the scripts."""
        if response.mimetype != "text/html" or response.direct_passthrough:
            return response
        page = response.get_data(as_text=True)
        if SKELETON_MARK not in page:
            return response
        lang, _ = parse_lang(_query(request.args), default_lang)
        page = page.replace(LANG_MARK, lang, 1).replace(SKELETON_MARK, skeletons[lang], 1)
        response.set_data(defer_scripts(drop_unused_bundles(swap_polyfill(page, runtime_url))))
        return response


def index_html(head_scripts: str) -> str:
    """Dash's index template with our additions (Dash fills the {%...%} parts)."""
    return f"""<!DOCTYPE html>
<html lang="{LANG_MARK}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
        <style>{SKELETON_CSS}</style>
        {head_scripts}
    </head>
    <body>
        {SKELETON_MARK}
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""
