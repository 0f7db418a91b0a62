"""Staff sign-in (issue 15): /login, /logout, the session cookie, the staff audience.

- /login (GET: the form; POST: sign in) and /logout (GET: a sign-out button;
  POST: sign out) are plain Flask routes answering small server-rendered pages in
  the reader's language (`?lang=`, else DEFAULT_LANGUAGE), styled by the app's own
  Bootstrap (served from /assets/, allowed by the CSP's 'self'), working without
  JavaScript. Wrong email, wrong password and a disabled account get one and the
  same message. After sign-in the reader goes to `next` when it is a path of this
  site (never another host: no open redirect), else to the overview.
- The session is Flask's signed cookie (web/sessions.py): the user's id and the
  account's stamp (data_access/users.py), so disabling the account or changing
  its password ends the session on its next request. HttpOnly, SameSite=Lax,
  Secure when SESSION_COOKIE_SECURE (on in the production profile); it lasts
  SESSION_LIFETIME_HOURS from sign-in (not renewed by use: the signature's time
  is the sign-in's).
- The audience: a request whose session names an active account is STAFF
  (web/audience.py), so every page, callback and export of that request is
  built, cached and marked private for staff. Pages learn the email (the navbar's
  "Signed in as") through pages.contract.signed_in_as().
- Same origin: every POST, PUT, PATCH or DELETE whose Origin (or, without one,
  Referer) names another host than the request's (or PUBLIC_BASE_URL's) is
  refused with 403 before any view runs; /login and /logout also refuse a POST
  that names no origin at all. Dash's callback route only reads, but a forged
  origin gains nothing there either, so the same rule applies.
- Failed sign-ins are counted per account and per client address (as
  web/limits.py computes it) in the Limiter's storage (Redis with the cache, else
  memory); over SIGN_IN_ACCOUNT_LIMIT or SIGN_IN_CLIENT_LIMIT the form answers 429
  "try again in N minutes" without checking the password. Every attempt, refused
  ones included, is recorded in `sign_ins`.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta
from html import escape
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, current_app, g, redirect, request, session
from flask.typing import ResponseReturnValue
from limits import parse_many

from components.i18n import LANGUAGE_NAMES, LANGUAGE_SWITCH_LABEL, get_translator
from config import LANGUAGES, Settings
from data_access.db import get_engine
from data_access.users import User, authenticate, normalise_email, record_refused, session_user
from model.audience import STAFF, Audience
from pages import paths
from pages.contract import ACCOUNT_READER
from web.audience import SAME_FOR_EVERYONE, add_audience_resolver
from web.limits import LIMITER, client_address
from web.operations import STATS_RESET_PATH
from web.requests import request_language
from web.responses import plain_text
from web.standalone_page import standalone_page

log = logging.getLogger(__name__)

SESSION_USER = "uid"
SESSION_STAMP = "stamp"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_USER = "compass_signed_in_user"  # flask.g: the request's account (False: none)


# --- who is signed in ---------------------------------------------------------------


def current_user() -> User | None:
    """The active account the request's session names, once per request; a session
    that no longer matches its account (disabled, new password) is emptied."""
    found = g.get(_USER)
    if found is None:
        found = _session_account() or False
        setattr(g, _USER, found)
    return found or None


def _session_account() -> User | None:
    if "HTTP_COOKIE" not in request.environ or request.path.startswith(SAME_FOR_EVERYONE):
        return None  # the public's fast path: no cookie, nothing to look up
    user_id = session.get(SESSION_USER)
    if user_id is None:
        return None
    try:
        user = session_user(get_engine(), user_id, session.get(SESSION_STAMP))
    except Exception:  # noqa: BLE001 - the database is down: read as the public, never as staff
        log.warning("could not check a staff session; the request is served as the public", exc_info=True)
        return None
    if user is None:
        session.clear()  # ended: the cookie is deleted with this response
    return user


def staff_audience(_request) -> Audience | None:
    """The audience resolver: STAFF for a signed-in active account."""
    return STAFF if current_user() else None


def signed_in_email() -> str | None:
    user = current_user()
    return user.email if user else None


# --- same origin ----------------------------------------------------------------------


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def same_origin_guard(settings: Settings):
    public_host = _host_of(settings.public_base_url) if settings.public_base_url else ""
    strict = (paths.LOGIN, paths.LOGOUT)

    def check() -> ResponseReturnValue | None:
        if request.method not in UNSAFE_METHODS or request.path == STATS_RESET_PATH:
            return None  # (/_stats/reset checks the origin itself, scheme included: web/operations.py)
        source = request.headers.get("Origin") or request.headers.get("Referer")
        if not source:
            return _cross_origin() if request.path in strict else None
        host = _host_of(source)
        if host and (host == request.host.lower() or host == public_host):
            return None
        return _cross_origin()

    return check


def _cross_origin():
    t = get_translator(request_language())
    log.info("cross-origin %s %s refused", request.method, request.path[:200])
    return plain_text(403, t("Refused: this form was sent from another site."))


# --- where to go after --------------------------------------------------------------


def local_path(value: object) -> str | None:
    """`value` when it is a path of this site ("/countries/LBY?year=2022"), else None:
    never another host ("//evil.example", "https://...", "/\\evil.example")."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2000:
        return None
    if value.startswith("//") or "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if parts.path in (paths.LOGIN, paths.LOGOUT):
        return None
    return value


def _next_view(lang: str) -> str:
    return local_path(request.values.get("next")) or paths.overview_url(None, lang)


# --- rate limits ----------------------------------------------------------------------


class SignInLimits:
    """Failed sign-ins per account and per client, in the app's Limiter storage."""

    def __init__(self, settings: Settings) -> None:
        self.account = parse_many(settings.sign_in_account_limit) if settings.sign_in_account_limit else []
        self.client = parse_many(settings.sign_in_client_limit) if settings.sign_in_client_limit else []
        self.client_key = client_address(settings.forwarded_allow_ips)

    def _checks(self, email: str):
        client = self.client_key()
        return [(item, "sign-in-account", email) for item in self.account] + [
            (item, "sign-in-client", client) for item in self.client
        ]

    def _strategy(self):
        limiter = current_app.extensions.get(LIMITER)
        return limiter.limiter if limiter is not None else None

    def wait_seconds(self, email: str) -> int:
        """0 when another attempt may be checked, else the seconds until it may."""
        strategy = self._strategy()
        if strategy is None:
            return 0
        try:
            waits = [
                strategy.get_window_stats(item, *keys).reset_time - time.time()
                for item, *keys in self._checks(email)
                if not strategy.test(item, *keys)
            ]
        except Exception:  # noqa: BLE001 - as exports: a Redis outage must not stop sign-ins
            log.warning("sign-in limits unavailable; the attempt is not limited", exc_info=True)
            return 0
        return max(1, math.ceil(max(waits))) if waits else 0

    def failed(self, email: str) -> None:
        strategy = self._strategy()
        if strategy is None:
            return
        try:
            for item, *keys in self._checks(email):
                strategy.hit(item, *keys)
        except Exception:  # noqa: BLE001
            log.warning("could not count a failed sign-in", exc_info=True)

    def succeeded(self, email: str) -> None:
        """The account's own count starts again (the client's stays)."""
        strategy = self._strategy()
        if strategy is None:
            return
        try:
            for item in self.account:
                strategy.clear(item, "sign-in-account", email)
        except Exception:  # noqa: BLE001
            log.warning("could not reset a sign-in count", exc_info=True)


# --- pages ----------------------------------------------------------------------------


def _words(lang: str, email: str = "") -> dict[str, str]:
    """The pages' words in `lang`, HTML-escaped (t() outside the f-strings below, so
    that pybabel finds them)."""
    t = get_translator(lang)
    words = {
        "dashboard": t("Dashboard"),
        "sign_in": t("Sign in"),
        "sign_out": t("Sign out"),
        "back": t("Back to the dashboard"),
        "intro": t("For programme staff: published figures need no sign-in."),
        "email": t("Email"),
        "password": t("Password"),
        "signed_in": t("You are signed in as {email}.").format(email=email),
        "not_signed_in": t("You are not signed in."),
    }
    return {key: escape(value) for key, value in words.items()}


def _page(lang: str, title: str, body: str, switch: dict[str, str], status: int = 200):
    words = _words(lang)
    languages = " ".join(_language_link(code, href, code == lang) for code, href in switch.items())
    home = escape(paths.overview_url(None, lang))
    header = f"""<header>
<nav class="navbar navbar-dark bg-primary mb-3" aria-label="COMPASS">
<div class="container-fluid gap-2">
<a class="navbar-brand" href="{home}"><span class="fw-bold">COMPASS</span> {words["dashboard"]}</a>
<nav class="d-flex gap-1 lang-switch ms-auto" aria-label="{LANGUAGE_SWITCH_LABEL}">{languages}</nav>
</div>
</nav>
</header>
"""
    return standalone_page(
        lang,
        f"{title} · COMPASS {words['dashboard']}",
        body,
        status=status,
        body_class="auth-page",
        main_class="container auth-main",
        header=header,
    )


def _language_link(code: str, href: str, current: bool) -> str:
    kind, marker = ("btn-light", ' aria-current="page"') if current else ("btn-outline-light", "")
    return (
        f'<a class="btn btn-sm {kind}" href="{escape(href)}" lang="{code}" '
        f'title="{escape(LANGUAGE_NAMES[code])}"{marker}>{code.upper()}</a>'
    )


def _switch(path_of) -> dict[str, str]:
    next_view = local_path(request.values.get("next"))
    return {code: path_of(code, next_view) for code in LANGUAGES}


def _sign_out_form(lang: str, next_view: str | None, words: dict[str, str]) -> str:
    back = escape(next_view or paths.overview_url(None, lang))
    return f"""<form method="post" action="{escape(paths.logout_url(lang, next_view))}"
 class="d-flex flex-wrap align-items-center gap-3">
<button type="submit" class="btn btn-primary">{words["sign_out"]}</button>
<a href="{back}">{words["back"]}</a>
</form>"""


def login_page(lang: str, *, email: str = "", error: str = "", status: int = 200):
    next_view = local_path(request.values.get("next"))
    user = current_user()
    words = _words(lang, user.email if user else "")
    back = escape(next_view or paths.overview_url(None, lang))
    if user is not None and not error:
        body = f"""<h1 class="h3">{words["sign_in"]}</h1>
<p>{words["signed_in"]}</p>
{_sign_out_form(lang, next_view, words)}"""
    else:
        alert = (
            f'<div class="alert alert-danger" role="alert" id="login-error">{escape(error)}</div>'
            if error
            else ""
        )
        body = f"""<h1 class="h3">{words["sign_in"]}</h1>
<p class="text-body-secondary">{words["intro"]}</p>
{alert}
<form method="post" action="{escape(paths.login_url(lang))}" class="auth-form">
<input type="hidden" name="next" value="{escape(next_view or "")}">
<div class="mb-3">
<label class="form-label" for="login-email">{words["email"]}</label>
<input class="form-control" type="email" dir="ltr" id="login-email" name="email" value="{escape(email)}"
 autocomplete="username" required maxlength="254" autofocus>
</div>
<div class="mb-3">
<label class="form-label" for="login-password">{words["password"]}</label>
<input class="form-control" type="password" dir="ltr" id="login-password" name="password"
 autocomplete="current-password" required maxlength="1024">
</div>
<div class="d-flex flex-wrap align-items-center gap-3">
<button type="submit" class="btn btn-primary">{words["sign_in"]}</button>
<a href="{back}">{words["back"]}</a>
</div>
</form>"""
    return _page(lang, get_translator(lang)("Sign in"), body, _switch(paths.login_url), status)


def logout_page(lang: str):
    next_view = local_path(request.values.get("next"))
    user = current_user()
    words = _words(lang, user.email if user else "")
    if user is None:
        back = escape(next_view or paths.overview_url(None, lang))
        body = f"""<h1 class="h3">{words["sign_out"]}</h1>
<p>{words["not_signed_in"]}</p>
<p><a href="{escape(paths.login_url(lang, next_view))}">{words["sign_in"]}</a> ·
<a href="{back}">{words["back"]}</a></p>"""
    else:
        body = f"""<h1 class="h3">{words["sign_out"]}</h1>
<p>{words["signed_in"]}</p>
{_sign_out_form(lang, next_view, words)}"""
    return _page(lang, get_translator(lang)("Sign out"), body, _switch(paths.logout_url))


def _too_many(lang: str, email: str, seconds: int):
    t = get_translator(lang)
    minutes = max(1, math.ceil(seconds / 60))
    message = t.plural(
        "Too many sign-in attempts: please try again in {n} minute.",
        "Too many sign-in attempts: please try again in {n} minutes.",
        minutes,
    ).format(n=minutes)
    response = login_page(lang, email=email, error=message, status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


# --- routes ---------------------------------------------------------------------------


def register_auth_routes(server: Flask, settings: Settings) -> None:
    limits = SignInLimits(settings)
    client_key = client_address(settings.forwarded_allow_ips)

    def login():
        lang = request_language()
        if request.method == "GET":
            return login_page(lang)
        t = get_translator(lang)
        email = normalise_email(request.form.get("email", ""))[:254]
        password = request.form.get("password", "")
        wait = limits.wait_seconds(email)
        if wait:
            record_refused(get_engine(), email, client_key())
            return _too_many(lang, email, wait)
        user = authenticate(get_engine(), email, password, client_key()) if email and password else None
        if user is None:
            if email and password:
                limits.failed(email)
            else:
                record_refused(get_engine(), email, client_key())
            return login_page(lang, email=email, error=t("Wrong email or password."), status=401)
        limits.succeeded(email)
        session.clear()
        session[SESSION_USER] = user.id
        session[SESSION_STAMP] = user.stamp
        session.permanent = True
        log.info("staff sign-in: user %s", user.id)
        return redirect(_next_view(lang), code=303)

    def logout():
        lang = request_language()
        if request.method == "GET":
            return logout_page(lang)
        session.clear()
        return redirect(_next_view(lang), code=303)

    server.add_url_rule(paths.LOGIN, "auth_login", login, methods=["GET", "POST"])
    server.add_url_rule(paths.LOGOUT, "auth_logout", logout, methods=["GET", "POST"])


def install_auth(app: Dash, settings: Settings) -> None:
    """Sessions' cookie settings, the staff audience, the same-origin check, the routes."""
    server = app.server
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_lifetime_hours),
        SESSION_REFRESH_EACH_REQUEST=False,  # a sign-in lasts its lifetime, not renewed by use
    )
    add_audience_resolver(server, staff_audience)
    server.extensions[ACCOUNT_READER] = signed_in_email
    server.before_request(same_origin_guard(settings))
    register_auth_routes(server, settings)
