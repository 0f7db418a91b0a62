"""Debian's Chromium, headless, as the benchmark, the browser tests and
scripts/screenshots.py launch it through Playwright (nothing downloads a browser).

No sandbox (containers), no GPU, and none of Chromium's own background traffic,
which would show up as requests to other hosts.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
