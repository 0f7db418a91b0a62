"""Callbacks of the Partners page: a filter changed, so the browser writes the
new URL (pages/navigation.py; what each control sets is
`pages.partners_view.nav_controls`, shipped with the view). The page then
renders from that URL (pages/partners.py). The search is a dcc.Input with
debounce: it sends its value on Enter or when it loses focus, not on every key.
"""

from __future__ import annotations

from dash import Dash

from pages import ids
from pages.navigation import register_control_navigation


def register_callbacks(app: Dash) -> None:
    """Attach the Partners page's callbacks to `app` (called by the app factory)."""
    register_control_navigation(
        app,
        [
            ids.PARTNERS_COUNTRIES,
            ids.PARTNERS_TYPES,
            ids.PARTNERS_THEMES,
            ids.PARTNERS_YEAR,
            ids.PARTNERS_SEARCH,
        ],
    )
