"""Lighthouse's four category scores: medians of several runs, the issue's targets, tables.

Pure functions over what `bench.lighthouse.scores()` returns (no browser, no
network), so the benchmark, the standalone command (bench/lighthouse/run.sh)
and their tests share one definition of "median", "met" and the table.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

PAGES = ("/", "/countries/LBY", "/indicators", "/partners", "/data")
PRESETS = ("desktop", "mobile")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best pr.", "seo": "SEO"}
NAMES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
# Issue 14: the lowest median score accepted, per category (and preset for performance).
GOALS = {
    ("performance", "desktop"): 95,
    ("performance", "mobile"): 90,
    ("accessibility", None): 100,
    ("best-practices", None): 100,
    ("seo", None): 95,
}

Scores = Mapping[str, float | None]  # category -> score 0-100 (None: Lighthouse gave none)


def goal(category: str, preset: str) -> int:
    """The lowest accepted median score of `category` under `preset`."""
    return GOALS.get((category, preset), GOALS.get((category, None), 100))


def goals_text(preset: str) -> str:
    """'performance >= 90, accessibility 100, ...': the targets of one preset, for a reader."""
    parts = []
    for category in CATEGORIES:
        lowest = goal(category, preset)
        parts.append(f"{NAMES[category]} {'' if lowest == 100 else '>= '}{lowest}")
    return ", ".join(parts)


def median(values: Iterable[float | None]) -> float | None:
    """The median of the runs that produced a score (Lighthouse's own advice for its
    run-to-run variance); None when none did."""
    found = sorted(v for v in values if v is not None)
    return statistics.median(found) if found else None


def medians(runs: Iterable[Scores]) -> dict[str, float | None]:
    """Per category, the median over `runs` (each one Lighthouse run's scores)."""
    runs = list(runs)
    return {c: median(run.get(c) for run in runs) for c in CATEGORIES}


def rounds(
    base_url: str,
    pages: Iterable[str],
    runs: int,
    run_once: Callable[[str, str], Mapping],
    before_each: Callable[[], object] = lambda: None,
) -> list[dict]:
    """`runs` rounds over every page and preset (rounds, not a page's runs in a row,
    so a moment of load spreads over pages instead of sinking one); each result
    carries its page and the 1-minute load average when it started."""
    found = []
    for _ in range(runs):
        for page in pages:
            for preset in PRESETS:
                before_each()
                load = round(os.getloadavg()[0], 2)
                found.append(
                    {**run_once(base_url + page, preset), "page": page, "preset": preset, "load": load}
                )
    return found


def load_text(runs: Iterable[Mapping]) -> str:
    """'load average 0.41-1.20 (median 0.70) over 30 runs': how idle the machine was."""
    loads = sorted(r["load"] for r in runs if r.get("load") is not None)
    if not loads:
        return "load average not recorded"
    return f"load average {loads[0]:.2f}-{loads[-1]:.2f} (median {statistics.median(loads):.2f}) over {len(loads)} runs"


def collect(runs: Iterable[Mapping]) -> dict[str, dict[str, dict[str, list[float | None]]]]:
    """Run results ({page, preset, <category>: score, ...}) grouped as
    {page: {preset: {category: [score of each run]}}}, in measuring order."""
    grouped: dict[str, dict[str, dict[str, list[float | None]]]] = {}
    for run in runs:
        by_category = grouped.setdefault(run["page"], {}).setdefault(run["preset"], {})
        for category in CATEGORIES:
            by_category.setdefault(category, []).append(run.get(category))
    return grouped


def median_table(grouped: Mapping) -> dict[str, dict[str, dict[str, float | None]]]:
    """{page: {preset: {category: median}}} from `collect`'s grouping."""
    return {
        page: {preset: {c: median(scores.get(c, [])) for c in CATEGORIES} for preset, scores in by.items()}
        for page, by in grouped.items()
    }


@dataclass(frozen=True)
class Verdict:
    """One page under one preset: its medians and the categories below their target."""

    page: str
    preset: str
    scores: Mapping[str, float | None]
    missed: tuple[str, ...]  # categories under target
    unmeasured: tuple[str, ...]  # categories without a score

    @property
    def met(self) -> bool | None:
        """True when every category meets its target; None when one has no score."""
        if self.missed:
            return False
        return None if self.unmeasured else True


def verdict(page: str, preset: str, scores: Scores) -> Verdict:
    missed = tuple(
        c
        for c in CATEGORIES
        if scores.get(c) is not None and scores[c] < goal(c, preset)  # type: ignore[operator]
    )
    unmeasured = tuple(c for c in CATEGORIES if scores.get(c) is None)
    return Verdict(page, preset, scores, missed, unmeasured)


def verdicts(table: Mapping[str, Mapping[str, Scores]]) -> list[Verdict]:
    """Every page and preset of a median table, desktop first."""
    return [
        verdict(page, preset, by_preset[preset])
        for preset in PRESETS
        for page, by_preset in table.items()
        if preset in by_preset
    ]


def _cell(score: float | None, lowest: int) -> str:
    if score is None:
        return "n/a"
    return f"{score:g}" + ("" if score >= lowest else " ✗")


def text_table(table: Mapping[str, Mapping[str, Scores]]) -> str:
    """A fixed-width table: a line per page and preset, a column per category;
    a score under its target is marked ✗."""
    head = f"{'page':<16} {'preset':<8}" + "".join(f" {SHORT[c]:>9}" for c in CATEGORIES) + "  targets"
    lines = [head]
    for found in verdicts(table):
        cells = "".join(f" {_cell(found.scores.get(c), goal(c, found.preset)):>9}" for c in CATEGORIES)
        status = {True: "met", False: "NOT met", None: "not measured"}[found.met]
        lines.append(f"{found.page:<16} {found.preset:<8}{cells}  {status}")
    return "\n".join(lines)


def markdown_table(table: Mapping[str, Mapping[str, Scores]]) -> str:
    """The same as `text_table`, in Markdown (the README's performance section)."""
    lines = [
        "| page | preset | " + " | ".join(NAMES[c] for c in CATEGORIES) + " | targets |",
        "| --- | --- | " + " | ".join("---:" for _ in CATEGORIES) + " | --- |",
    ]
    for found in verdicts(table):
        cells = " | ".join(_cell(found.scores.get(c), goal(c, found.preset)) for c in CATEGORIES)
        status = {True: "met", False: "NOT met", None: "not measured"}[found.met]
        lines.append(f"| `{found.page}` | {found.preset} | {cells} | {status} |")
    return "\n".join(lines)
