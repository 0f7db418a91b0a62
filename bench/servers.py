"""The servers under test, each under gunicorn with 2 workers on its own port.

- ceiling: bench/ceiling_app.py, the dashboard's response bytes from memory;
- dashboard: the app with the repo's gunicorn.conf.py, on PostgreSQL + Redis or
  SQLite + in-process cache, with COMPASS_QUERY_STATS=1 for /_stats/*;
- naive: bench/naive_app.py, pandas over raw rows on every callback.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench import procs

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
WORKERS = 2
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CALLBACK = "/_dash-update-component"
# The dashboards' secrets, new for each run: the production profile refuses the
# default SECRET_KEY, and /_stats/* answers only the holder of the stats token.
SECRET_KEY = secrets.token_urlsafe(32)
STATS_TOKEN = secrets.token_urlsafe(32)
STATS_AUTH = {"Authorization": f"Bearer {STATS_TOKEN}"}


@dataclass
class Server:
    """A gunicorn master we started, its port and log."""

    name: str
    port: int
    log: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        return procs.worker_pids(self.proc.pid) if self.proc else []

    def stop(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc)
            self.proc = None


def _base_env() -> dict[str, str]:
    """The caller's environment minus anything that would point a server elsewhere."""
    drop = ("DATABASE_URL", "CACHE_", "WEB_CONCURRENCY", "GUNICORN_", "COMPASS_", "PORT", "HOST")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def _start(name: str, app: str, env: Mapping[str, str], logs: Path, use_conf: bool) -> Server:
    port = procs.free_port()
    log = logs / f"{name}.log"
    command = [GUNICORN]
    if use_conf and GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
    else:  # the naive app may need far more than gunicorn's default 30 s per request at scale
        command += ["--timeout", "300"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), app]
    server = Server(name, port, log)
    # Every server gets the run's SECRET_KEY: gunicorn reads ./gunicorn.conf.py (which
    # refuses the default key) even without -c, the ceiling and naive servers too.
    env = {**_base_env(), "SECRET_KEY": SECRET_KEY, **env, "WEB_CONCURRENCY": str(WORKERS)}
    server.proc = procs.start(command, env, log, cwd=ROOT)
    try:
        procs.wait_listening(server.proc, port, log, timeout=120)
        _wait_workers(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_workers(server: Server, timeout: float = 60.0) -> None:
    """Wait until gunicorn has forked all its workers (so memory is read per worker)."""
    deadline = time.monotonic() + timeout
    while len(server.workers()) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.2)


def start_dashboard(name: str, database_url: str, cache: Mapping[str, str], logs: Path) -> Server:
    """The dashboard with query statistics on, so the bench can reset and count."""
    # No access log: the ceiling writes none either, and a line per request is not the app's cost.
    env = {
        "DATABASE_URL": database_url,
        "COMPASS_QUERY_STATS": "1",
        "COMPASS_STATS_TOKEN": STATS_TOKEN,
        "SECRET_KEY": SECRET_KEY,
        "GUNICORN_ACCESS_LOG": "off",
        # The bench measures pages: no chart renderer starting beside them in each worker.
        "EXPORT_WARMUP": "0",
        **cache,
    }
    return _start(name, "app:create_app()", env, logs, use_conf=True)


def redis_cache(prefix: str) -> dict[str, str]:
    return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}


def simple_cache() -> dict[str, str]:
    return {"CACHE_TYPE": "SimpleCache"}


def start_ceiling(response_file: Path, logs: Path) -> Server:
    return _start(
        "ceiling", "bench.ceiling_app:create_app()", {"BENCH_CEILING_BODY": str(response_file)}, logs, False
    )


def start_naive(database_url: str, logs: Path) -> Server:
    return _start("naive", "bench.naive_app:create_app()", {"DATABASE_URL": database_url}, logs, False)


# --- plain HTTP, one connection per client -------------------------------------------


class Client:
    """A keep-alive HTTP/1.1 connection to one server (the sequential cold sampler)."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes]:
        headers = (
            {"Content-Type": "application/json", "Accept": "application/json"} if body is not None else {}
        )
        headers.update(extra_headers or {})
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()  # the server closed a kept-alive connection: retry once on a new one
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        return response.status, response.read()

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        return self.request("POST", path, json.dumps(payload).encode())

    def close(self) -> None:
        self.conn.close()
