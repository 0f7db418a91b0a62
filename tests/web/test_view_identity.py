"""Page links with a notice (pages/identity.py, web/callback_cache.py): never in the
shared cache, but a worker renders each distinct view once, however many junk
values (click ids, tracking keys) its links carry; the identity names exactly
what the page shows."""

from __future__ import annotations

import dash
import pytest

from data_access.version import bump_version
from pages import content_memo, identity
from tests.helpers import make_app, router_body
from tests.web.test_limits import stored_responses

CALLBACK = "/_dash-update-component"
PAGES = ("/", "/countries/LBY", "/data", "/indicators", "/partners")


@pytest.fixture(autouse=True)
def _fresh_memo():
    content_memo.clear()
    yield
    content_memo.clear()


def test_every_page_reads_its_query_through_a_registered_context(sqlite_engine):
    make_app(sqlite_engine)
    routes = {page["path_template"] or page["path"] for page in dash.page_registry.values()}
    routes.discard("/404")
    assert {r.strip("/") for r in routes} == set(identity.registered_routes())


@pytest.mark.parametrize("path", PAGES)
def test_links_with_the_same_identity_show_the_same_page(sqlite_engine, path):
    """Rendered without any cache: equal identities, equal bytes; other notices, other identities."""
    app = make_app(sqlite_engine, callback_cache=False)
    client = app.server.test_client()
    pairs = [
        ("?year=2022&fbclid=IwAR0abc", "?year=2022&fbclid=IwAR9xyz"),
        ("?zz=1&lang=fr", "?lang=fr&zz=2"),
        ("?year=abc&utm_source=a", "?year=abc&utm_source=b"),
    ]
    with app.server.test_request_context("/"):
        for first, second in pairs:
            assert identity.view_identity(path, first) == identity.view_identity(path, second) is not None
        assert identity.view_identity(path, "?year=abc") != identity.view_identity(path, "?year=abd")
        assert identity.view_identity(path, "?zz=1") != identity.view_identity(path, "?yy=1")
        assert identity.view_identity(path, "") is None  # canonical: the shared cache's business
    for first, second in pairs:
        a = client.post(CALLBACK, json=router_body(path, first))
        b = client.post(CALLBACK, json=router_body(path, second))
        assert a.status_code == b.status_code == 200 and a.data == b.data


def test_unusual_links_have_no_identity(sqlite_engine):
    app = make_app(sqlite_engine)
    with app.server.test_request_context("/"):
        assert identity.view_identity("/nowhere", "?zz=1") is None
        assert identity.view_identity("/countries/LBY/extra", "?zz=1") is None
        assert identity.view_identity("/countries/LBY", "?iso3=NGA&zz=1") is None  # Dash lets it override
        assert identity.view_identity("/", "?zz=" + "x" * 3000) is None
        assert identity.view_identity(None, "?zz=1") is None and identity.view_identity("/", 5) is None


def test_a_worker_renders_a_noticed_view_once_and_never_shares_it(writable_sqlite, monkeypatch):
    app = make_app(writable_sqlite, query_stats=True)
    client = app.server.test_client()
    import pages.country as country

    shells = []
    real_shell = country.shell
    monkeypatch.setattr(country, "shell", lambda *a, **k: shells.append(a[1]) or real_shell(*a, **k))
    first = client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022&fbclid=0"))
    assert first.status_code == 200 and b"fbclid" in first.data and b"Libya" in first.data
    for n in range(1, 50):
        again = client.post(CALLBACK, json=router_body("/countries/LBY", f"?year=2022&fbclid={n}"))
        assert again.data == first.data
    assert shells == ["country"]  # rendered once for 50 links
    assert stored_responses(app) == set()  # and not in the shared cache
    with writable_sqlite.begin() as conn:
        bump_version(conn)
    client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022&fbclid=new"))
    assert shells == ["country", "country"]  # a new data version: rendered again


def test_a_noticed_view_that_failed_is_not_kept(writable_sqlite, monkeypatch):
    app = make_app(writable_sqlite)
    client = app.server.test_client()
    import pages.country as country

    real = country._country_content
    failures = iter([RuntimeError("boom")])

    def flaky(*args, **kwargs):
        error = next(failures, None)
        if error:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(country, "_country_content", flaky)
    failed = client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022&zz=1"))
    assert failed.status_code == 200 and b"could not be shown" in failed.data
    shown = client.post(CALLBACK, json=router_body("/countries/LBY", "?year=2022&zz=2"))
    assert b"could not be shown" not in shown.data and b"Libya" in shown.data


def test_partners_filters_with_a_notice_stay_out_of_the_shared_cache(writable_sqlite):
    """/partners reads its year and search after resolve(): their notices keep the
    response out of the shared cache too."""
    app = make_app(writable_sqlite)
    client = app.server.test_client()
    for n in range(5):
        response = client.post(CALLBACK, json=router_body("/partners", f"?year=19{n:02d}"))
        assert response.status_code == 200
    assert stored_responses(app) == set()


def test_content_is_kept_for_a_bounded_number_of_views(writable_sqlite, monkeypatch):
    monkeypatch.setattr(content_memo, "MAX_VIEWS", 3)
    app = make_app(writable_sqlite, callback_cache=False)
    client = app.server.test_client()
    for code in ("LBY", "TUN", "NER", "MLI", "EGY"):
        assert client.post(CALLBACK, json=router_body(f"/countries/{code}", "?year=2022")).status_code == 200
    assert len(content_memo._contents) == 3
