"""The synthetic-data banner in a real browser: every page, both languages, 375 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from data_access.synthetic import generate_synthetic
from tests.browser.helpers import PageLog, lang_link, open_view, serve_dashboard

ENGLISH = "these figures are not real COMPASS results"
FRENCH = "ces chiffres ne sont pas de vrais résultats de COMPASS"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[str]:
    """This module's own server: the reference data plus a few synthetic rows."""
    db_path = tmp_path_factory.mktemp("synthetic-db") / "compass.db"
    engine = make_engine(f"sqlite:///{db_path}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")
    generate_synthetic(engine, 6_000, seed=1, loaded_by="browser-tests")
    with serve_dashboard(engine, name="synthetic-server") as url:
        yield url


def test_banner_on_every_page_in_the_page_language_at_375_px(page: Page, page_log: PageLog) -> None:
    page_log.expect_status("/no-such-page", 404)  # an unknown page answers 404 (web/not_found.py)
    page.set_viewport_size({"width": 375, "height": 800})
    open_view(page, "/countries/lby?lang=fr")
    banner = page.locator("#synthetic-banner")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner.locator("[lang=fr]")).to_be_visible()
    expect(banner.locator("[lang=fr]")).to_contain_text(FRENCH)
    expect(banner.locator("[lang=en]")).to_be_hidden()
    box = banner.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    lang_link(page, "en").click()
    expect(banner.locator("[lang=en]")).to_be_visible()
    expect(banner.locator("[lang=en]")).to_contain_text(ENGLISH)
    expect(banner.locator("[lang=fr]")).to_be_hidden()
    page.wait_for_load_state("networkidle")  # no callback of this page cut short by leaving it
    open_view(page, "/no-such-page")
    expect(page.locator("#synthetic-banner [lang=en]")).to_be_visible()


def test_banner_in_arabic_alone_and_right_to_left(page: Page) -> None:
    """Arabic shows its own text only (assets/compass.css), and a switch back shows English alone."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/countries/lby?lang=ar")
    expect(page.locator("#main h1")).to_be_visible(timeout=30_000)  # a cold page of a busy machine
    banner = page.locator("#synthetic-banner")
    expect(banner.locator("[lang=ar]")).to_be_visible()
    expect(banner.locator("[lang=en]")).to_be_hidden()
    expect(banner.locator("[lang=fr]")).to_be_hidden()
    assert banner.evaluate("b => getComputedStyle(b).direction") == "rtl"
    lang_link(page, "en").click()
    expect(banner.locator("[lang=en]")).to_be_visible()
    expect(banner.locator("[lang=ar]")).to_be_hidden()
