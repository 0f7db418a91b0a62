"""Page titles follow the page's language: called directly, through Dash's pages
router (what sets the browser tab's title) and in the index page's og:title."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import dash
import pytest

from pages.titles import request_language
from tests.helpers import make_app, router_body

# The Overview opens on the latest year with a headline figure (2024), the explorer
# on its default indicator: both are in the title, as crawlers and unfurlers read it.
EN = {
    "pages.overview": "Results, 2024 \u00b7 COMPASS Dashboard",
    "pages.indicators": "Indicators: Migrants helped to return \u00b7 COMPASS Dashboard",
    "pages.partners": "Partners \u00b7 COMPASS Dashboard",
    "pages.data": "Data \u00b7 COMPASS Dashboard",
    "pages.not_found_404": "Page not found \u00b7 COMPASS Dashboard",
}
FR = {
    "pages.overview": "R\u00e9sultats, 2024 \u00b7 Tableau de bord COMPASS",
    "pages.indicators": "Indicateurs\u00a0: Migrants aid\u00e9s au retour \u00b7 Tableau de bord COMPASS",
    "pages.partners": "Partenaires \u00b7 Tableau de bord COMPASS",
    "pages.data": "Donn\u00e9es \u00b7 Tableau de bord COMPASS",
    "pages.not_found_404": "Page introuvable \u00b7 Tableau de bord COMPASS",
}


@pytest.fixture(scope="module")
def app(sqlite_engine):
    return make_app(sqlite_engine)


def title_of(module: str):
    return dash.page_registry[module]["title"]


@pytest.mark.parametrize(
    ("query", "expected"), [("", EN), ("?lang=en", EN), ("?lang=fr", FR), ("?lang=FR", FR)]
)
def test_titles_follow_the_language_of_the_url(app, query, expected):
    with app.server.test_request_context(f"/any{query}"):
        assert {module: title_of(module)() for module in expected} == expected


@pytest.mark.parametrize(
    "query", ["?lang=xx", "?lang=", "?lang=fr&lang=en", "?lang=%00", "?lang=" + "f" * 5000, "?year=abc"]
)
def test_bad_language_values_give_the_default_english_title(app, query):
    with app.server.test_request_context(f"/indicators{query}"):
        assert request_language() == "en"
        assert title_of("pages.indicators")() == EN["pages.indicators"]


def test_no_request_gives_english():
    assert request_language() == "en"


def test_the_default_language_setting_applies(sqlite_engine):
    app = make_app(sqlite_engine, default_language="fr")
    with app.server.test_request_context("/indicators"):
        assert title_of("pages.indicators")() == FR["pages.indicators"]
    with app.server.test_request_context("/indicators?lang=en"):
        assert title_of("pages.indicators")() == EN["pages.indicators"]


@pytest.mark.parametrize(
    ("iso3", "query", "expected"),
    [
        ("LBY", "", "Libya \u00b7 2022 \u00b7 COMPASS Dashboard"),
        ("lby", "?lang=fr&year=2021", "Libye \u00b7 2021 \u00b7 Tableau de bord COMPASS"),
        ("TCD", "?lang=fr", "Tchad \u00b7 2022 \u00b7 Tableau de bord COMPASS"),
        ("XXX", "?lang=fr", "Pays introuvable \u00b7 Tableau de bord COMPASS"),
        ("<script>", "?lang=fr", "Pays introuvable \u00b7 Tableau de bord COMPASS"),
        ("libya", "", "Country not found \u00b7 COMPASS Dashboard"),
        (None, "", "Page not found \u00b7 COMPASS Dashboard"),
    ],
)
def test_country_titles(app, iso3, query, expected):
    with app.server.test_request_context(f"/countries/x{query}"):
        assert title_of("pages.country")(iso3=iso3) == expected


def routed_title(client, path: str, search: str) -> str:
    """The title Dash's pages router sends the browser for `path` + `search`."""
    response = client.post("/_dash-update-component", json=router_body(path, search))
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_store"]["data"]["title"]


@pytest.mark.parametrize(
    ("path", "search", "expected"),
    [
        ("/indicators", "?lang=fr", FR["pages.indicators"]),
        ("/indicators", "", EN["pages.indicators"]),
        ("/indicators", "?lang=xx", EN["pages.indicators"]),
        ("/", "?year=2022&lang=fr", "R\u00e9sultats, 2022 \u00b7 Tableau de bord COMPASS"),
        ("/countries/LBY", "?lang=fr&year=2022", "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS"),
        ("/no-such-page", "?lang=fr", FR["pages.not_found_404"]),
    ],
)
def test_the_pages_router_sends_the_title_in_the_page_language(app, path, search, expected):
    assert routed_title(app.server.test_client(), path, search) == expected


class MetaTags(HTMLParser):
    """The content of each <meta property=...> and <meta name=...> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.properties: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        key = found.get("property") or found.get("name")
        if tag == "meta" and key:
            self.properties[key] = found.get("content") or ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/partners?lang=fr", FR["pages.partners"]),
        ("/partners", EN["pages.partners"]),
        ("/countries/LBY?lang=fr", "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS"),
        ("/no-such-page?lang=fr", FR["pages.not_found_404"]),
        ("/no-such-page", EN["pages.not_found_404"]),
    ],
)
def test_the_index_page_shares_the_title_in_the_page_language(app, url, expected):
    page = app.server.test_client().get(url).get_data(as_text=True)
    tags = MetaTags()
    tags.feed(page)
    assert tags.properties["og:title"] == expected
    assert tags.properties["twitter:title"] == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/?lang=fr", "2024\u00a0: r\u00e9sultats phares du programme COMPASS de l\u2019OIM"),
        ("/data", "Where every figure of IOM's COMPASS programme comes from"),
    ],
)
def test_the_index_page_describes_the_dashboard_in_the_page_language(app, url, expected):
    page = app.server.test_client().get(url).get_data(as_text=True)
    tags = MetaTags()
    tags.feed(page)
    for name in ("og:description", "twitter:description"):
        assert tags.properties[name].startswith(expected), name
    assert f'<meta name="description" content="{escape(expected, quote=True)}' in page


def test_a_title_never_fails_when_the_data_cannot_be_read(app, monkeypatch):
    def unavailable(lang):
        raise OSError("database down")

    monkeypatch.setattr("pages.titles.q.countries", unavailable)
    monkeypatch.setattr("pages.previews.q.countries", unavailable)
    with app.server.test_request_context("/countries/LBY?lang=fr"):
        assert title_of("pages.country")(iso3="LBY") == "Tableau de bord COMPASS"
