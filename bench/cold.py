"""Cold requests: the cache emptied before each, one client, varied views; and the stampede.

Two ways to empty the cache, as a deployment would see it:
- shared Redis: POST /_stats/reset (clears every key of the deployment);
- in-process cache with 2 workers: a reset would reach one worker only, so
  the data version is bumped in the database, as an import does, and the
  bench waits for the workers' version reuse (DATA_VERSION_TTL_MS) to end.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from bench.capture import country_view
from bench.data import bump_data_version
from bench.servers import CALLBACK, STATS_AUTH, Client, Server
from config import Settings

STATS_QUERIES = "/_stats/queries"
STATS_RESET = "/_stats/reset"
COUNTRY_QUERY = "country_results"


def views_in_order(views: Sequence[tuple[str, int]], count: int, seed: int = 5) -> list[tuple[str, int]]:
    """`count` views cycling through every (country, year), shuffled the same way on every run."""
    if not views:
        raise ValueError("no country has results")
    shuffled = list(views)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i % len(shuffled)] for i in range(count)]


def reset_via_stats(server: Server) -> Callable[[], None]:
    """Empty the shared cache (and zero the counters) through the diagnostics route."""
    client = Client(server.port)

    def reset() -> None:
        status, body = client.request("POST", STATS_RESET, b"", STATS_AUTH)
        if status != 200:
            raise RuntimeError(f"{server.name}: POST {STATS_RESET} answered {status}: {body[:200]!r}")

    return reset


def reset_via_version(engine: Engine) -> Callable[[], None]:
    """Bump the data version and wait until every worker has read it again."""
    wait_s = Settings().data_version_ttl_ms / 1000 + 0.15

    def reset() -> None:
        bump_data_version(engine)
        time.sleep(wait_s)

    return reset


def sample_cold(
    server: Server, body: dict, views: Sequence[tuple[str, int]], reset: Callable[[], None]
) -> list[float]:
    """Latency in ms of each view requested right after the cache was emptied."""
    client = Client(server.port)
    latencies = []
    try:
        for iso3, year in views:
            payload = json.dumps(country_view(body, iso3, year)).encode()
            reset()
            started = time.perf_counter()
            status, answer = client.request("POST", CALLBACK, payload)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"{server.name}: {iso3} {year} answered {status}: {answer[:300]!r}")
    finally:
        client.close()
    return latencies


def query_counts(server: Server) -> dict[str, int]:
    client = Client(server.port)
    try:
        status, body = client.request("GET", STATS_QUERIES, extra_headers=STATS_AUTH)
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(
            f"{server.name}: GET {STATS_QUERIES} answered {status} (COMPASS_QUERY_STATS=1 missing?)"
        )
    return json.loads(body)


def country_query_count(counts: dict[str, int]) -> int:
    """How often the country results query reached the database, from /_stats/queries."""
    found = [n for name, n in counts.items() if name.rsplit(".", 1)[-1].lstrip("_") == COUNTRY_QUERY]
    if not found:
        raise KeyError(f"no {COUNTRY_QUERY} counter in /_stats/queries: {sorted(counts)}")
    return sum(found)


def stampede(server: Server, payload: bytes, concurrent: int = 50) -> tuple[int, int]:
    """`concurrent` identical requests released at once on a cold cache: (db queries, non-200 answers)."""
    reset_via_stats(server)()
    clients = [Client(server.port) for _ in range(concurrent)]
    for client in clients:
        client.conn.connect()  # connected before the start, so all requests leave together
    start = threading.Barrier(concurrent)
    statuses: list[int] = []

    def one(client: Client) -> None:
        start.wait()
        try:
            statuses.append(client.request("POST", CALLBACK, payload)[0])
        except OSError:
            statuses.append(0)

    threads = [threading.Thread(target=one, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for client in clients:
        client.close()
    failed = sum(1 for s in statuses if s != 200) + (concurrent - len(statuses))
    return country_query_count(query_counts(server)), failed
