"""Charts on French pages have a French toolbar (plotly.js's French locale, served
from assets/vendor/, never a CDN); English pages keep the English one.

Every test also gets the `page` fixture's checks (clean console, no failed
request, no request to another host).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from tests.browser.helpers import lang_link

pytestmark = pytest.mark.browser

LOCALE_PATH = "/assets/vendor/plotly-locale-fr.js"
CHART = f"#{ids.COUNTRY_CHART}"


def _toolbar_titles(page: Page) -> list[str]:
    buttons = page.locator(f"{CHART} .modebar-btn")
    expect(buttons.first).to_be_attached()
    return buttons.evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")


def test_a_french_page_has_a_french_chart_toolbar(page: Page, page_log) -> None:
    page.goto("/?year=2022&lang=fr")
    draw_chart(page, CHART)
    titles = _toolbar_titles(page)
    assert "T\u00e9l\u00e9charger le graphique en fichier PNG" in titles, titles
    assert "R\u00e9initialiser les axes" in titles and "T\u00e9l\u00e9charger en SVG" in titles, titles
    assert not [t for t in titles if t in ("Download plot as a PNG", "Reset axes", "Zoom in")], titles
    assert [status for _, status in page_log.responses_to(LOCALE_PATH)] == [200]
    assert page_log.foreign_requests == []


def test_an_english_page_keeps_the_english_toolbar(page: Page) -> None:
    page.goto("/?year=2022")
    draw_chart(page, CHART)
    titles = _toolbar_titles(page)
    assert "Download plot as a PNG" in titles and "Download as SVG" in titles, titles


def test_switching_to_french_redraws_the_toolbar_in_french(page: Page) -> None:
    page.goto("/?year=2022")
    draw_chart(page, CHART)
    lang_link(page, "fr").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    draw_chart(page, CHART)
    expect(page.locator(f'{CHART} .modebar-btn[data-title="R\u00e9initialiser les axes"]')).to_be_attached()
