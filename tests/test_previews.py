"""Link previews: the tags of the served HTML per page and language, their
escaping, the pinned canonical link, and the preview image route (drawn by the
real renderer: the `kaleido` tests skip locally without chromium, fail in CI)."""

from __future__ import annotations

import io
import struct
import uuid
from html.parser import HTMLParser

import pytest

from components import export_render
from components.formatting import format_figure
from config import ROOT
from data_access import queries as q
from data_access.version import bump_version, forget_cached_versions
from pages.previews import DESCRIPTION_CHARS, cut_at_word, image_link, image_pathname
from tests.helpers import make_app, required_env
from web.previews import FALLBACK_IMAGE

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FALLBACK = (ROOT / "assets" / FALLBACK_IMAGE).read_bytes()
HOSTILE = '"><script>alert(1)</script>'


class Head(HTMLParser):
    """<meta> contents by property or name, <link> hrefs by rel (+ hreflang), <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title = ""
        self.locale_alternates: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[found.get("property") or found["name"]] = found.get("content") or ""
            if found.get("property") == "og:locale:alternate":
                self.locale_alternates.append(found.get("content") or "")
        if tag == "link" and found.get("rel") in ("canonical", "alternate"):
            key = found["rel"] + (f":{found['hreflang']}" if found.get("hreflang") else "")
            self.links[key] = found.get("href") or ""
        self._in_title = tag == "title"

    def handle_data(self, data) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag) -> None:
        self._in_title = False


@pytest.fixture(scope="module")
def app(sqlite_engine):
    return make_app(sqlite_engine, export_rate_limit="")


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def head_of(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code in (200, 404)
    head = Head()
    head.feed(response.get_data(as_text=True))
    return head


# --- tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "lang", "title", "pinned"),
    [
        (
            "/countries/lby?year=2022",
            "en",
            "Libya \u00b7 2022 \u00b7 COMPASS Dashboard",
            "/countries/LBY?year=2022&lang=en",
        ),
        (
            "/countries/LBY?lang=fr&year=2022",
            "fr",
            "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS",
            "/countries/LBY?year=2022&lang=fr",
        ),
        # Without a year: the year the page opens on, written out in the pinned link.
        (
            "/countries/LBY?lang=fr",
            "fr",
            "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS",
            "/countries/LBY?year=2022&lang=fr",
        ),
        # The Overview's also names its map's indicator, as Copy link does.
        (
            "/",
            "en",
            "Results, 2024 \u00b7 COMPASS Dashboard",
            "/?year=2024&map=migrants_return_assistance&lang=en",
        ),
        (
            "/?lang=fr",
            "fr",
            "R\u00e9sultats, 2024 \u00b7 Tableau de bord COMPASS",
            "/?year=2024&map=migrants_return_assistance&lang=fr",
        ),
        # "Every year" is pinned to the years with data by then, as Copy link does.
        (
            "/partners?lang=fr",
            "fr",
            "Partenaires \u00b7 Tableau de bord COMPASS",
            "/partners?until=2025&lang=fr",
        ),
        ("/data", "en", "Data \u00b7 COMPASS Dashboard", "/data?year=2024&lang=en"),
        # Arabic: its own titles, the Arabic comma, og:locale ar_AR.
        (
            "/?lang=ar",
            "ar",
            "\u0627\u0644\u0646\u062a\u0627\u0626\u062c\u060c 2024 \u00b7 \u0644\u0648\u062d\u0629 \u0645\u0639\u0644\u0648\u0645\u0627\u062a COMPASS",
            "/?year=2024&map=migrants_return_assistance&lang=ar",
        ),
        (
            "/partners?lang=ar",
            "ar",
            "\u0627\u0644\u0634\u0631\u0643\u0627\u0621 \u00b7 \u0644\u0648\u062d\u0629 \u0645\u0639\u0644\u0648\u0645\u0627\u062a COMPASS",
            "/partners?until=2025&lang=ar",
        ),
        (
            "/indicators?indicators=stakeholders_trained",
            "en",
            "Indicators: Stakeholders trained \u00b7 COMPASS Dashboard",
            "/indicators?indicators=stakeholders_trained&until=2025&lang=en",
        ),
    ],
)
def test_each_page_serves_its_preview_tags(client, url, lang, title, pinned):
    head = head_of(client, url)
    base = "http://localhost"
    assert head.title == title
    assert head.meta["og:title"] == head.meta["twitter:title"] == title
    assert head.meta["og:url"] == head.links["canonical"] == base + pinned
    assert head.meta["og:type"] == "website"
    locales = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_AR"}
    assert head.meta["og:locale"] == locales[lang]
    assert sorted(head.locale_alternates) == sorted(v for k, v in locales.items() if k != lang)
    assert (
        head.meta["og:site_name"]
        == {
            "en": "COMPASS Dashboard",
            "fr": "Tableau de bord COMPASS",
            "ar": "\u0644\u0648\u062d\u0629 \u0645\u0639\u0644\u0648\u0645\u0627\u062a COMPASS",
        }[lang]
    )
    assert head.meta["twitter:card"] == "summary_large_image"
    description = head.meta["description"]
    assert description == head.meta["og:description"] == head.meta["twitter:description"]
    assert 40 < len(description) <= DESCRIPTION_CHARS
    for other in ("en", "fr", "ar"):
        assert head.links[f"alternate:{other}"] == base + pinned.replace(f"lang={lang}", f"lang={other}")
    assert head.links["alternate:x-default"] == head.links["alternate:en"]
    image = head.meta["og:image"]
    assert image == head.meta["twitter:image"] and image.startswith(base + "/")
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["og:image:type"] == "image/png"
    assert head.meta["og:image:alt"] and head.meta["twitter:image:alt"] == head.meta["og:image:alt"]


def test_a_country_description_names_real_figures_with_their_qualifiers(app, client):
    head = head_of(client, "/countries/LBY?year=2022")
    with app.server.test_request_context("/"):
        rows = q.country_results("LBY", 2022, "en", breakdowns=False, programme_facts=False)
    description = head.meta["description"]
    assert description.startswith("Libya, 2022: 4 published results of IOM's COMPASS programme")
    first = rows.iloc[0]
    assert (
        f"{first.indicator_name}: {format_figure(first.value, first.qualifier, first.unit, 'en')}"
        in description
    )
    # The explorer shows Libya's 'more than 7,000' migrants reached: its qualifier is kept.
    explorer = head_of(client, "/indicators?indicators=migrants_reached_by_ambassadors&countries=LBY")
    assert explorer.meta["description"].startswith("Migrants reached by ambassadors: 1 published figure")


def test_french_descriptions_keep_french_numbers_and_spaces(client):
    description = head_of(client, "/?lang=fr&year=2024").meta["description"]
    assert description.startswith("2024\u00a0: r\u00e9sultats phares du programme COMPASS de l\u2019OIM")
    assert "plus de 35\u202f500" in description  # a qualifier and a French number, as the page writes them


def test_arabic_descriptions_keep_western_digits_and_arabic_punctuation(client):
    head = head_of(client, "/?lang=ar&year=2024")
    description = head.meta["description"]
    assert head.meta["og:locale"] == "ar_AR"
    assert (
        "\u0623\u0643\u062b\u0631 \u0645\u0646 35,500" in description
    )  # "more than 35,500", as the page writes it
    # Figures listed with the Arabic semicolon, never the Latin one.
    assert "\u061b " in description and "; " not in description
    country = head_of(client, "/countries/LBY?lang=ar&year=2022")
    assert country.title.endswith(
        " \u00b7 2022 \u00b7 \u0644\u0648\u062d\u0629 \u0645\u0639\u0644\u0648\u0645\u0627\u062a COMPASS"
    )
    assert country.meta["og:image"] == "http://localhost/preview/countries/LBY.png?year=2022&lang=ar"
    assert country.meta["og:image:alt"].startswith(
        "\u0631\u0633\u0645 \u0628\u064a\u0627\u0646\u064a: "
    )  # "Chart: "


def test_an_image_address_per_view(client):
    head = head_of(client, "/countries/LBY?lang=fr&year=2022")
    assert head.meta["og:image"] == "http://localhost/preview/countries/LBY.png?year=2022&lang=fr"
    assert image_link("/?year=2024&lang=en") == "/preview/overview.png?year=2024&lang=en"
    assert image_pathname("overview") == "/" and image_pathname("countries/LBY") == "/countries/LBY"
    assert image_pathname("//evil.example") is None


@pytest.mark.parametrize(
    "url",
    [
        f"/countries/LBY?year={HOSTILE}&lang=fr",
        f"/countries/LBY?lang={HOSTILE}",
        f"/indicators?indicators={HOSTILE}",
        f"/partners?q={HOSTILE}",
        f"/countries/{HOSTILE}",
        f"/?{HOSTILE}=1",
    ],
)
def test_a_hostile_query_never_reaches_the_tags(client, url):
    page = client.get(url).get_data(as_text=True)
    head = page[: page.index("</head>")]
    assert "<script>alert" not in head
    assert "alert(1)" not in head.replace("&lt;script&gt;alert(1)", "")  # at most escaped text
    parsed = Head()
    parsed.feed(head)
    for name, value in parsed.meta.items():
        if name in ("og:url", "og:image", "twitter:image"):
            assert "<" not in value and '"' not in value, name


def test_a_partners_search_is_escaped_when_it_is_shown(client):
    head = head_of(client, "/partners?q=a%22b%3Cc")
    assert head.links["canonical"] == "http://localhost/partners?q=a%22b%3Cc&until=2025&lang=en"


def test_unknown_pages_and_countries_say_so_without_a_canonical_link(client):
    head = head_of(client, "/no-such-page?lang=fr")
    assert head.title == "Page introuvable \u00b7 Tableau de bord COMPASS"
    assert "canonical" not in head.links and "og:url" not in head.meta
    assert head.meta["og:image"].startswith("http://localhost/assets/preview-fallback.png")
    head = head_of(client, "/countries/XYZ")
    assert head.title == "Country not found \u00b7 COMPASS Dashboard"
    assert "canonical" not in head.links


def test_the_public_base_url_makes_the_absolute_links(sqlite_engine):
    app = make_app(sqlite_engine, public_base_url="https://compass.example.org")
    head = head_of(app.server.test_client(), "/countries/LBY?year=2022")
    assert head.links["canonical"] == "https://compass.example.org/countries/LBY?year=2022&lang=en"
    assert head.meta["og:image"].startswith("https://compass.example.org/preview/countries/LBY.png?")


@pytest.mark.parametrize(
    "value", ["compass.example.org", "ftp://x.org", "https://x.org/?a=1", "https://x .org"]
)
def test_a_bad_public_base_url_stops_the_server(monkeypatch, value):
    from config import Settings

    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(SystemExit, match="PUBLIC_BASE_URL"):
        Settings.from_env()


def test_descriptions_are_cut_between_words():
    text = "word " * 50
    cut = cut_at_word(text)
    assert len(cut) <= DESCRIPTION_CHARS and cut.endswith("word\u2026")
    assert cut_at_word("plus de 7\u202f000 ") == "plus de 7\u202f000"


# --- the image ------------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Every call to the real renderer, counted (title and language kept)."""
    calls: list[dict] = []
    real = export_render.render

    def counted(fig, fmt, width, height, scale=1, title=None, lang=None):
        calls.append({"title": title, "lang": lang, "size": (round(width * scale), round(height * scale))})
        return real(fig, fmt, width, height, scale, title=title, lang=lang)

    monkeypatch.setattr(export_render, "render", counted)
    return calls


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


kaleido = pytest.mark.kaleido


@kaleido
def test_a_country_image_is_drawn_once_per_view_and_data_version(writable_sqlite, renderer, renders):
    app = make_app(writable_sqlite, data_version_ttl_ms=0)
    client = app.server.test_client()
    url = "/preview/countries/LBY.png?year=2022&lang=fr"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert png_size(first.data) == (1200, 630)
    assert first.data != FALLBACK
    assert renders == [{"title": "Chiffres pour Libye, 2022", "lang": "fr", "size": (1200, 630)}]
    assert "max-age" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = client.get(url)
    assert again.data == first.data and len(renders) == 1  # from the cache: nothing drawn
    # The same view by another address (no year: the year the page opens on) is the same image.
    assert client.get("/preview/countries/lby.png?lang=fr").data == first.data and len(renders) == 1
    revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and len(renders) == 1
    with writable_sqlite.begin() as conn:
        bump_version(conn)
    forget_cached_versions()
    renewed = client.get(url)
    assert renewed.status_code == 200 and len(renders) == 2  # a new data version: drawn again
    assert renewed.headers["ETag"] != first.headers["ETag"]


@kaleido
def test_workers_sharing_redis_draw_a_view_once(sqlite_engine, renderer, renders):
    """Two apps on one Redis (two gunicorn workers, or two hosts): the image one
    drew is served by the other without drawing."""
    url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    one, two = (
        make_app(sqlite_engine, cache_type="RedisCache", cache_redis_url=url, cache_key_prefix=prefix)
        for _ in range(2)
    )
    image = "/preview/countries/MLI.png?year=2022&lang=en"
    first = one.server.test_client().get(image)
    second = two.server.test_client().get(image)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data != FALLBACK and len(renders) == 1


@kaleido
@pytest.mark.parametrize(
    "url",
    [
        "/preview/overview.png?year=2022&lang=en",
        "/preview/indicators.png?indicators=stakeholders_trained&lang=fr",
        "/preview/partners.png?lang=fr",
        "/preview/data.png?lang=en",
    ],
)
def test_every_page_has_its_image(client, renderer, url):
    response = client.get(url)
    assert response.status_code == 200
    assert png_size(response.data) == (1200, 630)
    assert response.data != FALLBACK


@pytest.mark.parametrize(
    "url",
    [
        "/preview/countries/LBY.png?year=abc",
        "/preview/countries/XYZ.png",
        "/preview/countries/LBY.png?fbclid=1",
        "/preview/nothing-here.png",
        f"/preview/countries/LBY.png?lang={HOSTILE}",
        "/preview/countries/TCD.png?year=2022",  # a year with nothing to draw
    ],
)
def test_a_view_without_a_picture_gets_the_fallback(client, renders, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == FALLBACK and renders == []
    assert png_size(response.data) == (1200, 630)


def test_a_renderer_failure_gets_the_fallback(client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise export_render.RendererUnavailable("no browser")

    monkeypatch.setattr(export_render, "render", broken)
    response = client.get("/preview/countries/NGA.png?year=2022&lang=en")
    assert response.status_code == 200 and response.data == FALLBACK


def test_previews_spend_the_export_rate_limit(sqlite_engine, monkeypatch):
    app = make_app(sqlite_engine, export_rate_limit="1/minute")
    drawn: list[str] = []

    def fake_png(fig, fmt, width, height, scale=1, title=None, lang=None):
        drawn.append(title)
        return PNG_SIGNATURE + b"test"

    monkeypatch.setattr(export_render, "render", fake_png)
    client = app.server.test_client()
    assert client.get("/preview/countries/LBY.png?year=2022").data == PNG_SIGNATURE + b"test"
    assert client.get("/preview/countries/LBY.png?year=2022").data == PNG_SIGNATURE + b"test"  # cached
    over = client.get("/preview/countries/NGA.png?year=2022")  # another view: over the limit
    assert over.status_code == 200 and over.data == FALLBACK and len(drawn) == 1
    assert over.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/preview/countries/NGA.png?year=2022").data == FALLBACK  # never cached


def test_the_fallback_image_is_a_card(client):
    from PIL import Image

    image = Image.open(io.BytesIO(FALLBACK))
    assert image.size == (1200, 630)
