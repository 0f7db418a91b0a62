"""Charts are drawn by our partial plotly.js bundle, fetched only when a chart appears.

Every test also gets the `page` fixture's checks (clean console, no failed
request, no request to another host).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from web import frontend

pytestmark = pytest.mark.browser

BUNDLE_PATH = f"/assets/{frontend.PLOTLY_BUNDLE}"
FULL_PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def test_overview_charts_use_the_partial_bundle_only(page: Page, page_log) -> None:
    page.goto("/?year=2022")
    draw_chart(page, f"#{ids.COUNTRY_CHART}")
    expect(page.locator(f"#{ids.COUNTRY_CHART} g.trace.bars g.point path").first).to_be_attached()
    assert [status for _, status in page_log.responses_to(BUNDLE_PATH)] == [200]
    assert page_log.responses_to(FULL_PLOTLY_PATH) == []
    traces = page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces).sort()")
    assert traces == sorted(frontend.TRACE_TYPES)


def test_a_page_without_charts_does_not_download_plotly(page: Page, page_log) -> None:
    page.goto("/countries/LBY?year=2022")
    expect(page.locator("#main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.locator(".dash-graph").count() == 0, "the country page now has a chart: pick another page"
    assert page_log.responses_to(BUNDLE_PATH) == []
    assert page_log.responses_to(FULL_PLOTLY_PATH) == []
    assert page.evaluate("() => typeof (window.Plotly && window.Plotly.react)") == "undefined"


def test_skeleton_shows_the_programme_then_gives_way_to_the_page(page: Page) -> None:
    page.goto("/?year=2022&lang=fr")
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator("#compass-skeleton")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.lang") == "fr"


def test_a_chart_far_below_the_screen_is_drawn_when_scrolled_to(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto("/?year=2022")
    chart = page.locator(f"#{ids.COUNTRY_CHART}")
    expect(page.locator(f"#{ids.COVERAGE_MAP} svg a").first).to_be_attached()
    expect(chart).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert chart.evaluate("g => g.getBoundingClientRect().top") > 500 + 200, "the chart is not far below"
    assert chart.locator(".main-svg").count() == 0, "drawn before it came near the screen"
    draw_chart(page, f"#{ids.COUNTRY_CHART}")
    expect(chart.locator("g.trace.bars g.point path").first).to_be_attached()


def test_plotly_loads_only_when_a_chart_comes_near_the_screen(page: Page, page_log) -> None:
    """On a phone the overview's chart is below the fold: no plotly.js until scrolled to."""
    page.set_viewport_size({"width": 375, "height": 600})
    page.goto("/?year=2022")
    chart = page.locator(f"#{ids.COUNTRY_CHART}")
    expect(chart).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert chart.evaluate("g => g.getBoundingClientRect().top") > 600 + 200
    assert page_log.responses_to(BUNDLE_PATH) == []
    draw_chart(page, f"#{ids.COUNTRY_CHART}")
    assert [status for _, status in page_log.responses_to(BUNDLE_PATH)] == [200]
    expect(chart.locator("g.trace.bars g.point path").first).to_be_attached()


def test_the_overview_first_screen_needs_no_plotly(page: Page, page_log) -> None:
    """On a laptop screen the map is in view: it is SVG from the server, so neither
    plotly.js nor the world's shapes are fetched until the reader scrolls to the chart."""
    page.set_viewport_size({"width": 1350, "height": 940})
    page.goto("/?year=2022")
    expect(page.locator(f"#{ids.COVERAGE_MAP} svg a path")).to_have_count(14)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.locator(f"#{ids.COVERAGE_MAP}").evaluate("m => m.getBoundingClientRect().top") < 940
    assert page_log.responses_to(BUNDLE_PATH) == []
    assert page_log.responses_to("/assets/geo/world_110m.json") == []


@pytest.mark.parametrize("path", ["/?year=2022", "/countries/LBY?year=2022&lang=fr"])
def test_a_page_load_makes_one_callback_request(page: Page, path: str) -> None:
    """The page itself and nothing else: the navigation controls' callbacks wait for
    the reader (their URL writer arrives with them, components/shell.py)."""
    callbacks: list[str] = []
    page.on(
        "request",
        lambda r: callbacks.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    page.goto(path)
    expect(page.locator("#main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert len(callbacks) == 1 and "_pages_content" in callbacks[0], callbacks
    page.select_option(f"#{ids.YEAR_SELECT}", "2023")  # and the controls still work
    expect(page).to_have_url(re.compile(r"year=2023"))
