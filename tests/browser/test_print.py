"""Printing a page prints all of it (assets/print.js, the @media print rules of
assets/compass.css): every chart drawn first and narrowed to the paper, every
"Sources (n)" and source quote open, and no navigation, menu, Copy link or
download link; the PDF Chromium prints holds the sources' words.

Every test also gets the `page` fixture's checks (clean console, no failed
request, no request to another host).
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from pages import ids

pytestmark = pytest.mark.browser

PRINT_WIDTH = 680  # assets/plotly_lazy.js
READY = """() => window.compassCharts && window.compassCharts.allDrawn()
    && document.querySelectorAll('details:not([open])').length === 0"""


def _words(text: str) -> str:
    """Text as a PDF reader gives it back: letters and digits, one space between
    words, ligatures (the PDF's "ﬁ") spelled out."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()))


def _pdf_text(page: Page) -> str:
    reader = PdfReader(BytesIO(page.pdf(format="A4", print_background=True)))
    return _words(" ".join(p.extract_text() or "" for p in reader.pages))


def _print(page: Page) -> None:
    page.emulate_media(media="print")
    page.wait_for_function(READY)


def _screen_only_parts_hidden(page: Page) -> None:
    for selector in ("header .navbar", ".copy-link", ".lang-switch"):
        expect(page.locator(selector)).to_be_hidden()
    for selector in (".export-links", ".modebar"):
        for i in range(page.locator(selector).count()):
            expect(page.locator(selector).nth(i)).to_be_hidden()


def test_printing_the_overview_draws_its_chart_and_opens_every_source(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto("/?year=2022")
    chart = page.locator(f"#{ids.COUNTRY_CHART}")
    expect(page.locator("#main h1")).to_be_visible()
    expect(chart).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert chart.locator(".main-svg").count() == 0, "drawn before printing: the test proves nothing"
    closed = page.locator("details:not([open])").count()
    assert closed > 0

    _print(page)
    _screen_only_parts_hidden(page)
    drawn = chart.locator(".main-svg").first
    assert drawn.evaluate("s => s.getBoundingClientRect().width") <= PRINT_WIDTH + 1
    title = _words(chart.locator(".gtitle").first.text_content())
    quotes = [_words(q) for q in page.locator("details blockquote.source-quote").all_text_contents()]
    assert title and quotes
    text = _pdf_text(page)
    assert title in text
    missing = [q[:80] for q in quotes if q[:80] not in text]
    assert not missing, f"source quotes not in the printed PDF: {missing}"

    page.emulate_media(media="screen")
    expect(page.locator("details:not([open])")).to_have_count(closed)  # put back as the reader left them
    expect(page.locator("header .navbar")).to_be_visible()
    page.wait_for_function(
        "w => document.querySelector('#"
        + ids.COUNTRY_CHART
        + " .main-svg').getBoundingClientRect().width > w",
        arg=PRINT_WIDTH + 1,
    )


def test_printing_a_country_page_prints_its_source_quotes_and_notes(page: Page) -> None:
    page.goto("/countries/NGA?year=2022&lang=fr")
    expect(page.locator("#main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    notes = [_words(n) for n in page.locator(".source-note").all_text_contents()]
    quotes = [_words(q) for q in page.locator("details blockquote.source-quote").all_text_contents()]
    assert notes and quotes
    _print(page)
    _screen_only_parts_hidden(page)
    text = _pdf_text(page)
    missing = [n[:60] for n in notes + quotes if n[:60] not in text]
    assert not missing, f"sources not in the printed PDF: {missing}"


def test_printing_the_explorer_prints_the_chart_and_hides_its_controls(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 400})
    page.goto("/indicators?indicators=migrants_return_assistance,stakeholders_trained")
    expect(page.locator("#main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    _print(page)
    expect(page.locator(".explorer-controls")).to_be_hidden()
    for i in range(page.locator(".explorer-export").count()):
        expect(page.locator(".explorer-export").nth(i)).to_be_hidden()
    expect(page.get_by_text("Download the chart:")).to_be_hidden()
    chart = page.locator(f"#{ids.EXPLORER_GRAPH}")
    assert (
        chart.locator(".main-svg").first.evaluate("s => s.getBoundingClientRect().width") <= PRINT_WIDTH + 1
    )
    assert _words(chart.locator(".gtitle").first.text_content()) in _pdf_text(page)


def test_ctrl_p_draws_the_charts_before_the_browser_prints(page: Page) -> None:
    """The browser snapshots the page as soon as printing starts: a chart not drawn
    yet (plotly.js not even fetched, on a phone) is drawn first, then print() runs."""
    page.set_viewport_size({"width": 375, "height": 600})
    page.goto("/?year=2022")
    chart = page.locator(f"#{ids.COUNTRY_CHART}")
    expect(chart).to_be_attached()
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    assert chart.locator(".main-svg").count() == 0
    page.keyboard.press("Control+p")
    page.wait_for_function("() => window.__printed === 1")
    assert chart.locator(".main-svg").count() > 0
