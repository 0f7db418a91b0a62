"""Loading is idempotent and atomic; migrations match the schema; statements time out."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.engine import create_sqlite_file, make_engine
from data_access.loader import load_reference, prepare_database
from data_access.reference import ReferenceError, parse_period, read_reference
from data_access.version import current_version
from tests.helpers import changed_reference, fresh_postgres, required_env


def test_second_load_changes_nothing(writable_sqlite):
    before = current_version(writable_sqlite)
    report = prepare_database(writable_sqlite, REFERENCE_DIR)
    assert report.skipped and report.version == before == 1
    with writable_sqlite.connect() as conn:
        assert conn.execute(select(s.import_batches.c.rows_added)).scalars().all() == [263]


def test_changed_file_updates_only_the_changed_row_and_bumps_the_version(writable_sqlite, tmp_path):
    report = load_reference(writable_sqlite, read_reference(changed_reference(tmp_path)))
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert report.version == 2 == current_version(writable_sqlite)


def test_failed_load_leaves_the_database_as_it_was(writable_sqlite, tmp_path, monkeypatch):
    data = read_reference(changed_reference(tmp_path))
    data.results[-1]["indicator_code"] = "no_such_indicator"  # foreign key violation mid-load
    with pytest.raises(IntegrityError):
        load_reference(writable_sqlite, data)
    with writable_sqlite.connect() as conn:
        assert conn.execute(select(s.results.c.value).where(s.results.c.value == 29118)).first() is None
        assert conn.execute(select(s.import_batches)).all().__len__() == 1
    assert current_version(writable_sqlite) == 1


@pytest.mark.parametrize("bad", ["20x2", "2023-2021", "1850", "2021-2022-2023"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ReferenceError):
        parse_period(bad)


def test_reference_rejects_unknown_codes(tmp_path):
    folder = changed_reference(tmp_path)
    tsv = folder / "compass_public_figures.tsv"
    tsv.write_text(tsv.read_text(encoding="utf-8").replace("\tNGA\t", "\tXXX\t", 1), encoding="utf-8")
    with pytest.raises(ReferenceError, match="unknown country 'XXX'"):
        read_reference(folder)


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), s.metadata)
    # Expression indexes cannot be reflected by SQLite; everything else must match.
    return [
        d
        for d in diff
        if not (d[0] in ("add_index", "remove_index") and d[1].name == "uq_results_natural_key")
    ]


def test_migrations_match_the_schema_on_sqlite(writable_sqlite):
    assert _schema_diff(writable_sqlite) == []


def test_migrations_match_the_schema_on_postgres():
    engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR)
    assert _schema_diff(engine) == []
    engine.dispose()


def test_natural_key_refuses_the_same_figure_twice_from_one_source(writable_sqlite):
    with writable_sqlite.connect() as conn:
        row = dict(
            conn.execute(select(s.results).where(s.results.c.country_iso3.is_(None)).limit(1))
            .mappings()
            .one()
        )
    row.pop("id")
    with pytest.raises(IntegrityError), writable_sqlite.begin() as conn:
        conn.execute(s.results.insert().values(**row))


SLOW_SQLITE = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) SELECT count(*) FROM n"


def test_sqlite_statement_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'slow.db'}", statement_timeout_ms=200)
    create_sqlite_file(engine)
    with pytest.raises(DBAPIError, match="interrupted"), engine.connect() as conn:
        conn.execute(text(SLOW_SQLITE))
    with engine.connect() as conn:  # the connection is usable again afterwards
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_postgres_statement_timeout():
    engine = make_engine(required_env("TEST_DATABASE_URL"), statement_timeout_ms=200)
    with pytest.raises(DBAPIError, match="statement timeout"), engine.connect() as conn:
        conn.execute(text("SELECT pg_sleep(3)"))
    engine.dispose()
