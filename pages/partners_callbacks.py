"""Callbacks of the Partners page: a filter changed, so write the new URL.

The page then renders from that URL (pages/partners.py), so back/forward,
reloads and shared links show the same view. The URL logic is the pure
`pages.partners_view.url_after_change`.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from pages import ids
from pages.identity import keep_link_canonical
from pages.partners_view import SEARCH_KEY, url_after_change


def register_callbacks(app: Dash) -> None:
    """Attach the Partners page's callbacks to `app` (called by the app factory)."""

    @app.callback(
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        inputs={
            "controls": {
                "countries": Input(ids.PARTNERS_COUNTRIES, "value"),
                "types": Input(ids.PARTNERS_TYPES, "value"),
                "themes": Input(ids.PARTNERS_THEMES, "value"),
                "year": Input(ids.PARTNERS_YEAR, "value"),
                # dcc.Input(debounce=True): sent on Enter or blur, not on every key.
                SEARCH_KEY: Input(ids.PARTNERS_SEARCH, "value"),
            },
            "state": State(ids.VIEW_STATE, "data"),
        },
        prevent_initial_call=True,
    )
    def filter_partners(controls: dict, state: dict | None):
        url = keep_link_canonical(url_after_change(controls, state))
        return url if url else no_update
