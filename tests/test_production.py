"""The production profile: callback response cache, /healthz, compression, /_stats,
and real gunicorn processes sharing PostgreSQL and Redis.

In-process tests use Flask's test client. The process tests start two servers
from gunicorn.conf.py, as production does, on the test PostgreSQL database and
Redis (skipped without them locally, required in CI).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from sqlalchemy import Engine

from config import REFERENCE_DIR, Settings
from data_access.loader import prepare_database
from data_access.version import bump_version
from tests.helpers import (
    REPO,
    STATS_AUTH,
    STATS_TOKEN,
    free_port,
    fresh_postgres,
    make_app,
    required_env,
    router_body,
)

COUNTRY_QUERY = "data_access.queries._country_results"


# --- Real processes: two gunicorn servers sharing PostgreSQL and Redis ---


class Server:
    """A gunicorn started from gunicorn.conf.py, as in production."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        full_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.process = subprocess.Popen(
            [str(REPO / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "app:create_app()"],
            cwd=REPO,
            env=full_env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, deadline_s: float = 90) -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"gunicorn not ready: {self.log.read_text()[-2000:]}")

    def request(
        self, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
        req = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
        return self.request(path, headers=headers)

    def post_json(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, bytes, dict]:
        return self.request(
            path, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})}
        )

    def reset(self) -> None:
        status, body, _ = self.post_json("/_stats/reset", {}, STATS_AUTH)
        assert status == 200, body

    def callback(self, pathname: str, search: str = "") -> bytes:
        status, body, _ = self.post_json("/_dash-update-component", router_body(pathname, search))
        assert status == 200, body[:500]
        return body

    def counts(self) -> dict[str, int]:
        return json.loads(self.get("/_stats/queries", STATS_AUTH)[1])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[tuple[Server, Server, Engine]]:
    """A: callback cache on; B: callback cache off (so its pages hit the shared query
    cache). Both: 2 gthread workers, the same PostgreSQL, Redis and key prefix."""
    database_url = required_env("TEST_DATABASE_URL")
    redis_url = required_env("TEST_REDIS_URL")
    engine = fresh_postgres(database_url)
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    logs = tmp_path_factory.mktemp("gunicorn")
    env = {
        "DATABASE_URL": database_url,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"compass-test-{uuid.uuid4().hex[:8]}:",
        "COMPASS_QUERY_STATS": "1",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "none",
        "SECRET_KEY": "test-shared-secret",
        "EXPORT_WARMUP": "0",  # these servers export nothing: no browser per worker
        "COMPASS_STATS_TOKEN": STATS_TOKEN,
    }
    a = Server(env, logs / "a.log")
    b = Server({**env, "CALLBACK_CACHE": "0"}, logs / "b.log")
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b, engine
        a.reset()
    finally:
        a.stop()
        b.stop()


BANNER_QUERY = "data_access.queries._has_synthetic_data"


def page_counts(counts: dict[str, int]) -> dict[str, int]:
    """The counters without the banner's lookup, which any worker's first request
    (whichever it is: gunicorn picks the worker) adds when it builds the root layout."""
    return {name: n for name, n in counts.items() if name != BANNER_QUERY}


def test_a_page_cached_by_one_process_is_a_hit_in_the_other(servers):
    a, b, _ = servers
    a.reset()
    from_a = a.callback("/countries/LBY", "?year=2022")
    filled = b.counts()  # counters live in Redis: the same from either server
    # (but for the banner's lookup, which a worker's first request counts: see below)
    assert filled[COUNTRY_QUERY] == 1 and page_counts(filled) == page_counts(a.counts())
    from_b = b.callback("/countries/LBY", "?year=2022")
    # B rendered the page from what A cached: none of the page's queries ran again.
    # (A fresh worker's first request also builds the root layout once, for Dash's
    # own check: the banner's lookup may be counted then; it is not the page's.)
    after_b = b.counts()
    assert {name: after_b[name] for name, n in filled.items() if n} == {n: v for n, v in filled.items() if v}
    assert json.loads(from_a) == json.loads(from_b)
    a.callback("/countries/LBY", "?year=2022")  # now also in A's in-process copy
    b.reset()  # a reset through B...
    a.callback("/countries/LBY", "?year=2022")
    assert a.counts()[COUNTRY_QUERY] == 1  # ...makes A cold too, in-process copy included


def test_a_data_version_bump_is_seen_by_both_processes(servers):
    a, b, engine = servers
    a.reset()
    a.callback("/countries/MAR")
    assert a.counts()[COUNTRY_QUERY] == 1
    with engine.begin() as conn:
        version = bump_version(conn)
    for server in (a, b):
        assert json.loads(server.get("/healthz", STATS_AUTH)[1])["data_version"] == version
    # Each worker reuses the version it read for at most DATA_VERSION_TTL_MS (1 s).
    end = time.monotonic() + 10
    while a.counts()[COUNTRY_QUERY] == 1 and time.monotonic() < end:
        a.callback("/countries/MAR")
        time.sleep(0.1)
    assert a.counts()[COUNTRY_QUERY] == 2  # A missed on the new version
    b.callback("/countries/MAR")
    assert b.counts()[COUNTRY_QUERY] == 2  # and B found A's result for it


def _stampede(server: Server, pathname: str, clients: int = 50) -> list[tuple[int, bytes]]:
    barrier = threading.Barrier(clients)
    results: list = [None] * clients

    def client(i: int) -> None:
        barrier.wait()
        results[i] = server.post_json("/_dash-update-component", router_body(pathname, "?year=2023"))[:2]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("which", ["response cache (A)", "query cache only (B)"])
def test_fifty_identical_cold_requests_query_once(servers, which):
    a, b, _ = servers
    server = a if which.endswith("(A)") else b
    # A worker may still reuse the data version of before an earlier test's bump
    # (DATA_VERSION_TTL_MS, 1 s): it would render, correctly, that older version.
    time.sleep(1.2)
    server.reset()
    results = _stampede(server, "/countries/TUN")
    assert {status for status, _ in results} == {200}
    assert len({body for _, body in results}) == 1
    computed = server.counts()
    assert computed[COUNTRY_QUERY] == 1
    assert max(computed.values()) == 1  # every query of the page ran once, none 50 times


def test_healthz_and_compression_over_http(servers):
    a, _, _ = servers
    status, body, headers = a.get("/healthz", STATS_AUTH)
    report = json.loads(body)
    assert status == 200 and report["status"] == "ok" and headers["Cache-Control"] == "no-store"
    assert report["database"]["backend"] == "postgresql" and report["cache"]["shared"] is True
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        status, page, headers = a.get("/", {"Accept-Encoding": encoding})
        assert status == 200 and headers["Content-Encoding"] == encoding
        assert b"_dash-component-suites" in decode(page)
    _, plain, _ = a.get("/assets/compass.css?m=1")
    _, packed, headers = a.get("/assets/compass.css?m=1", {"Accept-Encoding": "br, gzip"})
    assert headers["Content-Encoding"] == "br" and brotli.decompress(packed) == plain
    assert "immutable" in headers["Cache-Control"]


def test_settings_for_gunicorn_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "none")
    monkeypatch.setenv("DATA_VERSION_TTL_MS", "250")
    monkeypatch.setenv("COMPASS_QUERY_STATS", "yes")
    settings = Settings.from_env()
    assert (settings.workers, settings.threads, settings.access_log) == (3, 8, "none")
    assert settings.data_version_ttl_ms == 250 and settings.query_stats is True
    monkeypatch.setenv("COMPASS_QUERY_STATS", "maybe")
    with pytest.raises(SystemExit, match="COMPASS_QUERY_STATS"):
        Settings.from_env()


def test_sessions_are_still_signed_cookies_with_the_shared_secret(sqlite_engine):
    """The app stores nothing in the session; were it to, the reused signer must
    behave like Flask's: a cookie signed with SECRET_KEY is read back on any host
    with the same key, a tampered or foreign one is ignored."""
    from flask import session

    def make(secret: str):
        server = make_app(sqlite_engine, secret_key=secret).server

        @server.get("/_test/session/<value>")
        def put(value):
            session["v"] = value
            return "ok"

        @server.get("/_test/session")
        def read():
            return session.get("v", "none")

        return server

    host_a, host_b, other = make("shared"), make("shared"), make("another")
    client = host_a.test_client()
    client.get("/_test/session/42")
    cookie = client.get_cookie("session").value
    for server, expected in ((host_b, "42"), (other, "none")):
        reader = server.test_client()
        reader.set_cookie("session", cookie)
        assert reader.get("/_test/session").data.decode() == expected
    tampered = host_b.test_client()
    tampered.set_cookie("session", cookie[:-2] + "xx")
    assert tampered.get("/_test/session").data.decode() == "none"
    assert host_b.test_client().get("/_test/session").data.decode() == "none"  # no cookie at all


def test_production_profile_refuses_the_default_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    for secret in (None, "dev-only-change-me"):
        run_env = {**env, "HOST": "127.0.0.1", "PORT": str(free_port())}
        if secret is not None:
            run_env["SECRET_KEY"] = secret
        process = subprocess.Popen(
            [str(REPO / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "app:create_app()"],
            cwd=REPO,
            env=run_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.terminate()  # it started: a graceful stop takes its workers down too
            process.communicate(timeout=30)
            pytest.fail(f"gunicorn started with SECRET_KEY={secret!r}")
        assert process.returncode != 0
        assert "SECRET_KEY" in stderr and "secrets.token_urlsafe(32)" in stderr
        assert "Traceback" not in stderr


def test_security_headers_health_and_stats_over_http(servers):
    """Behind the proxy (gunicorn trusts X-Forwarded-Proto from 127.0.0.1): HSTS on
    HTTPS only; /healthz without backend names; /_stats without the token refused."""
    a, _, _ = servers
    _, _, plain = a.get("/")
    assert (
        "default-src 'self'" in plain["Content-Security-Policy"] and "Strict-Transport-Security" not in plain
    )
    assert plain["X-Content-Type-Options"] == "nosniff"
    _, _, proxied = a.get("/", {"X-Forwarded-Proto": "https"})
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"
    status, body, _ = a.get("/healthz")
    assert status == 200 and json.loads(body) == {
        "status": "ok",
        "database": {"ok": True},
        "data": {"ok": True},
        "cache": {"ok": True},
    }
    assert a.get("/_stats/queries")[0] == 403
    status, _, _ = a.request("/_stats/reset", b"{}", {**STATS_AUTH, "Origin": "http://evil.example"})
    assert status == 403
