"""Finish Dash's set-up before the first real request.

Dash completes itself in `before_request` hooks on the first request it serves
(it walks the assets, registers the component bundles and the pages router's
callback), and marks that done *before* doing it. Several threads of a fresh
gunicorn worker then race: a browser's first page load asks for a dozen bundles
at once, and the ones that arrive while the set-up is half done answered 404 or
an empty `text/plain` (a donor's first visit after a deploy showed a blank page).
One request through Flask's test client, at the end of the app factory, runs
those hooks once, in one thread; with gunicorn's `preload_app` that happens in
the master, so every worker is forked complete. The content security policy
(web/headers.py), built at the first response, is then built from the final
scripts too.
"""

from __future__ import annotations

from dash import Dash

SET_UP_PATH = "/_dash-dependencies"  # cheap: no page, no query; runs every hook


def set_up_before_serving(app: Dash) -> None:
    """Run Dash's first-request set-up now, once; raise if it failed."""
    response = app.server.test_client().get(SET_UP_PATH)
    if response.status_code != 200:
        raise RuntimeError(f"the app did not set itself up: {SET_UP_PATH} answered {response.status_code}")
