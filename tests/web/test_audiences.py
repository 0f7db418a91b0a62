"""Caching by audience (issue 15): the public, staff and each donor link never
share a cache entry, and nothing built for staff or a link is kept by a shared
cache on the way (web/audience.py, the audience inside the data version)."""

from __future__ import annotations

import pytest

from data_access.db import request_data_version, set_request_audience
from model.audience import PUBLIC, STAFF, donor_link
from pages.content_memo import content_key
from tests.helpers import counts, router_body
from web.audience import add_audience_resolver
from web.previews import image_key

COUNTRY_QUERY = "data_access.queries._country_results"
VIEW = ("/countries/LBY", "?year=2022")
AUDIENCES = {
    "public": PUBLIC,
    "staff": STAFF,
    "link-a": donor_link("a", "/countries/LBY?year=2022", internal=False),
    "link-b": donor_link("b", "/countries/LBY?year=2022", internal=True),
}


@pytest.fixture
def audience_app(stats_app):
    """The diagnostics app, whose reader is named by a test header."""
    add_audience_resolver(stats_app.server, lambda req: AUDIENCES.get(req.headers.get("X-Test-Audience", "")))
    return stats_app


def resp_keys(app) -> list[str]:
    with app.server.app_context():
        from data_access.cache import cache

        return sorted(k for k in cache.cache._cache if k.startswith("resp:"))


def post_view(client, who: str):
    return client.post("/_dash-update-component", json=router_body(*VIEW), headers={"X-Test-Audience": who})


def test_each_audience_has_its_own_response_and_query_entries(audience_app):
    client = audience_app.server.test_client()
    for who in AUDIENCES:
        assert post_view(client, who).status_code == 200
    keys = resp_keys(audience_app)
    assert len(keys) == len(AUDIENCES)  # one entry per audience, none shared
    for audience in AUDIENCES.values():
        assert sum(f"-{audience.scope}:" in key for key in keys) == 1
    computed = counts(client)[COUNTRY_QUERY]
    assert computed == len(AUDIENCES)  # each audience's query ran for itself
    for who in AUDIENCES:  # and each is then served from its own entry
        post_view(client, who)
    assert counts(client)[COUNTRY_QUERY] == computed and resp_keys(audience_app) == keys


def test_a_public_entry_is_never_served_to_staff(audience_app):
    client = audience_app.server.test_client()
    public = post_view(client, "public")
    staff = post_view(client, "staff")
    assert public.status_code == staff.status_code == 200
    assert counts(client)[COUNTRY_QUERY] == 2  # staff missed the public's entry


def test_responses_for_staff_or_a_link_are_private(audience_app):
    client = audience_app.server.test_client()
    for who in ("staff", "link-a"):
        response = post_view(client, who)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.vary
        page = client.get("/countries/LBY?year=2022", headers={"X-Test-Audience": who})
        assert page.headers["Cache-Control"] == "private, no-store" and "Cookie" in page.vary
    public = post_view(client, "public")
    assert "private" not in public.headers.get("Cache-Control", "") and "Cookie" in public.vary


def test_files_the_same_for_everyone_stay_shareable(audience_app):
    client = audience_app.server.test_client()
    response = client.get("/assets/compass_nav.js", headers={"X-Test-Audience": "staff"})
    assert response.status_code == 200
    assert "private" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("audience", list(AUDIENCES.values()), ids=list(AUDIENCES))
def test_content_and_preview_keys_name_the_audience(sqlite_context, audience):
    set_request_audience(audience)
    assert request_data_version().audience == audience
    assert audience.scope in str(request_data_version())
    assert audience.scope in content_key("country", "LBY", "en", 2022, True, {})[1]
    assert f"-{audience.scope}:" in image_key("/countries/LBY?year=2022")


def test_keys_differ_between_every_pair_of_audiences(sqlite_context):
    keys = set()
    for audience in AUDIENCES.values():
        set_request_audience(audience)
        keys.add((content_key("country", "LBY", "en", 2022, True, {}), image_key("/countries/LBY?year=2022")))
    assert len(keys) == len(AUDIENCES)
