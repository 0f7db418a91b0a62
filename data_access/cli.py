"""`flask --app app import-data` and `export-data`: the programme team's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import Engine

from config import Settings
from data_access.imports.export import export_data
from data_access.imports.importer import ImportOptions, ImportOutcome, import_file
from data_access.migrate import pending_migrations

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


def _print(outcome: ImportOutcome, dry_run: bool) -> None:
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
    if not outcome.ok:
        click.echo(
            f"Refused: {problems.errors} error(s), {problems.warnings} warning(s). "
            "Nothing was written; the database is exactly as before.",
            err=True,
        )
    elif dry_run:
        click.echo("Dry run: the file is valid; nothing was written.")
    elif not outcome.changes:
        again = f" (already imported {outcome.previous})" if outcome.previous else ""
        click.echo(f"Nothing to change: every row is already stored{again}.")
    else:
        click.echo(f"Imported as batch {outcome.batch_id}; data version is now {outcome.version}.")


def _require_current_schema(engine: Engine) -> None:
    if pending_migrations(engine):
        click.echo(
            "The database schema is not up to date: run `make db` (flask --app app prepare-db) "
            "first. Nothing was written.",
            err=True,
        )
        sys.exit(2)


def register_commands(server: Flask, engine: Engine, settings: Settings) -> None:
    """Attach import-data and export-data to the server's CLI."""

    @server.cli.command("import-data")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Validate and report what would change; write nothing.")
    @click.option(
        "--replace", is_flag=True, help="Overwrite figures that the same source stated differently."
    )
    @click.option("--sheet", help="Excel: import only this sheet.")
    @click.option("--by", "loaded_by", help="Who is loading (recorded in the import history).")
    def import_data(
        file: Path, dry_run: bool, replace: bool, sheet: str | None, loaded_by: str | None
    ) -> None:
        """Import results or partner activities from CSV (UTF-8), Excel or HXL-tagged CSV."""
        _require_current_schema(engine)
        options = ImportOptions(
            dry_run=dry_run,
            replace=replace,
            sheet=sheet,
            loaded_by=loaded_by,
            max_bytes=settings.import_max_bytes,
            max_rows=settings.import_max_rows,
            progress=_progress_printer(file),
        )
        outcome = import_file(engine, file, options)
        if options.progress:
            click.echo("", err=True)
        _print(outcome, dry_run)
        sys.exit(0 if outcome.ok else 1)

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
