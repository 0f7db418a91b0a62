"""Partner activities and campaigns as readable lists, partners named, sources folded."""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.data_text import data_text, proper_name
from components.formatting import format_figure
from components.i18n import Translator
from components.labels import CHANNELS, PARTNER_TYPES, THEMES, label
from components.sources import source_block
from components.visibility import badge_if_internal


def activity_list(
    frame: pd.DataFrame,
    lang: str,
    t: Callable[[str], str],
    country_href: Callable[[str], str] | None = None,
    show_year: bool = False,
) -> html.Ul:
    """One item per activity: country (linked when `country_href`), year (when
    `show_year`, for lists spanning several years), theme, text (marked with its
    language where it is not `lang`'s: no Arabic text yet), partners."""
    items = []
    for row in frame.itertuples():
        place = row.country_name or t("Programme-wide")
        head = [
            dcc.Link(place, href=country_href(row.country_iso3))
            if country_href and row.country_iso3
            else html.Span(place),
            html.Span(f" \u00b7 {row.year}", className="activity-year") if show_year else None,
            dbc.Badge(label(THEMES, row.theme, t), color="light", text_color="dark", className="ms-2"),
            badge_if_internal(row, t),
        ]
        description = data_text(row.description, row.description_lang, lang, html.P, className="mb-1")
        body = [html.Div(head, className="fw-semibold"), description]
        if isinstance(row.partners, str) and row.partners:
            body.append(
                html.P(
                    [
                        html.Span(t("Partners:") + " ", className="fw-semibold"),
                        proper_name(row.partners, lang),
                    ],
                    className="mb-1 small",
                )
            )
        body.append(_source(row, lang, t))
        items.append(html.Li(body, className="list-group-item"))
    return html.Ul(items, className="list-group list-group-flush activity-list")


def _source(row, lang: str, t: Callable[[str], str]):
    return source_block(
        row.source_title,
        row.source_url,
        row.source_quote,
        None,
        t,
        row.source_language,
        title_lang=row.source_title_lang,
        page_lang=lang,
    )


def partner_list(frame: pd.DataFrame, lang: str, t: Translator) -> html.Ul:
    """Partners with their type and number of activities."""
    items = []
    for row in frame.itertuples():
        name = row.name if not row.acronym else f"{row.name} ({row.acronym})"
        items.append(
            html.Li(
                [
                    proper_name(name, lang, className="me-2"),
                    dbc.Badge(label(PARTNER_TYPES, row.type, t), color="secondary", className="me-1"),
                    html.Span(
                        t.plural("{count} activity", "{count} activities", row.activities).format(
                            count=row.activities
                        ),
                        className="small text-body-secondary",
                    ),
                ],
                className="list-group-item",
            )
        )
    return html.Ul(items, className="list-group list-group-flush partner-list")


def campaign_list(frame: pd.DataFrame, lang: str, t: Callable[[str], str]) -> html.Ul:
    """Campaigns with channel and reach ('Reach not published' when unknown)."""
    items = []
    for row in frame.itertuples():
        reach = (
            t("Reach: {value} people").format(
                value=format_figure(row.reach, row.reach_qualifier, "people", lang)
            )
            if pd.notna(row.reach)
            else t("Reach not published")
        )
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            proper_name(row.name, lang, className="fw-semibold"),
                            dbc.Badge(
                                label(CHANNELS, row.channel, t),
                                color="light",
                                text_color="dark",
                                className="ms-2",
                            ),
                        ]
                    ),
                    html.P(reach, className="mb-1 campaign-reach"),
                    data_text(row.description, row.description_lang, lang, html.P, className="mb-1 small")
                    if row.description
                    else None,
                    _source(row, lang, t),
                ],
                className="list-group-item",
            )
        )
    return html.Ul(items, className="list-group list-group-flush campaign-list")
