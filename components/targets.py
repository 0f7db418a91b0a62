"""Progress against targets: one row per targeted figure, never added up.

The actual figure keeps its qualifier ("more than 7,000") and so does its
share of the target ("more than 70%"); the bar is a plain Bootstrap progress
element with an accessible name and value text, so screen readers hear the
same sentence the table shows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import html

from components.data_text import foreign_attributes
from components.formatting import format_figure, format_percent_of, format_period, format_value, percent_of
from components.sources import row_source_block
from components.tables import breakdown_label


def progress_bar(share: float | None, label: str, value_text: str) -> html.Div | None:
    """A horizontal bar of `share` percent (capped at the full width), or None without a share."""
    if share is None:
        return None
    width = max(0.0, min(share, 100.0))
    return html.Div(
        html.Div(
            className="progress-bar" + (" target-reached" if share >= 100 else ""),
            style={"width": f"{width:g}%"},
        ),
        className="progress target-progress mt-1",
        role="progressbar",
        **{
            "aria-label": label,
            "aria-valuenow": f"{width:g}",
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuetext": value_text,
        },
    )


def _cell(children, column: str, class_name: str | None = None) -> html.Td:
    return html.Td(children, className=class_name, **{"data-label": column})


def _row(row, lang: str, t: Callable[[str], str]) -> html.Tr:
    share = percent_of(row.value, row.target)
    share_text = format_percent_of(row.value, row.target, row.qualifier, lang)
    actual = format_figure(row.value, row.qualifier, row.unit, lang)
    target = format_value(row.target, row.unit, lang)
    of_target = (
        t("{share} of the target").format(share=share_text) if share_text else t("no target to compare with")
    )
    share_cell = [
        html.Span(share_text or "\u2013", className="target-share"),
        progress_bar(
            share,
            t("{indicator}: {actual} against a target of {target}").format(
                indicator=row.indicator_name, actual=actual, target=target
            ),
            of_target,
        ),
    ]
    source = row_source_block(row, t, lang)
    # data-label: on phones the table stacks and each cell shows its column name (assets/compass.css).
    cells = [
        html.Th(
            row.indicator_name,
            scope="row",
            title=row.definition or None,
            **foreign_attributes(row.indicator_name_lang, lang),
        ),
        _cell(format_period(row.period_start, row.period_end), t("Period"), "text-nowrap"),
        _cell(breakdown_label(row, t), t("Breakdown")),
        _cell(target, t("Target"), "text-end text-nowrap target-value"),
        _cell(actual, t("Actual"), "text-end target-actual"),
        _cell(share_cell, t("% of target"), "target-share-cell"),
        _cell(source, t("Source")),
    ]
    return html.Tr(
        cells,
        **{"data-indicator": row.indicator_code, "data-share": f"{share:g}" if share is not None else ""},
    )


def targets_table(frame: pd.DataFrame, lang: str, t: Callable[[str], str], caption: str) -> html.Div:
    """Indicator | Period | Breakdown | Target | Actual | % of target (with a bar) | Source."""
    headers = [
        (t("Indicator"), None),
        (t("Period"), None),
        (t("Breakdown"), None),
        (t("Target"), "text-end"),
        (t("Actual"), "text-end"),
        (t("% of target"), None),
        (t("Source"), None),
    ]
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col", className=c) for h, c in headers])),
            html.Tbody([_row(row, lang, t) for row in frame.itertuples()]),
        ],
        className="table table-sm align-top targets-table",
        id="country-targets",
    )
    return html.Div(table, className="table-responsive")
