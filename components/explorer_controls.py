"""The explorer's controls: lists of checkboxes that apply at once.

Used by pages/indicators.py. Each tick writes a new URL in the browser (pages/indicators_callbacks.py)
and the page renders from it. Dropdown menus closed at every re-render, so they could only send
their value when closed; checkboxes in a list that is always open have no menu
to close, and assets/keep_scroll.js keeps the list's scroll position and focus
across the re-render. Indicators come grouped by theme, each with the number of
figures it has, in a list tall enough to read (assets/compass.css).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.formatting import format_number
from components.labels import THEMES, label
from model.places import PROGRAMME, collation_key

GROUP_PREFIX = "group:"  # the value of a group's heading (a disabled option, never chosen)
SCALE_COMMON = "common"  # the `scale` value: panels of one unit share their scale


def checklist(
    control_id: str, options: list[dict], value: Iterable[str] | None, class_name: str, inline: bool = False
) -> dbc.Checklist:
    """Checkboxes that send their value at every tick."""
    return dbc.Checklist(
        id=control_id,
        options=options,
        value=list(value or ()),
        inline=inline,
        className=class_name,
        input_class_name="form-check-input",
    )


def _count(n: int, t, lang: str) -> html.Span:
    text = t.plural("{count} figure", "{count} figures", n).format(count=format_number(n, lang))
    return html.Span(text, className="checklist-count")


def indicator_options(indicators: pd.DataFrame, t, lang: str) -> list[dict]:
    """Every indicator under its theme's heading (themes and names in reading
    order), each with how many figures it has."""
    themes = sorted(set(indicators.theme), key=lambda code: collation_key(label(THEMES, code, t)))
    options: list[dict] = []
    for theme in themes:
        group = indicators[indicators.theme == theme]
        heading = html.Span(label(THEMES, theme, t), className="checklist-group-heading")
        options.append({"label": heading, "value": GROUP_PREFIX + theme, "disabled": True})
        options += [
            {"label": html.Span([name, " ", _count(int(n), t, lang)]), "value": code}
            for code, name, n in zip(group.code, group.name, group.results, strict=True)
        ]
    return options


def place_options(places: pd.DataFrame, t: Callable[[str], str]) -> list[dict]:
    """Programme-wide first, then the countries by name."""
    return [{"label": t("Programme-wide"), "value": PROGRAMME}] + [
        {"label": name, "value": iso3} for iso3, name in zip(places.iso3, places.name, strict=True)
    ]


def list_box(control_id: str, control, hint: str | None = None) -> html.Div:
    """A scrolling box for a long checklist; its scroll position survives re-renders."""
    return html.Div(
        [
            html.Div(
                control, id=f"{control_id}-box", className="checklist-box", **{"data-keep-scroll": "true"}
            ),
            html.Div(hint, className="form-text mt-1") if hint else None,
        ]
    )
