"""Donor links (issue 15): the `share` commands, /s/<token> and its refusals, the
lock of a link reader to the link's view (pages, page callbacks, exports,
previews), opens counted, cache entries apart per link, the staff form.
On SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import delete

from data_access import share_links
from data_access.schema import share_links as share_links_table
from model.audience import STAFF
from pages import content_memo
from tests.helpers import html_text, make_app, required_env, router_body
from web.audience import add_audience_resolver
from web.donor_links import SESSION_KEY, sign_link

LIBYA = "/countries/LBY?year=2022"
SECRET = "donor-link-test-secret"


@pytest.fixture
def app(engine):
    """An app on each backend, with a test resolver naming staff (X-Test-Staff: 1),
    and no link rows left behind."""
    built = make_app(engine, secret_key=SECRET)
    add_audience_resolver(built.server, lambda req: STAFF if req.headers.get("X-Test-Staff") == "1" else None)
    share_links.forget()
    yield built
    with engine.begin() as conn:
        conn.execute(delete(share_links_table))
    share_links.forget()


def make_link(
    app, view: str = LIBYA, days: int = 30, internal: bool = False, **kwargs
) -> share_links.ShareLink:
    engine = app.server.extensions["compass_engine"]
    return share_links.create(engine, view, timedelta(days=days), internal=internal, **kwargs)


def token_of(link) -> str:
    return sign_link(SECRET, link.id)


def opened(app, link):
    """A test client whose session holds `link` (opened through /s/<token>)."""
    client = app.server.test_client()
    response = client.get(f"/s/{token_of(link)}")
    assert response.status_code == 303, response.data[:300]
    return client


def stored(app, link_id):
    return share_links.get(app.server.extensions["compass_engine"], link_id)


def callback(client, path: str, search: str):
    return client.post("/_dash-update-component", json=router_body(path, search))


def components_with_id(payload, wanted: str) -> list:
    """Every component in a callback response whose id is `wanted`."""
    found, stack = [], [payload]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == wanted:
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


# --- the commands -----------------------------------------------------------------------------------


def test_share_create_list_revoke(app):
    runner = app.server.test_cli_runner()
    made = runner.invoke(args=["share", "create", "/countries/lby?lang=fr&year=2022", "--note", "For the EU"])
    assert made.exit_code == 0, made.output
    url = made.stdout.strip().splitlines()[0]
    assert "/s/" in url
    token = url.rsplit("/s/", 1)[1]
    client = app.server.test_client()
    assert client.get(f"/s/{token}").status_code == 303
    listed = runner.invoke(args=["share", "list"])
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if "/countries/LBY" in line)
    assert "/countries/LBY?year=2022&lang=fr" in row and "For the EU" in row  # stored canonical
    link_id = row.split()[0]
    assert stored(app, link_id).opens == 1
    relisted = runner.invoke(args=["share", "list"]).output
    assert any(line.startswith(link_id) and "  1  " in line for line in relisted.splitlines())
    revoked = runner.invoke(args=["share", "revoke", link_id])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert stored(app, link_id).revoked
    assert client.get(f"/s/{token}").status_code == 410


def test_share_create_uses_the_public_base_url(engine):
    built = make_app(engine, secret_key=SECRET, public_base_url="https://compass.example.org")
    try:
        made = built.server.test_cli_runner().invoke(
            args=["share", "create", LIBYA, "--expires", "1y", "--internal"]
        )
        assert made.exit_code == 0, made.output
        assert made.stdout.startswith("https://compass.example.org/s/")
        link = share_links.list_links(engine)[0]
        assert link.internal and (link.expires_at - link.created_at).days == 365
    finally:
        with engine.begin() as conn:
            conn.execute(delete(share_links_table))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nowhere"], "no page at"),
        (["/countries/XYZ?year=2022"], "not a COMPASS country"),
        (["/countries/LBY?year=2022&zz=1"], "Unknown key \u201czz\u201d."),
        (["/countries/LBY?year=1999"], "No data for year 1999."),
        (["/indicators?until=20x5"], "Bad cutoff \u201c20x5\u201d"),
        (["/countries/LBY?year=2022&iso3=TUN"], "may not set iso3"),
        ([LIBYA, "--expires", "0d"], "from 1 day to 1 year"),
        ([LIBYA, "--expires", "2y"], "from 1 day to 1 year"),
        ([LIBYA, "--expires", "400d"], "from 1 day to 1 year"),
        ([LIBYA, "--expires", "soon"], "not a duration"),
    ],
)
def test_share_create_refuses_with_a_clear_message(app, args, message):
    made = app.server.test_cli_runner().invoke(args=["share", "create", *args])
    assert made.exit_code == 1
    assert message in made.output and "Traceback" not in made.output
    assert share_links.list_links(app.server.extensions["compass_engine"]) == []


@pytest.mark.parametrize(("text", "days"), [("1d", 1), ("30d", 30), ("12w", 84), ("6m", 180), ("1y", 365)])
def test_expiry_units(text, days):
    assert share_links.parse_expiry(text) == timedelta(days=days)


def test_revoking_an_unknown_link_says_so(app):
    done = app.server.test_cli_runner().invoke(args=["share", "revoke", "nope"])
    assert done.exit_code == 1 and "no link 'nope'" in done.output


# --- opening a link ----------------------------------------------------------------------------------


def test_a_valid_link_is_counted_and_locks_the_session(app):
    link = make_link(app)
    client = opened(app, link)
    assert stored(app, link.id).opens == 1 and stored(app, link.id).last_opened_at is not None
    response = client.get(f"/s/{token_of(link)}?lang=fr")
    assert response.status_code == 303 and response.headers["Location"].endswith("lang=fr")
    assert stored(app, link.id).opens == 2
    with client.session_transaction() as session:
        assert session[SESSION_KEY] == link.id
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _alg_none(link_id: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'link': link_id})}."


@pytest.mark.parametrize(
    ("case", "status", "english", "french"),
    [
        ("tampered", 403, "This link is not valid", "Ce lien n\u2019est pas valide"),
        ("unsigned", 403, "This link is not valid", "Ce lien n\u2019est pas valide"),
        ("alg-none", 403, "This link is not valid", "Ce lien n\u2019est pas valide"),
        ("other-secret", 403, "This link is not valid", "Ce lien n\u2019est pas valide"),
        ("unknown", 403, "This link is not valid", "Ce lien n\u2019est pas valide"),
        ("expired", 410, "This link has expired", "Ce lien a expir\u00e9"),
        ("revoked", 410, "This link has been withdrawn", "Ce lien a \u00e9t\u00e9 retir\u00e9"),
    ],
)
def test_bad_links_get_a_friendly_page_in_the_readers_language(app, case, status, english, french):
    engine = app.server.extensions["compass_engine"]
    link = make_link(app)
    token = token_of(link)
    if case == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif case == "unsigned":
        token = link.id
    elif case == "alg-none":
        token = _alg_none(link.id)
    elif case == "other-secret":
        token = sign_link("another-secret", link.id)
    elif case == "unknown":
        token = sign_link(SECRET, "no-such-link")
    elif case == "expired":
        past = share_links.utcnow() - timedelta(days=40)
        link = share_links.create(engine, LIBYA, timedelta(days=30), now=past)
        token = token_of(link)
    elif case == "revoked":
        share_links.revoke(engine, link.id)
    client = app.server.test_client()
    for headers, query, title in (
        ({}, "", english),
        ({"Accept-Language": "fr-FR,fr;q=0.9"}, "", french),
        ({"Accept-Language": "fr"}, "?lang=en", english),
        ({}, "?lang=fr", french),
    ):
        response = client.get(f"/s/{token}{query}", headers=headers)
        assert response.status_code == status
        assert response.mimetype == "text/html"
        text = html_text(response.get_data(as_text=True))
        assert title in text and "Traceback" not in text
    assert stored(app, link.id).opens == 0  # a refused link is not counted
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


# --- the lock -----------------------------------------------------------------------------------------


@pytest.fixture
def libya(app):
    link = make_link(app)
    return link, opened(app, link)


def test_a_link_reader_may_switch_language_but_not_widen_the_view(app, libya):
    _link, client = libya
    allowed = [LIBYA, LIBYA + "&lang=fr", "/countries/lby?lang=fr&year=2022", LIBYA + "&lang=en"]
    refused = [
        "/countries/TUN?year=2022",
        "/countries/LBY?year=2023",
        "/countries/LBY?year=2022&iso3=TUN",
        "/?year=2022",
        "/indicators?indicators=stakeholders_trained",
        "/partners",
        "/data",
        "/downloads/templates/results_template.csv",
        "/anything-else",
    ]
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        response = client.get(url)
        assert response.status_code == 403, url
    french = client.get("/countries/TUN?year=2022&lang=fr")
    assert "Ne fait pas partie de cette vue partag\u00e9e" in html_text(french.get_data(as_text=True))


def test_page_callbacks_for_another_view_are_refused(app, libya):
    _link, client = libya
    assert callback(client, "/countries/LBY", "?year=2022").status_code == 200
    assert callback(client, "/countries/LBY", "?year=2022&lang=fr").status_code == 200
    assert callback(client, "/countries/lby", "?lang=fr&year=2022").status_code == 200
    for path, search in [
        ("/countries/TUN", "?year=2022"),
        ("/countries/LBY", "?year=2023"),
        ("/countries/LBY", "?year=2022&iso3=TUN"),
        ("/", "?year=2022"),
        ("/indicators", "?indicators=stakeholders_trained&countries=TUN"),
    ]:
        assert callback(client, path, search).status_code == 403, (path, search)
    # Any other server callback, or a body naming no callback, never reaches Dash for a link reader.
    forged = router_body("/countries/LBY", "?year=2022")
    forged["output"] = "nav-location.href"
    assert client.post("/_dash-update-component", json=forged).status_code == 403
    for body in (b"[1]", b"{", b'{"output": 1}'):
        malformed = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert malformed.status_code == 403 and b"Traceback" not in malformed.data
    # The public may still ask for Tunisia.
    assert callback(app.server.test_client(), "/countries/TUN", "?year=2022").status_code == 200


def test_a_link_reader_downloads_the_views_files_only(app, libya):
    _link, client = libya
    own = [
        "/export/country-figures.csv?year=2022&country=LBY",
        "/export/country-figures.xlsx?year=2022&country=LBY&lang=fr",
    ]
    other = [
        "/export/country-figures.csv?year=2022&country=TUN",
        "/export/country-figures.csv?year=2023&country=LBY",
        "/export/country-figures.csv?year=2022",
        "/export/brief/TUN.pdf?year=2022",
        "/export/brief/LBY.pdf?year=2023",
        "/export/programme-figures.csv?year=2022",
        "/export/activities.csv?year=2022",
        "/export/explorer.csv?indicators=stakeholders_trained&countries=TUN",
        "/export/partners.csv",
        "/export/figure/coverage-map.png?year=2022",
        "/preview/countries/TUN.png?year=2022",
        "/preview/overview.png",
    ]
    for url in own:
        response = client.get(url)
        assert response.status_code == 200, (url, response.data[:200])
        assert response.headers["Content-Disposition"].startswith("attachment")
    for url in other:
        assert client.get(url).status_code == 403, url


def test_an_overview_link_allows_its_own_files(app):
    link = make_link(app, "/?year=2022&map=migrants_return_assistance&lang=en")
    client = opened(app, link)
    assert client.get("/?year=2022&map=migrants_return_assistance&lang=fr").status_code == 200
    assert client.get("/?year=2022&map=stakeholders_trained").status_code == 403
    assert client.get("/export/programme-figures.csv?year=2022&lang=fr").status_code == 200
    assert client.get("/export/coverage.csv?year=2022").status_code == 200
    assert client.get("/export/programme-figures.csv?year=2023").status_code == 403
    assert client.get("/export/country-figures.csv?year=2022&country=LBY").status_code == 403


def test_a_revoked_or_expired_link_stops_at_once_in_this_process(app, libya):
    link, client = libya
    engine = app.server.extensions["compass_engine"]
    assert client.get("/countries/TUN?year=2022").status_code == 403
    share_links.revoke(engine, link.id)
    # The session's link no longer works: the reader is the public again (nothing private).
    assert client.get("/countries/TUN?year=2022").status_code == 200
    body = callback(client, "/countries/LBY", "?year=2022").get_data(as_text=True)
    assert "Shared view" not in body


def test_a_revoked_link_stops_in_other_workers_within_the_lookup_delay(app, libya, monkeypatch):
    link, client = libya
    engine = app.server.extensions["compass_engine"]
    assert client.get("/countries/TUN?year=2022").status_code == 403
    with engine.begin() as conn:  # another worker revokes: this one's copy is not told
        conn.execute(
            share_links_table.update()
            .where(share_links_table.c.id == link.id)
            .values(revoked_at=share_links.utcnow())
        )
    assert client.get("/countries/TUN?year=2022").status_code == 403  # its copy, for a moment
    clock = [share_links.time.monotonic() + share_links.LOOKUP_TTL_S + 0.1]
    monkeypatch.setattr(share_links.time, "monotonic", lambda: clock[0])
    assert client.get("/countries/TUN?year=2022").status_code == 200


def test_the_locked_page_says_so_and_offers_nothing_wider(app, libya):
    link, client = libya
    for lang, note in (("en", "Shared view \u00b7 expires"), ("fr", "Vue partag\u00e9e \u00b7 expire le")):
        payload = callback(client, "/countries/LBY", f"?year=2022&lang={lang}").get_json()
        text = json.dumps(payload, ensure_ascii=False)
        assert note in text
        for control in ("nav-year-select", "nav-country-select", "nav-copy-link"):
            assert components_with_id(payload, control) == [], control
        assert "Share with a donor" not in text and "Partager avec un bailleur" not in text
    public = callback(app.server.test_client(), "/countries/LBY", "?year=2022").get_json()
    assert components_with_id(public, "nav-year-select") and "Shared view" not in json.dumps(public)


def test_two_links_and_the_public_never_share_a_cache_entry(app):
    first, second = make_link(app), make_link(app)
    clients = {
        "public": app.server.test_client(),
        first.id: opened(app, first),
        second.id: opened(app, second),
    }
    bodies = {who: callback(client, "/countries/LBY", "?year=2022") for who, client in clients.items()}
    assert all(response.status_code == 200 for response in bodies.values())
    with app.server.app_context():
        from data_access.cache import cache

        keys = (
            [k for k in cache.cache._cache if k.startswith("resp:")] if hasattr(cache.cache, "_cache") else []
        )
    if keys:  # the in-process cache: one response entry per audience, each naming its scope
        assert len(keys) == 3
        for link in (first, second):
            assert sum(f"-link:{link.id}:" in key for key in keys) == 1
        assert sum("-public:" in key for key in keys) == 1
    # And the bytes: each link's page names its own expiry line, the public's none.
    assert "Shared view" in bodies[first.id].get_data(as_text=True)
    assert "Shared view" not in bodies["public"].get_data(as_text=True)


# --- the staff form -------------------------------------------------------------------------------------


def test_staff_see_the_share_form_and_make_a_link(app):
    client = app.server.test_client()
    staff = {"X-Test-Staff": "1"}
    page = client.post(
        "/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"), headers=staff
    ).get_json()
    assert "Share with a donor" in json.dumps(page)
    assert "Share with a donor" not in json.dumps(callback(client, "/countries/LBY", "?year=2022").get_json())
    form = {"view": LIBYA + "&lang=fr", "expires": "30d", "note": "EU", "internal": "1", "lang": "fr"}
    origin = {"Origin": "http://localhost"}
    made = client.post("/share/new", data=form, headers={**staff, **origin})
    assert made.status_code == 200, made.data[:300]
    text = html_text(made.get_data(as_text=True))
    assert "/s/" in made.get_data(as_text=True) and "Copier" in text
    link = share_links.list_links(app.server.extensions["compass_engine"])[0]
    assert link.internal and link.note == "EU" and link.view == "/countries/LBY?year=2022&lang=fr"
    # Refused: another origin, no origin at all, not staff, a bad view or expiry.
    assert (
        client.post("/share/new", data=form, headers={**staff, "Origin": "http://evil.example"}).status_code
        == 403
    )
    assert client.post("/share/new", data=form, headers=staff).status_code == 403
    assert client.post("/share/new", data=form, headers=origin).status_code == 403
    bad = client.post("/share/new", data={**form, "view": "/nowhere"}, headers={**staff, **origin})
    assert bad.status_code == 400 and "no page at" in bad.get_data(as_text=True)
    bad = client.post("/share/new", data={**form, "expires": "2y"}, headers={**staff, **origin})
    assert bad.status_code == 400
    referer = client.post(
        "/share/new", data=form, headers={**staff, "Referer": "http://localhost/countries/LBY"}
    )
    assert referer.status_code == 200


def test_two_links_keep_apart_in_redis_too(engine):
    """PostgreSQL or SQLite with the shared Redis cache: each link's response
    entry names its own scope, and none is the public's."""
    import uuid

    import redis

    redis_url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-links-{uuid.uuid4().hex[:8]}:"
    built = make_app(
        engine, secret_key=SECRET, cache_type="RedisCache", cache_redis_url=redis_url, cache_key_prefix=prefix
    )
    client = redis.Redis.from_url(redis_url)
    content_memo.clear()  # the public's page content may be kept in this process from another test
    try:
        first, second = make_link(built), make_link(built)
        for reader in (built.server.test_client(), opened(built, first), opened(built, second)):
            assert callback(reader, "/countries/LBY", "?year=2022").status_code == 200
        keys = [k.decode() for k in client.keys(f"{prefix}resp:*")]
        assert len(keys) == 3, keys
        for scope in (f"link:{first.id}", f"link:{second.id}", "public"):
            assert sum(f"-{scope}:" in key for key in keys) == 1, (scope, keys)
        # The queries too (their keys hash the version, audience included): one entry each.
        assert len(client.keys(f"{prefix}memo:*_country_results:*")) == 3
    finally:
        leftover = client.keys(f"{prefix}*")
        if leftover:
            client.delete(*leftover)
        with engine.begin() as conn:
            conn.execute(delete(share_links_table))
        share_links.forget()


def test_an_explorer_link_keeps_its_indicators_and_countries(app):
    view = "/indicators?indicators=stakeholders_trained&countries=LBY,TUN&chart=lines"
    runner = app.server.test_cli_runner()
    made = runner.invoke(args=["share", "create", view])
    assert made.exit_code == 0, made.output
    link = share_links.list_links(app.server.extensions["compass_engine"])[0]
    assert link.view == "/indicators?indicators=stakeholders_trained&countries=LBY,TUN&chart=lines&lang=en"
    client = opened(app, link)
    same = "/indicators?countries=TUN,LBY&chart=lines&indicators=stakeholders_trained&lang=fr"
    assert client.get(same).status_code == 200
    assert callback(client, "/indicators", "?" + same.split("?", 1)[1]).status_code == 200
    for other in (
        "/indicators?indicators=stakeholders_trained&countries=LBY&chart=lines",
        "/indicators?indicators=stakeholders_trained,migrants_return_assistance&countries=LBY,TUN&chart=lines",
        "/indicators?indicators=stakeholders_trained&countries=LBY,TUN&chart=lines&years=2022",
    ):
        assert client.get(other).status_code == 403, other
    # Its table, in either language (the chart type does not change the rows); not another's.
    own = "/export/explorer.csv?indicators=stakeholders_trained&countries=LBY,TUN&lang=fr"
    assert client.get(own).status_code == 200
    assert client.get(own.replace("LBY,TUN", "LBY")).status_code == 403


def test_a_link_reader_gets_its_own_preview_image_only(app, libya):
    _link, client = libya
    own = client.get("/preview/countries/LBY.png?year=2022")
    assert own.status_code == 200 and own.mimetype == "image/png"
    assert client.get("/preview/countries/LBY.png?year=2023").status_code == 403
