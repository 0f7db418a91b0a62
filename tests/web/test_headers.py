"""Browser security headers (web/headers.py) on every kind of route."""

from __future__ import annotations

import pytest

from tests.helpers import make_app, router_body

ROUTES = [
    ("GET", "/", None),
    ("GET", "/countries/LBY?lang=fr", None),
    ("GET", "/no-such-page", None),
    ("GET", "/_dash-layout", None),
    ("GET", "/_dash-dependencies", None),
    ("POST", "/_dash-update-component", router_body("/countries/LBY")),
    ("GET", "/assets/compass.css", None),
    ("GET", "/export/programme-figures.csv?year=2022", None),
    ("GET", "/export/nothing.csv", None),  # an error answer too
    ("GET", "/healthz", None),
]


@pytest.fixture(scope="module")
def client(sqlite_engine):
    return make_app(sqlite_engine).server.test_client()


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def fetch(client, method: str, url: str, body, **kwargs):
    return client.open(url, method=method, json=body, **kwargs)


@pytest.mark.parametrize(("method", "url", "body"), ROUTES)
def test_every_route_carries_the_headers(client, method, url, body):
    response = fetch(client, method, url, body)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and all(
        s.startswith("'sha256-") for s in policy["script-src"][1:]
    )
    assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"] and policy["font-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_cached_and_compressed_callback_responses_keep_them(client):
    body = router_body("/countries/NER")
    first = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    again = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://dashboard.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    # a client's own X-Forwarded-Proto is not HTTPS: only the trusted proxy's is (gunicorn)
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_every_inline_script_of_the_index_is_allowed_by_its_hash(client):
    from html.parser import HTMLParser

    from web.headers import script_hash

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inline, self._open = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
                self._open = ""

        def handle_data(self, data):
            if self._open is not None:
                self._open += data

        def handle_endtag(self, tag):
            if tag == "script" and self._open is not None:
                self.inline.append(self._open)
                self._open = None

    for lang in ("en", "fr"):
        response = client.get(f"/partners?lang={lang}")
        parser = Scripts()
        parser.feed(response.get_data(as_text=True))
        allowed = directives(response.headers["Content-Security-Policy"])["script-src"]
        assert len(parser.inline) >= 2  # the renderer start and the skeleton's removal
        assert [script_hash(text) in allowed for text in parser.inline] == [True] * len(parser.inline)


def test_frame_ancestors_configurable(sqlite_engine):
    app = make_app(sqlite_engine, frame_ancestors="'self' https://intranet.example.org")
    policy = directives(app.server.test_client().get("/healthz").headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'", "https://intranet.example.org"]
