"""Donor links (issue 15): `/s/<token>` opens a locked view; the reader may
switch language and download that view's files, nothing wider.

- The token is the link's id signed with the app's SECRET_KEY and a salt of its
  own (itsdangerous): anything not signed by us (tampered, unsigned, a JWT with
  `alg: none`) is refused before the database is asked. The row decides the
  rest (data_access/share_links.py): unknown 403, revoked or expired 410, each
  a short page in the reader's language (?lang, else Accept-Language).
- A valid open is counted, the link's id goes into the signed session cookie
  (web/sessions.py) and the reader is sent to the view.
- While the session holds a link that still works, the audience resolver names
  it (`model.audience.donor_link`): its own cache scope, internal figures or not.
  The link is read again at most every LOOKUP_TTL_S seconds per worker, so a
  revoked link stops working within that delay.
- `lock_to_view`, before every view function (and the callback guard and
  response cache): a link reader's page URL, page callback, export or preview
  must be the link's own view (compared on pages/locked_view.ViewKey, never on
  raw strings); anything else answers 403.
- `POST /share/new`: staff make a link from the view on screen (same-origin
  checked). `flask --app app share create|list|revoke` from the command line.
"""

from __future__ import annotations

import html as html_escape
import logging
from urllib.parse import urlencode

from dash import Dash
from flask import Flask, Response, current_app, redirect, request, session
from itsdangerous import BadData, URLSafeSerializer

from components.i18n import N_, get_translator
from config import LANGUAGES, Settings
from data_access import share_links
from data_access.db import get_engine, request_audience
from model.audience import Audience, donor_link
from pages import locked_view
from web.audience import add_audience_resolver
from web.callback_guard import BadCallback, parse_body
from web.dash_adapters import PAGES_ROUTER_OUTPUT, ROUTER_PATHNAME, ROUTER_SEARCH
from web.not_found import known_page_path
from web.requests import query_args
from web.responses import plain_text
from web.standalone_page import standalone_page

log = logging.getLogger(__name__)

LINK_PREFIX = "/s/"
CREATE_PATH = "/share/new"
SESSION_KEY = "donor_link"
SALT = "compass.donor-link.v1"
MAX_TOKEN = 200
CALLBACK_PATH = "/_dash-update-component"
# Routes that show no figures, or that every page needs to load: open to a link reader.
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", LINK_PREFIX)
OPEN_PATHS = frozenset(
    {"/_dash-layout", "/_dash-dependencies", "/_favicon.ico", "/robots.txt", "/healthz", "/login", "/logout"}
)


# --- tokens ----------------------------------------------------------------------------------------


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def sign_link(secret_key: str, link_id: str) -> str:
    """The token of a link: its id, signed."""
    return _serializer(secret_key).dumps({"link": link_id})


def unsign_link(secret_key: str, token: str) -> str | None:
    """The link id a token carries, or None when it is not one we signed."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    try:
        payload = _serializer(secret_key).loads(token)
    except (BadData, ValueError, TypeError):
        return None
    link_id = payload.get("link") if isinstance(payload, dict) else None
    return link_id if isinstance(link_id, str) and 0 < len(link_id) <= 32 else None


def base_url(settings: Settings) -> str:
    """Where readers reach the dashboard: PUBLIC_BASE_URL, else this server's address."""
    return settings.public_base_url or f"http://{settings.host}:{settings.port}"


def link_url(base: str, secret_key: str, link_id: str) -> str:
    return f"{base.rstrip('/')}{LINK_PREFIX}{sign_link(secret_key, link_id)}"


# --- the reader's language and the refusal page -----------------------------------------------------


def reader_language() -> str:
    """?lang when valid, else the browser's preference, else the default language."""
    lang = request.args.get("lang", "")
    if isinstance(lang, str) and lang.strip().lower() in LANGUAGES:
        return lang.strip().lower()
    best = request.accept_languages.best_match(LANGUAGES)
    return best or current_app.config["COMPASS_SETTINGS"].default_language


REFUSALS = {
    # reason -> (status, title, message); the texts are translated when shown
    "invalid": (
        403,
        N_("This link is not valid"),
        N_("The address may have been cut or changed on the way. Ask the person who sent it for a new link."),
    ),
    "unknown": (
        403,
        N_("This link is not valid"),
        N_("The address may have been cut or changed on the way. Ask the person who sent it for a new link."),
    ),
    "expired": (
        410,
        N_("This link has expired"),
        N_("Shared links work for a limited time. Ask the person who sent it for a new link."),
    ),
    "revoked": (
        410,
        N_("This link has been withdrawn"),
        N_("The person who shared it has withdrawn it. Ask them for a new link if you still need it."),
    ),
    "outside": (
        403,
        N_("Not part of this shared view"),
        N_(
            "This shared link shows one view only: other pages, countries, years and indicators are not included."
        ),
    ),
}


def refusal_page(reason: str, lang: str, back: str | None = None) -> Response:
    """A short page in the reader's language: what happened, what to do; never a trace."""
    status, title, message = REFUSALS[reason]
    t = get_translator(lang)
    esc = html_escape.escape
    if back:
        back_link, back_text = back, t("Back to the shared view")
    else:
        back_link, back_text = f"/?lang={lang}", t("Go to the public dashboard")
    heading, explanation, dashboard = t(title), t(message), t("Dashboard")
    main = f"""<p class="text-body-secondary mb-1">COMPASS {esc(dashboard)}</p>
<h1 class="h3">{esc(heading)}</h1>
<p>{esc(explanation)}</p>
<p><a href="{esc(back_link)}">{esc(back_text)}</a></p>"""
    return standalone_page(
        lang, f"{heading} \u2013 COMPASS", main, status=status, main_class="container py-5 link-refusal"
    )


# --- opening a link --------------------------------------------------------------------------------


def open_link(token: str) -> Response:
    """GET /s/<token>: check the token and the stored link, count the open, lock
    the session to the view and show it."""
    lang = reader_language()
    link_id = unsign_link(current_app.secret_key, token)
    if link_id is None:
        log.info("donor link refused: bad signature")
        return refusal_page("invalid", lang)
    engine = get_engine()
    link = share_links.get(engine, link_id)
    if link is None:
        return refusal_page("unknown", lang)
    if link.revoked:
        return refusal_page("revoked", lang)
    if link.expired():
        return refusal_page("expired", lang)
    share_links.count_open(engine, link.id)
    session[SESSION_KEY] = link.id
    return redirect(_with_language(link.view, request.args.get("lang")), code=303)


def _with_language(view: str, lang: object) -> str:
    """The stored view, in the language the reader asked for on the link (if any)."""
    if not isinstance(lang, str) or lang.strip().lower() not in LANGUAGES:
        return view
    path, query = locked_view.split_address(view)
    query["lang"] = lang.strip().lower()
    return f"{path}?{urlencode(query, safe=',')}"


# --- who is reading --------------------------------------------------------------------------------


def link_audience(_request) -> Audience | None:
    """The donor link the session holds while it still works (audience resolver)."""
    link_id = session.get(SESSION_KEY) if _request.cookies else None
    if not isinstance(link_id, str):
        return None
    link = share_links.current(get_engine(), link_id)
    if link is None or not link.usable():
        session.pop(SESSION_KEY, None)
        return None
    return donor_link(link.id, link.view, link.internal)


# --- the lock ---------------------------------------------------------------------------------------


def _link_key(audience: Audience) -> locked_view.ViewKey | None:
    path, query = locked_view.split_address(audience.view or "")
    return locked_view.view_key(path, query)


def _refuse_outside(audience: Audience) -> Response:
    path = request.path
    if path == CALLBACK_PATH or path.startswith(("/export/", "/preview/")):
        return plain_text(403, get_translator(reader_language())("This shared link shows one view only."))
    return refusal_page("outside", reader_language(), back=audience.view)


def request_in_view(audience: Audience) -> bool:
    """Whether the current request asks for the link's view (or a file of it)."""
    path = request.path
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return True
    own = _link_key(audience)
    if own is None:  # the stored view no longer validates (its page or data changed): nothing is shown
        return False
    if path == CALLBACK_PATH:
        return _callback_in_view(own)
    if path.startswith("/export/"):
        found = locked_view.export_key(path.removeprefix("/export/"), query_args())
        return found is not None and found[0] == own.without(found[1])
    if path.startswith("/preview/") and path.endswith(".png"):
        return locked_view.preview_key(path.removeprefix("/preview/")[: -len(".png")], query_args()) == own
    if request.method == "GET" and known_page_path(path):
        return locked_view.view_key(path, query_args()) == own
    return False


def _callback_in_view(own: locked_view.ViewKey) -> bool:
    """A page callback for the link's view; every other server callback is refused."""
    try:
        payload = parse_body(request.get_data(cache=True))
    except BadCallback:
        return False  # malformed: nothing a link reader's page sends
    if payload.get("output") != PAGES_ROUTER_OUTPUT:
        return False
    inputs = payload.get("inputs")
    values = {}
    for item in inputs if isinstance(inputs, list) else ():
        if isinstance(item, dict):
            values[f"{item.get('id')}.{item.get('property')}"] = item.get("value")
    pathname, search = values.get(ROUTER_PATHNAME), values.get(ROUTER_SEARCH) or ""
    if not isinstance(pathname, str) or not isinstance(search, str):
        return False
    query = locked_view.identity.parse_search(search) if search.startswith("?") else {}
    return locked_view.view_key(pathname, query) == own


def lock_to_view() -> Response | None:
    """before_request: a link reader stays inside the link's view."""
    audience = request_audience()
    if not audience.is_link:
        return None
    try:
        inside = request_in_view(audience)
    except Exception:  # noqa: BLE001 - whatever failed, nothing outside the view is served
        log.exception("donor link: could not check %s", request.path[:200])
        inside = False
    return None if inside else _refuse_outside(audience)


# --- install ---------------------------------------------------------------------------------------


def install_donor_links(app: Dash, settings: Settings) -> None:
    """The link route, the resolver, the lock and the `share` commands."""
    server = app.server
    if not server.config.get("SESSION_COOKIE_SAMESITE"):
        server.config["SESSION_COOKIE_SAMESITE"] = "Lax"  # sent when a donor follows the link from mail
    server.add_url_rule(LINK_PREFIX + "<token>", endpoint="donor_link", view_func=open_link)
    add_audience_resolver(server, link_audience)
    server.before_request(lock_to_view)  # after the audience is set (install_audience, step 1)
    register_share_commands(server, settings)
    from web.share_form import register_share_form

    register_share_form(server, settings)


def register_share_commands(server: Flask, settings: Settings) -> None:
    from web.share_cli import share_group

    server.cli.add_command(share_group(settings))
