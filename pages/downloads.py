"""Plain Flask routes for files readers download: the import templates.

Only the names in TEMPLATE_FILES are ever served, from one directory; anything
else under /downloads/templates/ (unknown names, `..`, encoded slashes) gets a
short 404 text, never Dash's page shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, send_from_directory

from config import ROOT
from pages import paths

TEMPLATES_DIR = ROOT / "data" / "templates"
TEMPLATE_FILES = (
    "results_template.csv",
    "results_template.xlsx",
    "activities_template.csv",
    "activities_template.xlsx",
)
_CONFIG_KEY = "COMPASS_TEMPLATES_DIR"
_MIMETYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Template:
    """An import template present on disk."""

    name: str
    size: int  # bytes

    @property
    def kind(self) -> str:
        return self.name.split("_", 1)[0]  # "results" | "activities"

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lstrip(".")


def templates_dir() -> Path:
    """Where the current app serves templates from (tests point it elsewhere)."""
    return Path(current_app.config.get(_CONFIG_KEY, TEMPLATES_DIR))


def available_templates() -> list[Template]:
    """The whitelisted templates that exist, in TEMPLATE_FILES order."""
    directory = templates_dir()
    found = []
    for name in TEMPLATE_FILES:
        path = directory / name
        if path.is_file():
            found.append(Template(name=name, size=path.stat().st_size))
    return found


def _not_found(message: str) -> Response:
    return Response(message + "\n", status=404, mimetype="text/plain")


def download_template(name: str) -> Response:
    """Serve one whitelisted template as an attachment, or a short 404."""
    if name not in TEMPLATE_FILES:
        return _not_found("No such template.")
    directory = templates_dir()
    if not (directory / name).is_file():
        return _not_found("This template is not available yet.")
    return send_from_directory(
        directory,
        name,
        as_attachment=True,
        download_name=f"compass_{name}",
        mimetype=_MIMETYPES[Path(name).suffix],
        max_age=0,
    )


def register_download_routes(server: Flask, directory: Path | None = None) -> None:
    """Add the download routes to `server` (called by the app factory)."""
    server.config.setdefault(_CONFIG_KEY, str(directory or TEMPLATES_DIR))
    # <path:...> so that every address under the prefix reaches the whitelist
    # (and its 404) rather than Dash's catch-all page route.
    rule = paths.TEMPLATE_DOWNLOAD.replace("<name>", "<path:name>")
    server.add_url_rule(rule, endpoint="download_template", view_func=download_template)
