"""What a run measured, and what it prints and writes from it.

The JSON line (last on stdout) holds the figures at the largest size, the
keys the issue names first; bench/results/latest.json holds the same plus
every measurement; the README's performance section is rewritten from both.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench import frontend, interaction, report
from bench.config import BenchConfig
from bench.lighthouse.scoring import text_table as lighthouse_text_table
from bench.readme import update_readme
from bench.report import Measurement

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"
README = ROOT / "README.md"
COUNTRY = "LBY"  # the measured view: /countries/LBY?year=<its latest year>


@dataclass
class SizeResult:
    """Everything measured at one data size."""

    size: int
    rows: dict[str, int] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    pss_mb: dict[str, float] = field(default_factory=dict)
    stampede_db_queries: int | None = None
    stampede_failed: int | None = None
    response_bytes: int | None = None
    year: int | None = None
    build_s: float = 0.0
    measure_s: float = 0.0


@dataclass
class Run:
    config: BenchConfig
    workdir: Path
    body: dict | None = None
    synthetic: bool = False
    sizes: list[SizeResult] = field(default_factory=list)
    frontend: frontend.FrontendResult | None = None
    interaction: interaction.InteractionResult | None = None
    notes: list[str] = field(default_factory=list)
    load_before: float = 0.0

    @property
    def logs(self) -> Path:
        path = self.workdir / "logs"
        path.mkdir(exist_ok=True)
        return path


def _find(result: SizeResult, server: str, mode: str) -> Measurement | None:
    return next((m for m in result.measurements if m.server == server and m.mode == mode), None)


def _ratio(part: Measurement | None, whole: Measurement | None) -> float | None:
    if not part or not whole or not whole.req_per_s or part.req_per_s is None:
        return None
    return round(part.req_per_s / whole.req_per_s, 3)


def summary(run: Run, started: datetime, seconds: float) -> dict:
    """The JSON line: the figures at the largest size, then context."""
    last = run.sizes[-1]
    ceiling = _find(last, "ceiling", "warm")
    warm = {b: _ratio(_find(last, b, "warm"), ceiling) for b in ("postgres", "sqlite")}
    front = run.frontend or frontend.FrontendResult()
    moves = run.interaction or interaction.InteractionResult(page=interaction.PATH)
    values = [v for v in warm.values() if v is not None]
    out = {
        "warm_ratio_vs_ceiling": min(values) if values else None,
        "naive_ratio_vs_ceiling": _ratio(_find(last, "naive", "warm"), ceiling),
        "cold_p95_ms_postgres": _rounded(_find(last, "postgres", "cold"), "p95_ms"),
        "cold_p95_ms_sqlite": _rounded(_find(last, "sqlite", "cold"), "p95_ms"),
        "rows": last.rows.get("postgres", last.size),
        "first_load_bytes": front.first_load_bytes,
        "external_requests": front.external_requests,
        "stampede_db_queries": last.stampede_db_queries,
        "interaction_p95_ms": moves.p95_ms,
        "worker_rss_mb": round(max(last.rss_mb.get(b, 0.0) for b in ("postgres", "sqlite")), 1),
        "warm_ratio_vs_ceiling_postgres": warm["postgres"],
        "warm_ratio_vs_ceiling_sqlite": warm["sqlite"],
        "ceiling_req_per_s": _rounded(ceiling, "req_per_s"),
        "warm_req_per_s_postgres": _rounded(_find(last, "postgres", "warm"), "req_per_s"),
        "warm_req_per_s_sqlite": _rounded(_find(last, "sqlite", "warm"), "req_per_s"),
        "naive_req_per_s": _rounded(_find(last, "naive", "warm"), "req_per_s"),
        "worker_rss_mb_by_server": {k: round(v, 1) for k, v in last.rss_mb.items()},
        "worker_pss_mb_by_server": {k: round(v, 1) for k, v in last.pss_mb.items()},
        "first_load_requests": front.first_load_requests,
        "lighthouse": front.lighthouse,
        "lighthouse_runs": front.lighthouse_runs,
        "lighthouse_quiet_wait_s": front.quiet_wait_s,
        "interaction": {
            "page": moves.page,
            "cpu_slowdown": moves.cpu_slowdown,
            "p50_ms": moves.p50_ms,
            "p95_ms": moves.p95_ms,
            "max_ms": moves.max_ms,
            "samples_ms": moves.samples_ms,
            "warmup_ms": moves.warmup_ms,
        },
        "lighthouse_load": front.lighthouse_load,
        "lighthouse_run_count": run.config.lighthouse_runs,
        "response_bytes": last.response_bytes,
        "measured": f"/countries/{COUNTRY}?year={last.year}",
        "sizes": [s.size for s in run.sizes],
        "seconds_by_size": {
            s.size: {"build": round(s.build_s), "measure": round(s.measure_s)} for s in run.sizes
        },
        "load_average": {"before": run.load_before, "after": round(os.getloadavg()[0], 2)},
        "synthetic": run.synthetic,
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(seconds),
        "wrk": run.config.wrk_text(),
        "machine": machine(),
        "notes": run.notes + front.notes + moves.notes,
    }
    out["targets_met"] = {t.name: t.met for t in report.targets(out)}
    return out


def _rounded(m: Measurement | None, attr: str) -> float | None:
    value = getattr(m, attr) if m else None
    return None if value is None else round(value, 1)


def machine() -> dict:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024),
        "python": platform.python_version(),
    }


def publish(run: Run, out: dict) -> None:
    order = list(report.SERVERS)
    measurements = sorted(
        (m for s in run.sizes for m in s.measurements),
        key=lambda m: (m.rows, order.index(m.server), m.mode != "warm"),
    )
    print(report.text_table(measurements))
    print(f"({report.NAIVE_NOTE};\n {report.COLD_NOTE})")
    print()
    if out.get("lighthouse"):
        print(f"Lighthouse, median of {out.get('lighthouse_run_count')} runs ({out.get('lighthouse_load')}):")
        print(lighthouse_text_table(out["lighthouse"]))
        print()
    print("Targets at the largest size:")
    print(report.targets_text(report.targets(out)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    full = {**out, "measurements": [m.as_dict() for m in measurements]}
    RESULTS.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    try:
        update_readme(README, report.readme_section(out, measurements))
    except ValueError as exc:
        print(f"README not updated: {exc}", file=sys.stderr)
    print(json.dumps(out), flush=True)
