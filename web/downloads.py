"""Plain Flask routes for files readers download: the import templates.

Only the names in TEMPLATE_FILES (data_access/templates.py) are ever served,
from one directory; anything else under /downloads/templates/ (unknown names,
`..`, encoded slashes) gets a short 404 text, never Dash's page shell.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, send_from_directory

from components.i18n import get_translator
from data_access.templates import CONFIG_KEY, TEMPLATE_FILES, TEMPLATES_DIR, templates_dir
from pages import paths
from web.requests import request_language
from web.responses import plain_text

_MIMETYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_template(name: str) -> Response:
    """Serve one whitelisted template as an attachment, or a short 404."""
    if name not in TEMPLATE_FILES:
        return plain_text(404, get_translator(request_language())("No such template."))
    directory = templates_dir()
    if not (directory / name).is_file():
        return plain_text(404, get_translator(request_language())("This template is not available yet."))
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
    server.config.setdefault(CONFIG_KEY, str(directory or TEMPLATES_DIR))
    # <path:...> so that every address under the prefix reaches the whitelist
    # (and its 404) rather than Dash's catch-all page route.
    rule = paths.TEMPLATE_DOWNLOAD.replace("<name>", "<path:name>")
    server.add_url_rule(rule, endpoint="download_template", view_func=download_template)
