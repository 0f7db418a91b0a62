"""The query string of the current request, read once the way every handler needs it."""

from __future__ import annotations

from flask import request


def query_args() -> dict[str, object]:
    """request.args as Dash hands query keys to page layouts: a string, or a list
    when the key repeats (Dash's pages router does the same for `layout(**query)`)."""
    return {key: values[0] if len(values) == 1 else values for key, values in request.args.lists()}
