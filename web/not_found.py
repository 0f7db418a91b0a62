"""Unknown paths answer 404, briefly, and /robots.txt is a real file.

- `/_dash-component-suites/...` that Dash has not registered: Dash raises
  DependencyException (its message lists every registered path), which answered
  500 and logged about 3 KB per request. Now: 404, a short text, one log line.
- Any other path that no registered page matches (`/nonexistent`,
  `/countries/LBY/extra`): the index page as before, which Dash's router fills
  with the friendly not-found page (pages/not_found_404.py) in the browser, but
  with status 404 instead of 200. A path matches a page when it is the page's
  path, or its path template with each `<variable>` one non-empty path segment
  (an unknown ISO3 on `/countries/<iso3>` is the country page's own notice: 200).
- `/robots.txt`: text/plain; the pages, what renders them and the link-preview
  images are public; exports and the operator routes are not for crawlers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import dash
from dash import Dash
from dash.exceptions import DependencyException
from flask import Flask, Response, request

from web.dash_adapters import CATCH_ALL_ENDPOINT, COMPONENT_SUITES_ENDPOINT, wrap_view
from web.responses import plain_text

log = logging.getLogger(__name__)

ROBOTS_PATH = "/robots.txt"
# Crawlers that render pages need Dash's own routes (the layout, the component
# bundles and the callbacks that fill a page), and unfurlers that honour robots.txt
# (Twitter's) the preview images: those stay open. Exports are drawn per request.
# No sitemap is named: there is none.
# Disallow lines first: some parsers take the first rule that matches, not the longest.
ROBOTS_TXT = """User-agent: *
Disallow: /export/
Disallow: /_stats/
Disallow: /healthz
Allow: /preview/
Allow: /_dash-layout
Allow: /_dash-dependencies
Allow: /_dash-component-suites/
Allow: /_dash-update-component
Allow: /
"""
_VARIABLE = re.compile(r"<[^<>]+>")


def _template_pattern(template: str) -> re.Pattern:
    parts = _VARIABLE.split(template.strip("/"))
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def known_page_path(path: str) -> bool:
    """Whether `path` is one of the registered pages (dash.page_registry, public)."""
    path = path.strip("/")
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template and _template_pattern(template).fullmatch(path):
            return True
        if path == str(page.get("path", "")).strip("/"):
            return True
    return False


def _status_for_unknown_pages(view: Callable) -> Callable:
    def index_or_not_found(*args, **kwargs):
        response = view(*args, **kwargs)
        if known_page_path(request.path):
            return response
        response = Response(response) if isinstance(response, str) else response
        response.status_code = 404
        return response

    return index_or_not_found


def _short_404_for_missing_files(view: Callable) -> Callable:
    def component_file(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (DependencyException, OSError):
            log.info("no such component file: %s", request.path[:200])
            return plain_text(404, "No such file.")

    return component_file


def robots_txt() -> Response:
    response = Response(ROBOTS_TXT, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def register_robots_route(server: Flask) -> None:
    server.add_url_rule(ROBOTS_PATH, "robots_txt", robots_txt, methods=["GET"])


def install_not_found(app: Dash) -> None:
    """404 for unknown component files and unknown pages; /robots.txt."""
    wrap_view(app, COMPONENT_SUITES_ENDPOINT, _short_404_for_missing_files)
    wrap_view(app, CATCH_ALL_ENDPOINT, _status_for_unknown_pages)
    register_robots_route(app.server)
