"""The synthetic-data banner of the root layout, shown while generated figures are loaded."""

from __future__ import annotations

import logging

from dash import html
from flask import has_app_context

from components.synthetic_banner import synthetic_banner
from data_access import queries as q
from pages import ids

log = logging.getLogger(__name__)


def synthetic_notice() -> list[html.Div]:
    """[the banner] when any synthetic figure is loaded, else [].

    One cached lookup keyed by the data version, so the banner appears and
    disappears with the load that changed it. Outside a request (Dash may build
    the layout once at start-up) or when the database cannot answer, no
    banner: the page itself says what is wrong."""
    if not has_app_context():
        return []
    try:
        shown = q.has_synthetic_data()
    except Exception as exc:  # noqa: BLE001 - the frame of every page must always render
        log.warning("could not tell whether synthetic data is loaded: %s", exc)
        return []
    return [synthetic_banner(ids.SYNTHETIC_BANNER)] if shown else []
