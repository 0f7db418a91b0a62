"""`make run` (Werkzeug's development server) names no versions in its Server header."""

from __future__ import annotations

import threading
import urllib.request

from werkzeug.serving import make_server

import app as app_module
from tests.helpers import free_port, make_app
from web.dev_server import SERVER_NAME, QuietRequestHandler


def test_the_development_server_sends_no_versions(sqlite_engine):
    port = free_port()
    server = make_server(
        "127.0.0.1", port, make_app(sqlite_engine).server, request_handler=QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.headers.get_all("Server") == [SERVER_NAME]
    finally:
        server.shutdown()


def test_python_app_py_serves_through_the_quiet_handler(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'compass.db'}")
    monkeypatch.setenv("EXPORT_WARMUP", "0")  # no browser started by this test
    monkeypatch.setattr(app_module.Dash, "run", lambda self, **kwargs: seen.update(kwargs))
    app_module.main()
    assert seen["request_handler"] is QuietRequestHandler and seen["debug"] is False
