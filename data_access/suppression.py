"""Small-cell suppression applied to the frames of the memoized queries (issue 15).

The rule is model/suppression.py; this module finds the cells it hides and
marks them in the frames the queries return, before those frames are cached:
a frame cached for the public already says "fewer than 10", never the number.

Which cells are hidden is decided once per data version over every summary row
of the sensitive indicators the audience may see (`_suppressed_ids`), not
over the rows one query happens to fetch: a page showing a total and another
showing its parts hide the same cells, so they cannot be combined to undo it.

In a frame, a hidden cell is explicit:
- `suppressed` (bool) is True (for every audience: staff see it marked);
- for readers who are not staff (`version.audience.exact` False) its `value`
  is the threshold and its `qualifier` FEWER_THAN, so that every formatter
  writes "fewer than 10" and no code path can show the number;
- `suppress_below` holds the threshold.
"""

from __future__ import annotations

import pandas as pd
from flask import current_app, has_app_context
from sqlalchemy import select

from data_access import schema as s
from data_access.cache import cache
from data_access.db import read_connection
from model.suppression import DEFAULT_SUPPRESS_BELOW, FEWER_THAN, suppress_group

R = s.result_summary

# The cells of one figure and its parts: same indicator, place, period and source.
GROUP_KEY = ("indicator_code", "scope", "country_iso3", "period_start", "period_end", "source_id")


def suppress_below() -> int:
    """The threshold of this app (SUPPRESS_BELOW), the default outside one."""
    settings = current_app.config.get("COMPASS_SETTINGS") if has_app_context() else None
    return int(getattr(settings, "suppress_below", DEFAULT_SUPPRESS_BELOW))


def suppressed_rows(frame: pd.DataFrame, below: int) -> pd.Series:
    """Which rows of `frame` (summary rows of sensitive indicators: GROUP_KEY,
    breakdown_dim, breakdown_value, value) are hidden, aligned on its index."""
    hidden = pd.Series(False, index=frame.index)
    if frame.empty:
        return hidden
    keys = frame[list(GROUP_KEY)].astype(object).where(frame[list(GROUP_KEY)].notna(), "")
    for _key, rows in frame.groupby([keys[c] for c in GROUP_KEY], sort=False, dropna=False):
        totals = rows[rows.breakdown_dim == ""]
        total = float(totals.value.min()) if not totals.empty else None  # the smallest, to be safe
        parts: dict[str, dict[str, float]] = {}
        for row in rows[rows.breakdown_dim != ""].itertuples():
            dim = parts.setdefault(row.breakdown_dim, {})
            dim[row.breakdown_value] = dim.get(row.breakdown_value, 0.0) + float(row.value)
        result = suppress_group(total, parts, below)
        for index, dim, value in zip(rows.index, rows.breakdown_dim, rows.breakdown_value, strict=True):
            hidden[index] = result.total if dim == "" else result.hides(dim, value)
    return hidden


def _sensitive_rows() -> pd.DataFrame:
    query = (
        select(
            R.c.id,
            *(R.c[c] for c in GROUP_KEY),
            R.c.breakdown_dim,
            R.c.breakdown_value,
            R.c.value,
            R.c.internal,
        )
        .select_from(R.join(s.indicators, R.c.indicator_code == s.indicators.c.code))
        .where(s.indicators.c.sensitive.is_(True))
    )
    with read_connection() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _hidden_ids(rows: pd.DataFrame, below: int) -> set[int]:
    hidden = suppressed_rows(rows, below)
    return {int(i) for i in rows.id[hidden]}


@cache.memoize_query()
def _suppressed_ids(below: int, version) -> frozenset[int]:
    """The summary rows hidden from readers who are not staff (and marked for staff).

    Decided twice and united: over the public rows alone (what the public may
    see: an internal part it cannot see must not be the complement that
    protects a public one) and over every row (what an internal donor link and
    staff see). Hiding more cells than a safe set never makes a hidden cell
    recoverable, so the union is safe for every audience, and one set serves
    them all. `version` keys it: the data and the audience."""
    everything = _sensitive_rows()
    if everything.empty:
        return frozenset()
    public = everything[~everything.internal.astype(bool)]
    return frozenset(_hidden_ids(public, below) | _hidden_ids(everything, below))


def apply_suppression(frame: pd.DataFrame, version) -> pd.DataFrame:
    """Mark (and, for readers who are not staff, hide) the suppressed cells of a
    results frame (columns of queries._results_query: summary_id, sensitive,
    value, qualifier). Called inside memoized queries, so what is cached for
    the public is already suppressed. A frame without sensitive rows costs
    nothing more than two columns."""
    below = suppress_below()
    frame["suppress_below"] = below
    if (
        frame.empty
        or "sensitive" not in frame.columns
        or not frame.sensitive.fillna(False).astype(bool).any()
    ):
        frame["suppressed"] = False
        return frame
    hit = frame.summary_id.isin(_suppressed_ids(below, version)) & frame.sensitive.fillna(False).astype(bool)
    frame["suppressed"] = hit.astype(bool)
    if not version.audience.exact and hit.any():
        frame["value"] = frame["value"].astype(float)
        frame.loc[hit, "value"] = float(below)
        frame.loc[hit, "qualifier"] = FEWER_THAN
    return frame


__all__ = ["GROUP_KEY", "apply_suppression", "suppress_below", "suppressed_rows"]
