"""The delivery layer: everything between Flask/Dash and the pages.

Response caching, compression, sessions, the index page, static HTML islands,
operator routes, file downloads and exports live here, and every private name
of Dash or its libraries that the app relies on sits in web/dash_adapters.py.
Pages never import this package: they state what they need through
pages/contract.py, which this layer reads.

`install_web(app, settings)` installs it all, in this order:

1. compression and sessions on the Flask server (before any other
   `after_request`, so that compression sees the finished response), the
   audience of each request (web/audience.py: public, staff, a donor link), and
   the reader behind `pages.contract.page_query()`;
2. the index page (frontend);
3. static islands: every registered page layout is wrapped, so the pages and
   every callback must be registered before (the wrapper reads the callbacks'
   ids on first use);
4. the callback response cache, in front of Dash's callback route;
5. the callback guard, in front of the cache: a forged or malformed callback
   request is answered 400 before any cache lookup or query;
6. plain Flask routes: /healthz and /_stats, the template downloads, /export/,
   /preview/ (link-preview images, web/previews.py); staff sign-in (/login,
   /logout, the session cookie's flags, the staff audience resolver and the
   same-origin check of every POST: web/auth.py); donor links (/s/<token>,
   the lock of a link reader to its view, POST /share/new and the `share`
   commands: web/donor_links.py);
   404 for unknown pages and component files, and /robots.txt (not_found.py);
7. the browser security headers (web/headers.py) on every response, cached
   callback responses and 404s included;
8. bounds: request size on every route, the rate limit of figure exports and
   briefs (web/limits.py), once the export route exists.

Where a server starts serving, `set_up_before_serving` (web/first_request.py)
runs Dash's first-request set-up once, rather than raced by a worker's first
requests.
"""

from __future__ import annotations

from dash import Dash

from config import Settings
from pages.contract import QUERY_READER
from web.audience import install_audience
from web.auth import install_auth
from web.callback_cache import install_callback_cache
from web.callback_guard import install_callback_guard
from web.compression import configure_compression
from web.donor_links import install_donor_links
from web.downloads import register_download_routes
from web.exports import register_export_routes
from web.frontend import configure_frontend
from web.headers import install_security_headers
from web.limits import install_limits
from web.not_found import install_not_found
from web.operations import register_operation_routes
from web.previews import register_preview_routes
from web.requests import page_query
from web.sessions import install_session_interface
from web.standalone_page import install_standalone_pages
from web.static_islands import install_static_islands


def install_server(app: Dash) -> None:
    """Step 1: what the Flask server needs before any route answers."""
    configure_compression(app.server)  # Dash's compress=True, compressing each static file once
    install_session_interface(app.server)
    install_audience(app.server)  # who asks, before anything is read (web/audience.py)
    app.server.extensions[QUERY_READER] = page_query  # pages.contract.page_query()


def install_web(app: Dash, settings: Settings) -> None:
    """Steps 1-8 above, on an app whose pages and callbacks are registered."""
    install_server(app)
    configure_frontend(app, settings)
    install_static_islands(app)  # static parts of each page sent as HTML
    install_callback_cache(app, settings)
    install_callback_guard(app)  # wraps the cache, so it runs first
    register_operation_routes(app.server, settings)
    register_download_routes(app.server)
    register_export_routes(app.server)
    register_preview_routes(app.server)  # /preview/<page>.png: link-preview images
    install_standalone_pages(app)  # the shell of the sign-in and donor-link pages
    install_auth(app, settings)  # /login, /logout, the staff audience, same-origin POSTs
    install_donor_links(app, settings)  # /s/<token>, the lock to a link's view, POST /share/new
    install_not_found(app)
    install_security_headers(app, settings)
    install_limits(app.server, settings)
