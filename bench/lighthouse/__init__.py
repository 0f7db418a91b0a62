"""Lighthouse's four category scores against Debian's Chromium, for the benchmark.

`scores(url, preset)` runs the npm `lighthouse` package installed in this folder
(`npm ci` here; bench/lighthouse/run.sh does it) with CHROME_PATH=/usr/bin/chromium
and returns {url, preset, performance, accessibility, best-practices, seo,
metrics, failing}. `preset` is "desktop" (Lighthouse's desktop preset) or
"mobile" (its default: a mid-range phone on slow 4G with 4x CPU slowdown,
simulated). The command (bench/lighthouse/cli.py) measures a running server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bench.lighthouse.scoring import CATEGORIES, PRESETS

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# Headless, no sandbox (containers), no GPU, none of Chromium's background traffic.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
TIMEOUT_S = 180


class LighthouseError(RuntimeError):
    """Lighthouse could not run or produced no score."""


def ensure_installed() -> None:
    """`npm ci` in this folder when node_modules is missing (versions from the lock file)."""
    if LIGHTHOUSE.exists():
        return
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
        cwd=HERE,
        check=True,
        timeout=600,
    )


def _command(url: str, preset: str, report: Path) -> list[str]:
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {PRESETS}, not {preset!r}")
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    return cmd


def _score(category: dict | None) -> int | None:
    score = (category or {}).get("score")
    return None if score is None else round(score * 100)


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits of `category` that count towards its score and did not pass
    (what keeps it under 100), by id."""
    audits = report.get("audits", {})
    refs = (report.get("categories", {}).get(category) or {}).get("auditRefs", [])
    return [
        ref["id"]
        for ref in refs
        if ref.get("weight", 0) > 0 and (audits.get(ref["id"]) or {}).get("score") not in (None, 1)
    ]


def summarise(url: str, preset: str, report: dict) -> dict:
    """The four scores (0-100), the core metrics (ms, CLS unitless) and the failing
    audits per category, from a Lighthouse JSON report."""
    if report.get("runtimeError"):
        raise LighthouseError(f"{url} ({preset}): {report['runtimeError'].get('message')}")
    categories = report["categories"]
    audits = report["audits"]
    metrics = {name: audits[name].get("numericValue") for name in METRICS if name in audits}
    found = {"url": url, "preset": preset}
    found.update({c: _score(categories.get(c)) for c in CATEGORIES})
    found["metrics"] = {
        k: (round(v, 3) if k == "cumulative-layout-shift" else round(v))
        for k, v in metrics.items()
        if v is not None
    }
    found["failing"] = {c: failing_audits(report, c) for c in CATEGORIES if failing_audits(report, c)}
    return found


def scores(url: str, preset: str = "desktop", report_dir: Path | None = None) -> dict:
    """Run Lighthouse once on `url` with `preset`; return `summarise`'s dict.

    With `report_dir`, the full JSON report is kept there (for the diagnostics:
    long tasks, LCP element, unused bytes), named after the page and preset."""
    ensure_installed()
    with tempfile.TemporaryDirectory(prefix="compass-lh-") as tmp:
        report_path = Path(tmp) / "report.json"
        if report_dir is not None:
            report_dir.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9]+", "-", urlsplit(url).path).strip("-") or "root"
            report_path = report_dir / f"{name}-{preset}.json"
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
        done = subprocess.run(
            _command(url, preset, report_path),
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        if not report_path.exists():
            raise LighthouseError(f"lighthouse exited {done.returncode}: {done.stderr.strip()[-500:]}")
        return summarise(url, preset, json.loads(report_path.read_text()))
