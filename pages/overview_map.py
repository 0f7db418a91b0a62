"""The Overview's map of results: which indicator it shows and the select beside it.

The choice lives in the URL (`map=<indicator code>`), like every control: the
browser writes the new URL (pages/share.py, `map_control`) and the page renders
from it, so a shared link shows the same map. Without `map`, the map
shows the year's headline indicator with the most countries
(components.result_map.default_map_indicator).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import Dash, dcc, html

from components.controls import dropdown_labels
from components.export_menu import export_links
from components.result_map import MapIndicator, default_map_indicator, map_indicators, map_view
from components.svg_map import results_map_figure
from data_access import catalog
from data_access import queries as q
from pages import export_paths, ids
from pages.navigation import register_control_navigation
from pages.share import key_control, pinned_link
from pages.urlstate import Param
from pages.view import PageContext

MAP_KEY = "map"
MAP_CHART_EXPORTS = "overview-map-chart-exports"
IMAGE_FORMATS = ("png", "svg", "pdf")


def overview_params() -> list[Param]:
    """The Overview's own controls: the map's indicator (any indicator code)."""
    return [
        Param(
            MAP_KEY,
            lambda: set(catalog.indicator_definitions("en").code),
            normalize=lambda v: v.strip().lower(),
        )
    ]


def _select(ctx: PageContext, options: list[MapIndicator], chosen: str | None) -> html.Div | None:
    t = ctx.t
    items = [
        {
            "label": t.plural("{name} ({count} country)", "{name} ({count} countries)", o.countries).format(
                name=o.name, count=o.countries
            ),
            "value": o.code,
        }
        for o in options
    ]
    if chosen and chosen not in {o.code for o in options}:
        names = catalog.indicator_definitions(ctx.lang).set_index("code").name
        items.append(
            {"label": t("{name} (no figures)").format(name=names.get(chosen, chosen)), "value": chosen}
        )
    if not items:
        return None
    label_id = f"{ids.OVERVIEW_MAP_INDICATOR}-label"
    return html.Div(
        [
            html.Label(
                t("Indicator on the map"),
                id=label_id,
                htmlFor=ids.OVERVIEW_MAP_INDICATOR,
                className="form-label fw-semibold mb-1",
            ),
            dcc.Dropdown(
                id=ids.OVERVIEW_MAP_INDICATOR,
                options=items,
                value=chosen,
                clearable=False,
                searchable=False,
                labels=dropdown_labels(t),
            ),
        ],
        className="overview-map-control mb-2",
        role="group",
        **{"aria-labelledby": label_id},
    )


def results_map(
    ctx: PageContext,
    results: pd.DataFrame,
    coverage: pd.DataFrame,
    country_href: Callable[[str], str],
) -> list:
    """The select and the map of the chosen indicator's figure in each COMPASS country."""
    t, lang, year = ctx.t, ctx.lang, ctx.year
    chosen = ctx.values.get(MAP_KEY)
    view = map_view(
        results,
        str(chosen) if chosen else None,
        coverage[["iso3", "name"]],
        catalog.indicator_definitions(lang),
        year,
        lang,
        t,
        country_href,
    )
    figure = results_map_figure(view.countries, view.unit, lang, t, view.title, ids.COVERAGE_MAP)
    images = [
        (
            fmt.upper(),
            export_paths.results_map_export_url(fmt, year, lang, str(chosen) if chosen else None),
            t("Download {what} as {format}").format(what=view.title, format=fmt.upper()),
        )
        for fmt in IMAGE_FORMATS
    ]
    downloads = export_links(
        t("Download the chart:"), images, element_id=MAP_CHART_EXPORTS, spacing="mb-0 mt-1"
    )
    return [_select(ctx, view.options, view.code), figure, downloads]


def shown_indicator(ctx: PageContext) -> str | None:
    """The indicator the map shows: the URL's `map`, else the year's default (which
    a newer figure may change, so the pinned link writes it out)."""
    chosen = ctx.values.get(MAP_KEY)
    if chosen:
        return str(chosen)
    results = q.country_level_results(ctx.year, ctx.lang, breakdowns=False, programme_facts=False)
    return default_map_indicator(map_indicators(results))


def map_control(ctx: PageContext) -> dict[str, dict[str, object]]:
    """The map select, for the browser: it sets `map` (pages/share.py)."""
    return {ids.OVERVIEW_MAP_INDICATOR: key_control(MAP_KEY, shown_indicator(ctx))}


def overview_pinned(ctx: PageContext, lang: str | None = None) -> str:
    """The Overview's pinned link: its year and the indicator its map shows
    (`lang`: the same view in another language)."""
    values = {**ctx.values, MAP_KEY: shown_indicator(ctx)}
    return pinned_link("overview", None, ctx.year, lang or ctx.lang, values)


def register_callbacks(app: Dash) -> None:
    """Attach the map select's callback to `app` (called by the app factory)."""
    register_control_navigation(app, [ids.OVERVIEW_MAP_INDICATOR])
