"""Screenshot dashboard pages in headless Debian Chromium and report console
messages and requests to other hosts. For looking at what we built:

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8050 / /countries/LBY?lang=fr --width 375
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repo
from bench.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--out", default="artifacts/screenshots")
    parser.add_argument("--full", action="store_true", help="capture the full page height")
    parser.add_argument("--selector", help="capture only this element (CSS selector)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base_host = urlsplit(args.base).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in args.paths:
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            console, foreign = [], []
            page.on("console", lambda m, c=console: c.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e, c=console: c.append(f"pageerror: {e}"))
            page.on(
                "request",
                lambda r, f=foreign: (
                    f.append(r.url)
                    if urlsplit(r.url).netloc not in (base_host, "") and not r.url.startswith("data:")
                    else None
                ),
            )
            page.goto(args.base + path, wait_until="networkidle")
            page.wait_for_timeout(800)
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
            file = out / f"{name}_{args.width}.png"
            if args.selector:
                page.locator(args.selector).first.screenshot(path=str(file))
            else:
                page.screenshot(path=str(file), full_page=args.full)
            print(f"{file}: console={console or 'clean'} foreign={foreign or 'none'}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
