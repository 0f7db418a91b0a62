"""The naive way, for comparison: the country view as a tutorial Dash app writes it.

Every callback reads the country's raw result rows with pandas.read_sql, adds
them up by indicator in pandas, builds a Plotly figure and a table, with no
cache. Same router ids and outputs as the dashboard's pages router, so the
request the browser sends to the dashboard is replayed here unchanged.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, dcc, html
from flask import Flask
from sqlalchemy import create_engine, text


def _view(pathname: str | None, search: str | None) -> tuple[str, int | None]:
    iso3 = (pathname or "").rstrip("/").rsplit("/", 1)[-1].upper()
    years = parse_qs((search or "").lstrip("?")).get("year", [""])
    return iso3, int(years[0]) if years[0].isdigit() else None


def create_app() -> Flask:
    engine = create_engine(os.environ["DATABASE_URL"])
    app = Dash(__name__, serve_locally=True, suppress_callback_exceptions=True)
    app.layout = html.Div(
        [dcc.Location(id="_pages_location"), html.Div(id="_pages_content"), dcc.Store(id="_pages_store")]
    )

    @app.callback(
        Output("_pages_content", "children"),
        Output("_pages_store", "data"),
        Input("_pages_location", "pathname"),
        Input("_pages_location", "search"),
        prevent_initial_call=True,
    )
    def update(pathname, search, *_):
        iso3, year = _view(pathname, search)
        rows = pd.read_sql(
            text("SELECT * FROM results WHERE country_iso3 = :iso3"), engine, params={"iso3": iso3}
        )
        names = pd.read_sql(text("SELECT code, name_en FROM indicators"), engine)
        rows["year"] = pd.to_datetime(rows["period_end"]).dt.year
        year = year or (int(rows["year"].max()) if len(rows) else None)
        totals = (
            rows[rows["year"] == year]
            .groupby("indicator_code", as_index=False)["value"]
            .sum()
            .merge(names, left_on="indicator_code", right_on="code")
            .sort_values("value", ascending=False)
        )
        figure = px.bar(totals, x="name_en", y="value", title=f"{iso3} {year}")
        table = html.Table(
            [
                html.Tr([html.Td(name), html.Td(f"{value:,.0f}")])
                for name, value in zip(totals.name_en, totals.value, strict=True)
            ]
        )
        return [html.H1(f"{iso3} \u00b7 {year}"), dcc.Graph(figure=figure), table], {"title": iso3}

    return app.server
