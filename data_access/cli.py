"""`flask --app app import-data`, `export-data`, `batches`, `publish` and
`unpublish`: the programme team's commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import Engine

from config import Settings
from data_access.imports.export import export_data
from data_access.imports.importer import ImportOptions, ImportOutcome, import_file
from data_access.imports.publish import BatchRefused, batch_list, set_batch_visibility
from data_access.imports.readers import ReadLimits
from data_access.migrate import pending_migrations
from data_access.synthetic import SyntheticOutcome, SyntheticRefused, clear_synthetic, generate_synthetic
from data_access.visibility import INTERNAL, PUBLIC

SHOWN = 50  # problems printed on screen; the report file has them all


def _progress_printer(path: Path):
    """A progress bar on stderr for files over 1 MB: share of the file read, rows."""
    if not path.is_file() or path.stat().st_size < 1_000_000:
        return None

    def show(rows: int, fraction: float | None) -> None:
        if fraction is None:
            click.echo(f"\r  {rows:,} rows read", err=True, nl=False)
            return
        filled = int(fraction * 30)
        bar = "#" * filled + "." * (30 - filled)
        click.echo(f"\r  [{bar}] {fraction:4.0%}  {rows:,} rows checked", err=True, nl=False)

    return show


def _visibility_note(visibility: str, batch_id: int | None = None) -> str:
    if visibility == PUBLIC:
        return "public: everyone sees its rows"
    publish = f"`flask --app app publish {batch_id}`" if batch_id else "`flask --app app publish BATCH`"
    return f"internal: only staff see its rows until {publish}"


def _print(outcome: ImportOutcome, dry_run: bool, visibility: str = INTERNAL) -> None:
    problems = outcome.problems
    for problem in sorted(problems.kept, key=lambda p: (p.severity != "error", p.row or 0))[:SHOWN]:
        click.echo(problem.line(), err=problem.severity == "error")
    if len(problems.kept) > SHOWN or problems.dropped:
        click.echo(f"... {problems.errors + problems.warnings - SHOWN} more problems", err=True)
    if outcome.report_path:
        click.echo(f"Report: {outcome.report_path}")
    for name, counts in (("results", outcome.results), ("activities", outcome.activities)):
        if counts:
            click.echo(
                f"{name}: {counts.rows} rows: {counts.added} new, {counts.updated} changed, "
                f"{counts.unchanged} unchanged"
            )
    if outcome.notes_translated:
        click.echo(
            f"Source translations (French or Arabic notes, Arabic titles) set or changed: {outcome.notes_translated} source(s)"
        )
    if not outcome.ok:
        click.echo(
            f"Refused: {problems.errors} error(s), {problems.warnings} warning(s). "
            "Nothing was written; the database is exactly as before.",
            err=True,
        )
    elif dry_run:
        click.echo(f"Dry run: the file is valid; nothing was written (it would be {visibility}).")
    elif not outcome.changes:
        again = f" (already imported {outcome.previous})" if outcome.previous else ""
        click.echo(f"Nothing to change: every row is already stored{again}.")
    else:
        click.echo(
            f"Imported as batch {outcome.batch_id} ({_visibility_note(visibility, outcome.batch_id)}); "
            f"data version is now {outcome.version}."
        )


def _require_current_schema(engine: Engine) -> None:
    if pending_migrations(engine):
        click.echo(
            "The database schema is not up to date: run `make db` (flask --app app prepare-db) "
            "first. Nothing was written.",
            err=True,
        )
        sys.exit(2)


def _rows_progress(done: int, total: int) -> None:
    click.echo(f"\r  {done:,} / {total:,} rows ({done / total:4.0%})", err=True, nl=done >= total)


def _print_synthetic(outcome: SyntheticOutcome, cleared: bool, seconds: float = 0.0) -> None:
    if outcome.version is None:
        click.echo("There was no synthetic data; nothing changed.")
        return
    removed = f"removed {outcome.removed:,} synthetic rows" if outcome.removed else ""
    if cleared:
        click.echo(
            f"Cleared: {removed or 'removed the synthetic sources and indicators'}; "
            f"data version is now {outcome.version}."
        )
        return
    click.echo(
        f"Wrote {outcome.rows:,} synthetic rows as batch {outcome.batch_id}"
        + (f" ({removed})" if removed else "")
        + f" in {seconds:.1f} s (committed); data version is now {outcome.version}."
    )


def register_commands(server: Flask, engine: Engine, settings: Settings) -> None:
    """Attach import-data, export-data and generate-synthetic to the server's CLI."""

    @server.cli.command("generate-synthetic")
    @click.option("--rows", type=click.IntRange(min=1), help="How many synthetic results to write.")
    @click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed.")
    @click.option(
        "--clear",
        is_flag=True,
        help="Remove every synthetic row, source, indicator and batch (with --rows, then write anew).",
    )
    @click.option("--by", "loaded_by", help="Who is loading (recorded in the import history).")
    def generate_synthetic_command(rows: int | None, seed: int, clear: bool, loaded_by: str | None) -> None:
        """Write synthetic results for tests and benchmarks (marked as such; they replace
        any earlier synthetic data and never touch real rows)."""
        if rows is None and not clear:
            raise click.UsageError("Give --rows N (how many results to write), or --clear.")
        _require_current_schema(engine)
        report = lambda message: click.echo(f"  {message}", err=True)  # noqa: E731
        try:
            if rows is None:
                _print_synthetic(clear_synthetic(engine, report), cleared=True)
                return
            started = time.monotonic()
            outcome = generate_synthetic(engine, rows, seed, loaded_by, report, _rows_progress)
        except SyntheticRefused as exc:
            click.echo(f"Refused: {exc}. Nothing was written.", err=True)
            sys.exit(1)
        _print_synthetic(outcome, cleared=False, seconds=time.monotonic() - started)

    @server.cli.command("import-data")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Validate and report what would change; write nothing.")
    @click.option(
        "--replace", is_flag=True, help="Overwrite figures that the same source stated differently."
    )
    @click.option("--sheet", help="Excel: import only this sheet.")
    @click.option("--by", "loaded_by", help="Who is loading (recorded in the import history).")
    @click.option(
        "--visibility",
        type=click.Choice([PUBLIC, INTERNAL]),
        default=INTERNAL,
        show_default=True,
        help="Who sees the rows: internal (staff only, until `publish BATCH`) or public.",
    )
    def import_data(
        file: Path, dry_run: bool, replace: bool, sheet: str | None, loaded_by: str | None, visibility: str
    ) -> None:
        """Import results or partner activities from CSV (UTF-8), Excel or HXL-tagged CSV."""
        _require_current_schema(engine)
        options = ImportOptions(
            dry_run=dry_run,
            replace=replace,
            sheet=sheet,
            loaded_by=loaded_by,
            visibility=visibility,
            max_bytes=settings.import_max_bytes,
            max_rows=settings.import_max_rows,
            limits=ReadLimits(
                csv_line_chars=settings.import_max_csv_line_chars,
                csv_cell_chars=settings.import_max_csv_cell_chars,
                xlsx_part_bytes=settings.import_max_xlsx_part_bytes,
                xlsx_sheet_bytes=settings.import_max_xlsx_sheet_bytes,
                xlsx_total_bytes=settings.import_max_xlsx_total_bytes,
                xlsx_ratio=settings.import_max_xlsx_ratio,
            ),
            progress=_progress_printer(file),
        )
        outcome = import_file(engine, file, options)
        if options.progress:
            click.echo("", err=True)
        _print(outcome, dry_run, visibility)
        sys.exit(0 if outcome.ok else 1)

    @server.cli.command("batches")
    @click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="How many.")
    def batches_command(limit: int) -> None:
        """List the latest import batches, newest first, with their visibility."""
        _require_current_schema(engine)
        frame = batch_list(engine, limit)
        if frame.empty:
            click.echo("No batch yet: nothing has been imported.")
            return
        click.echo(f"{'batch':>6}  {'visibility':<10} {'kind':<22} {'rows':>9}  {'loaded':<16}  by / file")
        for row in frame.itertuples():
            loaded = f"{row.loaded_at:%Y-%m-%d %H:%M}" if row.loaded_at is not None else "-"
            click.echo(
                f"{row.id:>6}  {row.visibility:<10} {row.kind:<22} {row.rows_total:>9,}  {loaded:<16}  "
                f"{row.loaded_by} / {row.file_name}"
            )

    def change_visibility(batch_id: int, visibility: str) -> None:
        _require_current_schema(engine)
        try:
            change = set_batch_visibility(engine, batch_id, visibility)
        except BatchRefused as exc:
            click.echo(f"Refused: {exc}. Nothing changed.", err=True)
            sys.exit(1)
        if not change.changed:
            click.echo(f"Batch {batch_id} is already {visibility}; nothing changed.")
            return
        click.echo(
            f"Batch {batch_id} is now {_visibility_note(visibility, batch_id)} "
            f"({change.results:,} result rows, {change.activities:,} activities, "
            f"{change.sources:,} sources' summary refreshed); data version is now {change.version}."
        )

    @server.cli.command("publish")
    @click.argument("batch_id", metavar="BATCH", type=int)
    def publish_command(batch_id: int) -> None:
        """Make an import batch public: everyone sees its rows from the next request."""
        change_visibility(batch_id, PUBLIC)

    @server.cli.command("unpublish")
    @click.argument("batch_id", metavar="BATCH", type=int)
    def unpublish_command(batch_id: int) -> None:
        """Make an import batch internal again: only staff see its rows (not the reference data)."""
        change_visibility(batch_id, INTERNAL)

    @server.cli.command("export-data")
    @click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
    @click.option(
        "--kind",
        type=click.Choice(["results", "activities"]),
        default="results",
        help="For a .csv file: which dataset (an .xlsx file gets both).",
    )
    def export_command(file: Path, kind: str) -> None:
        """Export the data in the import format (CSV with an HXL row, or Excel)."""
        _require_current_schema(engine)
        rows = export_data(engine, file, kind)
        click.echo(f"Wrote {rows} rows to {file}.")
