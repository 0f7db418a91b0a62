"""Static parts of a page arrive as HTML (components/static_html.py) and still work
like the components they replace: tables and cards show, links that were dcc.Links
move within the app without reloading it, hostile text stays text.

Every test also gets the `page` fixture's checks (clean console, no failed or
foreign request)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.helpers import open_view
from tests.helpers import COMPASS_COUNTRIES

pytestmark = pytest.mark.browser


def test_static_tables_render_and_their_links_navigate_in_place(page: Page, page_log):
    open_view(page, "/?year=2022")
    links = page.locator("#main a[data-dash-link]")
    expect(links.first).to_be_visible()
    assert links.count() >= COMPASS_COUNTRIES  # the coverage table's country names
    page.evaluate("window.__sameDocument = true")
    page.locator('#main a[data-dash-link][href^="/countries/LBY"]').first.click()
    expect(page).to_have_url(re.compile(r"/countries/LBY\?"))
    expect(page.locator("#main h1")).to_contain_text("Libya")
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the page"
    assert page.evaluate("window.scrollY") == 0
    page.go_back()
    expect(page.locator(f"#{ids.COVERAGE_MAP}")).to_be_attached()


def test_modified_clicks_are_left_to_the_browser(page: Page):
    open_view(page, "/?year=2022")
    link = page.locator('#main a[data-dash-link][href^="/countries/"]').first
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    opened.value.close()
    assert "/countries/" not in page.url  # this tab stayed where it was


def test_map_countries_are_links_with_their_numbers(page: Page):
    open_view(page, "/?year=2022&lang=fr")
    niger = page.locator(f'#{ids.COVERAGE_MAP} svg a[href^="/countries/NER"]')
    expect(niger).to_have_attribute("href", "/countries/NER?year=2022&lang=fr")
    tooltip = niger.locator("title").text_content() or ""
    assert tooltip == "Niger\nNon publié pour 2022"  # no return figure for Niger in 2022
    page.evaluate("window.__sameDocument = true")
    niger.locator("path").click()
    expect(page).to_have_url(re.compile(r"/countries/NER\?year=2022&lang=fr$"))
    expect(page.locator("#main h1")).to_contain_text("Niger")
    assert page.evaluate("window.__sameDocument === true"), "the map link reloaded the page"
