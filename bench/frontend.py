"""First-load weight and Lighthouse scores (four categories, five pages, two presets).

bench/first_load.py (`measure(url) -> dict`) and bench/lighthouse/ are
called here against the running SQLite dashboard. While either is missing in
this checkout the result is None with a note, and the targets are reported as
"not measured" rather than guessed.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.lighthouse.scoring import PAGES as LIGHTHOUSE_PAGES
from bench.lighthouse.scoring import collect, load_text, median_table, rounds
from bench.quiet import Quiet, wait_for_quiet

LIGHTHOUSE_RUNS = 3
QUIET_PER_RUN_S = 60.0  # the most a Lighthouse run waits for a quiet machine


@dataclass
class FrontendResult:
    first_load_bytes: int | None = None
    first_load_requests: int | None = None
    external_requests: int | None = None
    # {page: {preset: {category: median}}} and {page: {preset: {category: [each run]}}}
    lighthouse: dict[str, dict[str, dict[str, float | None]]] = field(default_factory=dict)
    lighthouse_runs: dict[str, dict[str, dict[str, list[float | None]]]] = field(default_factory=dict)
    lighthouse_load: str | None = None  # the load average over the runs, for the reader
    quiet_wait_s: float | None = None  # how long Lighthouse waited for an idle machine
    notes: list[str] = field(default_factory=list)


def _optional(module: str, name: str) -> Callable | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def measure_first_load(base_url: str, result: FrontendResult) -> None:
    measure = _optional("bench.first_load", "measure")
    if measure is None:
        result.notes.append("first load not measured: bench/first_load.py measure() is not in this checkout")
        return
    found = measure(base_url + "/")
    result.first_load_bytes = found.get("first_load_bytes")
    result.first_load_requests = found.get("requests")
    result.external_requests = found.get("external_requests")
    if found.get("external_urls"):
        result.notes.append("requests to other hosts: " + ", ".join(found["external_urls"][:5]))


def measure_lighthouse(
    base_url: str, result: FrontendResult, runs: int = LIGHTHOUSE_RUNS, before_each: Callable = lambda: None
) -> None:
    """`runs` rounds of Lighthouse over every page and preset, `before_each` run
    (waiting for a quiet machine); the median of each category is its score."""
    run = _optional("bench.lighthouse", "scores")
    if run is None:
        result.notes.append("Lighthouse not run: bench/lighthouse has no scores() in this checkout")
        return
    found = rounds(base_url, LIGHTHOUSE_PAGES, runs, run, before_each)
    result.lighthouse_runs = collect(found)
    result.lighthouse = median_table(result.lighthouse_runs)
    result.lighthouse_load = load_text(found)


def _warm_up(base_url: str) -> None:
    """Load each page once, unmeasured: the figures are for a server whose cache is warm,
    as it is for every visitor but the first after an import."""
    measure = _optional("bench.first_load", "measure")
    for page in LIGHTHOUSE_PAGES if measure else ():
        with contextlib.suppress(Exception):
            measure(base_url + page)


def _wait_for_quiet(result: FrontendResult, wait: Callable[..., Quiet]) -> None:
    quiet = wait(180.0)
    result.quiet_wait_s = round(quiet.waited_s, 1)
    if not quiet.quiet:
        result.notes.append(
            f"the machine was still {quiet.last_busy:.0%} busy after {quiet.waited_s:.0f} s of waiting: "
            "Lighthouse ran on a busy machine and its scores are lower than they should be"
        )


def _wait_up_to(timeout_s: float) -> Quiet:
    return wait_for_quiet(timeout_s=timeout_s)


def measure(
    base_url: str, lighthouse: bool, runs: int = LIGHTHOUSE_RUNS, wait: Callable[..., Quiet] = _wait_up_to
) -> FrontendResult:
    """First load of / and, when asked, Lighthouse on the five pages and both presets,
    each run once the machine is quiet (bench/quiet.py says why)."""
    result = FrontendResult()
    _warm_up(base_url)
    try:
        measure_first_load(base_url, result)
        if lighthouse:
            _wait_for_quiet(result, wait)
            measure_lighthouse(base_url, result, runs, lambda: wait(QUIET_PER_RUN_S))
        else:
            result.notes.append("Lighthouse skipped (BENCH_LIGHTHOUSE=0)")
    except Exception as exc:  # noqa: BLE001 - a front-end tool failing must not lose the load figures
        result.notes.append(f"front-end measurement failed: {exc}")
    return result
