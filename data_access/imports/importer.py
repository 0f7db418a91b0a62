"""Import one file: read, validate every row, check against the database, and
write everything in one transaction, or nothing at all.

The caller gets an ImportOutcome: counts, problems (each with row, column,
value and rule) and whether anything was written. A report CSV is written
next to the input whenever there are problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from data_access import schema as s
from data_access.imports import activities_writer, results_writer
from data_access.imports.declarations import declare_countries, declare_indicators
from data_access.imports.problems import Problems
from data_access.imports.readers import (
    FileRefused,
    ReadLimits,
    Sheet,
    data_rows,
    find_mapping,
    read_csv,
    read_workbook,
)
from data_access.imports.sources import SourceRegistry
from data_access.imports.validate import Catalog, RowChecker
from data_access.loader import current_user
from data_access.version import bump_version

DECLARATION_SHEETS = ("indicators", "countries")


@dataclass
class ImportOptions:
    """How to import: the command-line flags and the limits from the settings."""

    dry_run: bool = False
    replace: bool = False
    sheet: str | None = None
    loaded_by: str | None = None
    # Who may see the batch's rows (data_access/visibility.py): internal until
    # published (`flask --app app publish BATCH`), so nothing is published by accident.
    visibility: str = "internal"
    max_bytes: int = 512 * 1024 * 1024
    max_rows: int = 5_000_000
    chunk_rows: int = 20_000
    limits: ReadLimits = field(default_factory=ReadLimits)
    # Called with the rows read so far and the share of the file read (or None).
    progress: Callable[[int, float | None], None] | None = None
    write_report: bool = True


@dataclass
class ImportOutcome:
    """What an import found and did."""

    file: Path
    checksum: str = ""
    problems: Problems = field(default_factory=Problems)
    results: results_writer.ResultCounts | None = None
    activities: activities_writer.ActivityCounts | None = None
    written: bool = False
    batch_id: int | None = None
    version: int | None = None
    previous: str | None = None  # "2026-11-26 by ana" when the same file was imported before
    notes_translated: int = 0  # stored sources whose translated note or title the file set or changed
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.problems.errors == 0

    @property
    def changes(self) -> int:
        counts = [c for c in (self.results, self.activities) if c]
        return sum(c.added + c.updated for c in counts) + self.notes_translated


class _Rollback(Exception):
    """Raised inside the transaction to leave the database exactly as it was."""


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _companion(path: Path, name: str) -> Path:
    return path.with_name(f"{path.stem}.{name}.csv")


def _open(path: Path, options: ImportOptions, problems: Problems) -> tuple[list[Sheet], dict[str, Sheet]]:
    """The data sheets and the declaration sheets of `path`."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        declared = {
            n: read_csv(_companion(path, n), options.limits)
            for n in DECLARATION_SHEETS
            if _companion(path, n).exists()
        }
        return [read_csv(path, options.limits)], declared
    if suffix == ".xlsx":
        sheets = read_workbook(path, options.limits)
        by_lower = {name.lower(): sheet for name, sheet in sheets.items()}
        declared = {n: by_lower[n] for n in DECLARATION_SHEETS if n in by_lower}
        if options.sheet:
            if options.sheet not in sheets:
                raise FileRefused(
                    f"There is no sheet \u201c{options.sheet}\u201d; the sheets are: " + ", ".join(sheets)
                )
            return [sheets[options.sheet]], declared
        data = [by_lower[n] for n in ("results", "activities") if n in by_lower]
        if not data:
            data = [sh for name, sh in sheets.items() if name.lower() not in DECLARATION_SHEETS][:1]
        if not data:
            raise FileRefused(
                "The workbook has no sheet of results or activities, only: " + ", ".join(sheets)
            )
        return data, declared
    raise FileRefused(
        f"Cannot import {suffix or 'files without an extension'}: save the file as "
        "CSV UTF-8 (.csv) or Excel (.xlsx)."
    )


def _catalog(conn: Connection) -> Catalog:
    countries = conn.execute(select(s.countries.c.iso3, s.countries.c.is_compass)).all()
    return Catalog(
        compass_countries={c for c, compass in countries if compass},
        other_countries={c for c, compass in countries if not compass},
        indicator_units=dict(conn.execute(select(s.indicators.c.code, s.indicators.c.unit)).all()),
        partners=activities_writer.partner_ids(conn),
    )


def _previous(conn: Connection, checksum: str) -> str | None:
    row = conn.execute(
        select(s.import_batches.c.loaded_at, s.import_batches.c.loaded_by)
        .where(s.import_batches.c.checksum == checksum)
        .order_by(s.import_batches.c.id.desc())
        .limit(1)
    ).first()
    return f"{row.loaded_at:%Y-%m-%d %H:%M} by {row.loaded_by}" if row else None


def import_file(engine: Engine, path: Path | str, options: ImportOptions | None = None) -> ImportOutcome:
    """Validate `path` and, when it is clean and not a dry run, write it."""
    options = options or ImportOptions()
    path = Path(path)
    outcome = ImportOutcome(file=path)
    problems = outcome.problems
    if options.visibility not in s.VISIBILITIES:
        problems.error(
            None, "", str(options.visibility), "bad_visibility", "the visibility must be public or internal"
        )
        return outcome
    if not path.is_file():
        problems.error(None, "", str(path.name), "file_missing", "there is no such file")
        return outcome
    size = path.stat().st_size
    if size == 0:
        problems.error(None, "", "", "empty_file", "the file is empty (0 bytes)")
    elif size > options.max_bytes:
        problems.error(
            None,
            "",
            f"{size} bytes",
            "file_too_large",
            f"the file is larger than the limit of {options.max_bytes} bytes (IMPORT_MAX_BYTES)",
        )
    if problems.errors:
        return _finish(outcome, options)
    outcome.checksum = file_checksum(path)
    try:
        with engine.begin() as conn:
            _run(conn, path, options, outcome)
            if not outcome.ok or options.dry_run or not outcome.changes:
                raise _Rollback
            outcome.written = True
    except _Rollback:
        outcome.written = False
        outcome.batch_id = outcome.version = None
    except FileRefused as exc:
        outcome.written = False
        problems.error(None, "", "", "unreadable_file", str(exc))
    return _finish(outcome, options)


def _run(conn: Connection, path: Path, options: ImportOptions, outcome: ImportOutcome) -> None:
    problems = outcome.problems
    data_sheets, declared = _open(path, options, problems)
    if "indicators" in declared:
        declare_indicators(conn, declared["indicators"], problems)
    if "countries" in declared:
        declare_countries(conn, declared["countries"], problems)
    outcome.previous = _previous(conn, outcome.checksum)
    checker = RowChecker(_catalog(conn), problems)
    sources = SourceRegistry(conn)
    activity_rows: list[dict] = []
    staged_any = False
    for sheet in data_sheets:
        mapping = find_mapping(sheet, problems)
        if mapping is None:
            continue
        if mapping.kind == "results":
            if not staged_any:
                results_writer.create_staging(conn)
                staged_any = True
            _stream_results(conn, sheet, mapping, checker, sources, options, problems)
        else:
            activity_rows += [
                r
                for line, cells in data_rows(sheet, mapping)
                if (r := checker.activity(line, cells, mapping))
            ]
    outcome.notes_translated = sources.notes_translated
    if staged_any:
        outcome.results = results_writer.check(conn, problems, options.replace)
    if activity_rows:
        outcome.activities = activities_writer.apply(
            conn, activity_rows, sources, problems, options.replace, None
        )
    rows = sum(counts.rows for counts in (outcome.results, outcome.activities) if counts)
    if rows == 0 and problems.errors == 0:
        problems.error(None, "", "", "empty_file", "the file has a header but no data rows")
    if not outcome.ok or options.dry_run or not outcome.changes:
        return
    outcome.batch_id = _record_batch(conn, path, outcome, options)
    if outcome.results:
        results_writer.write(conn, outcome.batch_id, options.replace)
    if outcome.activities:
        # Dry pass above only compared; this pass writes (same rows, same answers).
        activities_writer.apply(conn, activity_rows, sources, Problems(), options.replace, outcome.batch_id)
    outcome.version = bump_version(conn)


def _stream_results(conn, sheet, mapping, checker, sources, options, problems) -> None:
    chunk: list[dict] = []
    read = 0
    for line, cells in data_rows(sheet, mapping):
        read += 1
        if read > options.max_rows:
            problems.error(
                line,
                "",
                "",
                "too_many_rows",
                f"the file has more than {options.max_rows} rows (IMPORT_MAX_ROWS); split it",
            )
            break
        for row in checker.results(line, cells, mapping):
            chunk.append(results_writer.staged_row(row, sources.id_for(row)))
        if len(chunk) >= options.chunk_rows:
            results_writer.stage(conn, chunk)
            chunk = []
            if options.progress:
                options.progress(read, sheet.fraction())
    results_writer.stage(conn, chunk)
    if options.progress:
        options.progress(read, sheet.fraction())


def _record_batch(conn: Connection, path: Path, outcome: ImportOutcome, options: ImportOptions) -> int:
    counts = [c for c in (outcome.results, outcome.activities) if c]
    kinds = "+".join(k for k, c in (("results", outcome.results), ("activities", outcome.activities)) if c)
    return conn.execute(
        s.import_batches.insert().values(
            kind=kinds,
            file_name=path.name,
            checksum=outcome.checksum,
            rows_total=sum(c.rows for c in counts),
            rows_added=sum(c.added for c in counts),
            rows_updated=sum(c.updated for c in counts) if options.replace else 0,
            rows_unchanged=sum(c.unchanged for c in counts),
            loaded_by=(options.loaded_by or current_user())[:120],
            visibility=options.visibility,
        )
    ).inserted_primary_key[0]


def _finish(outcome: ImportOutcome, options: ImportOptions) -> ImportOutcome:
    problems = outcome.problems
    if options.write_report and problems.kept and outcome.file.parent.is_dir():
        report = outcome.file.with_name(outcome.file.name + ".report.csv")
        try:
            problems.write_csv(report)
            outcome.report_path = report
        except OSError:
            outcome.report_path = None
    return outcome
