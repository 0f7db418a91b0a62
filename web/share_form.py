"""`POST /share/new`: a staff member makes a donor link from the view on screen.

The form is in every page's navigation bar for staff only
(components/shell.share_form); it posts the view's pinned link, the expiry
(1 day to 1 year, 30 days by default), a note and whether to include internal
figures. The request must come from a page of this site (Origin, else Referer,
names this host) and from staff (`request_audience().is_staff`); the answer is
a short page with the link, a Copy button (assets/compass_share.js) and the way
back to the view.
"""

from __future__ import annotations

import html as html_escape
import logging
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

from components.formatting import format_day
from components.i18n import get_translator
from config import LANGUAGES, Settings
from data_access import share_links
from data_access.db import get_engine, request_audience
from pages.locked_view import BadView, canonical_view
from web.auth import signed_in_email
from web.donor_links import CREATE_PATH, link_url
from web.responses import plain_text
from web.standalone_page import standalone_page

log = logging.getLogger(__name__)


def same_origin() -> bool:
    """Whether the request comes from a page of this site: its Origin (or, when a
    browser sends none, its Referer) has this request's scheme and host."""
    own = urlsplit(request.host_url)
    claimed = request.headers.get("Origin") or request.headers.get("Referer") or ""
    found = urlsplit(claimed)
    return bool(claimed) and (found.scheme, found.netloc) == (own.scheme, own.netloc)


def _lang() -> str:
    lang = request.form.get("lang", "")
    return lang if lang in LANGUAGES else current_app.config["COMPASS_SETTINGS"].default_language


def _page(lang: str, title: str, body: str, status: int = 200) -> Response:
    esc = html_escape.escape
    main = f"""<h1 class="h3">{esc(title)}</h1>
{body}"""
    return standalone_page(
        lang,
        f"{title} \u2013 COMPASS",
        main,
        status=status,
        main_class="container py-5 share-made",
        scripts=["/assets/compass_share.js"],
    )


def create_from_form(settings: Settings) -> Response:
    """POST /share/new (see module doc)."""
    lang = _lang()
    t = get_translator(lang)
    if not same_origin():
        return plain_text(403, t("Refused: this form must be sent from a page of this site."))
    if not request_audience().is_staff:
        return plain_text(403, t("Refused: only signed-in staff can share a view."))
    esc = html_escape.escape
    view = request.form.get("view", "")
    try:
        duration = share_links.parse_expiry(request.form.get("expires", share_links.DEFAULT_EXPIRY))
        canonical = canonical_view(view)
        link = share_links.create(
            get_engine(),
            canonical,
            duration,
            internal=request.form.get("internal") == "1",
            note=request.form.get("note", ""),
            created_by=signed_in_email() or "",  # from the session, never from the form
        )
    except (share_links.ShareLinkError, BadView) as refused:
        back = t("Back")
        # The reason is the command line's English (pages/locked_view.py), marked as such.
        body = f'<p class="text-danger" lang="en">{esc(str(refused))}</p><p><a href="{esc(view or "/")}">{esc(back)}</a></p>'
        return _page(lang, t("The link could not be made"), body, status=400)
    url = link_url(settings.public_base_url or request.host_url, current_app.secret_key, link.id)
    texts = {
        "send": t("Send this link to the donor. It shows this view only, in English, French or Arabic."),
        "field": t("Donor link"),
        "copied": t("Link copied"),
        "copy": t("Copy"),
        "expires": t("Expires {date}.").format(date=format_day(link.expires_at.date(), lang)),
        "audience": t("Includes internal figures.") if link.internal else t("Published figures only."),
        "back": t("Back to the view"),
    }
    e = {key: esc(text) for key, text in texts.items()}
    body = f"""<p>{e["send"]}</p>
<div class="input-group mb-2 share-made-link">
<input id="share-made-url" class="form-control" dir="ltr" readonly value="{esc(url)}" aria-label="{e["field"]}">
<button type="button" class="btn btn-primary" data-copy="share-made-url" data-copied="{e["copied"]}">{e["copy"]}</button>
</div>
<p class="small text-body-secondary" role="status" id="share-made-status"></p>
<p>{e["expires"]} {e["audience"]}</p>
<p><a href="{esc(canonical)}">{e["back"]}</a></p>"""
    log.info("donor link %s made for %s", link.id, link.view)
    return _page(lang, t("Link for a donor"), body)


def register_share_form(server: Flask, settings: Settings) -> None:
    server.add_url_rule(
        CREATE_PATH, endpoint="share_create", view_func=lambda: create_from_form(settings), methods=["POST"]
    )
