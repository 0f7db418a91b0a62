"""Interaction latency: from changing the year select to the new figures painted.

Headless Debian Chromium (Playwright), its CPU slowed 4x through CDP
(`Emulation.setCPUThrottlingRate`, a mid-range phone), on a country page with
several years. Each sample changes the year select (alternating between two
years), waits until the view the address asks for is rendered (the Copy link
button carries the query its view was rendered for, and the lead names the
year) and then for the next animation frame, so the figures have been laid out
and are about to be painted. The first change to each of the two years warms
the server's caches: those WARMUP changes are timed and reported apart
(`warmup_ms`), not counted in the p95, which is what a reader who flips
between years waits for. `make bench` measures against the PostgreSQL + Redis
dashboard, whose cache every worker shares (the production profile), so the
views are warm for every worker after the warm-up; against a dashboard whose
workers each keep their own cache, a sample can still meet a cold worker.

    python -m bench.interaction http://127.0.0.1:8050 [--samples 20] [--path /countries/LBY]

prints the samples and the p50/p95, then the same as one JSON line.
`make bench` runs it against the SQLite dashboard (BENCH_INTERACTION_SAMPLES).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from bench.stats import percentile

PATH = "/countries/LBY"  # a country page with figures in several years
CPU_SLOWDOWN = 4
DEFAULT_SAMPLES = 20
WARMUP = 2  # one change to each of the two years: the server computes each view once
TARGET_MS = 300
YEAR_SELECT = "nav-year-select"
TIMEOUT_MS = 30_000

# In the page: change the year select, resolve with the milliseconds until the
# new view is rendered and a frame has passed.
_ONE_CHANGE = """([year, timeoutMs]) => new Promise((resolve, reject) => {
    const select = document.getElementById("nav-year-select");
    const rendered = () => {
        const button = document.getElementById("nav-copy-link");
        const lead = document.querySelector("#main .lead");
        const asked = button ? JSON.parse(button.dataset.asked || "{}") : {};
        return asked.year === year && lead && lead.textContent.includes(year);
    };
    const started = performance.now();
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no new view")); }, timeoutMs);
    const observer = new MutationObserver(() => {
        if (rendered()) {
            observer.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => resolve(performance.now() - started));
        }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    select.value = year;
    select.dispatchEvent(new Event("change", {bubbles: true}));
})"""


@dataclass
class InteractionResult:
    """Milliseconds from a year change to the new figures painted, per sample."""

    page: str
    samples_ms: list[float] = field(default_factory=list)
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    cpu_slowdown: int = CPU_SLOWDOWN
    notes: list[str] = field(default_factory=list)
    warmup_ms: list[float] = field(default_factory=list)  # the first change to each year, not counted


def summarise(page: str, samples_ms: Sequence[float], warmup_ms: Sequence[float] = ()) -> InteractionResult:
    """p50/p95/max of the samples (bench/stats.percentile), rounded to 0.1 ms;
    the warm-up changes kept apart."""
    result = InteractionResult(
        page=page, samples_ms=[round(s, 1) for s in samples_ms], warmup_ms=[round(s, 1) for s in warmup_ms]
    )
    if samples_ms:
        result.p50_ms = round(percentile(samples_ms, 50), 1)
        result.p95_ms = round(percentile(samples_ms, 95), 1)
        result.max_ms = round(max(samples_ms), 1)
    return result


def alternating_years(options: Sequence[str], shown: str, samples: int) -> list[str]:
    """The year each sample chooses: two years with data (the one shown and the
    next one offered), alternately, never the one already on screen."""
    years = [y for y in options if y]
    if shown not in years or len(years) < 2:
        raise ValueError(f"the page offers no second year to change to (years: {years}, shown: {shown!r})")
    other = years[(years.index(shown) + 1) % len(years)]
    return [other if n % 2 == 0 else shown for n in range(samples)]


def samples_from_env(default: int = DEFAULT_SAMPLES) -> int:
    """BENCH_INTERACTION_SAMPLES, at least 1."""
    raw = os.environ.get("BENCH_INTERACTION_SAMPLES", "").strip()
    if not raw:
        return default
    try:
        return max(1, int(raw))
    except ValueError as exc:
        raise SystemExit(f"BENCH_INTERACTION_SAMPLES must be a whole number, not {raw!r}") from exc


def measure(base_url: str, samples: int = DEFAULT_SAMPLES, path: str = PATH) -> InteractionResult:
    """Open `path` in headless Chromium at 4x CPU slowdown and time `samples` year changes."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a benchmark-only dependency

    if not CHROMIUM.exists():
        result = InteractionResult(page=path)
        result.notes.append(f"interaction not measured: {CHROMIUM} is not installed")
        return result
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base_url + path)
            page.wait_for_selector("#main .lead")
            page.wait_for_load_state("networkidle")
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            select = page.locator(f"#{YEAR_SELECT}")
            options = select.locator("option").evaluate_all("els => els.map(e => e.value)")
            timings = [
                page.evaluate(_ONE_CHANGE, [year, TIMEOUT_MS])
                for year in alternating_years(options, select.input_value(), WARMUP + samples)
            ]
        finally:
            browser.close()
    return summarise(path, timings[WARMUP:], timings[:WARMUP])


def busy_note(load_average: float, cores: int) -> str | None:
    """A note when the machine had more runnable work than cores: the figure is then
    higher than the same page would take on a quiet machine."""
    if load_average <= cores:
        return None
    return (
        f"the machine was busy while the interaction was measured (load average {load_average:.1f} "
        f"on {cores} cores): its figures are higher than on a quiet machine"
    )


def measure_or_note(base_url: str, samples: int = DEFAULT_SAMPLES) -> InteractionResult:
    """`measure`, for `make bench`: a browser failing must not lose the other
    figures, so a failure becomes a note; a busy machine gets one too."""
    try:
        result = measure(base_url, samples)
    except Exception as exc:  # noqa: BLE001 - reported in the summary, never raised
        result = InteractionResult(page=PATH, notes=[f"interaction not measured: {exc}"])
    note = busy_note(os.getloadavg()[0], os.cpu_count() or 1)
    if note:
        result.notes.append(note)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the running dashboard, e.g. http://127.0.0.1:8050")
    parser.add_argument("--samples", type=int, default=samples_from_env())
    parser.add_argument("--path", default=PATH)
    args = parser.parse_args(argv)
    result = measure(args.base_url.rstrip("/"), max(1, args.samples), args.path)
    print(f"{result.page}: {len(result.samples_ms)} year changes at {result.cpu_slowdown}x CPU slowdown")
    print("warm-up changes, not counted (ms): " + ", ".join(f"{s:.0f}" for s in result.warmup_ms))
    print("samples (ms): " + ", ".join(f"{s:.0f}" for s in result.samples_ms))
    print(
        f"p50 {result.p50_ms} ms, p95 {result.p95_ms} ms (target <= {TARGET_MS} ms), max {result.max_ms} ms"
    )
    note = busy_note(os.getloadavg()[0], os.cpu_count() or 1)
    for found in result.notes + ([note] if note else []):
        print(f"note: {found}")
    print(json.dumps({"interaction_p95_ms": result.p95_ms, **asdict(result)}))


if __name__ == "__main__":
    main()
