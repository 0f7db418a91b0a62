"""Charts on Arabic pages: an Arabic toolbar (our dictionary for plotly.js's Arabic
locale, served from /assets, never a CDN), on the left, clear of the title; texts
placed where the figure says, though the page is right to left (plotly.js
measures its texts in a left-to-right <svg>, assets/compass.css); bars that grow
from the right, with right-aligned hover labels.

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

DICTIONARY_PATH = "/assets/plotly-locale-ar-dictionary.js"
CHART = f"#{ids.COUNTRY_CHART}"
EXPLORER = f"#{ids.EXPLORER_GRAPH}"
INDICATORS = ("migrants_return_assistance", "stakeholders_trained")


def _toolbar_titles(page: Page) -> list[str]:
    buttons = page.locator(f"{CHART} .modebar-btn")
    expect(buttons.first).to_be_attached()
    return buttons.evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")


def test_an_arabic_page_has_an_arabic_chart_toolbar(page: Page, page_log) -> None:
    page.goto("/?year=2022&lang=ar")
    draw_chart(page, CHART)
    titles = _toolbar_titles(page)
    assert "تنزيل الرسم البياني بصيغة PNG" in titles, titles
    assert "إعادة ضبط المحاور" in titles and "تنزيل بصيغة SVG" in titles, titles
    assert not [t for t in titles if t.isascii()], titles  # no English title left
    assert [status for _, status in page_log.responses_to(DICTIONARY_PATH)] == [200]
    assert page_log.foreign_requests == []


def test_arabic_chart_texts_are_where_the_figure_puts_them(page: Page) -> None:
    """Panel titles and bar labels end at the plot's right edge, where the bars
    start (x = 0): with the page's direction leaking into plotly.js's measure,
    each was drawn one text width to the left of it."""
    page.goto(f"/indicators?lang=ar&indicators={','.join(INDICATORS)}")
    draw_chart(page, EXPLORER)
    plot = page.locator(f"{EXPLORER} .nsewdrag").first.bounding_box()
    right = plot["x"] + plot["width"]
    texts = page.locator(f"{EXPLORER} .annotation-text").evaluate_all(
        "as => as.map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.right]; })"
    )
    assert len(texts) > 4
    assert [(text, edge) for text, edge in texts if abs(edge - right) > 6] == [], right
    bar = page.locator(f"{EXPLORER} .bars .point path").first.bounding_box()
    assert abs(bar["x"] + bar["width"] - right) < 2  # grows from the right
    modebar = page.locator(f"{EXPLORER} .modebar").bounding_box()
    chart = page.locator(EXPLORER).bounding_box()
    assert modebar["x"] < chart["x"] + chart["width"] / 2  # the toolbar on the left


def test_an_arabic_hover_label_is_right_aligned(page: Page) -> None:
    page.goto("/?year=2022&lang=ar")
    draw_chart(page, CHART)
    first_bar = page.locator(f"{CHART} .bars .point path").first
    first_bar.scroll_into_view_if_needed()
    bar = first_bar.bounding_box()
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    label = page.locator(f"{CHART} .hoverlayer .hovertext text.nums")
    expect(label).to_be_attached()
    assert label.get_attribute("text-anchor") == "end"
    assert "\u2067" in label.text_content()  # isolated right to left


def test_switching_to_arabic_redraws_the_toolbar_in_arabic(page: Page) -> None:
    page.goto("/?year=2022")
    draw_chart(page, CHART)
    lang_link(page, "ar").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    draw_chart(page, CHART)
    expect(page.locator(f'{CHART} .modebar-btn[data-title="إعادة ضبط المحاور"]')).to_be_attached()
