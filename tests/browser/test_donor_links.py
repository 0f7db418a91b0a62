"""Donor links in the browser: staff make a link from the country page, a donor
opens it in a fresh context and sees the same heading and figures, locked (no
control that widens the view, a "Shared view · expires" line), and may switch
language. Staff are named by a test resolver (X-Test-Staff: 1): signing in is
tested with the sign-in pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from model.audience import STAFF
from pages import ids
from tests.browser.helpers import checked_pages, serve_dashboard
from web.audience import add_audience_resolver

pytestmark = pytest.mark.browser
STAFF_HEADER = {"X-Test-Staff": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on its own database, with staff named by a test header."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('links-db') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")

    def staff_by_header(app) -> None:
        add_audience_resolver(app, lambda req: STAFF if req.headers.get("X-Test-Staff") == "1" else None)

    with serve_dashboard(engine, "links-server", staff_by_header) as url:
        yield url


@pytest.fixture
def reader(browser: Browser, server: str) -> Iterator:
    """Factory of fresh contexts (own cookies); each page must stay clean: no
    console error, failed request (a 403 included) or other host."""
    with checked_pages(browser, server) as make:
        yield make


def figures(page: Page) -> tuple[str, list[str]]:
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator("#main .kpi-value").first).to_be_visible()
    return page.locator("#main h1").inner_text(), page.locator("#main .kpi-value").all_text_contents()


def test_staff_make_a_link_a_donor_opens_it_locked(reader):
    staff = reader(extra_http_headers=STAFF_HEADER)
    staff.goto("/countries/LBY?year=2022")
    heading, kpis = figures(staff)
    staff.locator(".share-donor > summary").click()
    form = staff.locator("#share-donor-form")
    expect(form).to_be_visible()
    assert staff.locator("#share-donor-form-expires").input_value() == "30d"  # the default
    form.locator("#share-donor-form-note").fill("EU delegation")
    form.locator("button[type=submit]").click()
    expect(staff.locator("#share-made-url")).to_be_visible()
    link = staff.locator("#share-made-url").input_value()
    assert re.search(r"/s/[\w.-]+$", link)

    donor = reader()  # a fresh context: no staff header, no cookie
    donor.goto(link)
    expect(donor).to_have_url(re.compile(r"/countries/LBY\?year=2022&lang=en$"))
    assert figures(donor) == (heading, kpis)
    expect(donor.locator(".shared-view-note")).to_contain_text("Shared view \u00b7 expires")
    for control in (ids.YEAR_SELECT, ids.COUNTRY_SELECT, ids.COPY_LINK):
        expect(donor.locator(f"#{control}")).to_have_count(0)
    expect(donor.locator(".page-links")).to_have_count(0)
    expect(donor.locator(".share-donor")).to_have_count(0)
    expect(donor.locator(".year-links")).to_be_hidden()
    # The language may change; the view stays.
    donor.locator(".lang-switch a", has_text="FR").click()
    expect(donor).to_have_url(re.compile(r"/countries/LBY\?year=2022&lang=fr$"))
    expect(donor.locator(".shared-view-note")).to_contain_text("Vue partag\u00e9e \u00b7 expire le")
    expect(donor.locator("#main h1")).to_contain_text("Libye")
    assert donor.locator("#main .kpi-value").count() == len(kpis)
    # The view's own files download.
    with donor.expect_download() as download:
        donor.locator("#country-exports a", has_text="CSV").click()
    assert "LBY" in download.value.suggested_filename or download.value.suggested_filename.endswith(".csv")
