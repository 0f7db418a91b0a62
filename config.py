"""Every configuration variable of the dashboard, read from the environment.

One flat module so that the README can mirror it line by line. Nothing here
opens a connection: values are read when `Settings.from_env()` is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = ROOT / "instance"
REFERENCE_DIR = ROOT / "data" / "reference"
TRANSLATIONS_DIR = ROOT / "translations"

LANGUAGES = ("en", "fr", "ar")
# Languages written right to left: their pages get dir="rtl" and Bootstrap's RTL stylesheet.
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_SECRET_KEY = "dev-only-change-me"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc


def _flag(name: str, default: bool) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off (empty = default)."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be 1 or 0, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Runtime settings; the README's configuration table mirrors these fields."""

    # SQLAlchemy URL. Default: SQLite file in instance/ (created on first run).
    database_url: str = field(default_factory=lambda: f"sqlite:///{INSTANCE_DIR / 'compass.db'}")
    # Abort any single SQL statement after this many milliseconds.
    statement_timeout_ms: int = 15_000
    # The same for the reads of a page (shorter: a reader is told at once that the
    # data is unavailable rather than queued); exports and imports keep the one above.
    page_statement_timeout_ms: int = 3_000
    # flask-caching backend: SimpleCache (in-process), RedisCache, NullCache.
    cache_type: str = "SimpleCache"
    # Redis URL when CACHE_TYPE=RedisCache, e.g. redis://127.0.0.1:6379/0.
    cache_redis_url: str = ""
    # Seconds a cached query result lives (data version changes evict sooner).
    cache_timeout: int = 3600
    # Prefix of every cache key, so several deployments can share one Redis.
    cache_key_prefix: str = "compass:"
    # Language used when the URL names none or an unknown one.
    default_language: str = "en"
    # Year shown when the URL names none; 0 = latest year with headline figures.
    default_year: int = 0
    # The address readers reach the dashboard at (e.g. https://compass.example.org), for
    # the absolute links of link previews (canonical, og:url, og:image); empty = the
    # host each request came to.
    public_base_url: str = ""
    # Where `python app.py` listens.
    host: str = "127.0.0.1"
    port: int = 8050
    # Flask secret (sessions, signed values). The production profile (gunicorn.conf.py)
    # refuses to start with the default.
    secret_key: str = DEFAULT_SECRET_KEY
    # Who may frame the pages: the CSP frame-ancestors sources ("'none'" = nobody;
    # e.g. "'self' https://intranet.example.org" to embed the dashboard there).
    frame_ancestors: str = "'none'"
    # Bearer token for /_stats/* and the details of /healthz; empty = refused to all.
    stats_token: str = ""
    # Largest import file accepted, in bytes, and most data rows in one file.
    import_max_bytes: int = 512 * 1024 * 1024
    import_max_rows: int = 5_000_000
    # What an import holds in memory at most: the longest CSV line and cell (characters);
    # once unpacked, each part of an .xlsx that openpyxl parses whole (the shared
    # strings...), each sheet (streamed), all parts together (bytes); and how many
    # times its packed size a part of over 1 MiB may unpack to.
    import_max_csv_line_chars: int = 2_000_000
    import_max_csv_cell_chars: int = 1_000_000
    import_max_xlsx_part_bytes: int = 4 * 1024 * 1024
    import_max_xlsx_sheet_bytes: int = 256 * 1024 * 1024
    import_max_xlsx_total_bytes: int = 512 * 1024 * 1024
    import_max_xlsx_ratio: int = 200
    # Show who imported each batch on the public Data page (else "programme team").
    public_importer_names: bool = False
    # How long a worker reuses the data version it read (ms): an import is seen by
    # every worker within this delay; 0 = read it on every request.
    data_version_ttl_ms: int = 1000
    # Cache whole Dash callback responses (pure functions of request body + data).
    callback_cache: bool = True
    # Largest callback response kept by that cache, in bytes (larger ones are sent, not kept).
    response_cache_max_bytes: int = 1024 * 1024
    # Largest request body accepted, in bytes (413 above it). The largest real callback
    # body (the explorer or the partners page with every control filled) is a few KB.
    max_request_bytes: int = 256 * 1024
    # Figure exports and country briefs per client address (flask-limiter notation,
    # e.g. "20/minute" or "100/hour;20/minute"); empty = no limit.
    export_rate_limit: str = "20/minute"
    # Failed sign-ins allowed per account and per client address (flask-limiter
    # notation); over either, /login answers 429 until the window ends.
    sign_in_account_limit: str = "5/15minutes"
    sign_in_client_limit: str = "20/15minutes"
    # The session cookie of signed-in staff: sent over HTTPS only (on by default in the
    # production profile, gunicorn.conf.py; off for `python app.py` on plain http), and
    # how long a sign-in lasts before the reader must sign in again.
    session_cookie_secure: bool = False
    session_lifetime_hours: int = 12
    # Start the chart renderer (chromium) in the background when a process starts
    # (`python app.py`, each gunicorn worker), so the first export is not slow.
    export_warmup: bool = True
    # Addresses of the trusted proxy (comma-separated, as gunicorn's forwarded_allow_ips):
    # from these, the client is the last X-Forwarded-For address; "*" trusts any.
    forwarded_allow_ips: str = "127.0.0.1"
    # Small-cell suppression (issue 15): for readers who are not staff, a non-zero value
    # of a sensitive indicator below this shows as "fewer than N" (a whole number >= 2).
    suppress_below: int = 10
    # Diagnostics: count database computations of memoized queries, /_stats routes.
    query_stats: bool = False
    # gunicorn (gunicorn.conf.py): worker processes, threads per worker (1 = sync
    # workers), seconds before a silent worker is restarted, access log ("-" = stdout).
    workers: int = 2
    threads: int = 4
    worker_timeout: int = 60
    access_log: str = "-"

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from environment variables, falling back to defaults."""
        base = cls()
        env = os.environ
        cache_type = env.get("CACHE_TYPE", "").strip()
        redis_url = env.get("CACHE_REDIS_URL", "").strip()
        if not cache_type:
            cache_type = "RedisCache" if redis_url else base.cache_type
        return cls(
            database_url=env.get("DATABASE_URL", "").strip() or base.database_url,
            statement_timeout_ms=_int("STATEMENT_TIMEOUT_MS", base.statement_timeout_ms),
            page_statement_timeout_ms=_int("PAGE_STATEMENT_TIMEOUT_MS", base.page_statement_timeout_ms),
            cache_type=cache_type,
            cache_redis_url=redis_url,
            cache_timeout=_int("CACHE_TIMEOUT", base.cache_timeout),
            cache_key_prefix=env.get("CACHE_KEY_PREFIX", base.cache_key_prefix),
            default_language=_language(env.get("DEFAULT_LANGUAGE", base.default_language)),
            default_year=_int("DEFAULT_YEAR", base.default_year),
            public_base_url=_base_url(env.get("PUBLIC_BASE_URL", base.public_base_url)),
            host=env.get("HOST", base.host),
            port=_int("PORT", base.port),
            secret_key=env.get("SECRET_KEY", base.secret_key),
            frame_ancestors=env.get("FRAME_ANCESTORS", "").strip() or base.frame_ancestors,
            stats_token=env.get("COMPASS_STATS_TOKEN", "").strip(),
            import_max_bytes=_int("IMPORT_MAX_BYTES", base.import_max_bytes),
            import_max_rows=_int("IMPORT_MAX_ROWS", base.import_max_rows),
            import_max_csv_line_chars=max(
                1, _int("IMPORT_MAX_CSV_LINE_CHARS", base.import_max_csv_line_chars)
            ),
            import_max_csv_cell_chars=max(
                1, _int("IMPORT_MAX_CSV_CELL_CHARS", base.import_max_csv_cell_chars)
            ),
            import_max_xlsx_part_bytes=_int("IMPORT_MAX_XLSX_PART_BYTES", base.import_max_xlsx_part_bytes),
            import_max_xlsx_sheet_bytes=_int("IMPORT_MAX_XLSX_SHEET_BYTES", base.import_max_xlsx_sheet_bytes),
            import_max_xlsx_total_bytes=_int("IMPORT_MAX_XLSX_TOTAL_BYTES", base.import_max_xlsx_total_bytes),
            import_max_xlsx_ratio=max(1, _int("IMPORT_MAX_XLSX_RATIO", base.import_max_xlsx_ratio)),
            public_importer_names=_flag("PUBLIC_IMPORTER_NAMES", base.public_importer_names),
            data_version_ttl_ms=max(0, _int("DATA_VERSION_TTL_MS", base.data_version_ttl_ms)),
            callback_cache=_flag("CALLBACK_CACHE", base.callback_cache),
            response_cache_max_bytes=max(0, _int("RESPONSE_CACHE_MAX_BYTES", base.response_cache_max_bytes)),
            max_request_bytes=max(1, _int("MAX_REQUEST_BYTES", base.max_request_bytes)),
            export_rate_limit=_rate_limit(env.get("EXPORT_RATE_LIMIT", base.export_rate_limit)),
            sign_in_account_limit=_rate_limit(
                env.get("SIGN_IN_ACCOUNT_LIMIT", base.sign_in_account_limit), "SIGN_IN_ACCOUNT_LIMIT"
            ),
            sign_in_client_limit=_rate_limit(
                env.get("SIGN_IN_CLIENT_LIMIT", base.sign_in_client_limit), "SIGN_IN_CLIENT_LIMIT"
            ),
            session_cookie_secure=_flag("SESSION_COOKIE_SECURE", base.session_cookie_secure),
            session_lifetime_hours=max(1, _int("SESSION_LIFETIME_HOURS", base.session_lifetime_hours)),
            export_warmup=_flag("EXPORT_WARMUP", base.export_warmup),
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", base.forwarded_allow_ips).strip(),
            suppress_below=_suppress_below(env.get("SUPPRESS_BELOW", "")),
            query_stats=_flag("COMPASS_QUERY_STATS", base.query_stats),
            workers=max(1, _int("WEB_CONCURRENCY", base.workers)),
            threads=max(1, _int("GUNICORN_THREADS", base.threads)),
            worker_timeout=max(1, _int("GUNICORN_TIMEOUT", base.worker_timeout)),
            access_log=env.get("GUNICORN_ACCESS_LOG", base.access_log).strip(),
        )

    def cache_config(self) -> dict:
        """The flask-caching configuration for these settings."""
        config = {
            "CACHE_TYPE": self.cache_type,
            "CACHE_DEFAULT_TIMEOUT": self.cache_timeout,
            # Cached query results are suppressed with the threshold (SUPPRESS_BELOW): under
            # another threshold, a shared cache's entries are not this deployment's.
            "CACHE_KEY_PREFIX": self.cache_key_prefix
            + ("" if self.suppress_below == Settings.suppress_below else f"below{self.suppress_below}:"),
            "COMPASS_QUERY_STATS": self.query_stats,
            # A computation never outlives its statement timeout by much: a waiter
            # gives up on another worker's lock after this, and computes itself.
            "COMPASS_LOCK_WAIT": self.statement_timeout_ms / 1000 + 5,
            # Workers re-read the cache generation (changed by /_stats/reset) as often
            # as the data version.
            "COMPASS_GENERATION_TTL": self.data_version_ttl_ms / 1000,
        }
        if self.cache_type == "RedisCache":
            config["CACHE_REDIS_URL"] = self.cache_redis_url or "redis://127.0.0.1:6379/0"
            # A Redis that stops answering must cost a request at most about a
            # second (the query then runs uncached), never hang a worker.
            config["CACHE_OPTIONS"] = {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}
        return config


def _rate_limit(value: str, name: str = "EXPORT_RATE_LIMIT") -> str:
    """A flask-limiter limit such as "20/minute" or "100/hour;20/minute", checked now
    so that a typo stops the server at start with a clear message."""
    value = value.strip()
    if not value:
        return ""
    from limits import parse_many  # flask-limiter's own parser

    try:
        parse_many(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must look like 20/minute, not {value!r}") from exc
    return value


def _base_url(value: str) -> str:
    """PUBLIC_BASE_URL checked now: an absolute http(s) address, without a trailing slash."""
    value = value.strip().rstrip("/")
    if value and not (value.startswith(("http://", "https://")) and "://" in value and len(value) > 8):
        raise SystemExit(f"PUBLIC_BASE_URL must look like https://compass.example.org, not {value!r}")
    if any(c in value for c in '?#"<> '):
        raise SystemExit(f"PUBLIC_BASE_URL must be a plain address without query or spaces, not {value!r}")
    return value


def _suppress_below(value: str) -> int:
    """SUPPRESS_BELOW checked now: a whole number of at least 2 (below 2 nothing
    non-zero would ever be hidden)."""
    value = value.strip()
    if not value:
        return Settings.suppress_below
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 2:
        raise SystemExit(f"SUPPRESS_BELOW must be a whole number of at least 2, not {value!r}")
    return number


def _language(value: str) -> str:
    value = value.strip().lower()
    return value if value in LANGUAGES else "en"
