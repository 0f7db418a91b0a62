"""How staff see that a figure, activity or import is internal (not published):
a small "Internal" label beside it, in words (never colour alone) and with a
longer explanation for screen readers and on hover. The public never sees one:
for the public, queries return no internal row (data_access/visibility.py)."""

from __future__ import annotations

from collections.abc import Callable

from dash import html

from components.html_block import markup, text_html
from components.i18n import N_

INTERNAL_LABEL = N_("Internal")
INTERNAL_EXPLAINED = N_("Internal: not published, shown to staff only")
PUBLIC_LABEL = N_("Public")


def internal_badge(t: Callable[[str], str]) -> html.Span:
    """The "Internal" label, with its explanation for screen readers."""
    return html.Span(
        [
            html.Span(t(INTERNAL_LABEL), **{"aria-hidden": "true"}),
            html.Span(t(INTERNAL_EXPLAINED), className="visually-hidden"),
        ],
        className="badge internal-badge ms-1",
        title=t(INTERNAL_EXPLAINED),
    )


def internal_badge_html(t: Callable[[str], str]) -> str:
    """The same label written as HTML (for tables written directly as HTML)."""
    explained = t(INTERNAL_EXPLAINED)
    return markup(
        "span",
        {"className": "badge internal-badge ms-1", "title": explained},
        markup("span", {"aria-hidden": "true"}, text_html(t(INTERNAL_LABEL)))
        + markup("span", {"className": "visually-hidden"}, text_html(explained)),
    )


def is_internal(row) -> bool:
    """Whether a query row (a namedtuple of a frame) is an internal one: only
    frames read for an audience that sees internal rows have the column."""
    return bool(getattr(row, "internal", False))


def badge_if_internal(row, t: Callable[[str], str]) -> html.Span | None:
    """The label when `row` is internal, else nothing."""
    return internal_badge(t) if is_internal(row) else None


def visibility_cell(visibility: str, t: Callable[[str], str]) -> list:
    """A batch's visibility in the import history (staff only)."""
    return [internal_badge(t)] if visibility == "internal" else [t(PUBLIC_LABEL)]


__all__ = ["badge_if_internal", "internal_badge", "internal_badge_html", "is_internal", "visibility_cell"]
