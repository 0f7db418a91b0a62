"""Browser tests: the real app on a live server, driven by headless Debian Chromium.

- `live_server` (session): the app from the factory on its own fresh SQLite
  database, served by werkzeug on 127.0.0.1 and a free port; yields the base URL.
- `browser` (session): Debian's /usr/bin/chromium through Playwright (never a
  downloaded browser). Missing locally: the tests skip; missing in CI: they fail.
- `page` (function): a fresh context and page. Everything the browser reports is
  recorded in `page_log`, and after the test the page must have been clean: no
  console error or warning, no uncaught exception, no failed request, no request
  to any host but the live server.

Test modules import what they share from helpers.py and charts.py, not from here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from tests.browser.helpers import TIMEOUT_MS, VIEWPORT, PageLog, attach_log, checked_pages, serve_dashboard

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items) -> None:
    """Every test in tests/browser carries the `browser` mark (`-m "not browser"` skips them)."""
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on a fresh SQLite database with the reference data; yields its base URL."""
    db_path = tmp_path_factory.mktemp("browser-db") / "compass.db"
    engine = make_engine(f"sqlite:///{db_path}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")
    with serve_dashboard(engine) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium, shared by the whole session."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page_log(live_server: str) -> PageLog:
    return PageLog(host=urlsplit(live_server).netloc)


@pytest.fixture
def new_checked_page(browser: Browser, live_server: str) -> Iterator:
    """Factory for more readers: each call opens a fresh context (its own cookies,
    storage and clipboard permissions) and page, checked at the end like `page`."""
    with checked_pages(browser, live_server) as make:
        yield make


@pytest.fixture
def page(browser: Browser, live_server: str, page_log: PageLog) -> Iterator[Page]:
    """A new context and page; after the test, asserts the page reported no problem."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    attach_log(page, page_log)
    try:
        yield page
        # Let callbacks still in flight finish, so their errors are seen here
        # rather than lost (or misreported as aborted) when the context closes.
        with contextlib.suppress(PlaywrightError):  # a page still busy gets its log checked anyway
            page.wait_for_load_state("networkidle", timeout=5_000)
        problems = page_log.problems()
    finally:
        context.close()
    assert not problems, (
        f"the page at {page.url} reported {len(problems)} problem(s) "
        "(console errors/warnings, page errors, failed requests, requests to other hosts):\n  "
        + "\n  ".join(problems)
    )
