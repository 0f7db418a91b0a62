"""Lighthouse's four categories: a report read, medians, targets and the table
(bench/lighthouse/__init__.py, scoring.py, cli.py); no browser runs here."""

from __future__ import annotations

import pytest

from bench.lighthouse import LighthouseError, failing_audits, summarise
from bench.lighthouse.cli import failures_text
from bench.lighthouse.scoring import (
    CATEGORIES,
    collect,
    goal,
    load_text,
    markdown_table,
    median_table,
    medians,
    rounds,
    text_table,
    verdict,
    verdicts,
)


def _report(perf: float = 0.91, bp: float = 0.96) -> dict:
    """The parts of a Lighthouse JSON report that bench.lighthouse reads."""
    return {
        "categories": {
            "performance": {"score": perf, "auditRefs": [{"id": "largest-contentful-paint", "weight": 25}]},
            "accessibility": {"score": 1.0, "auditRefs": [{"id": "color-contrast", "weight": 7}]},
            "best-practices": {
                "score": bp,
                "auditRefs": [
                    {"id": "errors-in-console", "weight": 1},
                    {"id": "csp-xss", "weight": 0},  # informative: never counted as failing
                ],
            },
            "seo": {"score": None, "auditRefs": []},
        },
        "audits": {
            "largest-contentful-paint": {"score": 0.8, "numericValue": 2712.4},
            "total-blocking-time": {"score": 0.9, "numericValue": 180.6},
            "cumulative-layout-shift": {"score": 1, "numericValue": 0.01234},
            "color-contrast": {"score": 1},
            "errors-in-console": {"score": 0},
            "csp-xss": {"score": 0},
        },
    }


def test_a_report_gives_four_scores_metrics_and_failing_audits():
    found = summarise("http://x/indicators", "mobile", _report())
    assert {c: found[c] for c in CATEGORIES} == {
        "performance": 91,
        "accessibility": 100,
        "best-practices": 96,
        "seo": None,
    }
    assert found["metrics"] == {
        "largest-contentful-paint": 2712,
        "total-blocking-time": 181,
        "cumulative-layout-shift": 0.012,
    }
    assert found["failing"] == {
        "performance": ["largest-contentful-paint"],
        "best-practices": ["errors-in-console"],
    }
    assert failing_audits(_report(), "accessibility") == []


def test_a_report_with_a_runtime_error_is_an_error():
    with pytest.raises(LighthouseError, match="NO_FCP"):
        summarise("http://x/", "desktop", {"runtimeError": {"message": "NO_FCP"}})


def test_goals_follow_the_issue():
    assert goal("performance", "desktop") == 95
    assert goal("performance", "mobile") == 90
    assert goal("accessibility", "mobile") == goal("best-practices", "desktop") == 100
    assert goal("seo", "mobile") == 95


def test_medians_per_category_skip_runs_without_a_score():
    runs = [
        {"performance": 88, "accessibility": 100, "seo": None},
        {"performance": 93, "accessibility": 100, "seo": 100},
        {"performance": 90, "accessibility": 96, "seo": 92},
    ]
    assert medians(runs) == {"performance": 90, "accessibility": 100, "best-practices": None, "seo": 96}


def test_a_page_meets_its_targets_only_when_every_category_does():
    all_good = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 95}
    assert verdict("/", "mobile", all_good).met is True
    assert verdict("/", "desktop", all_good).missed == ("performance",)  # desktop needs 95
    low_bp = verdict("/", "mobile", {**all_good, "best-practices": 96})
    assert low_bp.met is False and low_bp.missed == ("best-practices",)
    unmeasured = verdict("/", "mobile", {**all_good, "seo": None})
    assert unmeasured.met is None and unmeasured.unmeasured == ("seo",)


def _fake_run(url: str, preset: str) -> dict:
    perf = {"desktop": 99, "mobile": 85 if url.endswith("/indicators") else 92}[preset]
    return {"performance": perf, "accessibility": 100, "best-practices": 100, "seo": 100}


def test_rounds_collect_and_tables():
    waits = []
    runs = rounds("http://x", ("/", "/indicators"), 3, _fake_run, lambda: waits.append(1))
    assert len(runs) == len(waits) == 3 * 2 * 2
    assert [r["page"] for r in runs[:4]] == ["/", "/", "/indicators", "/indicators"]
    assert all(isinstance(r["load"], float) for r in runs)
    grouped = collect(runs)
    assert grouped["/indicators"]["mobile"]["performance"] == [85, 85, 85]
    table = median_table(grouped)
    assert table["/"]["mobile"]["performance"] == 92
    assert [(v.page, v.preset, v.met) for v in verdicts(table)] == [
        ("/", "desktop", True),
        ("/indicators", "desktop", True),
        ("/", "mobile", True),
        ("/indicators", "mobile", False),
    ]
    text = text_table(table).splitlines()
    assert text[0].split()[:3] == ["page", "preset", "perf"]
    assert text[-1].split() == ["/indicators", "mobile", "85", "✗", "100", "100", "100", "NOT", "met"]
    markdown = markdown_table(table).splitlines()
    assert markdown[0] == "| page | preset | performance | accessibility | best practices | SEO | targets |"
    assert markdown[-1] == "| `/indicators` | mobile | 85 ✗ | 100 | 100 | 100 | NOT met |"


def test_load_text_says_how_busy_the_machine_was():
    assert load_text([{"load": 0.5}, {"load": 1.5}, {"load": 0.7}]) == (
        "load average 0.50-1.50 (median 0.70) over 3 runs"
    )
    assert load_text([{}]) == "load average not recorded"


def test_failing_audits_are_listed_with_where_they_failed():
    runs = [
        {"page": "/", "preset": "mobile", "failing": {"best-practices": ["errors-in-console"]}},
        {"page": "/data", "preset": "desktop", "failing": {"best-practices": ["errors-in-console"]}},
        {"page": "/data", "preset": "desktop", "failing": {"performance": ["total-blocking-time"]}},
    ]
    assert failures_text(runs) == (
        "Failing audits:\n- best-practices: errors-in-console (/ mobile, /data desktop)"
    )
    assert failures_text(runs[2:]) == "No accessibility, best-practices or SEO audit failed."
