"""COMPASS Dashboard: the app factory.

`create_app()` returns the Flask server (for `flask --app app ...` and
gunicorn `'app:create_app()'`); `build_dash(settings, engine)` returns the
Dash app, wired to its engine, cache and pages. Nothing is built at import.
"""

from __future__ import annotations

import click
import dash
from dash import Dash, dcc
from flask import Flask
from sqlalchemy import Engine

from config import INSTANCE_DIR, REFERENCE_DIR, ROOT, Settings
from data_access.cache import init_cache
from data_access.cli import register_commands
from data_access.db import init_db
from data_access.engine import make_engine
from data_access.loader import prepare_database
from data_access.users_cli import register_user_commands
from pages import ids
from pages.indicators_callbacks import register_callbacks as register_explorer_callbacks
from pages.navigation import register_callbacks
from pages.overview_map import register_callbacks as register_map_callbacks
from pages.partners_callbacks import register_callbacks as register_partner_callbacks
from pages.view import synthetic_notice
from web import install_web
from web.dev_server import QuietRequestHandler
from web.first_request import set_up_before_serving
from web.warmup import start_warmup


def build_dash(settings: Settings | None = None, engine: Engine | None = None) -> Dash:
    """Create the Dash app with its dependencies (tests pass their own)."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url, settings.statement_timeout_ms)
    server = Flask(__name__, instance_path=str(INSTANCE_DIR))
    server.config.update(SECRET_KEY=settings.secret_key, COMPASS_SETTINGS=settings)
    init_db(server, engine, settings.data_version_ttl_ms / 1000, settings.page_statement_timeout_ms)
    init_cache(server, settings.cache_config())
    app = Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="COMPASS Dashboard",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = _root_layout
    register_callbacks(app)
    register_explorer_callbacks(app)
    register_map_callbacks(app)
    register_partner_callbacks(app)
    install_web(app, settings)  # HTTP delivery, after every page and callback (web/__init__.py)
    _register_cli(server, engine)
    register_commands(server, engine, settings)
    register_user_commands(server, engine)
    return app


def _root_layout():
    """The frame every page renders into: the <html> language holder, the
    synthetic-data banner (while such data is loaded), the page (whose shell holds
    the URL writer of the navigation controls, components/shell.py)."""
    return dash.html.Div(
        [
            dcc.Store(id=ids.HTML_LANG),
            *synthetic_notice(),
            dash.page_container,
        ]
    )


def _register_cli(server: Flask, engine: Engine) -> None:
    @server.cli.command("prepare-db")
    def prepare_db() -> None:
        """Migrate the database that DATABASE_URL selects and load the reference data."""
        report = prepare_database(engine, REFERENCE_DIR)
        click.echo(f"{engine.url.render_as_string(hide_password=True)}: {report.summary()}")


def create_app() -> Flask:
    """Flask entry point for `flask --app app` and gunicorn."""
    return build_dash().server


def main() -> None:
    """`python app.py`: serve on HOST:PORT (default http://127.0.0.1:8050).

    On the embedded SQLite default the database is created, migrated and filled
    on first run (a no-op afterwards); PostgreSQL is prepared by `make db`.
    """
    settings = Settings.from_env()
    engine = make_engine(settings.database_url, settings.statement_timeout_ms)
    if engine.dialect.name == "sqlite":
        click.echo(prepare_database(engine, REFERENCE_DIR).summary())
    app = build_dash(settings, engine)
    set_up_before_serving(app.server)  # before the threads of the first page load race for it
    start_warmup(settings)  # chromium for chart exports, in the background (web/warmup.py)
    app.run(host=settings.host, port=settings.port, debug=False, request_handler=QuietRequestHandler)


if __name__ == "__main__":
    main()
