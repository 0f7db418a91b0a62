"""The staff's "Share with a donor" form, in the navigation bar of every view.

A plain HTML form in a <details> (no callback, no script): it posts the view's
pinned link to POST /share/new (web/share_form.py), which answers with the
link and a Copy button. Shown to signed-in staff only (pages/view.py decides).
"""

from __future__ import annotations

from collections.abc import Callable

from components.html_block import HtmlBlock, markup, text_html
from components.i18n import N_

CREATE_PATH = "/share/new"  # web/share_form.py's route
FORM_ID = "share-donor-form"
# (value, label) of the expiry choices: 1 day to 1 year, 30 days first (the default).
EXPIRY_CHOICES = (
    ("30d", N_("30 days")),
    ("1d", N_("1 day")),
    ("7d", N_("7 days")),
    ("90d", N_("90 days")),
    ("6m", N_("6 months")),
    ("1y", N_("1 year")),
)


def share_with_donor(view: str, lang: str, t: Callable[[str], str]) -> HtmlBlock:
    """The form for the view `view` ("PATH?QUERY", its pinned link), written as
    HTML (dash-html-components has no <input>; nothing here is a callback's)."""
    ident = {key: f"{FORM_ID}-{key}" for key in ("expires", "note", "internal")}
    options = "".join(
        markup("option", {"value": value}, text_html(t(label))) for value, label in EXPIRY_CHOICES
    )
    fields = [
        markup("input", {"type": "hidden", "name": "view", "value": view}),
        markup("input", {"type": "hidden", "name": "lang", "value": lang}),
        markup(
            "label",
            {"htmlFor": ident["expires"], "className": "form-label mb-1"},
            text_html(t("Link works for")),
        ),
        markup(
            "select",
            {"id": ident["expires"], "name": "expires", "className": "form-select form-select-sm mb-2"},
            options,
        ),
        markup(
            "label",
            {"htmlFor": ident["note"], "className": "form-label mb-1"},
            text_html(t("Note (for staff)")),
        ),
        markup(
            "input",
            {
                "id": ident["note"],
                "name": "note",
                "type": "text",
                "maxlength": "500",
                "className": "form-control form-control-sm",
            },
        ),
        markup(
            "div",
            {"className": "form-check my-2"},
            markup(
                "input",
                {
                    "id": ident["internal"],
                    "name": "internal",
                    "type": "checkbox",
                    "value": "1",
                    "className": "form-check-input",
                },
            )
            + markup(
                "label",
                {"htmlFor": ident["internal"], "className": "form-check-label"},
                text_html(t("Include internal figures")),
            ),
        ),
        markup(
            "button", {"type": "submit", "className": "btn btn-sm btn-primary"}, text_html(t("Make the link"))
        ),
    ]
    form = markup(
        "form",
        {
            "action": CREATE_PATH,
            "method": "post",
            "id": FORM_ID,
            "className": "share-donor-form p-3 bg-body text-body border rounded shadow-sm",
        },
        "".join(fields),
    )
    summary = markup(
        "summary", {"className": "btn btn-sm btn-outline-light"}, text_html(t("Share with a donor"))
    )
    return HtmlBlock("details", {"className": "share-donor"}, summary + form)
