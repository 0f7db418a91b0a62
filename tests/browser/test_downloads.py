"""Downloads as a reader gets them: click the link on the page, receive the file."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.charts import draw_chart

pytestmark = pytest.mark.browser


def download(page: Page, link) -> tuple[str, bytes]:
    """Click `link`; the suggested file name and the bytes of the download."""
    with page.expect_download() as info:
        link.click()
    item = info.value
    path = item.path()
    with open(path, "rb") as handle:
        return item.suggested_filename, handle.read()


def test_country_brief_and_data_downloads_in_french(page: Page):
    page.goto("/countries/LBY?year=2022&lang=fr")
    links = page.locator("#main .export-links a")
    expect(links.first).to_be_visible()
    name, body = download(page, links.filter(has_text="PDF"))
    assert name == "compass-brief-LBY-2022-fr.pdf" and body.startswith(b"%PDF")
    name, body = download(page, links.filter(has_text="CSV"))
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Indicateur (code)", "Indicateur"]  # French headers in a French file
    assert rows[1][0].startswith("#")  # the HXL hashtag row, the same in every language
    values = {(r[rows[1].index("#indicator+code")], r[rows[1].index("#reached")]) for r in rows[2:]}
    assert ("migrants_reached_by_ambassadors", "7000") in values  # "plus de 7 000" on the page


def test_country_brief_and_data_downloads_in_arabic(page: Page):
    """An Arabic reader's files: the brief set in the vendored Amiri, the spreadsheet right to left."""
    page.goto("/countries/LBY?year=2022&lang=ar")
    links = page.locator("#main .export-links a")
    expect(links.first).to_be_visible()
    name, body = download(page, links.filter(has_text="PDF"))
    assert name == "compass-brief-LBY-2022-ar.pdf" and body.startswith(b"%PDF") and b"Amiri" in body
    name, body = download(page, links.filter(has_text="Excel"))
    assert name == "compass-country-figures-LBY-2022-ar.xlsx"
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    assert sheet["B1"].value == "المؤشر"  # "Indicator": Arabic headers in an Arabic file


def test_overview_chart_downloads_as_an_image(page: Page):
    page.goto("/?year=2022")
    link = page.locator("#main .export-links a", has_text="SVG").first
    expect(link).to_be_visible()
    name, body = download(page, link)
    assert name.endswith(".svg") and b"<svg" in body[:500]


def test_explorer_data_download_has_the_rows_of_the_table(page: Page):
    page.goto("/indicators?indicators=migrants_return_assistance&countries=MLI,NGA")
    table_rows = page.locator("#main table tbody tr")
    expect(table_rows.first).to_be_visible()
    link = page.locator("#main a", has_text="CSV").first
    name, body = download(page, link)
    assert name == "compass-migrants_return_assistance-MLI-NGA-en.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) - 2 == table_rows.count()  # header and HXL rows, then one row per table row


@pytest.mark.parametrize("lang, svg_title", [("en", "Download as SVG"), ("fr", "Télécharger en SVG")])
def test_chart_toolbar_exports_png_and_svg_and_never_uploads(page: Page, lang, svg_title):
    page.goto(f"/?year=2022&lang={lang}")
    chart = page.locator("#overview-country-chart")
    draw_chart(page, "#overview-country-chart")
    expect(chart.locator(".main-svg").first).to_be_attached()
    chart.hover()
    titles = chart.locator(".modebar-btn").evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
    assert svg_title in titles and any("PNG" in t for t in titles)
    assert not any("Share" in t or "cloud" in t.lower() for t in titles)  # no upload to Plotly Cloud
    name, body = download(page, chart.locator(f'.modebar-btn[data-title="{svg_title}"]'))
    assert name == f"compass-country-figures-2022-{lang}.svg" and b"<svg" in body[:500]
