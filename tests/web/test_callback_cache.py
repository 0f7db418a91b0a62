"""The callback response cache in front of /_dash-update-component (web/callback_cache.py),
in-process: hits, misses, which callbacks are cached, error pages never cached.
The same cache across gunicorn processes is tested in tests/test_production.py."""

from __future__ import annotations

import importlib

from data_access.engine import make_engine
from data_access.version import bump_version
from pages import ids
from tests.helpers import ROUTER, counts, free_port, make_app, router_body
from web.callback_cache import NEVER_CACHED, PURE_OUTPUTS
from web.dash_adapters import callback_outputs

COUNTRY_QUERY = "data_access.queries._country_results"


def test_an_identical_callback_is_served_from_the_cache(stats_app):
    client = stats_app.server.test_client()
    first = client.post("/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"))
    after_first = counts(client)
    second = client.post("/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"))
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and second.mimetype == "application/json"
    assert after_first[COUNTRY_QUERY] == 1
    assert counts(client) == after_first  # nothing computed for the second
    assert "Libya" in second.get_data(as_text=True)


def test_another_body_or_a_new_data_version_is_a_miss(stats_app, writable_sqlite):
    client = stats_app.server.test_client()
    libya = client.post("/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"))
    tunisia = client.post("/_dash-update-component", json=router_body("/countries/TUN", "?year=2022"))
    assert libya.data != tunisia.data and counts(client)[COUNTRY_QUERY] == 2
    with writable_sqlite.begin() as conn:
        bump_version(conn)
    again = client.post("/_dash-update-component", json=router_body("/countries/LBY", "?year=2022"))
    assert again.status_code == 200 and counts(client)[COUNTRY_QUERY] == 3


def resp_keys(app) -> list[str]:
    with app.server.app_context():
        from data_access.cache import cache

        return [k for k in cache.cache._cache if k.startswith("resp:")]


def test_router_responses_are_cached_and_errors_are_not(stats_app):
    client = stats_app.server.test_client()
    body = router_body("/countries/LBY", "?year=2022")
    first = client.post("/_dash-update-component", json=body)
    assert first.status_code == 200 and b"Libya" in first.data
    assert client.post("/_dash-update-component", json=body).data == first.data
    assert len(resp_keys(stats_app)) == 1
    unknown = client.post("/_dash-update-component", json={**body, "output": "nowhere.children"})
    assert unknown.status_code == 400 and b"Traceback" not in unknown.data  # the guard refuses it
    broken = client.post("/_dash-update-component", data=b"{not json", content_type="application/json")
    assert broken.status_code >= 400 and b"Traceback" not in broken.data
    assert len(resp_keys(stats_app)) == 1  # neither was stored


def test_every_server_callback_is_checked_before_it_is_cached(sqlite_engine):
    """A new server-side callback must be checked (pure function of body + data?) and
    its outputs listed in PURE_OUTPUTS, or in NEVER_CACHED."""
    app = make_app(sqlite_engine)
    app.server.test_client().get("/")  # the pages router registers on the first request
    server_callbacks = [key for key, entry in app.callback_map.items() if "callback" in entry]
    # The router; the controls write the URL in the browser (clientside callbacks).
    assert ROUTER in server_callbacks and not [k for k in server_callbacks if ids.NAVIGATE in k]
    for key in server_callbacks:
        outputs = set(callback_outputs(app, key))
        assert outputs <= PURE_OUTPUTS or key in NEVER_CACHED, f"unchecked callback {key}"


def test_callback_cache_can_be_switched_off(writable_sqlite):
    app = make_app(writable_sqlite, query_stats=True, callback_cache=False)
    client = app.server.test_client()
    for _ in range(2):
        assert client.post("/_dash-update-component", json=router_body("/countries/MLI")).status_code == 200
    # Rendered twice (the query results themselves still come from the cache).
    assert counts(client)[COUNTRY_QUERY] == 1


def test_a_page_with_the_database_down_shows_its_notice_not_a_server_error():
    closed_port = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/compass")
    client = make_app(closed_port).server.test_client()
    response = client.post("/_dash-update-component", json=router_body("/countries/LBY"))
    assert response.status_code == 200 and b"Traceback" not in response.data
    assert b"could not be shown" in response.data


def test_an_error_page_is_not_cached(writable_sqlite, monkeypatch):
    """A page that failed (say the database went down within the version's TTL)
    shows a notice; once the cause is gone, the same request shows the page."""
    app = make_app(writable_sqlite)  # registers the pages, before importing one
    country = importlib.import_module("pages.country")
    client = app.server.test_client()
    body = router_body("/countries/TUN", "?year=2023")

    def failing(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(country, "resolve", failing)
    assert b"could not be shown" in client.post("/_dash-update-component", json=body).data
    monkeypatch.undo()
    assert b"Tunisia" in client.post("/_dash-update-component", json=body).data
    assert len(resp_keys(app)) == 1
