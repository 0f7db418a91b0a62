"""The ceiling: a bare Flask app returning the dashboard's exact response bytes.

The bytes are read once at start (the file named by BENCH_CEILING_BODY, as the
dashboard answered the measured callback), so a request costs only routing
and writing: the most any Python web server on this machine can do with this
response. It answers the same path as Dash, so wrk replays the same request.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response


def create_app() -> Flask:
    payload = Path(os.environ["BENCH_CEILING_BODY"]).read_bytes()
    app = Flask(__name__)

    @app.post("/_dash-update-component")
    def callback() -> Response:
        return Response(payload, mimetype="application/json")

    return app
