"""A line of download links under a chart or section: 'Download: PNG · SVG · PDF'.

Plain <a> elements (not dcc.Link): the files come from Flask routes, which
answer with Content-Disposition: attachment, so the page stays where it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import html


def export_links(
    label: str, items: Sequence[tuple[str, str, str]], element_id: str | None = None, spacing: str = "mb-1"
) -> html.P:
    """`items` are (short text, href, full description for screen readers and tooltips)."""
    children: list = [html.Span(label + " ", className="text-body-secondary")]
    for i, (text, href, description) in enumerate(items):
        if i:
            children.append(html.Span(" \u00b7 ", className="text-body-secondary", **{"aria-hidden": "true"}))
        children.append(
            html.A(text, href=href, title=description, rel="nofollow", **{"aria-label": description})
        )
    extra = {"id": element_id} if element_id else {}
    return html.P(children, className=f"small export-links {spacing}", **extra)
