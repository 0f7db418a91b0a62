"""Staff sign-in (issue 15): the users commands, password hashing, /login and
/logout, the session cookie, the staff audience, same-origin POSTs, the rate
limits of failed sign-ins (web/auth.py, data_access/users.py). On SQLite with the
in-memory limiter, and on PostgreSQL with the limiter on Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from flask import jsonify
from sqlalchemy import delete, select

from data_access import schema as s
from data_access.db import request_audience
from data_access.users import add_user, list_users, set_active, set_password, sign_in_count
from model.audience import PUBLIC, STAFF
from tests.helpers import make_app, parse_html, required_env, router_body
from web.limits import LIMITER

PASSWORD = "correct horse battery staple"
EMAIL = "staff@example.org"
ORIGIN = {"Origin": "http://localhost"}
ACCOUNT_LIMIT = 3
CLIENT_LIMIT = 5


def _empty_accounts(engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(s.sign_ins))
        conn.execute(delete(s.users))


@pytest.fixture(params=["sqlite", "postgres"])
def auth_engine(request):
    """A database whose accounts are the test's own."""
    if request.param == "sqlite":
        yield request.getfixturevalue("writable_sqlite")
        return
    engine = request.getfixturevalue("postgres_engine")
    _empty_accounts(engine)
    yield engine
    _empty_accounts(engine)


def auth_app_for(engine, **overrides):
    """An app with small sign-in limits; its limiter on Redis when the database is PostgreSQL."""
    settings = {
        "sign_in_account_limit": f"{ACCOUNT_LIMIT}/15minutes",
        "sign_in_client_limit": f"{CLIENT_LIMIT}/15minutes",
    }
    if engine.dialect.name == "postgresql":
        settings.update(
            cache_type="RedisCache",
            cache_redis_url=required_env("TEST_REDIS_URL"),
            cache_key_prefix=f"compass-test-{uuid.uuid4().hex[:8]}:",
        )
    settings.update(overrides)
    app = make_app(engine, **settings)

    @app.server.route("/_test/audience")
    def audience_seen():  # what a query of the request would be keyed by
        from data_access.db import request_data_version

        return jsonify(scope=request_audience().scope, version=str(request_data_version()))

    return app


@pytest.fixture
def auth_app(auth_engine):
    add_user(auth_engine, EMAIL, PASSWORD, "staff")
    return auth_app_for(auth_engine)


def sign_in(client, email=EMAIL, password=PASSWORD, next_view="", client_ip="127.0.0.1", lang="en"):
    return client.post(
        f"/login?lang={lang}",
        data={"email": email, "password": password, "next": next_view},
        headers=ORIGIN,
        environ_base={"REMOTE_ADDR": client_ip},
    )


def scope(client) -> str:
    return client.get("/_test/audience").get_json()["scope"]


def page_text(response) -> str:
    return parse_html(response.get_data(as_text=True)).text()


# --- the users commands -------------------------------------------------------------------


def test_users_commands_add_list_disable_enable(auth_engine):
    runner = auth_app_for(auth_engine).server.test_cli_runner()
    added = runner.invoke(
        args=["users", "add", "Ann@Example.org", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert added.exit_code == 0, added.output
    assert "Added ann@example.org (admin)" in added.output
    piped = runner.invoke(args=["users", "add", "bob@example.org", "--password-stdin"], input=PASSWORD + "\n")
    assert piped.exit_code == 0 and "Added bob@example.org (staff)" in piped.output
    listed = runner.invoke(args=["users", "list"])
    lines = [line.split() for line in listed.output.splitlines()]
    assert lines[0] == ["email", "role", "active", "last", "sign-in"]
    assert lines[1:] == [
        ["ann@example.org", "admin", "yes", "never"],
        ["bob@example.org", "staff", "yes", "never"],
    ]
    assert runner.invoke(args=["users", "disable", "bob@example.org"]).exit_code == 0
    assert [u.active for u in list_users(auth_engine)] == [True, False]
    assert "no" in runner.invoke(args=["users", "list"]).output.splitlines()[2].split()
    assert runner.invoke(args=["users", "enable", "BOB@example.org"]).exit_code == 0
    assert [u.active for u in list_users(auth_engine)] == [True, True]
    before = list_users(auth_engine)[1].stamp
    renewed = runner.invoke(
        args=["users", "set-password", "bob@example.org", "--password-stdin"], input="x" * 12
    )
    assert renewed.exit_code == 0 and list_users(auth_engine)[1].stamp != before
    short = runner.invoke(
        args=["users", "set-password", "bob@example.org", "--password-stdin"], input="x" * 11
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output


def test_users_list_shows_the_last_sign_in(auth_app):
    assert sign_in(auth_app.server.test_client()).status_code == 303
    listed = auth_app.server.test_cli_runner().invoke(args=["users", "list"]).output.splitlines()
    assert listed[1].split()[:3] == [EMAIL, "staff", "yes"]
    assert listed[1].split()[3] == datetime.now(UTC).strftime("%Y-%m-%d") and listed[1].endswith("UTC")


@pytest.mark.parametrize(
    "args, given, message",
    [
        (["add", "not-an-email", "--password-stdin"], PASSWORD, "is not an email address"),
        (["add", "c@example.org", "--password-stdin"], "too short", "at least 12 characters"),
        (["add", "c@example.org", "--password-stdin"], " " * 12, "only spaces"),
        (
            ["add", "c@example.org", "--role", "root", "--password-stdin"],
            PASSWORD,
            "Invalid value for '--role'",
        ),
        (["add", EMAIL, "--password-stdin"], PASSWORD, "already exists"),
        (["disable", "nobody@example.org"], "", "There is no account for 'nobody@example.org'"),
        (["enable", "nobody@example.org"], "", "There is no account"),
    ],
)
def test_users_commands_refuse_bad_input_with_a_message(auth_app, args, given, message):
    result = auth_app.server.test_cli_runner().invoke(args=["users", *args], input=given + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert [u.email for u in list_users(auth_app.server.extensions["compass_engine"])] == [EMAIL]


def test_the_prompt_asks_twice_and_refuses_a_mismatch(auth_engine):
    runner = auth_app_for(auth_engine).server.test_cli_runner()
    result = runner.invoke(
        args=["users", "add", "d@example.org"],
        input=f"{PASSWORD}\nsomething else!!\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert "do not match" in result.output.lower() or "don't match" in result.output.lower()
    assert result.exit_code == 0 and "Added d@example.org" in result.output


def test_passwords_are_stored_hashed_never_in_plain_text(auth_app, auth_engine):
    client = auth_app.server.test_client()
    sign_in(client, password="a wrong password, typed in")
    sign_in(client)
    with auth_engine.connect() as conn:
        users = conn.execute(select(s.users)).mappings().all()
        attempts = conn.execute(select(s.sign_ins)).mappings().all()
    assert users[0]["password_hash"].startswith("scrypt:")
    stored = repr(users) + repr(attempts)
    assert PASSWORD not in stored and "a wrong password" not in stored


# --- signing in and out --------------------------------------------------------------------


def test_sign_in_makes_the_next_request_staff_and_records_it(auth_app, auth_engine):
    client = auth_app.server.test_client()
    assert scope(client) == PUBLIC.scope
    response = sign_in(client, next_view="/countries/LBY?year=2022", client_ip="203.0.113.7")
    assert response.status_code == 303
    assert response.headers["Location"] == "/countries/LBY?year=2022"
    seen = client.get("/_test/audience").get_json()
    assert seen["scope"] == STAFF.scope and seen["version"].endswith("-staff")
    with auth_engine.connect() as conn:
        attempt = conn.execute(select(s.sign_ins)).mappings().one()
        user = conn.execute(select(s.users)).mappings().one()
    assert (attempt["email"], attempt["client"], attempt["succeeded"]) == (EMAIL, "203.0.113.7", True)
    assert attempt["user_id"] == user["id"]
    last = user["last_sign_in_at"]
    last = last if last.tzinfo else last.replace(tzinfo=UTC)  # SQLite keeps no zone
    assert abs((datetime.now(UTC) - last).total_seconds()) < 60
    assert list_users(auth_engine)[0].last_sign_in_at is not None
    out = client.post("/logout?lang=fr", headers=ORIGIN)
    assert out.status_code == 303 and out.headers["Location"] == "/?lang=fr"
    assert scope(client) == PUBLIC.scope


@pytest.mark.parametrize(
    "email, password",
    [(EMAIL, "not the password at all"), ("nobody@example.org", PASSWORD), (EMAIL, ""), ("", PASSWORD)],
)
def test_a_failed_sign_in_gets_one_generic_message(auth_app, auth_engine, email, password):
    client = auth_app.server.test_client()
    response = sign_in(client, email=email, password=password)
    assert response.status_code == 401
    text = page_text(response)
    assert "Wrong email or password." in text
    assert "Set-Cookie" not in response.headers
    assert scope(client) == PUBLIC.scope
    assert (
        sign_in_count(auth_engine, succeeded=False) == 1 and sign_in_count(auth_engine, succeeded=True) == 0
    )


def test_a_disabled_account_is_refused_like_a_wrong_password(auth_app, auth_engine):
    client = auth_app.server.test_client()
    wrong = page_text(sign_in(client, password="not the password at all"))
    set_active(auth_engine, EMAIL, False)
    refused = sign_in(client)
    assert refused.status_code == 401 and page_text(refused) == wrong
    assert scope(client) == PUBLIC.scope


def test_disabling_an_account_ends_its_open_session(auth_app, auth_engine):
    client = auth_app.server.test_client()
    sign_in(client)
    assert scope(client) == STAFF.scope
    set_active(auth_engine, EMAIL, False)
    ended = client.get("/_test/audience")
    assert ended.get_json()["scope"] == PUBLIC.scope
    assert "session=;" in ended.headers.get("Set-Cookie", "")  # the cookie is deleted
    set_active(auth_engine, EMAIL, True)  # enabling again does not revive the old cookie
    assert scope(client) == PUBLIC.scope


def test_a_new_password_ends_open_sessions(auth_app, auth_engine):
    client = auth_app.server.test_client()
    sign_in(client)
    assert scope(client) == STAFF.scope
    set_password(auth_engine, EMAIL, "another long password")
    assert scope(client) == PUBLIC.scope
    assert sign_in(client, password="another long password").status_code == 303
    assert scope(client) == STAFF.scope


def test_a_forged_session_is_the_public(auth_app):
    other = make_app(auth_app.server.extensions["compass_engine"], secret_key="another secret")
    forger = other.server.test_client()
    with forger.session_transaction() as forged:
        forged["uid"], forged["stamp"] = 1, "0.whatever"
    cookie = forger.get_cookie("session").value
    client = auth_app.server.test_client()
    client.set_cookie("session", cookie)
    assert scope(client) == PUBLIC.scope


# --- the cookie ------------------------------------------------------------------------------


def _cookie_flags(response) -> dict[str, str]:
    header = response.headers["Set-Cookie"]
    parts = [p.strip() for p in header.split(";")]
    return {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts[1:]}


def test_the_session_cookie_is_httponly_lax_and_lasts_twelve_hours(auth_app):
    response = sign_in(auth_app.server.test_client())
    flags = _cookie_flags(response)
    assert "httponly" in flags and flags["samesite"] == "Lax"
    assert "secure" not in flags  # plain http (python app.py): SESSION_COOKIE_SECURE off
    expires = datetime.strptime(flags["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert 11.9 * 3600 < (expires - datetime.now(UTC)).total_seconds() <= 12 * 3600


def test_the_session_cookie_is_secure_when_configured(auth_engine):
    add_user(auth_engine, EMAIL, PASSWORD)
    app = auth_app_for(auth_engine, session_cookie_secure=True, session_lifetime_hours=2)
    flags = _cookie_flags(sign_in(app.server.test_client()))
    assert "secure" in flags and "httponly" in flags and flags["samesite"] == "Lax"
    expires = datetime.strptime(flags["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert (expires - datetime.now(UTC)).total_seconds() <= 2 * 3600


def test_the_production_profile_makes_the_cookie_secure_by_default():
    from pathlib import Path

    from config import ROOT

    profile = Path(ROOT / "gunicorn.conf.py").read_text()
    assert 'os.environ.setdefault("SESSION_COOKIE_SECURE", "1")' in profile
    assert profile.index("SESSION_COOKIE_SECURE") < profile.index("Settings.from_env()")


# --- same origin, redirects ------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {},  # no origin at all: refused on the sign-in routes
    ],
)
def test_cross_origin_sign_in_and_out_are_refused(auth_app, headers):
    client = auth_app.server.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD}, headers=headers)
    assert response.status_code == 403 and "another site" in response.get_data(as_text=True)
    assert scope(client) == PUBLIC.scope
    sign_in(client)
    assert client.post("/logout", headers=headers).status_code == 403
    assert scope(client) == STAFF.scope  # still signed in


def test_a_cross_origin_callback_post_is_refused(auth_app):
    client = auth_app.server.test_client()
    body = router_body("/data", "")
    assert (
        client.post(
            "/_dash-update-component", json=body, headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    assert client.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 200
    assert (
        client.post("/_dash-update-component", json=body).status_code == 200
    )  # no browser: no origin to check


def test_same_origin_by_referer_or_public_base_url(auth_engine):
    add_user(auth_engine, EMAIL, PASSWORD)
    app = auth_app_for(auth_engine, public_base_url="https://compass.example.org")
    client = app.server.test_client()
    data = {"email": EMAIL, "password": PASSWORD}
    assert client.post("/login", data=data, headers={"Referer": "http://localhost/login"}).status_code == 303
    assert (
        client.post("/login", data=data, headers={"Origin": "https://compass.example.org"}).status_code == 303
    )
    assert (
        client.post("/login", data=data, headers={"Origin": "https://compass.example.org.evil"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    "next_view",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/login",
    ],
)
def test_sign_in_never_redirects_off_site(auth_app, next_view):
    response = sign_in(auth_app.server.test_client(), next_view=next_view, lang="fr")
    assert response.status_code == 303
    assert response.headers["Location"] == "/?lang=fr"


def test_the_next_view_survives_the_form(auth_app):
    client = auth_app.server.test_client()
    form = parse_html(client.get("/login?lang=fr&next=/data%3Fyear%3D2022").get_data(as_text=True))
    hidden = next(i for i in form.find_all("input") if i.attrs.get("name") == "next")
    assert hidden.attrs["value"] == "/data?year=2022"
    assert form.find_all("form")[0].attrs["action"] == "/login?lang=fr"
    evil = parse_html(client.get("/login?next=//evil.example").get_data(as_text=True))
    assert next(i for i in evil.find_all("input") if i.attrs.get("name") == "next").attrs["value"] == ""


# --- rate limits --------------------------------------------------------------------------------


def test_failed_sign_ins_are_limited_per_account(auth_app, auth_engine):
    storage = type(auth_app.server.extensions[LIMITER].limiter.storage).__name__
    assert storage == ("RedisStorage" if auth_engine.dialect.name == "postgresql" else "MemoryStorage")
    client = auth_app.server.test_client()
    for _ in range(ACCOUNT_LIMIT):
        assert sign_in(client, password="not the password at all").status_code == 401
    limited = sign_in(client)  # the right password, too late: not even checked
    assert limited.status_code == 429
    assert "Too many sign-in attempts: please try again in 15 minutes." in page_text(limited)
    assert 14 * 60 < int(limited.headers["Retry-After"]) <= 15 * 60
    assert scope(client) == PUBLIC.scope
    # from another address too: the account is limited, not the address
    assert sign_in(client, client_ip="198.51.100.9").status_code == 429
    assert sign_in_count(auth_engine, EMAIL) == ACCOUNT_LIMIT + 2  # refused attempts are recorded
    # another account is not limited
    add_user(auth_engine, "other@example.org", PASSWORD)
    assert sign_in(client, email="other@example.org").status_code == 303


def test_failed_sign_ins_are_limited_per_client_in_french(auth_app, auth_engine):
    client = auth_app.server.test_client()
    for n in range(CLIENT_LIMIT):
        assert sign_in(client, email=f"guess{n}@example.org", client_ip="192.0.2.1").status_code == 401
    limited = sign_in(client, client_ip="192.0.2.1", lang="fr")  # a real account, from that address
    assert limited.status_code == 429
    assert "Trop de tentatives de connexion\u00a0: réessayez dans 15 minutes." in page_text(limited)
    assert sign_in(client, client_ip="192.0.2.2").status_code == 303  # another address is not


def test_a_success_starts_the_account_count_again(auth_app):
    client = auth_app.server.test_client()
    for _ in range(ACCOUNT_LIMIT - 1):
        sign_in(client, password="not the password at all")
    assert sign_in(client).status_code == 303
    for _ in range(ACCOUNT_LIMIT - 1):
        assert sign_in(client, password="not the password at all").status_code == 401


# --- pages and the navbar --------------------------------------------------------------------


def test_login_and_logout_pages_in_both_languages(auth_app):
    client = auth_app.server.test_client()
    english = client.get("/login")
    assert english.status_code == 200 and english.headers["Cache-Control"] == "no-store"
    page = parse_html(english.get_data(as_text=True))
    assert page.find_all("html")[0].attrs["lang"] == "en"
    labels = [label.text() for label in page.find_all("label")]
    assert labels == ["Email", "Password"]
    french = parse_html(client.get("/login?lang=fr").get_data(as_text=True))
    assert french.find_all("html")[0].attrs["lang"] == "fr"
    assert [label.text() for label in french.find_all("label")] == ["Adresse e-mail", "Mot de passe"]
    assert french.find_all("h1")[0].text() == "Se connecter"
    sign_in(client)
    out = parse_html(client.get("/logout?lang=fr").get_data(as_text=True))
    assert f"Votre session est ouverte sous l’adresse {EMAIL}." in out.text()
    form = out.find_all("form")[0]
    assert form.attrs["method"] == "post" and form.attrs["action"].startswith("/logout")
    styles = [link.attrs["href"] for link in out.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert len(styles) == 2
    assert all(href.startswith("/assets/") for href in styles)  # the app's own Bootstrap, no CDN
    assert client.get(styles[0]).status_code == 200


def _static_html(node) -> str:
    """The markup of every static HTML block of a callback response (web/static_islands.py)."""
    if isinstance(node, dict):
        own = node.get("html") if isinstance(node.get("html"), str) else ""
        return own + "".join(_static_html(v) for k, v in node.items() if k != "html")
    if isinstance(node, list):
        return "".join(_static_html(v) for v in node)
    return ""


def _navbar(client, path="/data", search="?lang=fr"):
    """The page the router sends, parsed (its static blocks), and the response."""
    response = client.post("/_dash-update-component", json=router_body(path, search), headers=ORIGIN)
    assert response.status_code == 200
    return parse_html(_static_html(response.get_json())), response


def test_the_navbar_offers_sign_in_then_names_the_staff_member(auth_app, auth_engine):
    client = auth_app.server.test_client()
    public, _ = _navbar(client)
    sign_in_link = next(a for a in public.find_all("a") if a.text() == "Se connecter")
    assert sign_in_link.attrs["href"].startswith("/login?lang=fr&next=%2Fdata%3F")  # back to this view
    assert not public.find_all("form")
    sign_in(client)
    staff, response = _navbar(client)
    form = next(f for f in staff.find_all("form") if f.attrs.get("action", "").startswith("/logout"))
    assert form.attrs["method"] == "post" and form.attrs["action"].startswith(
        "/logout?lang=fr&next=%2Fdata%3F"
    )
    assert f"Session ouverte\u00a0: {EMAIL}" in form.text() and "Se déconnecter" in form.text()
    assert not [a for a in staff.find_all("a") if a.text() == "Se connecter"]
    assert response.headers["Cache-Control"] == "private, no-store" and "Cookie" in response.vary
    # another staff member never gets the first one's navbar (no shared response entry)
    add_user(auth_engine, "second@example.org", PASSWORD)
    other = auth_app.server.test_client()
    sign_in(other, email="second@example.org")
    second = _navbar(other)[0].text()
    assert "second@example.org" in second and EMAIL not in second
    # and the public still gets the public navbar
    assert "Se connecter" in _navbar(auth_app.server.test_client())[0].text()


def test_what_staff_get_is_kept_by_no_shared_cache(auth_app):
    from pages.export_paths import dataset_export_url

    client = auth_app.server.test_client()
    export = dataset_export_url("country-figures", "csv", 2022, "en", "LBY")
    public_page, public_export = client.get("/countries/LBY?year=2022"), client.get(export)
    assert public_export.status_code == 200 and "private" not in public_page.headers.get("Cache-Control", "")
    sign_in(client)
    for response in (client.get("/countries/LBY?year=2022"), client.get(export), _navbar(client)[1]):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.vary
    assert client.get("/_test/audience").get_json()["scope"] == STAFF.scope


def test_a_link_made_by_a_signed_in_member_names_them(auth_app, auth_engine):
    from data_access.share_links import list_links

    client = auth_app.server.test_client()
    assert sign_in(client).status_code == 303
    note = f"made-by-{uuid.uuid4().hex[:6]}"
    form = {"view": "/countries/LBY?year=2022", "expires": "7d", "note": note, "created_by": "forged@x"}
    assert client.post("/share/new", data=form, headers=ORIGIN).status_code == 200
    (made,) = [link for link in list_links(auth_engine) if link.note == note]
    assert made.created_by == EMAIL  # from the session, not from the form
