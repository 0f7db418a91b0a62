"""Navigation callbacks: the country picker and year filter write a new URL (the
map's countries are plain links); the page then renders from that URL, so
back/forward and shared links show the same view."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, no_update

from pages import ids, paths
from pages.identity import keep_link_canonical
from pages.urlstate import shell_state, year_number


def target_url(trigger: object, year: object, iso3: object, state: object) -> str | None:
    """The URL the view moves to after a control changed, or None to stay (also
    for values no control sends: a forged request changes nothing)."""
    state = shell_state(state)
    lang = state.get("lang")
    current_year = state.get("year")
    if trigger == ids.COUNTRY_SELECT:
        if not iso3 or not isinstance(iso3, str) or iso3 == state.get("iso3"):
            return None
        return paths.country_url(iso3, current_year, lang)
    if trigger == ids.YEAR_SELECT:
        chosen = year_number(year)
        if chosen is None or chosen == current_year:
            return None
        return paths.view_url(
            state.get("page", "overview"), state.get("iso3"), chosen, lang, state.get("values")
        )
    return None


def register_callbacks(app: Dash) -> None:
    """Attach the navigation callbacks to `app` (called by the app factory)."""

    @app.callback(
        Output(ids.NAVIGATE, "href"),
        Input(ids.YEAR_SELECT, "value"),
        Input(ids.COUNTRY_SELECT, "value"),
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    def navigate(year, iso3, state):
        url = keep_link_canonical(target_url(ctx.triggered_id, year, iso3, state))
        return url if url else no_update

    # Copy link: the address already holds the whole view; copy it as it is now.
    app.clientside_callback(
        "function(_clicks) { return window.location.href; }",
        Output(ids.COPY_LINK, "content"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )

    # Keep <html lang> in step with the page language, for screen readers. Dash
    # does not fire callbacks for inputs that arrive inside a page, but a Store
    # sets its modified_timestamp when it mounts: that is the trigger.
    app.clientside_callback(
        """function(_mounted, state) {
            const lang = (state && state.lang) || "en";
            document.documentElement.lang = lang;
            return lang;
        }""",
        Output(ids.HTML_LANG, "data"),
        Input(ids.VIEW_STATE, "modified_timestamp"),
        State(ids.VIEW_STATE, "data"),
    )
