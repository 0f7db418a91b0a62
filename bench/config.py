"""The benchmark's knobs, from the environment (`BENCH_ROWS=10000 make bench`)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bench.frontend import LIGHTHOUSE_RUNS
from bench.interaction import DEFAULT_SAMPLES as INTERACTION_SAMPLES

DEFAULT_SIZES = (10_000, 1_000_000, 10_000_000)


def sizes_up_to(cap: int | None) -> list[int]:
    """The default sizes no larger than `cap`, and `cap` itself when it is not one of them."""
    if cap is None:
        return list(DEFAULT_SIZES)
    if cap <= 0:
        raise ValueError("BENCH_ROWS must be a positive number of rows")
    sizes = [size for size in DEFAULT_SIZES if size <= cap]
    if cap not in sizes:
        sizes.append(cap)
    return sizes


def _int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc


@dataclass(frozen=True)
class BenchConfig:
    sizes: list[int]
    duration_s: int = 10  # each wrk load phase
    warmup_s: int = 2  # unrecorded wrk run before each phase, so both workers are warm
    connections: int = 32
    threads: int = 2
    cold_samples: int = 100  # at the largest size, where the targets are checked
    cold_samples_smaller: int = 30  # at the other sizes: each cold sample waits about 1 s for a reset
    stampede: int = 50
    lighthouse: bool = True
    lighthouse_runs: int = LIGHTHOUSE_RUNS  # per page and preset; the median is reported
    keep: bool = False  # keep the scratch directory and the `bench` database
    interaction_samples: int = INTERACTION_SAMPLES  # year changes timed in the browser (bench/interaction.py)

    @classmethod
    def from_env(cls) -> BenchConfig:
        base = cls(sizes=[])
        return cls(
            sizes=sizes_up_to(_int("BENCH_ROWS", None)),
            duration_s=_int("BENCH_DURATION", base.duration_s),
            warmup_s=_int("BENCH_WARMUP", base.warmup_s),
            connections=_int("BENCH_CONNECTIONS", base.connections),
            threads=_int("BENCH_THREADS", base.threads),
            cold_samples=_int("BENCH_COLD_SAMPLES", base.cold_samples),
            cold_samples_smaller=_int("BENCH_COLD_SAMPLES_SMALLER", base.cold_samples_smaller),
            stampede=_int("BENCH_STAMPEDE", base.stampede),
            lighthouse=os.environ.get("BENCH_LIGHTHOUSE", "1").strip() != "0",
            lighthouse_runs=max(1, _int("BENCH_LIGHTHOUSE_RUNS", base.lighthouse_runs)),
            keep=os.environ.get("BENCH_KEEP", "0").strip() == "1",
            interaction_samples=max(1, _int("BENCH_INTERACTION_SAMPLES", base.interaction_samples)),
        )

    def wrk_text(self) -> str:
        return f"{self.threads} threads, {self.connections} connections, {self.duration_s} s per phase"

    def cold_samples_at(self, size: int) -> int:
        """Cold requests sampled at `size`: all of them at the largest size only."""
        if size == max(self.sizes):
            return self.cold_samples
        return min(self.cold_samples, self.cold_samples_smaller)
