"""Warm the chart renderer when a process starts, so the first export is not the slow one.

The first image of a process starts chromium and loads plotly.js into it
(seconds); every later one takes a fraction of a second. `start_warmup` does
that first render in a background thread: the server answers pages at once,
and an export that arrives while the browser is still starting waits for it
(the renderer's lock) instead of starting a second one. Without chromium, or
with EXPORT_WARMUP=0, nothing happens; a failure is logged, never raised (the
first export then starts the browser itself, as before).

Called by `python app.py` and by each gunicorn worker after it forks (a browser
started in the preloading master would not survive the fork); never by the app
factory, so tests that build apps never start a browser.
"""

from __future__ import annotations

import logging
import threading
import time

from components import export_render
from config import Settings

log = logging.getLogger(__name__)


def _warm() -> None:
    started = time.perf_counter()
    try:
        export_render.warm()
    except Exception:  # noqa: BLE001 - the first export will try again, and say why
        log.warning("could not warm the chart renderer", exc_info=True)
        return
    log.info("chart renderer warm in %.1f s", time.perf_counter() - started)


def start_warmup(settings: Settings) -> threading.Thread | None:
    """Start warming the renderer in a daemon thread; None when it is not wanted or cannot run."""
    if not settings.export_warmup:
        return None
    if export_render.browser_path() is None:
        log.info("chart renderer not warmed: no chromium (set BROWSER_PATH or install Debian's chromium)")
        return None
    thread = threading.Thread(target=_warm, name="export-warmup", daemon=True)
    thread.start()
    return thread
