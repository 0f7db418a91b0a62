"""Every page renders under the Content-Security-Policy (web/headers.py), in English
and French: the `page` fixture fails on any console message, and a script, style,
image or request the policy blocks is reported on the console."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from tests.browser.helpers import PageLog, open_view

pytestmark = pytest.mark.browser

PAGES = ["/", "/countries/LBY", "/partners", "/data"]
CHARTS = [
    ("/", f"#{ids.COUNTRY_CHART}"),
    ("/indicators?indicators=migrants_return_assistance", f"#{ids.EXPLORER_GRAPH}"),
    ("/indicators?indicators=migrants_return_assistance&chart=map", f"#{ids.EXPLORER_GRAPH}"),
]


def open_checked(page: Page, path: str) -> None:
    response = page.goto(path)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator("#compass-skeleton")).to_have_count(0)  # its inline script ran


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_render_under_the_policy(page: Page, path: str, lang: str) -> None:
    open_checked(page, f"{path}?lang={lang}")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("path", "chart"), CHARTS)
def test_charts_draw_under_the_policy(page: Page, path: str, chart: str, lang: str) -> None:
    separator = "&" if "?" in path else "?"
    open_checked(page, f"{path}{separator}lang={lang}")
    draw_chart(page, chart)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_not_found_page_under_the_policy(page: Page, page_log: PageLog, lang: str) -> None:
    page_log.expect_status("/no-such-page", 404)  # an unknown page answers 404 (web/not_found.py)
    response = page.goto(f"/no-such-page?lang={lang}")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    expect(page.locator("#main h1")).to_be_visible()
    open_view(page, f"/?lang={lang}")
