"""`bench/lighthouse/run.sh BASE_URL [PAGE ...]`: Lighthouse on a running server.

Runs each page (default: the five of issue 14) under both presets
LIGHTHOUSE_RUNS times (default 3), each run once the machine is quiet
(bench/quiet.py, at most LIGHTHOUSE_QUIET_S seconds of waiting), then prints the
median table with the targets, the audits that failed, the load average, and
one JSON line with every run. Exits 1 when a target is not met.
LIGHTHOUSE_REPORT_DIR=dir keeps each page's last full JSON report.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from bench.lighthouse import scores
from bench.lighthouse.scoring import PAGES, collect, load_text, median_table, rounds, text_table, verdicts
from bench.quiet import wait_for_quiet


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


def failures_text(runs: Iterable[Mapping]) -> str:
    """Each failing audit with the pages and presets where it failed in some run."""
    where: dict[tuple[str, str], set[str]] = {}
    for run in runs:
        for category, audits in (run.get("failing") or {}).items():
            if category == "performance":  # its metrics are in the table; the score says it
                continue
            for audit in audits:
                where.setdefault((category, audit), set()).add(f"{run['page']} {run['preset']}")
    if not where:
        return "No accessibility, best-practices or SEO audit failed."
    lines = ["Failing audits:"]
    lines += [f"- {c}: {a} ({', '.join(sorted(w))})" for (c, a), w in sorted(where.items())]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("usage: bench/lighthouse/run.sh BASE_URL [PAGE ...]", file=sys.stderr)
        return 2
    base_url, pages = argv[0].rstrip("/"), tuple(argv[1:]) or PAGES
    runs = max(1, _env_int("LIGHTHOUSE_RUNS", 3))
    quiet_s = _env_int("LIGHTHOUSE_QUIET_S", 60)
    report_dir = (
        Path(os.environ["LIGHTHOUSE_REPORT_DIR"]) if os.environ.get("LIGHTHOUSE_REPORT_DIR") else None
    )

    def once(url: str, preset: str) -> dict:
        found = scores(url, preset, report_dir)
        print(
            f"  {preset:<8} {url}  {json.dumps({k: found[k] for k in ('performance', 'metrics')})}",
            flush=True,
        )
        return found

    found = rounds(base_url, pages, runs, once, lambda: wait_for_quiet(timeout_s=quiet_s))
    table = median_table(collect(found))
    print(f"\nLighthouse, median of {runs} run(s), {base_url}; {load_text(found)}\n")
    print(text_table(table))
    print()
    print(failures_text(found))
    print(json.dumps(found))
    return 0 if all(v.met for v in verdicts(table)) else 1
