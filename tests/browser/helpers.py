"""Helpers that more than one browser test module uses (the browser fixtures are
in conftest.py; charts drawn on demand in charts.py): the live server, what a
page reports, and ways to open and read a page."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import Engine
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.helpers import make_app
from web.first_request import set_up_before_serving

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000  # per action / wait; Dash renders a page in well under 3 s here
CLIPBOARD = ["clipboard-read", "clipboard-write"]  # context permissions for "Copy link"


# --- the live server -----------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """Logs only requests answered with an error status, to keep failure output readable."""

    def log_request(self, code="-", size="-") -> None:
        if str(code).isdigit() and int(code) >= 400:
            super().log_request(code, size)


@contextlib.contextmanager
def serve_dashboard(
    engine: Engine, name: str = "live-server", configure: Callable[[Flask], None] | None = None
) -> Iterator[str]:
    """Serve the dashboard on `engine` in a daemon thread; yields its base URL.
    `configure(server)` runs before it serves (a test's audience resolver)."""
    app = make_app(engine).server
    if configure is not None:
        configure(app)
    set_up_before_serving(app)  # as gunicorn's post_fork and `python app.py` do
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        engine.dispose()


# --- what a page reports ----------------------------------------------------------------


@dataclass
class PageLog:
    """What one page reported while a test drove it."""

    host: str  # netloc of the live server, e.g. 127.0.0.1:41234
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text), every type
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    responses: list[tuple[str, int]] = field(default_factory=list)  # (url, status), every response
    downloads: list[str] = field(default_factory=list)  # urls that became file downloads
    console_sources: list[str] = field(default_factory=list)  # the URL each console message names
    # (path, status) of documents a test expects to answer an error status (an
    # unknown page: 404). Chromium logs "Failed to load resource: ... status of 404"
    # for such a document; that line and that response are then not problems.
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)

    def expect_status(self, path: str, status: int) -> None:
        """The document at `path` (on the live server) is meant to answer `status`."""
        self.expected_statuses.add((path, status))

    def on_console(self, message) -> None:
        self.console.append((message.type, message.text))
        self.console_sources.append((message.location or {}).get("url", ""))

    def _expected(self, url: str, status: int) -> bool:
        parts = urlsplit(url)
        return parts.netloc == self.host and (parts.path, status) in self.expected_statuses

    def on_request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:")):
            return
        if urlsplit(url).netloc != self.host:
            self.foreign_requests.append(f"{request.method} {url}")

    def on_response(self, response) -> None:
        self.responses.append((response.url, response.status))
        # An error status is a failed request too: Playwright's `requestfailed` only
        # covers network-level failures, and a 500 from a Dash callback is the app failing.
        if response.status >= 400:
            self.failed_requests.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def on_request_failed(self, request) -> None:
        self.failed_requests.append(f"{request.failure} {request.method} {request.url}")

    def problems(self) -> list[str]:
        """Every recorded problem, one line each (console errors and warnings count)."""
        sources = self.console_sources + [""] * (len(self.console) - len(self.console_sources))
        lines = [
            f"console {kind}: {text}"
            for (kind, text), source in zip(self.console, sources, strict=True)
            if kind in ("error", "warning") and not self._expected_console(text, source)
        ]
        lines += [f"page error: {e}" for e in self.page_errors]
        # Chromium ends the navigation that turns into a file download with
        # ERR_ABORTED; that request was answered (the status is checked above).
        downloaded = {f"net::ERR_ABORTED GET {url}" for url in self.downloads}
        expected = {
            f"HTTP {status} GET {url}" for url, status in self.responses if self._expected(url, status)
        }
        lines += [f"failed request: {r}" for r in self.failed_requests if r not in downloaded | expected]
        lines += [f"request to another host: {r}" for r in self.foreign_requests]
        return lines

    def _expected_console(self, text: str, source: str) -> bool:
        """Chromium's line about a document that answered the status a test expects."""
        return any(
            text.startswith(f"Failed to load resource: the server responded with a status of {status} ")
            and self._expected(source, status)
            for _, status in self.expected_statuses
        )

    def responses_to(self, path: str) -> list[tuple[str, int]]:
        """Responses for `path` on the live server (any query string)."""
        return [
            (url, status)
            for url, status in self.responses
            if urlsplit(url).netloc == self.host and urlsplit(url).path == path
        ]


# --- opening and reading a page ----------------------------------------------------------


def attach_log(page: Page, log: PageLog) -> None:
    """Record in `log` everything `page` reports."""
    page.on("console", log.on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("request", log.on_request)
    page.on("response", log.on_response)
    page.on("requestfailed", log.on_request_failed)
    page.on("download", lambda item: log.downloads.append(item.url))


@contextlib.contextmanager
def checked_pages(browser: Browser, base_url: str) -> Iterator[Callable[..., Page]]:
    """A factory of readers: each call opens a fresh context (its own cookies,
    storage and permissions) and page on `base_url`; once the test has passed,
    every page must have stayed clean (PageLog.problems)."""
    opened: list[tuple] = []

    def make(**context_options) -> Page:
        log = PageLog(host=urlsplit(base_url).netloc)
        context = browser.new_context(viewport=VIEWPORT, base_url=base_url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        new_page = context.new_page()
        attach_log(new_page, log)
        opened.append((context, new_page, log))
        return new_page

    problems: list[str] = []
    try:
        yield make
        for _context, opened_page, log in opened:
            with contextlib.suppress(PlaywrightError):
                opened_page.wait_for_load_state("networkidle", timeout=5_000)
            problems += [f"{opened_page.url}: {p}" for p in log.problems()]
    finally:
        for context, _page, _log in opened:
            context.close()
    assert not problems, "pages reported problems:\n  " + "\n  ".join(problems)


def open_view(page: Page, path: str) -> None:
    """Load `path` and wait until Dash has rendered the page into <main>."""
    page.goto(path)
    expect(page.locator("#main h1")).to_be_visible()


def lang_link(page: Page, lang: str):
    """The EN/FR switch link for `lang` (its label is a span carrying lang=...)."""
    return page.locator(f'.lang-switch a:has(> span[lang="{lang}"])')


def url_re(path: str, **query: str) -> re.Pattern:
    """A URL on the live server with exactly `path` and these query parameters, in any order."""
    parts = [f"(?=(?:[^#]*&)?{re.escape(k)}={re.escape(v)}(?:&|#|$))" for k, v in query.items()]
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"\?" + "".join(parts) + r"[^#]*$")


def query(page: Page) -> dict[str, list[str]]:
    """The query of the page's URL (every key's values as a list)."""
    return parse_qs(urlsplit(page.url).query)
