"""First load of a page in headless Debian Chromium: bytes on the wire and requests.

`measure(url)` opens `url` in a fresh (empty-cache) browser context, waits until
the page has settled (content rendered, the charts on the screen drawn, network
idle), and counts what
Chromium's network layer reports: `encodedDataLength` of every response (the
compressed body plus headers, what DevTools calls "transferred") and every request
to a host other than the page's own. The benchmark (`make bench`) calls it; so can
a person: `.venv/bin/python -m bench.first_load http://127.0.0.1:8050/`.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.chromium import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1350, "height": 940}
SETTLE_MS = 800  # quiet time after network idle, for lazy chunks fetched late
TIMEOUT_MS = 30_000


@dataclass
class _Request:
    url: str
    resource_type: str = "Other"
    encoded_bytes: int = 0
    status: int = 0
    failed: bool = False


@dataclass
class _Recorder:
    """Collects Chromium's Network.* events for one page load."""

    requests: dict[str, _Request] = field(default_factory=dict)

    def sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:")):
            return
        self.requests[event["requestId"]] = _Request(url, event.get("type", "Other"))

    def received(self, event: dict) -> None:
        req = self.requests.get(event["requestId"])
        if req is not None:
            req.status = event["response"]["status"]
            req.resource_type = event.get("type", req.resource_type)

    def finished(self, event: dict) -> None:
        req = self.requests.get(event["requestId"])
        if req is not None:
            req.encoded_bytes = int(event.get("encodedDataLength", 0))

    def failed(self, event: dict) -> None:
        req = self.requests.get(event["requestId"])
        if req is not None:
            req.failed = True


def _summary(url: str, recorder: _Recorder, elapsed_ms: float) -> dict:
    """The figures the benchmark and README report, plus enough detail to act on."""
    host = urlsplit(url).netloc
    reqs = list(recorder.requests.values())
    external = [r.url for r in reqs if urlsplit(r.url).netloc != host]
    by_type: dict[str, int] = defaultdict(int)
    for r in reqs:
        by_type[r.resource_type] += r.encoded_bytes
    largest = sorted(reqs, key=lambda r: r.encoded_bytes, reverse=True)[:8]
    return {
        "url": url,
        "first_load_bytes": sum(r.encoded_bytes for r in reqs),
        "requests": len(reqs),
        "external_requests": len(external),
        "external_urls": external,
        "failed_requests": [r.url for r in reqs if r.failed or r.status >= 400],
        "bytes_by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
        "largest": [{"url": r.url, "bytes": r.encoded_bytes} for r in largest],
        "settled_ms": round(elapsed_ms),
    }


# The page's content is in, and every chart within reach of the screen is drawn
# (charts further down are drawn only when scrolled to: assets/plotly_lazy.js).
_SETTLED = """() => {
    if (!document.querySelector('#_pages_content > *')) return false;
    return [...document.querySelectorAll('.dash-graph')]
        .filter(g => g.getBoundingClientRect().top < window.innerHeight)
        .every(g => g.querySelector('.main-svg'));
}"""


def _wait_until_settled(page) -> bool:
    """Wait for the page content and the visible charts; False if they never came."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_SETTLED, timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        return False
    return True


def measure(url: str, chromium: Path = CHROMIUM) -> dict:
    """Load `url` once with an empty cache; return bytes transferred and requests.

    Keys: url, first_load_bytes, requests, external_requests, external_urls,
    failed_requests, bytes_by_type, largest, settled_ms, and settled (False when
    the page content or a chart on the screen never appeared: the figures then
    cover what did load in TIMEOUT_MS).
    """
    from playwright.sync_api import sync_playwright  # dev dependency: import on use

    recorder = _Recorder()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.on("Network.requestWillBeSent", recorder.sent)
            cdp.on("Network.responseReceived", recorder.received)
            cdp.on("Network.loadingFinished", recorder.finished)
            cdp.on("Network.loadingFailed", recorder.failed)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            started = time.perf_counter()
            page.goto(url, wait_until="networkidle", timeout=TIMEOUT_MS)
            settled = _wait_until_settled(page)
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            elapsed = (time.perf_counter() - started) * 1000
            page.wait_for_timeout(SETTLE_MS)
            context.close()
        finally:
            browser.close()
    return {**_summary(url, recorder, elapsed), "settled": settled}


def format_report(result: dict) -> str:
    """A few human-readable lines for one measurement."""
    lines = [
        f"{result['url']}: {result['first_load_bytes']:,} bytes in {result['requests']} requests, "
        f"{result['external_requests']} to other hosts, "
        + (f"settled in {result['settled_ms']} ms" if result.get("settled", True) else "DID NOT SETTLE"),
    ]
    lines += [f"  {kind:<12} {size:>10,}" for kind, size in result["bytes_by_type"].items()]
    lines += [f"  {item['bytes']:>10,}  {urlsplit(item['url']).path}" for item in result["largest"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """`python -m bench.first_load URL [URL...]`: a report per URL, then one JSON line each."""
    if not argv:
        print("usage: python -m bench.first_load URL [URL ...]", file=sys.stderr)
        return 2
    for url in argv:
        result = measure(url)
        print(format_report(result))
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
