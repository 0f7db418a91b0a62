"""Small responses every route of the delivery layer gives the same way."""

from __future__ import annotations

from flask import Response


def plain_text(status: int, message: str) -> Response:
    """A short plain-text answer (errors of file routes): never a page shell, never a trace."""
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    """A file to download; never stored by a browser or proxy (data and dates change)."""
    response = Response(body, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
