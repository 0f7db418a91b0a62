"""The indicator explorer in headless Chromium: a reader sets the controls, the
address follows, and the link copied with "Copy link" opens the same figure and
table in a fresh browser context.

Every test also gets the `page` fixture's checks (clean console, no failed
request, nothing fetched from another host); the second context opened here
is checked the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from pages import ids
from tests.browser.helpers import TIMEOUT_MS, VIEWPORT, PageLog, query

pytestmark = pytest.mark.browser

GRAPH = f"#{ids.EXPLORER_GRAPH}"
TABLE_ROWS = f"#{ids.EXPLORER_TABLE} tbody tr"
FIGURE_DATA = """id => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    return JSON.parse(JSON.stringify(plot.data));
}"""
ROWS = """sel => Array.from(document.querySelectorAll(sel)).map(r => [
    r.dataset.indicator, r.dataset.place, r.dataset.period, r.dataset.value, r.innerText
])"""


def open_explorer(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator(f"{GRAPH} .js-plotly-plot")).to_be_visible()


def choose(page: Page, checklist_id: str, *labels: str) -> None:
    """Tick `labels` in a list of checkboxes: each tick applies at once (a new URL)."""
    for text in labels:
        before = page.url
        page.locator(f"#{checklist_id} label", has_text=re.compile(f"^{re.escape(text)}")).click()
        expect(page).not_to_have_url(before)  # no menu to close, no button to press
        expect(
            page.locator(f"#{checklist_id} label", has_text=re.compile(f"^{re.escape(text)}"))
        ).to_be_visible()


def figure_data(page: Page) -> list[dict]:
    return page.evaluate(FIGURE_DATA, ids.EXPLORER_GRAPH)


def table_rows(page: Page) -> list[list[str]]:
    return page.evaluate(ROWS, TABLE_ROWS)


def clipboard_text(page: Page, expected: str, timeout_ms: int = 5_000) -> str:
    """The clipboard's text, once it equals `expected` (dcc.Clipboard writes it
    asynchronously after the click) or when `timeout_ms` has passed."""
    text = ""
    for _ in range(timeout_ms // 100):
        text = page.evaluate("navigator.clipboard.readText()")
        if text == expected:
            break
        page.wait_for_timeout(100)
    return text


@contextlib.contextmanager
def fresh_page(browser: Browser, live_server: str) -> Iterator[tuple[Page, PageLog]]:
    """A page in a new browser context (no shared state), checked like the `page` fixture."""
    log = PageLog(host=urlsplit(live_server).netloc)
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda message: log.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("request", log.on_request)
    page.on("response", log.on_response)
    page.on("requestfailed", log.on_request_failed)
    try:
        yield page, log
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=5_000)
        problems = log.problems()
    finally:
        context.close()
    assert not problems, "the second context reported problems:\n  " + "\n  ".join(problems)


def test_controls_write_the_url_and_a_copied_link_reopens_the_same_view(
    page: Page, browser: Browser, live_server: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    open_explorer(page, "/indicators?lang=en")
    assert query(page) == {"lang": ["en"]}
    expect(page.locator(TABLE_ROWS)).to_have_count(5)  # the default indicator, every place and year

    choose(page, ids.EXPLORER_INDICATORS, "Stakeholders trained")
    expect(page).to_have_url(re.compile(r"indicators=migrants_return_assistance,stakeholders_trained"))
    expect(page.locator(TABLE_ROWS)).to_have_count(11)  # the page rendered from the new URL
    choose(page, ids.EXPLORER_COUNTRIES, "Nigeria", "Mali")
    expect(page.locator(f"#{ids.EXPLORER_COUNTRIES} input:checked")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"countries=MLI,NGA"))
    expect(page.locator(TABLE_ROWS)).to_have_count(5)  # Mali 149; Nigeria 1,013 / about 1,000; 109 twice

    page.get_by_label("Lines over years").check()
    expect(page).to_have_url(re.compile(r"chart=lines"))
    expect(page.locator(f"{GRAPH} .scatterlayer .trace").first).to_be_attached()

    page.locator(f"#{ids.EXPLORER_TABLE} thead a", has_text="Value").click()
    expect(page).to_have_url(re.compile(r"sort=-value"))
    expect(page.locator(f"#{ids.EXPLORER_TABLE} th[aria-sort=descending]")).to_have_count(1)

    assert query(page) == {
        "indicators": ["migrants_return_assistance,stakeholders_trained"],
        "countries": ["MLI,NGA"],
        "chart": ["lines"],
        "sort": ["-value"],
        "lang": ["en"],
    }
    rows = table_rows(page)
    assert [r[3] for r in rows] == ["1013", "1000", "149", "109", "109"]
    assert "about 1,000" in rows[1][4] and "approximately" in rows[1][4]
    data = figure_data(page)
    assert {trace["type"] for trace in data} == {"scatter"}
    assert any(trace["name"] == "Nigeria (cumulative, at end year)" for trace in data)

    page.locator(f"#{ids.COPY_LINK}").click()
    expect(page.locator(f"#{ids.COPY_LINK}")).to_contain_text("Link copied")
    # Every year shown (none ticked): the copied link pins it with the data cutoff (pages/share.py).
    pinned = page.url.replace("&chart=lines", "&until=2025&chart=lines")
    copied = clipboard_text(page, expected=pinned)
    assert copied == pinned and "until" not in page.url

    with fresh_page(browser, live_server) as (other, _log):
        open_explorer(other, copied)
        assert other.url == copied
        assert figure_data(other) == data
        assert table_rows(other) == rows
        expect(other.get_by_label("Lines over years")).to_be_checked()


def test_map_and_french_from_a_shared_link(page: Page) -> None:
    open_explorer(page, "/indicators?indicators=migrants_return_assistance&chart=map&lang=fr")
    expect(page.locator(f"{GRAPH} path.choroplethlocation")).to_have_count(14)
    expect(page.locator("#main")).to_contain_text("Les chiffres de l\u2019ensemble du programme")
    assert "1\u202f013" in page.locator(f"#{ids.EXPLORER_TABLE}").inner_text()
    page.get_by_label("Barres par pays").check()
    expect(page).to_have_url(re.compile(r"^[^?]+\?indicators=migrants_return_assistance&lang=fr$"))
    expect(page.locator(f"{GRAPH} g.trace.bars g.point path")).to_have_count(4)


def test_bad_values_show_a_notice_and_the_rest_of_the_view(page: Page) -> None:
    open_explorer(page, "/indicators?indicators=nope,migrants_return_assistance&years=1999,2024&lang=en")
    notice = page.locator(".url-notices")
    expect(notice).to_contain_text("nope")
    expect(notice).to_contain_text("1999")
    expect(page.locator(TABLE_ROWS)).to_have_count(3)  # 2024: programme-wide and Nigeria's two sources
