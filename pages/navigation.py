"""Navigation: every control writes the next URL in the browser, without a
request of its own; Dash's pages router then renders the view from it (one
request per change), so back/forward and shared links show the same view.

The browser does not know the app's URL rules: each rendered view ships, in the
shell's view-state Store, what its controls set (pages/share.py), and one
generic function (assets/compass_nav.js, namespace `compass_nav`) applies it.
The Copy link button is handled by the same script (no callback: it waits for
the view on screen to match the address, then copies the view's pinned link).
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from pages import ids

NAV_FUNCTION = ClientsideFunction(namespace="compass_nav", function_name="change")


def register_control_navigation(app: Dash, control_ids: list[str]) -> None:
    """One clientside callback: when any of `control_ids` (controls described in
    the view state) sends a value, the browser writes the URL it leads to."""
    app.clientside_callback(
        NAV_FUNCTION,
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        [Input(control_id, "value") for control_id in control_ids],
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )


def register_callbacks(app: Dash) -> None:
    """Attach the navbar's callbacks to `app` (called by the app factory)."""
    register_control_navigation(app, [ids.YEAR_SELECT, ids.COUNTRY_SELECT])

    # Keep <html lang dir> (and Bootstrap's stylesheet of that direction) in step
    # with the page language. Dash does not fire callbacks for inputs that arrive
    # inside a page, but a Store sets its modified_timestamp when it mounts: that is
    # the trigger.
    app.clientside_callback(
        ClientsideFunction(namespace="compass_nav", function_name="language"),
        Output(ids.HTML_LANG, "data"),
        Input(ids.VIEW_STATE, "modified_timestamp"),
        State(ids.VIEW_STATE, "data"),
    )
