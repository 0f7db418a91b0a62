"""Import benchmark: validate and load an N-row results CSV into a fresh SQLite
(and, with --postgres URL, PostgreSQL) database, and print time and memory.

Synthetic rows, made here, go only into a temporary database: this script never
touches the dashboard's database.

    .venv/bin/python bench/import_benchmark.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from config import REFERENCE_DIR  # noqa: E402
from data_access import schema as s  # noqa: E402
from data_access.engine import make_engine  # noqa: E402
from data_access.imports.importer import ImportOptions, import_file  # noqa: E402
from data_access.loader import prepare_database  # noqa: E402
from model.file_format import RESULT_COLUMNS  # noqa: E402

COUNTRIES = ["AFG", "DZA", "TCD", "EGY", "ETH", "IRQ", "LBN", "LBY", "MLI", "MAR", "NER", "NGA", "SDN", "TUN"]
INDICATORS = [
    "migrants_return_assistance",
    "migrants_protection_assistance",
    "stakeholders_trained",
    "community_ambassadors_trained",
    "migrants_humanitarian_direct_assistance",
]


def write_csv(path: Path, rows: int) -> None:
    """`rows` valid, distinct daily figures (indicator x country x day x sex)."""
    start = date(2001, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in RESULT_COLUMNS])
        writer.writerow([c.hxl for c in RESULT_COLUMNS])
        per_day = len(INDICATORS) * len(COUNTRIES) * 2
        for n in range(rows):
            day = (start + timedelta(days=n // per_day)).isoformat()
            rest = n % per_day
            indicator = INDICATORS[rest % len(INDICATORS)]
            country = COUNTRIES[(rest // len(INDICATORS)) % len(COUNTRIES)]
            sex = "female" if rest // (len(INDICATORS) * len(COUNTRIES)) == 0 else "male"
            writer.writerow(
                [
                    indicator,
                    country,
                    day,
                    day,
                    (n * 7919) % 5000,
                    "exact",
                    "sex",
                    sex,
                    "",
                    "",
                    "Synthetic benchmark data",
                    "",
                    "",
                    "",
                ]
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url: str, csv_path: Path, rows: int, label: str) -> dict:
    engine = make_engine(url, statement_timeout_ms=600_000)
    prepare_database(engine, REFERENCE_DIR, loaded_by="bench")
    started = time.perf_counter()
    outcome = import_file(engine, csv_path, ImportOptions(loaded_by="bench", write_report=False))
    seconds = time.perf_counter() - started
    with engine.connect() as conn:
        stored = conn.execute(
            select(func.count()).select_from(s.results).where(s.results.c.batch_id.is_not(None))
        ).scalar()
    again_started = time.perf_counter()
    again = import_file(engine, csv_path, ImportOptions(loaded_by="bench", write_report=False))
    again_seconds = time.perf_counter() - again_started
    engine.dispose()
    return {
        "database": label,
        "rows": rows,
        "ok": outcome.ok and outcome.written,
        "errors": outcome.problems.errors,
        "import_seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "reimport_seconds": round(again_seconds, 1),
        "reimport_changed": again.changes,
        "results_in_db": stored,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="also run against this (emptied!) PostgreSQL URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "results.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, args.rows)
        print(
            f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        figures = [run(f"sqlite:///{Path(tmp) / 'bench.db'}", csv_path, args.rows, "sqlite")]
        if args.postgres:
            engine = make_engine(args.postgres)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
            figures.append(run(args.postgres, csv_path, args.rows, "postgresql"))
    print(f"{'database':<11}{'rows':>10}{'import s':>10}{'rows/s':>10}{'re-import s':>12}{'peak RSS MB':>12}")
    for f in figures:
        print(
            f"{f['database']:<11}{f['rows']:>10,}{f['import_seconds']:>10}{f['rows_per_second']:>10,}"
            f"{f['reimport_seconds']:>12}{f['peak_rss_mb']:>12}"
        )
    for f in figures:
        print(json.dumps(f))


if __name__ == "__main__":
    main()
