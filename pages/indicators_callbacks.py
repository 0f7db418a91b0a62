"""Callbacks of the indicator explorer: a control changed, so write the new URL.

The page then renders from that URL (pages/indicators.py), so back/forward,
reloads and shared links show the same view. The URL logic is the pure
`pages.indicators_view.url_after_change`; the table's sort is a plain link.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from pages import ids
from pages.identity import keep_link_canonical
from pages.indicators_view import control_values, url_after_change


def register_callbacks(app: Dash) -> None:
    """Attach the explorer's callbacks to `app` (called by the app factory)."""

    @app.callback(
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        inputs={
            "controls": {
                "indicators": Input(ids.EXPLORER_INDICATORS, "value"),
                "countries": Input(ids.EXPLORER_COUNTRIES, "value"),
                "years": Input(ids.EXPLORER_YEARS, "value"),
                "breakdown": Input(ids.EXPLORER_BREAKDOWN, "value"),
                "chart": Input(ids.EXPLORER_CHART_TYPE, "value"),
                "scale": Input(ids.EXPLORER_SCALE, "value"),
            },
            "state": State(ids.VIEW_STATE, "data"),
        },
        prevent_initial_call=True,
    )
    def explore(controls: dict, state: dict | None):
        url = keep_link_canonical(url_after_change(control_values(controls), state))
        return url if url else no_update
