"""Shared links: a reader changes the view, copies the link with the Copy link
button, and another reader (a fresh browser context) sees the same figures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from tests.browser.helpers import CLIPBOARD

pytestmark = pytest.mark.browser


def chart_data(page: Page, graph_id: str) -> list[dict]:
    """The x/y/text of every trace of a dcc.Graph, as plotly.js drew it."""
    draw_chart(page, f"#{graph_id}")
    page.wait_for_function(f"() => document.querySelector('#{graph_id} .js-plotly-plot')?.data?.length > 0")
    return page.evaluate(
        f"""() => document.querySelector('#{graph_id} .js-plotly-plot').data.map(
            t => ({{x: Array.from(t.x || []), y: Array.from(t.y || []), text: t.text,
                    locations: t.locations ? Array.from(t.locations) : null}}))"""
    )


def copy_link(page: Page) -> str:
    page.locator(f"#{ids.COPY_LINK}").click()
    expect(page.locator(f"#{ids.COPY_LINK}")).to_contain_text(re.compile("Link copied|Lien copié"))
    return page.evaluate("navigator.clipboard.readText()")


def test_overview_link_reproduces_year_language_and_figures(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/?lang=fr")
    expect(first.locator("#main h1")).to_be_visible()
    first.select_option(f"#{ids.YEAR_SELECT}", "2022")
    expect(first).to_have_url(re.compile(r"/\?year=2022&lang=fr$"))
    expect(first.locator("#main .kpi-value", has_text="plus de 1\u202f500")).to_be_visible()
    kpis = first.locator("#main .kpi-value").all_text_contents()
    bars = chart_data(first, ids.COUNTRY_CHART)
    link = copy_link(first)
    assert link == first.url

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#main .kpi-value").first).to_be_visible()
    assert second.locator("#main .kpi-value").all_text_contents() == kpis
    assert chart_data(second, ids.COUNTRY_CHART) == bars
    coverage_map = f"#{ids.COVERAGE_MAP}"
    assert second.locator(coverage_map).inner_html() == first.locator(coverage_map).inner_html()
    assert second.evaluate("document.documentElement.lang") == "fr"


def test_country_link_reproduces_the_view(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/countries/NGA?year=2024")
    first.select_option(f"#{ids.YEAR_SELECT}", "2022")
    expect(first).to_have_url(re.compile(r"/countries/NGA\?year=2022&lang=en$"))
    expect(first.locator("#main .lead")).to_contain_text("2022")
    expect(first.locator("#country-figures")).to_be_visible()
    rows = first.locator("#country-figures tbody tr").all_text_contents()
    link = copy_link(first)

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#country-figures")).to_be_visible()
    assert second.locator("#country-figures tbody tr").all_text_contents() == rows


def test_data_page_link_reproduces_year_and_language(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/data?lang=fr")
    expect(first.locator("#main h1")).to_be_visible()
    first.select_option(f"#{ids.YEAR_SELECT}", "2021")
    expect(first).to_have_url(re.compile(r"/data\?year=2021&lang=fr$"))
    exports = first.locator("#main a[href^='/export/']")
    expect(exports.first).to_have_attribute("href", re.compile("year=2021"))
    hrefs = exports.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    link = copy_link(first)

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#main a[href^='/export/']").first).to_have_attribute(
        "href", re.compile("year=2021")
    )
    assert (
        second.locator("#main a[href^='/export/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        == hrefs
    )
    assert second.evaluate("document.documentElement.lang") == "fr"
