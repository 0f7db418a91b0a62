"""Small-cell suppression of sensitive indicators (issue 15), as pure functions.

An indicator flagged `sensitive` counts people who could be identified from a
small number (victims of trafficking by sex and age in one country and year).
For readers who are not staff, a non-zero value below the threshold
(SUPPRESS_BELOW, default 10) is replaced by "fewer than 10".

Hiding the small cell alone is not enough when its total and its other parts
are shown: total minus the visible parts gives it back. So a suppressed part
takes others with it (complementary suppression), and a suppressed total takes
all its parts (the parts of a small total are all small, or sum to it).

A *group* here is one figure and its parts: the total (breakdown dimension "")
of one indicator, place, period and source, with its parts under each
breakdown dimension (sex: female, male; age_group: ...). Dimensions are
suppressed independently: the dashboard never shows cross-tabulations (sex by
age), so the only relation a reader can use is "the parts of one dimension sum
to the total".

Nothing computed here depends on what a page asks for: the same group always
gives the same cells, so two pages (one showing the total, another the parts)
can never be combined to undo it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The qualifier of a suppressed value as the public reads it: the value column
# then holds the threshold, and formatters write "fewer than 10".
FEWER_THAN = "fewer_than"
DEFAULT_SUPPRESS_BELOW = 10


def is_small(value: float | None, below: int) -> bool:
    """Whether `value` is a non-zero count under the threshold (zero stays zero:
    "none" identifies nobody)."""
    return value is not None and 0 < value < below


@dataclass(frozen=True)
class GroupSuppression:
    """What one group hides: its total, and per dimension the keys of the parts."""

    total: bool = False
    parts: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def hides(self, dim: str, key: str) -> bool:
        return key in self.parts.get(dim, frozenset())


def suppress_group(
    total: float | None, parts: Mapping[str, Mapping[str, float]], below: int
) -> GroupSuppression:
    """Which cells of one group to hide from readers who are not staff.

    `total`: the group's total (None when the group has none); `parts`: per
    breakdown dimension, the value of each part (breakdown value -> value).

    1. A small total is hidden, and so is every non-zero part of it, in every
       dimension: a part of a hidden total would bound or reveal it.
    2. Otherwise, in each dimension, the small parts are hidden (primary
       suppression). If any is, the smallest remaining non-zero parts are hidden
       too, one at a time, until at least two cells are hidden and together they
       reach the threshold (complementary suppression): total minus the visible
       parts then gives only their sum, which is not small, so no single hidden
       cell can be pinned (two hidden cells summing to 2 would both be 1). When
       no non-zero part is left to add, every non-zero part is hidden and their
       sum is the total, which is not small.
    Zero parts are never hidden: a zero is not a small count of people.
    """
    if is_small(total, below):
        hidden = {dim: frozenset(k for k, v in values.items() if v) for dim, values in parts.items()}
        return GroupSuppression(total=True, parts=hidden)
    out: dict[str, frozenset[str]] = {}
    for dim, values in parts.items():
        hidden = {k for k, v in values.items() if is_small(v, below)}
        if hidden:
            rest = sorted((v, k) for k, v in values.items() if k not in hidden and v and v > 0)
            while rest and (len(hidden) < 2 or sum(values[k] for k in hidden) < below):
                hidden.add(rest.pop(0)[1])
        out[dim] = frozenset(hidden)
    return GroupSuppression(total=False, parts=out)


def aggregate_is_suppressed(cells_suppressed) -> bool:
    """An aggregate (a sum over years, places or parts) of cells is hidden when
    any of its cells is: a visible aggregate minus its visible cells would
    otherwise give back the hidden one. The dashboard sums no figures after the
    summary (pages show each source's figure, never a made-up total), so this
    rule is here for any view that would."""
    return any(bool(c) for c in cells_suppressed)


__all__ = [
    "DEFAULT_SUPPRESS_BELOW",
    "FEWER_THAN",
    "GroupSuppression",
    "aggregate_is_suppressed",
    "is_small",
    "suppress_group",
]
