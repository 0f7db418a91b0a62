"""Any unknown path: a friendly page with a way back, never an error."""

from __future__ import annotations

import dash
from dash import dcc, html

from pages import paths
from pages.contract import do_not_cache
from pages.titles import NOT_FOUND, page_title
from pages.view import guarded, resolve, shell

dash.register_page(__name__, path="/404", title=page_title(NOT_FOUND))


@guarded
def layout(**query) -> html.Div:
    do_not_cache()  # shown, not stored: endless unknown paths must not fill the response cache
    ctx = resolve(query)
    t = ctx.t
    content = [
        html.H1(t("Page not found"), className="h2"),
        html.P(t("This address does not match any page of the dashboard.")),
        dcc.Link(t("Go to the overview"), href=paths.overview_url(ctx.year, ctx.lang)),
    ]
    return shell(ctx, "overview", None, content, pinned="", path="")
