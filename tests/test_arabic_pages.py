"""Every page in Arabic, with no English interface string left (issue 16).

Each page is rendered as the browser gets it (the pages router's response, the
standalone pages' HTML) for the public, staff and a donor link's reader; its
visible text and the attributes read aloud or shown (title, aria-label,
placeholder, alt, option labels) are searched for Latin-script words. A word is
allowed only where it is not the interface speaking: inside an element whose
`lang` is not Arabic (a data text that falls back to English says so), a token
that is the same in every language (COMPASS, IOM, file formats, ISO codes,
addresses, the EN/FR/AR switch), or a proper name from the data (partners).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from components.i18n import LANGUAGE_SWITCH_LABEL
from config import REFERENCE_DIR
from data_access import schema as s
from data_access import share_links
from data_access.engine import make_engine
from data_access.loader import prepare_database
from data_access.schema import share_links as share_links_table
from model.audience import STAFF
from tests.helpers import Element, make_app, parse_html, router_body
from web.audience import add_audience_resolver
from web.donor_links import sign_link

SECRET = "arabic-pages-test-secret"
STAFF_HEADERS = {"X-Test-Staff": "1"}

# Tokens written the same in every language of the interface.
SAME_IN_EVERY_LANGUAGE = frozenset(
    {
        "COMPASS",
        "IOM",
        "OIM",
        "CSV",
        "XLSX",
        "Excel",
        "PNG",
        "SVG",
        "PDF",
        "PPTX",
        "PowerPoint",
        "EUR",
        "UTC",
        "EN",
        "FR",
        "AR",
        "English",
        "Fran\u00e7ais",
    }
)
FILE_FORMATS = frozenset({"CSV", "XLSX", "PNG", "SVG", "PDF", "PPTX", "JSON"})


def _reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ISO_CODES = frozenset(row["iso3"] for row in _reference_rows("countries.csv"))
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\u2019]*")
ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w./-]+\.(?:csv|xlsx|png|svg|pdf|pptx|json|org|int|com|net)(?:/\S*)?"  # files, hosts
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*",  # host/path shown without its scheme
    re.IGNORECASE,
)
HOST = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}\b")  # a site named by its host (government.nl)
QUOTED = re.compile(r"\u00ab[^\u00bb]*\u00bb")  # «value»: a notice quoting the URL's own words
PLOTLY_TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")  # plotly's text markup (<br>, <b>)
# Dash's own "Loading..." line: hidden under our skeleton (components/skeleton.py), never read out.
DASH_LOADING = "_dash-loading"
TEXT_ATTRIBUTES = ("title", "aria-label", "ariaLabel", "placeholder", "alt", "label")
# Not the interface speaking: scripts, and code (indicator codes, as the import files spell them).
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "code"})


# --- collecting what a reader sees ------------------------------------------------------------


def _strings_of(node, lang: str) -> Iterator[tuple[str, str]]:
    """(text, language) of every string shown or read aloud in a Dash callback
    response's layout (its JSON), the language inherited as `lang` is in HTML."""
    if isinstance(node, list):
        for child in node:
            yield from _strings_of(child, lang)
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        yield str(node), lang
    elif isinstance(node, dict) and "props" in node and "type" in node:
        props = node["props"]
        if node["type"] == "StaticHtml":  # components/html_block.py: HTML written on the server
            attributes = props.get("attributes") or {}
            lang = attributes.get("lang") or lang
            yield from _attribute_strings(attributes, lang)
            yield from _element_strings(parse_html(props.get("html") or ""), lang)
            return
        if node["type"] in {"Store", "Location"}:
            return  # state, never shown
        lang = props.get("lang") or lang
        yield from _attribute_strings(props, lang)
        for option in props.get("options") or []:
            label = option.get("label") if isinstance(option, dict) else option
            yield from _strings_of(label, lang)
        yield from _strings_of(props.get("children"), lang)
        if node["type"] == "Graph":
            yield from _figure_strings(props.get("figure") or {}, lang)


def _attribute_strings(attributes: dict, lang: str) -> Iterator[tuple[str, str]]:
    for name in TEXT_ATTRIBUTES:
        value = attributes.get(name)
        if isinstance(value, str):
            yield value, lang


def _element_strings(element: Element, lang: str) -> Iterator[tuple[str, str]]:
    """Strings of parsed HTML: text, and the attributes a reader sees or hears."""
    if element.tag in SKIPPED_TAGS or DASH_LOADING in (element.attrs.get("class") or "").split():
        return
    lang = element.attrs.get("lang") or lang
    yield from _attribute_strings(element.attrs, lang)
    if element.tag == "meta" and element.attrs.get("content"):
        name = element.attrs.get("name") or element.attrs.get("property") or ""
        if name in {"description", "og:title", "og:description", "og:image:alt", "og:site_name"}:
            yield element.attrs["content"], lang
    for child in element.children:
        if isinstance(child, Element):
            yield from _element_strings(child, lang)
        else:
            yield child, lang


def _figure_strings(figure: dict, lang: str) -> Iterator[tuple[str, str]]:
    """The words a plotly figure draws: titles, axis titles, annotations."""
    layout = figure.get("layout") or {}
    for value in layout.values():
        if isinstance(value, dict) and isinstance(value.get("title"), dict):
            yield _figure_text(value["title"].get("text") or ""), lang
    if isinstance(layout.get("title"), dict):
        yield _figure_text(layout["title"].get("text") or ""), lang
    for annotation in layout.get("annotations") or []:
        yield _figure_text(annotation.get("text") or ""), lang


def _figure_text(text: str) -> str:
    return PLOTLY_TAG.sub(" ", text)


# --- judging it -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proper_names(app) -> frozenset[str]:
    """The partners' names and acronyms, whole: proper names, never translated (a word
    of them, such as "Health", is not exempted on its own)."""
    with _engine(app).connect() as conn:
        rows = conn.execute(select(s.partners.c.name_en, s.partners.c.name_fr, s.partners.c.acronym)).all()
    return frozenset(text for row in rows for text in row if text)


def english_left(strings, proper_names: frozenset[str]) -> list[str]:
    """The Latin-script words of `strings` that no exemption covers, each with its text."""
    exempt = sorted(proper_names, key=len, reverse=True)  # the longest first
    exempt_texts = re.compile("|".join(rf"(?<![\w-]){re.escape(text)}(?![\w-])" for text in exempt) or "(?!)")
    found = []
    for text, lang in strings:
        if lang != "ar" or not LATIN_WORD.search(text):
            continue
        rest = text.replace(LANGUAGE_SWITCH_LABEL, " ")
        rest = HOST.sub(" ", ADDRESS.sub(" ", QUOTED.sub(" ", exempt_texts.sub(" ", rest))))
        words = [
            w
            for w in LATIN_WORD.findall(rest)
            if w not in SAME_IN_EVERY_LANGUAGE and w.upper() not in FILE_FORMATS and w not in ISO_CODES
        ]
        if words:
            found.append(f"{' '.join(words)!r} in {text.strip()[:120]!r}")
    return found


# --- the app, its readers and its pages --------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app on a database of this module's own (donor links are written), with a
    test resolver naming staff (X-Test-Staff: 1)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('arabic') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    built = make_app(engine, secret_key=SECRET)
    add_audience_resolver(built.server, lambda req: STAFF if req.headers.get("X-Test-Staff") == "1" else None)
    share_links.forget()
    yield built
    with engine.begin() as conn:
        conn.execute(delete(share_links_table))
    share_links.forget()


def _engine(app):
    return app.server.extensions["compass_engine"]


def page_strings(client, path: str, search: str, headers: dict | None = None) -> list[tuple[str, str]]:
    """What a reader of `path?search` sees, as the pages router sends it."""
    response = client.post("/_dash-update-component", json=router_body(path, search), headers=headers or {})
    assert response.status_code == 200, response.data[:300]
    payload = response.get_json()["response"]
    content = payload["_pages_content"]["children"]
    title = (payload.get("_pages_store", {}).get("data") or {}).get("title") or ""
    return [(title, "ar"), *_strings_of(content, "ar")]


def html_page_strings(response) -> list[tuple[str, str]]:
    """What a reader of a standalone HTML page sees (its <html lang> is where the language starts)."""
    page = parse_html(response.get_data(as_text=True))
    root = next(page.iter("html"), page)
    return list(_element_strings(root, root.attrs.get("lang") or ""))


ROUTER_PAGES = [
    ("/", "?lang=ar"),
    ("/", "?lang=ar&year=2022"),
    ("/", "?lang=ar&year=2022&map=stakeholders_trained"),
    ("/", "?lang=ar&year=1990"),  # a notice: the year is not one with data
    ("/", "?lang=ar&zz=1"),  # a notice: an unknown setting
    ("/countries/MAR", "?lang=ar&year=2022"),
    ("/countries/LBY", "?lang=ar&year=2022"),
    ("/countries/TCD", "?lang=ar"),
    ("/countries/NGA", "?lang=ar&year=2024"),
    ("/countries/XXX", "?lang=ar"),  # no such country: the list of the 14
    ("/indicators", "?lang=ar"),
    ("/indicators", "?lang=ar&until=abc"),
    (
        "/indicators",
        "?lang=ar&indicators=migrants_assisted_total,partner_countries&countries=LBY,NGA,programme",
    ),
    ("/indicators", "?lang=ar&chart=lines&years=2021,2022,2023,2024&sort=-value"),
    ("/indicators", "?lang=ar&chart=map&breakdown=sex"),
    ("/partners", "?lang=ar"),
    ("/partners", "?lang=ar&year=2022&countries=LBY&types=ngo"),
    ("/data", "?lang=ar"),
    ("/no-such-page", "?lang=ar"),  # the 404 page
]


@pytest.mark.parametrize(("path", "search"), ROUTER_PAGES)
def test_every_page_in_arabic_has_no_english_left(app, proper_names, path, search):
    strings = page_strings(app.server.test_client(), path, search)
    assert any(lang == "ar" and re.search("[\u0600-\u06ff]", text) for text, lang in strings)
    left = english_left(strings, proper_names)
    assert not left, "\n".join(left)


@pytest.mark.parametrize(
    ("path", "search"), [("/countries/LBY", "?lang=ar&year=2022"), ("/indicators", "?lang=ar")]
)
def test_staff_pages_in_arabic_have_no_english_left(app, proper_names, path, search):
    """Staff see more: the "Share with a donor" form, internal marks, the account corner."""
    strings = page_strings(app.server.test_client(), path, search, STAFF_HEADERS)
    assert "Share with a donor" not in " ".join(text for text, _ in strings)
    left = english_left(strings, proper_names)
    assert not left, "\n".join(left)


def test_a_donor_links_locked_view_in_arabic_has_no_english_left(app, proper_names):
    link = share_links.create(_engine(app), "/countries/MAR?year=2022", timedelta(days=30))
    client = app.server.test_client()
    assert client.get(f"/s/{sign_link(SECRET, link.id)}").status_code == 303
    strings = page_strings(client, "/countries/MAR", "?year=2022&lang=ar")
    text = " ".join(t for t, _ in strings)
    assert "Shared view" not in text
    left = english_left(strings, proper_names)
    assert not left, "\n".join(left)


def _refused_tokens(app) -> dict[str, tuple[str, int]]:
    engine = _engine(app)
    expired = share_links.create(
        engine, "/countries/MAR?year=2022", timedelta(days=30), now=share_links.utcnow() - timedelta(days=40)
    )
    revoked = share_links.create(engine, "/countries/MAR?year=2022", timedelta(days=30))
    share_links.revoke(engine, revoked.id)
    return {
        "invalid": (sign_link("another-secret", revoked.id), 403),
        "expired": (sign_link(SECRET, expired.id), 410),
        "revoked": (sign_link(SECRET, revoked.id), 410),
    }


def test_standalone_pages_in_arabic_have_no_english_left(app, proper_names):
    client = app.server.test_client()
    pages = {
        "login": client.get("/login?lang=ar"),
        "login refused": client.post(
            "/login?lang=ar",
            data={"email": "nobody@example.org", "password": "not-the-password", "lang": "ar"},
            headers={"Origin": "http://localhost"},
        ),
        "logout": client.get("/logout?lang=ar"),
        "404": client.get("/no-such-page?lang=ar", headers={"Accept": "text/html"}),
    }
    for case, (token, status) in _refused_tokens(app).items():
        pages[case] = client.get(f"/s/{token}?lang=ar")
        assert pages[case].status_code == status, case
    for case, response in pages.items():
        assert response.mimetype == "text/html", case
        strings = html_page_strings(response)
        assert strings and all(lang == "ar" for _, lang in strings[:1]), case
        left = english_left(strings, proper_names)
        assert not left, f"{case}:\n" + "\n".join(left)


def test_the_share_forms_pages_in_arabic_have_no_english_left(app, proper_names):
    client = app.server.test_client()
    headers = {**STAFF_HEADERS, "Origin": "http://localhost"}
    form = {"view": "/countries/LBY?year=2022&lang=ar", "expires": "30d", "note": "", "lang": "ar"}
    made = client.post("/share/new", data=form, headers=headers)
    assert made.status_code == 200, made.data[:300]
    refused = client.post("/share/new", data={**form, "view": "/nowhere"}, headers=headers)
    assert refused.status_code == 400
    for response in (made, refused):
        left = english_left(html_page_strings(response), proper_names)
        assert not left, "\n".join(left)
