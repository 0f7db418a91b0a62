"""The development server of `make run` (Werkzeug), without its version banner.

Werkzeug's handler sends `Server: Werkzeug/<version> Python/<version>` with
every response: nothing a reader needs, and a free hint for anyone looking for a
known flaw. The production profile (gunicorn) is configured in gunicorn.conf.py.
"""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler

SERVER_NAME = "COMPASS Dashboard"


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, naming the product instead of the versions."""

    def version_string(self) -> str:  # http.server.BaseHTTPRequestHandler's public hook
        return SERVER_NAME
