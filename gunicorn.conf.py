"""Production profile: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Every value comes from the environment through config.Settings (the README's
configuration table lists them): WEB_CONCURRENCY workers (default 2), listening
on HOST:PORT, GUNICORN_THREADS threads per worker (4), GUNICORN_TIMEOUT,
GUNICORN_ACCESS_LOG. DATABASE_URL, CACHE_REDIS_URL etc. are read by the app.

Choices:
- preload_app: the app (Dash, plotly, pandas: most of a worker's memory) is
  imported once in the master and shared copy-on-write by the workers, which
  start in milliseconds; a broken configuration fails once at start, not in a
  crash loop. The price: code changes need a restart, not a HUP. The app opens
  no connection at build time, and `post_fork` drops any pooled connection
  anyway, so no database socket is ever shared between processes.
- gthread workers with 4 threads (GUNICORN_THREADS): a client on a slow
  connection downloading plotly.js, or a long export, holds one thread, not a
  whole process; connections are kept alive. Callbacks are CPU work under the
  GIL, so more threads do not add throughput: add workers (about one per core)
  for that. GUNICORN_THREADS=1 gives sync workers, for use behind a buffering
  proxy.
- timeout 60 s: above the 15 s statement timeout plus the slowest export.
- SECRET_KEY: the default of config.py is public (it is in the source), so the
  production profile refuses to start with it; `python app.py` keeps it.
  Staff sessions are signed with it; their cookie is Secure (HTTPS only) by default
  here (SESSION_COOKIE_SECURE=1), not under `python app.py`.
- The garbage collector: the preloaded app is frozen (gc.freeze) before the
  workers fork, so a worker's full collections never walk the hundreds of
  thousands of objects of Dash, plotly and pandas (a pause of about 100 ms on a
  request, measured) and never write to the pages they share with the master.
"""

from __future__ import annotations

import gc
import os

from config import DEFAULT_SECRET_KEY, Settings

# Behind HTTPS in production: the session cookie is sent over HTTPS only, unless
# SESSION_COOKIE_SECURE=0 says otherwise (set before the app, preloaded below, reads it).
os.environ.setdefault("SESSION_COOKIE_SECURE", "1")
_settings = Settings.from_env()
if _settings.secret_key in ("", DEFAULT_SECRET_KEY):
    raise SystemExit(
        "SECRET_KEY is not set (or is the development default). Set the same secret on every host, e.g.\n"
        '  export SECRET_KEY="$(python -c "import secrets; print(secrets.token_urlsafe(32))")"'
    )

wsgi_app = "app:create_app()"
bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.workers
threads = _settings.threads
worker_class = "gthread" if _settings.threads > 1 else "sync"
preload_app = True
timeout = _settings.worker_timeout
graceful_timeout = 30
keepalive = 5
accesslog = None if _settings.access_log.lower() in ("", "none", "off") else _settings.access_log
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Heartbeat files in memory, not on a possibly slow disk (as in containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Behind a load balancer: trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket is one path per user: several servers on one host
# (the benchmark, the tests) would fight over it, and nothing here uses it.
control_socket_disable = True


def pre_fork(server, worker) -> None:
    """Freeze what the master has built: workers inherit it outside the collector's view."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker) -> None:
    """A new worker opens its own database connections and reads the data version
    anew, finishes Dash's first-request set-up before its threads race for it
    (web/first_request.py), and warms its own chart renderer (a browser does
    not survive a fork)."""
    from data_access.db import after_fork
    from web.first_request import set_up_before_serving
    from web.warmup import start_warmup

    after_fork(worker.app.wsgi())
    set_up_before_serving(worker.app.wsgi())
    start_warmup(_settings)
