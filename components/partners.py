"""The Partners page's pieces: the partner directory and the partner x country
matrix (an HTML table shaded like a heatmap, every number written out).

Names and other data are passed to Dash as plain strings, which React escapes:
a partner called "<b>x</b>" is shown as those characters, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.data_text import proper_name
from components.formatting import format_number
from components.i18n import LIST_COMMA, Translator
from components.labels import PARTNER_TYPES, THEMES, label
from components.theme import SEQUENTIAL
from model.partners import PartnerEntry
from model.places import collation_key

# Text colour on each SEQUENTIAL shade: dark on the light ones, white on the dark (WCAG AA).
_TEXT_ON = ("#212529", "#212529", "#212529", "#ffffff", "#ffffff")


def display_name(name: str, acronym: str | None) -> str:
    """'World Food Programme (WFP)'; the acronym once when it is the name."""
    return f"{name} ({acronym})" if acronym and acronym != name else name


def activity_count(count: int, lang: str, t: Translator) -> str:
    if count == 0:
        return t("No activities")
    return t.plural("{count} activity", "{count} activities", count).format(count=format_number(count, lang))


# --- directory ------------------------------------------------------------------------------


def _places(entry: PartnerEntry, t: Callable[[str], str]) -> str:
    return t(LIST_COMMA).join(name or t("Programme-wide") for _, name in entry.countries)


def _entry(entry: PartnerEntry, lang: str, t: Callable[[str], str], only_href: str | None) -> html.Li:
    name = proper_name(display_name(entry.name, entry.acronym), lang)
    # The name narrows the page to this partner: its row of the matrix and its activities.
    title = (
        dcc.Link(
            name, href=only_href, title=t("Show only the activities of {partner}").format(partner=entry.name)
        )
        if only_href
        else name
    )
    head = html.Div(
        [
            html.H3(title, className="h6 mb-0 partner-name"),
            dbc.Badge(label(PARTNER_TYPES, entry.type, t), color="secondary", className="partner-type"),
            html.Span(activity_count(entry.activities, lang, t), className="small partner-activity-count"),
        ],
        className="d-flex flex-wrap align-items-baseline column-gap-2 row-gap-1",
    )
    details: list = []
    if entry.countries:
        details.append(
            html.Span(
                [html.Span(t("Countries:") + " ", className="fw-semibold"), _places(entry, t)],
                className="partner-countries",
            )
        )
    if entry.themes:
        themes = sorted(label(THEMES, code, t) for code in entry.themes)
        details += [" \u00b7 "] if details else []
        details.append(
            html.Span(
                [html.Span(t("Themes:") + " ", className="fw-semibold"), t(LIST_COMMA).join(themes)],
                className="partner-themes",
            )
        )
    body = [head, html.P(details, className="small mb-0 mt-1")] if details else [head]
    return html.Li(body, className="list-group-item partner-entry", **{"data-partner": entry.key})


def partner_directory(
    entries: Sequence[PartnerEntry],
    lang: str,
    t: Callable[[str], str],
    only_href: Callable[[PartnerEntry], str],
) -> html.Ul:
    """One item per partner: name (acronym; a link that narrows the page to that
    partner when it has activities), type, number of activities, countries, themes."""
    return html.Ul(
        [_entry(e, lang, t, only_href(e) if e.activities else None) for e in entries],
        className="list-group list-group-flush partner-directory",
    )


# --- matrix ---------------------------------------------------------------------------------


def shade(count: int, highest: int) -> tuple[str, str]:
    """(background, text colour) of a cell: the SEQUENTIAL step for `count` of `highest`."""
    step = 0 if highest <= 1 else round((count - 1) / (highest - 1) * (len(SEQUENTIAL) - 1))
    return SEQUENTIAL[step], _TEXT_ON[step]


def _columns(frame: pd.DataFrame) -> list[tuple[str | None, str | None]]:
    """(iso3, name) of the matrix columns: countries by name, programme-wide last."""
    countries = frame[frame.country_iso3.notna()].drop_duplicates("country_iso3")
    pairs = zip(countries.country_iso3, countries.country_name, strict=True)
    columns = sorted(pairs, key=lambda c: collation_key(c[1] or ""))
    if frame.country_iso3.isna().any():
        columns.append((None, None))
    return columns


def partner_matrix(
    frame: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    caption: str,
    country_href: Callable[[str], str],
    table_id: str,
) -> html.Div:
    """Partners (rows) by country (columns), each cell the number of activities.

    `frame` is data_access.partners.partner_country_matrix (rows already in
    partner order). The table scrolls inside its own box on narrow screens.
    """
    columns = _columns(frame)
    highest = int(frame.activities.max()) if not frame.empty else 0
    header = [html.Th(t("Partner"), scope="col")]
    for iso3, name in columns:
        text = dcc.Link(name, href=country_href(iso3)) if iso3 else t("Programme-wide")
        header.append(html.Th(text, scope="col", className="matrix-country"))
    header.append(html.Th(t("Total"), scope="col", className="text-end"))
    rows = []
    for key, group in frame.groupby("partner_key", sort=False):
        counts = {iso3: int(n) for iso3, n in zip(group.country_iso3, group.activities, strict=True)}
        cells: list = [html.Th(proper_name(group.partner_name.iloc[0], lang), scope="row")]
        for iso3, _ in columns:
            count = counts.get(iso3, 0)
            if count:
                background, colour = shade(count, highest)
                style = {"backgroundColor": background, "color": colour}
                cells.append(html.Td(format_number(count, lang), style=style, className="matrix-cell"))
            else:
                cells.append(html.Td("", className="matrix-cell matrix-empty"))
        cells.append(html.Td(format_number(sum(counts.values()), lang), className="text-end fw-semibold"))
        rows.append(html.Tr(cells, **{"data-partner": key}))
    caption_id = f"{table_id}-caption"
    table = html.Table(
        [html.Thead(html.Tr(header)), html.Tbody(rows)],
        className="table table-sm table-bordered partners-matrix mb-0",
        id=table_id,
        **{"aria-labelledby": caption_id},
    )
    # The title stays outside the box (a <caption> would scroll away with a wide
    # table); the box is a focusable, labelled region so keyboard users can scroll it.
    return html.Div(
        [
            html.P(caption, id=caption_id, className="matrix-caption mb-1"),
            html.Div(
                table,
                className="table-responsive partners-matrix-box",
                tabIndex="0",
                role="region",
                **{"aria-labelledby": caption_id},
            ),
        ]
    )


def matrix_legend(t: Callable[[str], str]) -> html.P:
    """Swatches from lightest to darkest: fewer to more activities."""
    swatches = [html.Span(className="matrix-swatch", style={"backgroundColor": c}) for c in SEQUENTIAL]
    return html.P(
        [
            html.Span(t("Fewer activities") + " "),
            html.Span(swatches, **{"aria-hidden": "true"}),
            " " + t("More"),
        ],
        className="small text-body-secondary matrix-legend mt-2",
    )
