"""Percentiles over latency samples, the way the README reports them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], pct: float) -> float:
    """The `pct`-th percentile (0-100) with linear interpolation between closest ranks.

    The same definition as numpy's default, written out so the benchmark needs
    no extra dependency and the tests can check it by hand.
    """
    if not samples:
        raise ValueError("no samples")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {pct}")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class LatencySummary:
    """Sequential request latencies in milliseconds, summarised."""

    samples: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    req_per_s: float


def summarise(latencies_ms: Sequence[float]) -> LatencySummary:
    """p50/p95/p99 of sequential requests; req/s is what one client achieves (1000 / mean)."""
    mean = sum(latencies_ms) / len(latencies_ms) if latencies_ms else 0.0
    return LatencySummary(
        samples=len(latencies_ms),
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        p99_ms=percentile(latencies_ms, 99),
        max_ms=max(latencies_ms),
        req_per_s=1000 / mean if mean else 0.0,
    )
