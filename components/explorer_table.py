"""The explorer's figures as a table: one row per published figure and source.

Sorting lives in the URL: each sortable header is a link to the same view
sorted by that column, and the current column carries aria-sort. The rows are
filtered by the page's own (URL-backed) controls; nothing here filters on its
own, and nothing is ever totalled.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html

from components.data_text import foreign_attributes
from components.explorer_points import place_name
from components.formatting import (
    format_figure,
    format_number,
    format_percent_of,
    format_period,
    format_value,
    percent_of,
    qualifier_label,
)
from components.sources import row_source_block
from components.suppression import marked_for_staff, plain_value, suppressed_mark
from components.tables import STACK_TABLE, breakdown_label
from components.targets import progress_bar
from components.visibility import badge_if_internal
from model.places import collation_key


def _sort_keys(frame: pd.DataFrame, t: Callable[[str], str]) -> pd.DataFrame:
    """Sortable values for every column (programme-wide before countries)."""
    return pd.DataFrame(
        {
            "indicator": [collation_key(n) for n in frame.indicator_name],
            "country": [
                "" if scope == "programme" else "~" + collation_key(name or iso3 or "")
                for scope, name, iso3 in zip(frame.scope, frame.country_name, frame.country_iso3, strict=True)
            ],
            "period": [
                f"{e.isoformat()}|{s.isoformat()}"
                for s, e in zip(frame.period_start, frame.period_end, strict=True)
            ],
            "breakdown": [
                collation_key(breakdown_label(row, t)) if row.breakdown_dim else ""
                for row in frame.itertuples()
            ],
            "value": frame.value.astype(float),
            "target": frame.target.astype(float),
            "share": [
                percent_of(v, x) if pd.notna(x) else None
                for v, x in zip(frame.value, frame.target, strict=True)
            ],
        },
        index=frame.index,
    )


def sort_figures(frame: pd.DataFrame, sort: tuple[str, bool] | None, t: Callable[[str], str]) -> pd.DataFrame:
    """`frame` sorted by (column, ascending); rows without a value (no target)
    last in both directions; ties keep the published order."""
    if sort is None or frame.empty:
        return frame
    column, ascending = sort
    keys = _sort_keys(frame, t)[column]
    if column == "share":
        keys = pd.to_numeric(keys).astype(float)
    order = keys.sort_values(ascending=ascending, kind="stable", na_position="last").index
    return frame.loc[order]


def _header(
    text: str,
    column: str | None,
    sort: tuple[str, bool] | None,
    sort_href: Callable[[str], str],
    t: Callable[[str], str],
    class_name: str | None = None,
) -> html.Th:
    if column is None:
        return html.Th(text, scope="col", className=class_name)
    state = None
    arrow = "\u2195"
    if sort and sort[0] == column:
        state = "ascending" if sort[1] else "descending"
        arrow = "\u2191" if sort[1] else "\u2193"
    link = dcc.Link(
        [text, html.Span("\u00a0" + arrow, **{"aria-hidden": "true"})],
        href=sort_href(column),
        title=t("Sort by {column}").format(column=text),
        className="sort-link",
    )
    props = {"aria-sort": state} if state else {}
    return html.Th(link, scope="col", className=class_name, **{"data-column": column}, **props)


def _cell(children, column: str, class_name: str | None = None) -> html.Td:
    return html.Td(children, className=class_name, **{"data-label": column})


def _row(row, lang: str, t: Callable[[str], str], headers: dict[str, str]) -> html.Tr:
    has_target = pd.notna(row.target)
    share = percent_of(row.value, row.target) if has_target else None
    share_text = format_percent_of(row.value, row.target, row.qualifier, lang) if has_target else None
    figure = format_figure(row.value, row.qualifier, row.unit, lang)
    target = format_value(row.target, row.unit, lang) if has_target else ""
    place = place_name(row.scope, row.country_name, row.country_iso3, t)
    share_cell = [html.Span(share_text or "\u2013")]
    if share is not None:
        share_cell.append(
            progress_bar(
                share,
                t("{indicator}: {actual} against a target of {target}").format(
                    indicator=row.indicator_name, actual=figure, target=target
                ),
                t("{share} of the target").format(share=share_text),
            )
        )
    cells = [
        html.Th(
            row.indicator_name,
            scope="row",
            title=row.definition or None,
            **foreign_attributes(row.indicator_name_lang, lang),
        ),
        _cell(place, headers["country"]),
        _cell(format_period(row.period_start, row.period_end), headers["period"], "text-nowrap"),
        _cell(breakdown_label(row, t), headers["breakdown"]),
        _cell(_figure_with_marks(figure, row, lang, t), headers["figure"], "explorer-figure"),
        _cell(
            plain_value(row.value, row.qualifier, lambda v: format_number(v, lang)),
            headers["value"],
            "text-end text-nowrap",
        ),
        _cell(qualifier_label(row.qualifier, lang), headers["qualifier"]),
    ]
    if "target" in headers:
        cells += [
            _cell(target or "\u2013", headers["target"], "text-end text-nowrap"),
            _cell(share_cell, headers["share"], "target-share-cell"),
        ]
    cells += [
        _cell(row_source_block(row, t, lang), headers["source"]),
    ]
    return html.Tr(
        cells,
        **{
            "data-indicator": row.indicator_code,
            "data-place": row.country_iso3 or "programme",
            "data-period": format_period(row.period_start, row.period_end),
            "data-value": f"{row.value:g}",
            "data-qualifier": row.qualifier,
        },
    )


def explorer_table(
    frame: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    caption: str,
    sort: tuple[str, bool] | None,
    sort_href: Callable[[str], str],
    table_id: str,
) -> html.Div:
    """Indicator | Country | Period | Breakdown | Figure | Value | Qualifier |
    Target | % of target | Source, sorted as the URL says (the target columns
    only when some figure of the view has a target)."""
    headers = {
        "indicator": t("Indicator"),
        "country": t("Country"),
        "period": t("Period"),
        "breakdown": t("Breakdown"),
        "figure": t("Figure"),
        "value": t("Value"),
        "qualifier": t("Qualifier"),
        "target": t("Target"),
        "share": t("% of target"),
        "source": t("Source"),
    }
    if not frame.target.notna().any():  # targets exist for some figures only: no empty columns
        del headers["target"], headers["share"]
    sortable = {"indicator", "country", "period", "breakdown", "value", "target", "share"}
    numeric = {"value", "target"}
    head = [
        _header(
            text,
            key if key in sortable else None,
            sort,
            sort_href,
            t,
            "text-end" if key in numeric else None,
        )
        for key, text in headers.items()
    ]
    rows = [_row(row, lang, t, headers) for row in sort_figures(frame, sort, t).itertuples()]
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr(head)),
            html.Tbody(rows),
        ],
        className=f"table table-sm align-top explorer-table {STACK_TABLE}",
        id=table_id,
    )
    return html.Div(table, className="table-responsive")


def _figure_with_marks(figure, row, lang: str, t: Callable[[str], str]):
    """The figure, with staff's marks when it has any: suppressed for the public,
    internal (the public's rows have neither, and get the figure alone)."""
    marks = [suppressed_mark(lang)] if marked_for_staff(row) else []
    badge = badge_if_internal(row, t)
    marks += [badge] if badge is not None else []
    return [figure, *marks] if marks else figure
