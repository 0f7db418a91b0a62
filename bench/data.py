"""The data sets the benchmark runs against, one per size, on SQLite and PostgreSQL.

Each size starts from an empty database prepared by the app's own commands
(`prepare-db`, then `generate-synthetic --rows N`), so what is measured is what
a deployment would hold. Until the generator exists, only the reference data
is loaded and the reported row count says so.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select, text

from bench.procs import run_bounded
from data_access import schema as s
from data_access.version import bump_version

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "bench")


@dataclass(frozen=True)
class Dataset:
    """One prepared database: its URL and what it holds."""

    backend: str
    url: str
    rows: int


def postgres_url() -> str:
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{POSTGRES_DB}"


def flask_env(database_url: str) -> dict[str, str]:
    """Environment for `flask --app app ...` against `database_url`, nothing inherited that changes it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": database_url, "CACHE_TYPE": "NullCache"}


def has_generator() -> bool:
    """Whether this checkout has `flask --app app generate-synthetic`."""
    output = run_bounded([FLASK, "--app", "app", "--help"], timeout=120, env=flask_env("sqlite://"), cwd=ROOT)
    return "generate-synthetic" in output


def recreate_postgres() -> str:
    """Drop and create the `bench` database; its URL."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{POSTGRES_DB}"'))
    finally:
        admin.dispose()
    return postgres_url()


def build(backend: str, url: str, rows: int, generator: bool, timeout: float) -> Dataset:
    """Prepare `url` and fill it with `rows` synthetic results (when the generator exists)."""
    env = flask_env(url)
    run_bounded([FLASK, "--app", "app", "prepare-db"], timeout=600, env=env, cwd=ROOT)
    if generator:
        run_bounded(
            [FLASK, "--app", "app", "generate-synthetic", "--rows", str(rows)], timeout, env=env, cwd=ROOT
        )
    return Dataset(backend, url, count_results(url))


def count_results(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(s.results)).scalar())
    finally:
        engine.dispose()


def country_years(url: str) -> list[tuple[str, int]]:
    """Every (country, year) that has results, for cold requests on varied views."""
    year = func.extract("year", s.results.c.period_end)
    query = (
        select(s.results.c.country_iso3, year)
        .where(s.results.c.country_iso3.is_not(None))
        .distinct()
        .order_by(s.results.c.country_iso3, year)
    )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [(iso3, int(y)) for iso3, y in conn.execute(query)]
    finally:
        engine.dispose()


def bump_data_version(engine: Engine) -> None:
    """What any import does: a new data version, so every worker's cache misses."""
    with engine.begin() as conn:
        bump_version(conn)  # a new token too: the keys name it


def check_services(redis_url: str) -> list[str]:
    """What is missing before anything starts: PostgreSQL and Redis on this machine."""
    import redis

    problems = []
    admin = create_engine(POSTGRES_ADMIN_URL)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - reported in one line, not a traceback
        problems.append(f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer ({type(exc).__name__})")
    finally:
        admin.dispose()
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        problems.append(f"Redis at {redis_url} does not answer ({type(exc).__name__})")
    return problems


def clear_redis_prefix(redis_url: str, prefix: str) -> int:
    """Delete every key of the benchmark's deployment prefix (keys only it wrote)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        return client.delete(*keys) if keys else 0
    finally:
        client.close()
