"""Compression and static caching (web/compression.py), in-process."""

from __future__ import annotations

import gzip

import brotli
import pytest

from tests.helpers import make_app, router_body
from web.compression import STORE_KEY


def plotly_bundle_path(client) -> str:
    html = client.get("/").get_data(as_text=True)
    start = html.index("/_dash-component-suites/")
    return html[start : html.index('"', start)]


@pytest.mark.parametrize(("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_static_files_are_compressed_once(sqlite_engine, encoding, decode):
    app = make_app(sqlite_engine)
    client = app.server.test_client()
    store = app.server.extensions[STORE_KEY]
    for path in (plotly_bundle_path(client), "/assets/compass.css?m=1"):
        plain = client.get(path).data
        first = client.get(path, headers={"Accept-Encoding": f"{encoding}, identity"})
        misses = store.misses
        second = client.get(path, headers={"Accept-Encoding": f"{encoding}, identity"})
        assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == encoding
        assert decode(second.data) == plain and len(second.data) < len(plain)
        assert store.misses == misses  # served from the kept compressed copy
        assert (
            "immutable" in second.headers["Cache-Control"]
            and "max-age=31536000" in second.headers["Cache-Control"]
        )
        assert "no-cache" not in second.headers["Cache-Control"]


def test_cached_callback_responses_are_compressed_once(sqlite_engine):
    app = make_app(sqlite_engine)
    client = app.server.test_client()
    store = app.server.extensions[STORE_KEY]
    body = router_body("/countries/SEN")
    plain = client.post("/_dash-update-component", json=body).data
    first = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    misses = store.misses
    second = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert second.headers["Content-Encoding"] == "gzip" and gzip.decompress(second.data) == plain
    assert first.data == second.data and store.misses == misses


def test_pages_are_compressed(sqlite_engine):
    response = make_app(sqlite_engine).server.test_client().get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"_dash-component-suites" in gzip.decompress(response.data)
