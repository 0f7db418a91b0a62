"""The HTML shell of the few pages served without Dash: sign-in, sign-out, a
donor link refused, a donor link made.

They work without JavaScript, are never indexed or cached, and use the app's
own stylesheets (fingerprinted like the index's, so a new release is fetched
at once; never a CDN). `install_standalone_pages` records those URLs once."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import dash
from dash import Dash
from flask import Response, current_app

from components.i18n import text_direction
from web.frontend import BOOTSTRAP, asset_url

_STYLESHEETS = "compass_standalone_stylesheets"  # app.extensions: bootstrap (ltr, rtl), compass.css, favicon


def install_standalone_pages(app: Dash) -> None:
    """Record the stylesheet and favicon URLs the pages name (called by install_web)."""
    app.server.extensions[_STYLESHEETS] = (
        {direction: asset_url(app, path) for direction, path in BOOTSTRAP.items()},
        asset_url(app, "compass.css"),
        f"{app.config.requests_pathname_prefix}_favicon.ico?v={dash.__version__}",  # as Dash's index
    )


def standalone_page(
    lang: str,
    title: str,
    main: str,
    *,
    status: int = 200,
    body_class: str = "",
    main_class: str = "container py-5",
    header: str = "",
    scripts: Iterable[str] = (),
) -> Response:
    """A page of `main` (HTML, escaped by the caller); `title`: the document's
    whole title, plain text."""
    bootstraps, compass, favicon = current_app.extensions[_STYLESHEETS]
    direction = text_direction(lang)
    script_tags = "".join(f'<script src="{escape(src)}"></script>\n' for src in scripts)
    markup = f"""<!DOCTYPE html>
<html lang="{escape(lang)}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)}</title>
<link rel="icon" type="image/x-icon" href="{escape(favicon)}">
<link rel="stylesheet" href="{escape(bootstraps[direction])}">
<link rel="stylesheet" href="{escape(compass)}">
</head>
<body{f' class="{escape(body_class)}"' if body_class else ""}>
{header}<main id="main" class="{escape(main_class)}">
{main}
</main>
{script_tags}</body>
</html>
"""
    response = current_app.response_class(markup, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
