"""What a published figure is, beyond its number: whose result it is, over
which period, and whether two figures of the same thing contradict each other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# Indicators of these themes describe the programme as a whole or its context
# (partner countries, budget, a context statistic quoted by an official). A
# country's source may state one; it is then a fact it cites, not that country's
# result: country views show it apart, with its source, never among results.
PROGRAMME_FACT_THEMES = frozenset({"programme"})

# "about X" covers the figures that round to X: within this share of X.
APPROX_SHARE = 0.1


def is_programme_fact(theme: object) -> bool:
    """Whether an indicator of `theme` is a programme or context fact, not a result."""
    return theme in PROGRAMME_FACT_THEMES


def is_cumulative(start: date, end: date) -> bool:
    """A figure over more than one calendar year (e.g. 2021-2022): never beside annual ones unlabelled."""
    return start.year != end.year


def _bounds(value: float, qualifier: str) -> tuple[float, float, bool, bool]:
    """The values a stated figure allows: (low, high, low open, high open)."""
    if qualifier == "more_than":
        return value, float("inf"), True, False
    if qualifier == "up_to":
        return float("-inf"), value, False, False
    if qualifier == "fewer_than":  # a suppressed small count (model/suppression.py)
        return 0.0, value, True, True
    if qualifier == "approx":
        margin = abs(value) * APPROX_SHARE
        return value - margin, value + margin, False, False
    return value, value, False, False


def _overlap(a: tuple[float, float, bool, bool], b: tuple[float, float, bool, bool]) -> bool:
    low, low_open = max((a[0], a[2]), (b[0], b[2]))
    high = min(a[1], b[1])
    return low < high or (low == high and not low_open)


def figures_disagree(figures: Iterable[tuple[float, str]]) -> bool:
    """Whether stated figures (value, qualifier) cannot all be true at once.

    "more than 35,000" and 35,500, or 1,013 and "about 1,000", agree: one states
    a bound or a rounding of the other. 109 and 110, or "up to 90" and 95, do not."""
    ranges = [_bounds(float(v), q) for v, q in dict.fromkeys(figures)]
    return any(not _overlap(a, b) for i, a in enumerate(ranges) for b in ranges[i + 1 :])


def sources_differ(figures: Iterable[tuple[float, str, str]]) -> bool:
    """Whether the sources of one figure differ: (value, qualifier, document) triples.

    Two documents stating it differently differ, even compatibly ("up to 38,862"
    on one page, 38,862 on another): each is kept visible and flagged. One
    document stating a figure and its rounding or bound ("1,013" and "about
    1,000" in one article) does not; figures that cannot all be true always do."""
    stated = list(dict.fromkeys(figures))
    if figures_disagree((v, q) for v, q, _ in stated):
        return True
    return any(
        (a[0], a[1]) != (b[0], b[1]) and a[2] != b[2] for i, a in enumerate(stated) for b in stated[i + 1 :]
    )


def document_of(url: object, title: object) -> str:
    """The document a source is part of: its address, else its title (a report's quotes share it)."""
    return url if isinstance(url, str) and url.strip() else str(title)
