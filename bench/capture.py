"""The measured request, exactly as the browser sends it.

Headless Debian Chromium (through Playwright, nothing downloaded) opens the
country page; the Dash pages router posts the callback that renders the page
content to /_dash-update-component, and that JSON body is what wrk replays.
(The renderer also appends a signed `endId` query parameter; Dash reads it
only for background callbacks, so it is left out of the replay.)
"""

from __future__ import annotations

import copy
import json
import os
from urllib.parse import urlsplit

from bench.chromium import CHROMIUM as DEBIAN_CHROMIUM
from bench.chromium import CHROMIUM_ARGS

CHROMIUM = os.environ.get("BROWSER_PATH", str(DEBIAN_CHROMIUM))
CALLBACK_PATH = "/_dash-update-component"
CONTENT_OUTPUT = "_pages_content.children"


def capture_page_callback(base_url: str, path: str, timeout_ms: int = 60_000) -> dict:
    """The JSON body of the page-content callback posted when `path` loads."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # test tool: imported only here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            # Wait for the request itself, not for network idle: the router posts
            # after the scripts run, which a busy machine can delay past an idle gap.
            try:
                with page.expect_request(_is_router_post, timeout=timeout_ms) as posted:
                    page.goto(base_url + path, wait_until="commit", timeout=timeout_ms)
            except PlaywrightTimeout as exc:
                raise RuntimeError(f"the browser posted no page-content callback for {path}") from exc
            body = posted.value.post_data or ""
        finally:
            browser.close()
    return json.loads(body)


def _is_router_post(request) -> bool:
    """The pages router's POST (the one whose outputs include the page content)."""
    return (
        request.method == "POST"
        and urlsplit(request.url).path == CALLBACK_PATH
        and CONTENT_OUTPUT in (request.post_data or "")
    )


def with_view(body: dict, pathname: str, search: str) -> dict:
    """A copy of a captured router body asking for another page and query string."""
    changed = copy.deepcopy(body)
    found = set()
    for item in changed.get("inputs", []):
        if item.get("id") == "_pages_location" and item.get("property") in ("pathname", "search"):
            item["value"] = pathname if item["property"] == "pathname" else search
            found.add(item["property"])
    if found != {"pathname", "search"}:
        raise ValueError("not a Dash pages router body: no _pages_location pathname and search inputs")
    return changed


def country_view(body: dict, iso3: str, year: int) -> dict:
    """The router body for /countries/<iso3>?year=<year>."""
    return with_view(body, f"/countries/{iso3}", f"?year={year}")
