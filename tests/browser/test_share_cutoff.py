"""Copied links of "every year" views keep their years (issue 14): a reader copies
the explorer's and the Partners page's link, a later year is loaded, and another
reader (a fresh browser context) opening the link sees what was copied.

On a server and database of this module's own, since the test loads data."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from pages import ids
from tests.browser.helpers import CLIPBOARD, TIMEOUT_MS, VIEWPORT, serve_dashboard
from tests.helpers import LATER, add_a_later_year

pytestmark = pytest.mark.browser

LATER_FIGURE = "987,654"  # the value add_a_later_year publishes
LATER_PARTNER = "Zeta Partenaire tardif"  # its French name: the Partners page is read in French
TABLE_ROWS = f"#{ids.EXPLORER_TABLE} tbody tr"
EXPLORER = "/indicators?indicators=migrants_return_assistance"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory) -> Iterator[tuple[str, object]]:
    path = tmp_path_factory.mktemp("cutoff-db") / "compass.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")
    with serve_dashboard(engine, "cutoff-server") as url:
        yield url, engine


@pytest.fixture
def reader(browser: Browser, own_server) -> Iterator:
    """Factory of readers, each in a fresh context; none may log an error."""
    base, _ = own_server
    opened, errors = [], []

    def make(**options) -> Page:
        context = browser.new_context(viewport=VIEWPORT, base_url=base, **options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        opened.append(context)
        return page

    yield make
    for context in opened:
        context.close()
    assert not errors, errors


def copy_link(page: Page) -> str:
    page.locator(f"#{ids.COPY_LINK}").click()
    expect(page.locator(f"#{ids.COPY_LINK}")).to_contain_text(re.compile("Link copied|Lien copié"))
    return page.evaluate("navigator.clipboard.readText()")


def rows(page: Page, selector: str) -> list[str]:
    expect(page.locator(selector).first).to_be_visible()
    return page.locator(selector).all_text_contents()


def until_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["until"][0]


def test_copied_every_year_links_keep_their_years_when_a_later_year_is_loaded(reader, own_server):
    _, engine = own_server
    first = reader(permissions=CLIPBOARD)
    first.goto(EXPLORER)
    explorer_rows = rows(first, TABLE_ROWS)
    explorer_link = copy_link(first)
    assert until_of(explorer_link) == "2025"
    assert "until" not in first.url  # the address bar stays short
    first.goto("/partners?lang=fr")
    partner_rows = rows(first, ".partner-entry")
    partners_link = copy_link(first)
    assert until_of(partners_link) == "2025" and "until" not in first.url

    add_a_later_year(engine)
    time.sleep(1.2)  # the data version is re-read at most once a second (DATA_VERSION_TTL_MS)

    second = reader()
    second.goto(EXPLORER)  # the open view: 2026 is there
    expect(second.locator(TABLE_ROWS, has_text=LATER_FIGURE)).to_have_count(1)
    second.goto(explorer_link)  # the copied link: as sent
    expect(second.locator(f"#{ids.EXPLORER_TABLE}")).to_be_visible()
    assert rows(second, TABLE_ROWS) == explorer_rows
    expect(second.locator("#main")).to_contain_text("None ticked: every year up to 2025.")
    expect(second.locator(".url-notices")).to_have_count(0)
    second.goto("/partners?lang=fr")
    expect(second.locator(".partner-entry", has_text=LATER_PARTNER)).to_have_count(1)
    second.goto(partners_link)
    assert rows(second, ".partner-entry") == partner_rows
    expect(second.locator(".partner-entry", has_text=LATER_PARTNER)).to_have_count(0)
    expect(second.locator(f"#{ids.PARTNERS_SUMMARY}")).to_contain_text("toutes les années jusqu\u2019à 2025")


def test_a_reader_of_a_pinned_link_keeps_the_cutoff_through_the_controls(reader, own_server):
    _, engine = own_server
    add_a_later_year_once(engine)
    page = reader()
    page.goto(f"{EXPLORER}&until=2025")
    expect(page.locator(f"#{ids.EXPLORER_TABLE}")).to_be_visible()
    page.get_by_label("Nigeria", exact=False).first.check()
    expect(page).to_have_url(re.compile(r"countries=NGA&until=2025"))
    expect(page.locator(TABLE_ROWS, has_text=LATER_FIGURE)).to_have_count(0)
    # Ticking the later year shows it (a ticked year is never cut), the cutoff stays in the view ...
    page.locator(f"#{ids.EXPLORER_YEARS}").get_by_label(str(LATER)).check()
    expect(page).to_have_url(re.compile(rf"years={LATER}&until=2025"))
    expect(page.locator(TABLE_ROWS, has_text=LATER_FIGURE)).to_have_count(1)
    # ... so unticking it brings back "every year up to 2025".
    page.locator(f"#{ids.EXPLORER_YEARS}").get_by_label(str(LATER)).uncheck()
    expect(page).to_have_url(re.compile(r"countries=NGA&until=2025&lang=en$"))
    expect(page.locator(TABLE_ROWS, has_text=LATER_FIGURE)).to_have_count(0)
    expect(page.locator("#main")).to_contain_text("every year up to 2025")


def add_a_later_year_once(engine) -> None:
    """The later year, unless the test before loaded it already (each test runs alone too)."""
    with engine.connect() as conn:
        loaded = conn.exec_driver_sql("SELECT 1 FROM partners WHERE key = 'later-partner'").first()
    if not loaded:
        add_a_later_year(engine)
        time.sleep(1.2)
