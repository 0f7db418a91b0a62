"""How suppressed small counts read (model/suppression.py).

For the public the query already says "fewer than 10" (formatting.format_figure
writes the FEWER_THAN qualifier). Staff see the exact value with a small mark
whose accessible text says it is suppressed for the public."""

from __future__ import annotations

from dash import html

from components.html_block import markup, text_html
from components.i18n import get_translator
from model.suppression import FEWER_THAN

MARK_CLASS = "suppressed-mark"


def marked_for_staff(row) -> bool:
    """Whether `row` (a frame row or a kpi Figure) is an exact value that the
    public reads as "fewer than N": staff see it with the mark."""
    return bool(getattr(row, "suppressed", False)) and getattr(row, "qualifier", "") != FEWER_THAN


def mark_text(lang: str) -> str:
    t = get_translator(lang)
    return t("suppressed for the public")


def suppressed_mark(lang: str) -> html.Span:
    """A small mark beside an exact value: a symbol the eye sees, the words a screen reader reads."""
    text = mark_text(lang)
    return html.Span(
        [
            html.Span("\u2020", **{"aria-hidden": "true"}),
            html.Span(f" ({text})", className="visually-hidden"),
        ],
        className=MARK_CLASS,
        title=text,
    )


def suppressed_mark_html(lang: str) -> str:
    """The same mark as HTML, for the tables written as HTML."""
    text = mark_text(lang)
    inner = markup("span", {"aria-hidden": "true"}, "\u2020") + markup(
        "span", {"className": "visually-hidden"}, text_html(f" ({text})")
    )
    return markup("span", {"className": MARK_CLASS, "title": text}, inner)


def plain_value(value: float, qualifier: str, format_number) -> str:
    """The value column of a table: "<10" for a suppressed count, else the number."""
    if qualifier == FEWER_THAN:
        return f"<{format_number(value)}"
    return format_number(value)


def suppressed_note(lang: str) -> html.P:
    """A card's line under an exact value that the public reads as "fewer than N"."""
    return html.P(
        [html.Span("\u2020 ", **{"aria-hidden": "true"}), mark_text(lang)],
        className=f"small mb-1 {MARK_CLASS}-note",
    )


def suppression_notes(frame, t) -> list[str]:
    """How to read suppressed cells in a view of `frame` (a results frame), each only when it applies."""
    if frame.empty or "suppressed" not in frame.columns:
        return []
    notes = []
    hidden = frame.qualifier == FEWER_THAN
    if hidden.any():
        below = int(frame.value[hidden].iloc[0])
        notes.append(
            t(
                "\u201cFewer than {number}\u201d: small counts of people are not shown, to protect the people "
                "they count, nor drawn; other parts of the same total may be hidden with them."
            ).format(number=below)
        )
    elif frame.suppressed.astype(bool).any():
        below = int(frame.suppress_below.iloc[0]) if "suppress_below" in frame.columns else 10
        notes.append(
            t(
                "\u2020 Suppressed for the public (below {number}): "
                "you see the number because you are signed in as staff."
            ).format(number=below)
        )
    return notes
