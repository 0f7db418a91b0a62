"""The interaction benchmark's arithmetic (bench/interaction.py): samples to
p50/p95, the years it alternates between, its knob and its target; the browser
part is run by `make bench` and `python -m bench.interaction`."""

from __future__ import annotations

import pytest

from bench import interaction
from bench.config import BenchConfig
from bench.interaction import alternating_years, busy_note, samples_from_env, summarise
from bench.report import targets


def test_samples_are_summarised_as_the_readme_reports_them():
    found = summarise("/countries/LBY", [float(n) for n in range(1, 21)])
    assert (found.p50_ms, found.p95_ms, found.max_ms) == (10.5, 19.1, 20.0)  # 19.05, to 0.1 ms
    assert found.samples_ms[:3] == [1.0, 2.0, 3.0] and found.cpu_slowdown == 4


def test_the_warm_up_changes_are_kept_apart_from_the_figure():
    found = summarise("/countries/LBY", [100.0] * 19 + [200.0], warmup_ms=[900.0, 800.0])
    assert found.warmup_ms == [900.0, 800.0] and found.max_ms == 200.0 and found.p50_ms == 100.0
    assert interaction.WARMUP == 2  # one change to each of the two years


def test_no_sample_means_no_figure():
    found = summarise("/countries/LBY", [])
    assert found.p95_ms is None and found.samples_ms == []


def test_the_year_alternates_and_never_repeats_the_one_shown():
    assert alternating_years(["2024", "2023", "2022"], "2024", 5) == ["2023", "2024", "2023", "2024", "2023"]
    assert alternating_years(["", "2022", "2021"], "2021", 2) == ["2022", "2021"]  # wraps round
    with pytest.raises(ValueError, match="no second year"):
        alternating_years(["2024"], "2024", 3)


def test_the_knob(monkeypatch):
    monkeypatch.setenv("BENCH_INTERACTION_SAMPLES", "7")
    assert samples_from_env() == 7 and BenchConfig.from_env().interaction_samples == 7
    monkeypatch.setenv("BENCH_INTERACTION_SAMPLES", "0")
    assert samples_from_env() == 1
    monkeypatch.setenv("BENCH_INTERACTION_SAMPLES", "many")
    with pytest.raises(SystemExit):
        samples_from_env()
    monkeypatch.delenv("BENCH_INTERACTION_SAMPLES")
    assert samples_from_env() == interaction.DEFAULT_SAMPLES == 20


@pytest.mark.parametrize(("p95", "met"), [(250.0, True), (300.0, True), (301.0, False), (None, None)])
def test_the_target_is_checked_on_the_p95(p95, met):
    (found,) = [t for t in targets({"interaction_p95_ms": p95}) if t.name.startswith("year change")]
    assert found.met is met and found.goal == "<= 300 ms"


def test_a_busy_machine_is_said():
    assert busy_note(1.5, 2) is None
    assert "load average 7.6 on 2 cores" in busy_note(7.6, 2)
