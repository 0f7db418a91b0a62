"""The benchmark's browser measurements: a quiet machine first, then the median of
several Lighthouse runs (bench/quiet.py, bench/frontend.py, bench/report.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import frontend
from bench.lighthouse.scoring import PAGES as LIGHTHOUSE_PAGES
from bench.lighthouse.scoring import median
from bench.quiet import Quiet, _cpu_times, cpu_busy, wait_for_quiet
from bench.report import targets


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _sampler(values: list[float], clock: FakeClock):
    """Each sample takes one (fake) second and returns the next busy share."""
    it = iter(values)

    def sample() -> float:
        clock.now += 1.0
        return next(it)

    return sample


def test_waits_for_enough_quiet_seconds_in_a_row():
    clock = FakeClock()
    quiet = wait_for_quiet(_sampler([0.9, 0.1, 0.1, 0.5, 0.1, 0.05, 0.1, 0.9], clock), clock=clock)
    assert quiet == Quiet(True, 7.0, 0.1)  # the 0.5 at the fourth second starts the count again


def test_gives_up_on_a_machine_that_stays_busy():
    clock = FakeClock()
    quiet = wait_for_quiet(_sampler([0.6] * 100, clock), timeout_s=10, clock=clock)
    assert quiet.quiet is False and quiet.waited_s == 10.0 and quiet.last_busy == 0.6


def test_cpu_times_read_proc_stat(tmp_path: Path):
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n")
    assert _cpu_times(stat) == (850, 1000)
    readings = iter([(850, 1000), (940, 1100)])
    assert cpu_busy(0.0, lambda: next(readings)) == pytest.approx(0.1)
    assert 0.0 <= cpu_busy(0.05) <= 1.0  # this machine's own /proc/stat


def test_the_score_is_the_median_of_the_runs(monkeypatch):
    perf = iter([70, 99, 95, 80, 60, 85] * 5)
    monkeypatch.setattr(
        frontend,
        "_optional",
        lambda module, name: lambda url, preset: {"performance": next(perf), "accessibility": 100, "seo": 92},
    )
    waited = []
    result = frontend.FrontendResult()
    frontend.measure_lighthouse("http://x", result, runs=3, before_each=lambda: waited.append(1))
    assert len(waited) == 3 * 5 * 2  # a quiet machine before every run
    assert set(result.lighthouse) == set(LIGHTHOUSE_PAGES)
    # rounds: each page's three runs are the 1st, 2nd and 3rd pass over the five pages
    assert result.lighthouse_runs["/"]["desktop"]["performance"] == [70, 60, 95]
    assert result.lighthouse["/"]["desktop"] == {
        "performance": 70,
        "accessibility": 100,
        "best-practices": None,
        "seo": 92,
    }
    assert result.lighthouse_load.startswith("load average ") and "over 30 runs" in result.lighthouse_load
    assert median([None, 90, None]) == 90
    assert median([None]) is None


def test_a_busy_machine_is_said_in_the_notes(monkeypatch):
    monkeypatch.setattr(frontend, "_warm_up", lambda base_url: None)
    monkeypatch.setattr(frontend, "measure_first_load", lambda base_url, result: None)
    monkeypatch.setattr(frontend, "measure_lighthouse", lambda base_url, result, runs, before_each: None)
    busy = frontend.measure("http://x", True, wait=lambda timeout_s: Quiet(False, timeout_s, 0.42))
    assert busy.quiet_wait_s == 180.0
    assert any("42% busy after 180 s" in note for note in busy.notes)
    calm = frontend.measure("http://x", True, wait=lambda timeout_s: Quiet(True, 4.0, 0.02))
    assert calm.quiet_wait_s == 4.0 and calm.notes == []


def test_targets_show_every_run_and_judge_the_median():
    scores = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
    summary = {
        "rows": 10_000_000,
        "lighthouse": {"/": {"desktop": scores, "mobile": {**scores, "performance": 89}}},
        "lighthouse_runs": {
            "/": {
                "desktop": {"performance": [99, 95, 88], "accessibility": [100] * 3},
                "mobile": {"performance": [89, 90, 70]},
            }
        },
    }
    found = {t.name: t for t in targets(summary)}
    assert found["Lighthouse desktop /"].met is True
    assert found["Lighthouse desktop /"].value == (
        "performance 95 (median of 99, 95, 88), accessibility 100, best practices 100, SEO 100"
    )
    assert found["Lighthouse mobile /"].met is False  # 89 < 90
    assert (
        found["Lighthouse mobile /"].goal
        == "performance >= 90, accessibility 100, best practices 100, SEO >= 95"
    )
