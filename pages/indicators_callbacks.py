"""Callbacks of the indicator explorer: a control changed, so the browser
writes the new URL (pages/navigation.py; what each control sets is
`pages.indicators_view.nav_controls`, shipped with the view). The page then
renders from that URL (pages/indicators.py); the table's sort is a plain link.
"""

from __future__ import annotations

from dash import Dash

from pages import ids
from pages.navigation import register_control_navigation


def register_callbacks(app: Dash) -> None:
    """Attach the explorer's callbacks to `app` (called by the app factory)."""
    register_control_navigation(
        app,
        [
            ids.EXPLORER_INDICATORS,
            ids.EXPLORER_COUNTRIES,
            ids.EXPLORER_YEARS,
            ids.EXPLORER_BREAKDOWN,
            ids.EXPLORER_CHART_TYPE,
            ids.EXPLORER_SCALE,
        ],
    )
