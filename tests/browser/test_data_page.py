"""The Data page in headless Chromium, in English and French.

The live server's database holds the reference data only, so there is no
target to show here: the country page's targets are tested without a browser
(tests/test_data_page.py). Every test also gets the `page` fixture's checks:
clean console, no failed request, no request to another host.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import open_view, url_re

pytestmark = pytest.mark.browser

HISTORY = "#import-history"
SOURCES = "#source-list"


def assert_source_links(page: Page) -> None:
    """Sources with an address link out in a new tab, without passing on the opener or referrer."""
    links = page.locator(f"{SOURCES} a")
    assert links.count() > 5, "the source list has (almost) no links"
    for i in range(links.count()):
        link = links.nth(i)
        assert re.match(r"https?://", link.get_attribute("href") or ""), link.get_attribute("href")
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("target") == "_blank"


def test_data_page_in_english_from_the_navbar(page: Page) -> None:
    open_view(page, "/?year=2022")
    page.locator(".page-links a", has_text="Data").click()
    expect(page).to_have_url(url_re("/data", year="2022", lang="en"))
    expect(page.locator("#main h1")).to_have_text("Data and sources")
    expect(page.locator(".page-links a[aria-current='page']")).to_have_count(1)
    rows = page.locator(f"{HISTORY} tbody tr")
    expect(rows.first).to_contain_text("Reference data")
    expect(rows.first).to_contain_text("UTC")
    expect(page.locator(f"{HISTORY} th[scope='col']").first).to_have_text("Loaded")
    expect(page.locator(SOURCES)).to_contain_text("COMPASS Year 2 (2022): results narrative")
    assert_source_links(page)
    expect(page.locator("#indicator-definitions li")).to_have_count(34)
    for href in page.locator("#template-downloads a").evaluate_all("links => links.map(a => a.href)"):
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.headers["content-disposition"].startswith("attachment"), href


def test_data_page_in_french_then_english(page: Page) -> None:
    open_view(page, "/data?lang=fr")
    expect(page.locator("#main h1")).to_have_text("Données et sources")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(f"{HISTORY} tbody tr").first).to_contain_text("Données de référence")
    expect(page.locator(f"{HISTORY} tbody tr").first).to_contain_text("UTC")
    expect(page.locator(SOURCES)).to_contain_text("COMPASS Année 2 (2022)")
    expect(page.locator(SOURCES)).to_contain_text("Anglais")
    assert_source_links(page)
    page.locator('.lang-switch a:has(> span[lang="en"])').click()
    expect(page).to_have_url(url_re("/data", lang="en"))
    expect(page.locator("#main h1")).to_have_text("Data and sources")
    expect(page.locator("html")).to_have_attribute("lang", "en")
