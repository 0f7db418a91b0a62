"""Front-end wiring for a light first load: what the index page links and shows.

- plotly.js: assets/plotly_lazy.js loads it when a chart comes near the screen,
  from `assets/vendor/plotly-compass.min.js` (built by
  scripts/build_plotly_bundle.sh with only the trace types our figure builders
  use, a third of the full bundle's bytes), whose fingerprinted URL the index
  names in `<meta name="compass-plotly-url">`, so the one-year immutable cache
  header applies to it (web/compression.py). Pages without a chart never fetch it.
  Right after it come plotly.js's French and Arabic locales (`assets/vendor/plotly-locale-*.js`,
  <meta name="compass-plotly-locale">, small files) and the Arabic
  toolbar's words (`assets/plotly-locale-ar-dictionary.js`: npm's Arabic locale
  has none), so a chart drawn on a French or Arabic page has its toolbar in that
  language whichever language the reader started in (assets/modebar_svg.js sets
  each chart's `locale` from the page's lang).
- @babel/polyfill (core-js for old browsers, about a second of main-thread work on
  a mid-range phone) is replaced by the one global Dash's bundles use from it,
  `regeneratorRuntime` (assets/vendor/regenerator-runtime.min.js).
- dash_table's loader, which Dash links on every page, is left out: no page has a
  DataTable.
- The skeleton of a page whose heading and lede are fixed (pages/intros.py) shows
  them: the first paint is then also the page's largest (its LCP).
- No script is linked: the index lists Dash's scripts and the renderer's inline
  script adds them after the first paint, then starts the renderer
  (web/script_loader.py), so the server-sent skeleton (components/skeleton.py, in
  the reader's language) is painted as soon as the CSS is in.

- The title and the link-preview tags (description, canonical and hreflang
  links, Open Graph, Twitter) are the view's (web/previews.py); Dash's own page
  meta tags are turned off (`include_pages_meta`).

The index is finished in `interpolate_index`, Dash's public hook for it, once per
index request. Both vendor files are kept out of Dash's automatic asset
<script> tags (`assets_ignore`) but served from /assets/ like any asset.
Server-side exports (kaleido) keep using the plotly package's full plotly.js.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path

from dash import Dash
from flask import request

from components.i18n import get_translator, text_direction
from components.skeleton import SKELETON_CSS, skeleton_html
from config import LANGUAGES, Settings
from pages.intros import INTROS
from pages.previews import page_preview
from web.dash_adapters import PAGES_CONTENT_ID, renderer_start
from web.previews import FALLBACK_IMAGE, base_url, preview_tags
from web.requests import query_args
from web.script_loader import SCRIPTS_MARK, loader_script, move_scripts_to_loader

PLOTLY_BUNDLE = "vendor/plotly-compass.min.js"  # under the assets folder
REGENERATOR_RUNTIME = "vendor/regenerator-runtime.min.js"
# Each registers itself with plotly.js; plotly.js's Arabic locale has no words, ours
# (after it) gives the toolbar its Arabic titles.
PLOTLY_LOCALES = (
    "vendor/plotly-locale-fr.js",
    "vendor/plotly-locale-ar.js",
    "plotly-locale-ar-dictionary.js",
)
# Bootstrap for each writing direction: the index links the one of the page's language,
# and pages/navigation.py swaps it when the reader switches to or from Arabic.
BOOTSTRAP = {"ltr": "vendor/bootstrap.min.css", "rtl": "vendor/bootstrap.rtl.min.css"}
BOOTSTRAP_LINK_ID = "compass-bootstrap"
TRACE_TYPES = ("scatter", "bar", "choropleth")  # what the bundle registers

LANG_MARK = "__compass_lang__"
DIR_MARK = "__compass_dir__"
BOOTSTRAP_MARK = "__compass_bootstrap__"
SKELETON_MARK = "<!--compass:skeleton-->"
BABEL_POLYFILL_TAG = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')
# dash_table's loader: Dash links it on every page, and no page of ours has a DataTable
# (tests/test_frontend.py checks every layout), so it is not linked.
DASH_TABLE_TAG = re.compile(r'<script src="[^"]*/dash/dash_table/bundle[.][^"]*"></script>\s*')


def fingerprint(path: Path) -> str:
    """A short content hash: the same file gets the same URL on every host."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(app: Dash, relative: str) -> str:
    """The URL of an asset, cache-busted by its content."""
    return f"{app.get_asset_url(relative)}?m={fingerprint(Path(app.config.assets_folder) / relative)}"


def _ignore_vendor_scripts(app: Dash) -> None:
    """Keep our vendor scripts out of Dash's automatic <script> tags (they are still served)."""
    vendored = (PLOTLY_BUNDLE, REGENERATOR_RUNTIME, *PLOTLY_LOCALES, *BOOTSTRAP.values())
    names = "|".join(re.escape(Path(p).name) for p in vendored)
    ours = f"^(?:{names})$"
    current = app.config.assets_ignore
    app.config.assets_ignore = f"(?:{current})|{ours}" if current else ours


def plotly_url_meta(url: str, locale_urls: tuple[str, ...] = ()) -> str:
    """The <meta>s that tell assets/plotly_lazy.js where our plotly.js bundle and
    its locales are."""
    tags = [f'<meta name="compass-plotly-url" content="{escape(url, quote=True)}">']
    tags += [f'<meta name="compass-plotly-locale" content="{escape(u, quote=True)}">' for u in locale_urls]
    return "\n        ".join(tags)


def swap_polyfill(page: str, runtime_url: str) -> str:
    """Dash's @babel/polyfill <script> replaced by the regenerator runtime alone."""
    return BABEL_POLYFILL_TAG.sub(lambda _: f'<script src="{runtime_url}"></script>', page, count=1)


def drop_unused_bundles(page: str) -> str:
    """The index page without the <script> of dash_table, which no page uses."""
    return DASH_TABLE_TAG.sub("", page, count=1)


def configure_frontend(app: Dash, settings: Settings) -> None:
    """Install the index page; serve our plotly.js bundle and runtime instead of Dash's."""
    _ignore_vendor_scripts(app)
    locales = tuple(asset_url(app, locale) for locale in PLOTLY_LOCALES)
    bootstraps = {direction: asset_url(app, path) for direction, path in BOOTSTRAP.items()}
    app.index_string = index_html(plotly_url_meta(asset_url(app, PLOTLY_BUNDLE), locales), bootstraps)
    app.renderer = loader_script(renderer_start(app.renderer))
    runtime_url = asset_url(app, REGENERATOR_RUNTIME)
    app.config.include_pages_meta = False  # Dash's own tags: replaced by preview_tags
    fallback = asset_url(app, FALLBACK_IMAGE)
    skeletons = _skeletons()
    interpolate = app.interpolate_index

    def finish_index(**parts: str) -> str:
        """Dash's index with the view's language, title, preview tags and skeleton
        (the page's own heading where it is fixed); scripts moved to the loader."""
        preview = page_preview(request.path, query_args())
        base = base_url(settings)
        tags = preview_tags(preview, base, settings.default_language, base + fallback)
        metas = f"{parts.get('metas', '')}\n        {tags}"
        page = interpolate(**{**parts, "metas": metas, "title": escape(preview.title)})
        skeleton = (
            skeletons.get((preview.lang, request.path.rstrip("/") or "/")) or skeletons[(preview.lang, None)]
        )
        direction = text_direction(preview.lang)
        page = page.replace(LANG_MARK, preview.lang, 1).replace(DIR_MARK, direction, 1)
        page = page.replace(BOOTSTRAP_MARK, bootstraps[direction], 1).replace(SKELETON_MARK, skeleton, 1)
        return move_scripts_to_loader(drop_unused_bundles(swap_polyfill(page, runtime_url)))

    app.interpolate_index = finish_index


def _skeletons() -> dict[tuple[str, str | None], str]:
    """The skeleton of every language, generic (path None) and for each page whose
    heading and lede are fixed (pages/intros.py), built once."""
    found: dict[tuple[str, str | None], str] = {}
    for lang in LANGUAGES:
        t = get_translator(lang)
        found[(lang, None)] = skeleton_html(t, PAGES_CONTENT_ID)
        for path, intro in INTROS.items():
            found[(lang, path)] = skeleton_html(t, PAGES_CONTENT_ID, (intro.heading, intro.lede))
    return found


def bootstrap_link(bootstraps: dict[str, str]) -> str:
    """The Bootstrap <link> (href filled per request), naming both directions'
    stylesheets for the switch between them in the browser."""
    ltr, rtl = (escape(bootstraps[d], quote=True) for d in ("ltr", "rtl"))
    return (
        f'<link rel="stylesheet" id="{BOOTSTRAP_LINK_ID}" href="{BOOTSTRAP_MARK}" '
        f'data-ltr="{ltr}" data-rtl="{rtl}">'
    )


def index_html(head_tags: str, bootstraps: dict[str, str]) -> str:
    """Dash's index template with our additions (Dash fills the {%...%} parts).

    The scripts sit in a plain <div>, not the <footer> of Dash's own template:
    a second <footer> is a second contentinfo landmark beside the page's."""
    return f"""<!DOCTYPE html>
<html lang="{LANG_MARK}" dir="{DIR_MARK}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {bootstrap_link(bootstraps)}
        {{%css%}}
        <style>{SKELETON_CSS}</style>
        {head_tags}
    </head>
    <body>
        {SKELETON_MARK}
        {{%app_entry%}}
        <div class="dash-scripts">
            {{%config%}}
            {{%scripts%}}
            {SCRIPTS_MARK}
            {{%renderer%}}
        </div>
    </body>
</html>"""
