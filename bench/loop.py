"""Load for a server too slow for wrk's fixed window: the naive app at scale.

wrk counts only requests that finish inside its run, and drops any slower
than its timeout: a server needing seconds per request, with 32 connections
queued on 2 workers, shows 0 req/s. Here a few clients (2 per worker, so
no worker idles between requests) loop on the request for a fixed time; the
requests in flight at the end are waited for, and throughput is completed
requests over the time the last one took to finish.
"""

from __future__ import annotations

import threading
import time

from bench.servers import CALLBACK, WORKERS, Client, Server
from bench.stats import LatencySummary, percentile

CLIENTS = 2 * WORKERS


def closed_loop(
    server: Server, payload: bytes, seconds: float, clients: int = CLIENTS, timeout: float = 300
) -> tuple[LatencySummary, int]:
    """Latency summary (req_per_s = completed / elapsed) and the number of failed requests."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client_loop() -> None:
        client = Client(server.port, timeout=timeout)
        try:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    status, _ = client.request("POST", CALLBACK, payload)
                except OSError:
                    status = 0
                with lock:
                    if status == 200:
                        latencies.append((time.perf_counter() - began) * 1000)
                    else:
                        failures[0] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return _summary(latencies, elapsed), failures[0]


def _summary(latencies: list[float], elapsed: float) -> LatencySummary:
    if not latencies:
        return LatencySummary(0, None, None, None, None, 0.0)
    return LatencySummary(
        samples=len(latencies),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=max(latencies),
        req_per_s=len(latencies) / elapsed,
    )
