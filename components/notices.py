"""Visible notices for URL values that were ignored, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dash_bootstrap_components as dbc
from dash import html

from components.i18n import N_
from model.notice import Notice

# A notice as the refusal of a request that cannot fall back on a default (a file
# export: HTTP 4xx; a donor link's view given to the share command), a template of
# `key` and `value` in English, translated where a reader is known.
REFUSALS = {
    "bad_year": N_("Bad year \u201c{value}\u201d: use a four-digit year with data."),
    "unknown_year": N_("No data for year {value}."),
    "bad_lang": N_("Unsupported language \u201c{value}\u201d: use en, fr or ar."),
    "repeated": N_("\u201c{key}\u201d is given more than once."),
    "too_long": N_("The value of \u201c{key}\u201d is too long."),
    "unknown_value": N_("Unknown {key} \u201c{value}\u201d."),
    "unknown_key": N_("Unknown key \u201c{key}\u201d."),
    "bad_text": N_("The value of \u201c{key}\u201d has characters that cannot be searched."),
    "bad_until": N_("Bad cutoff \u201c{value}\u201d: use a four-digit year with data."),
    "until_after": N_("The cutoff {value} is after the latest year with data."),
    "until_before": N_("No data up to {value}."),
}
UNKNOWN_REFUSAL = N_("Refused: {key} {value}")


def refusal_template(notice: Notice) -> str:
    """The English template of `notice` as a refusal (fields `key` and `value`)."""
    return REFUSALS.get(notice.code, UNKNOWN_REFUSAL)


def notice_text(notice: Notice, t: Callable[[str], str], fallback: str) -> str:
    """One sentence saying what was ignored and what is shown instead."""
    messages = {
        "bad_year": t("\u201c{value}\u201d is not a year; showing {fallback} instead."),
        "unknown_year": t("There is no data for {value}; showing {fallback} instead."),
        "bad_lang": t("Unknown language \u201c{value}\u201d; showing {fallback} instead."),
        "repeated": t("\u201c{key}\u201d was given more than once ({value}); showing {fallback} instead."),
        "unknown_key": t("Ignored the unknown setting \u201c{key}\u201d."),
        "unknown_value": t(
            "\u201c{value}\u201d is not a known value for \u201c{key}\u201d; it was left out."
        ),
        "too_long": t("The value of \u201c{key}\u201d is too long; it was left out."),
        "bad_until": t("\u201c{value}\u201d is not a year; every year is shown."),
        "until_after": t(
            "{value} is after the latest year with data; \u201cup to {value}\u201d was left out and every year is shown."
        ),
        "until_before": t(
            "There is no data up to {value}; \u201cup to {value}\u201d was left out and every year is shown."
        ),
        "bad_text": t(
            "\u201c{value}\u201d contains characters that cannot be searched for; it was left out."
        ),
    }
    if notice.code == "repeated" and not fallback:  # a page control without a default to fall back on
        messages["repeated"] = t("\u201c{key}\u201d was given more than once ({value}); it was left out.")
    template = messages.get(notice.code, t("Ignored \u201c{key}\u201d."))
    return template.format(key=notice.key, value=notice.value, fallback=fallback)


def notice_alerts(
    notices: Sequence[Notice], t: Callable[[str], str], fallbacks: dict[str, str]
) -> html.Div | None:
    """An alert listing every notice; None when the URL was fine."""
    if not notices:
        return None
    lines = [html.Li(notice_text(n, t, fallbacks.get(n.key, ""))) for n in notices]
    alert = dbc.Alert(
        [html.Strong(t("Some settings in the address were not used:")), html.Ul(lines, className="mb-0")],
        color="warning",
        className="url-notices",
    )
    return html.Div(alert, role="status")
