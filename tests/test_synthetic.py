"""The synthetic data generator (data_access/synthetic*.py), its command and the banner.

Pure grid checks need no database; the rest run on SQLite files of their own
and, where it matters (COPY, TRUNCATE, constraints), on PostgreSQL too.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text

from config import REFERENCE_DIR
from data_access import queries as q
from data_access import schema as s
from data_access import synthetic
from data_access.engine import make_engine
from data_access.loader import prepare_database
from data_access.synthetic import SyntheticRefused, clear_synthetic, generate_synthetic
from data_access.synthetic_grid import Grid
from data_access.synthetic_spec import (
    BATCH_KIND,
    INDICATORS,
    LAYERS,
    SOURCE_TITLE,
    SOURCE_TITLE_FR,
    YEARS,
)
from data_access.version import current_version
from pages import ids
from tests.helpers import COMPASS, by_id, fresh_postgres, make_app, required_env, text_of

COUNTRIES = tuple(sorted(COMPASS))
CELLS = len(COUNTRIES) * len(YEARS) * len(INDICATORS) * 12  # country x year x indicator x month
COVERING = len(COUNTRIES) * len(YEARS) * len(INDICATORS)  # the first month of every combination


def rows_of(grid: Grid, n: int) -> pd.DataFrame:
    """The first `n` rows of `grid` as one frame (test sizes only)."""
    frames = [
        pd.DataFrame(
            {
                "indicator_code": chunk.indicator_code,
                "country": np.array(grid.countries, dtype=object)[chunk.country_index],
                "period_start": chunk.period_start,
                "dim": chunk.dim,
                "breakdown_value": chunk.breakdown_value,
                "value": chunk.value,
            }
        )
        for chunk in grid.chunks(n, chunk_rows=50_000)
    ]
    return pd.concat(frames, ignore_index=True)


# --- the grid, without a database ---------------------------------------------------------------


def test_same_seed_same_rows_and_a_shorter_run_is_a_prefix():
    first = rows_of(Grid(COUNTRIES, 7), 20_000)
    again = rows_of(Grid(COUNTRIES, 7), 20_000)
    shorter = rows_of(Grid(COUNTRIES, 7), 1_234)
    other_seed = rows_of(Grid(COUNTRIES, 8), 20_000)
    pd.testing.assert_frame_equal(first, again)
    # The first 1,234 rows of the generation order are among the first 20,000.
    assert len(shorter.merge(first, how="inner")) == len(shorter) == 1_234
    assert not first["value"].equals(other_seed["value"])
    assert (first["value"] >= 0).all() and first["value"].sum() > 0


def test_the_grid_holds_more_than_ten_million_rows():
    assert Grid(COUNTRIES, 0).size > 10_000_000
    assert len(INDICATORS) == 40 and all(i.code.startswith("syn_") for i in INDICATORS)
    assert all(i.name_en.endswith("(synthetic)") and i.name_fr.endswith("(synthétique)") for i in INDICATORS)


def test_every_breakdown_adds_up_exactly_to_its_total():
    """All layers of one country (744,000 rows): each cell's parts sum to its total,
    and sex x age agrees with sex and with age."""
    grid = Grid(("LBY",), 11)
    frame = rows_of(grid, grid.size)
    assert len(frame) == grid.size
    cell = ["indicator_code", "country", "period_start"]
    totals = frame[frame.dim == ""].set_index(cell)["value"]
    dims = [layer.dim for layer in LAYERS if layer.dim]
    sums = frame[frame.dim != ""].groupby([*cell, "dim"])["value"].sum().unstack("dim")
    for dim in dims:
        assert (sums[dim].reindex(totals.index) == totals).all(), dim
    both = frame[frame.dim == "sex_age_group"].assign(sex=lambda f: f.breakdown_value.str.split(" ").str[0])
    by_sex = both.groupby([*cell, "sex"])["value"].sum()
    sex = frame[frame.dim == "sex"].set_index([*cell, "breakdown_value"])["value"]
    assert by_sex.to_numpy().tolist() == sex.reindex(by_sex.index).to_numpy().tolist()
    assert frame.loc[frame.dim == "admin2", "breakdown_value"].str.match(r"^LBY-\d\d-\d$").all()


def test_rows_come_in_natural_key_order():
    frame = rows_of(Grid(COUNTRIES, 0), 3 * CELLS + 5)
    key = ["indicator_code", "country", "period_start", "dim", "breakdown_value"]
    assert frame[key].apply(tuple, axis=1).is_monotonic_increasing
    assert not frame.duplicated(key).any()


def test_the_first_rows_cover_every_country_year_and_indicator():
    frame = rows_of(Grid(COUNTRIES, 0), COVERING)
    combos = set(zip(frame.country, frame.period_start.str[:4], frame.indicator_code, strict=True))
    assert len(combos) == COVERING == len(frame)
    assert (frame.dim == "").all()


def test_asking_for_more_rows_than_the_grid_holds_is_refused():
    grid = Grid(COUNTRIES, 0)
    with pytest.raises(ValueError, match="at most"):
        next(grid.chunks(grid.size + 1))


# --- databases ----------------------------------------------------------------------------------


def prepared_sqlite(tmp_path, name: str = "compass.db") -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    return engine


@pytest.fixture
def sqlite_db(tmp_path) -> Engine:
    engine = prepared_sqlite(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_db() -> Engine:
    """The PostgreSQL test database, emptied and loaded; prepared again afterwards."""
    engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    yield engine
    engine.dispose()
    # Other tests share this database as the prepared reference data: leave it so.
    restored = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(restored, REFERENCE_DIR, loaded_by="tests")
    restored.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def writable(request, tmp_path) -> Engine:
    """A migrated, loaded database the test may change, on each backend in turn."""
    if request.param == "sqlite":
        engine = prepared_sqlite(tmp_path)
        yield engine
        engine.dispose()
    else:
        yield request.getfixturevalue("postgres_db")


@pytest.fixture(params=[False, True], ids=["row-by-row", "bulk"])
def bulk(request, monkeypatch) -> bool:
    """Both paths: plain deletes and inserts, and the bulk path (indexes and
    foreign keys suspended, table emptied and refilled), forced on small data."""
    if request.param:
        monkeypatch.setattr(synthetic, "BULK_ROWS", 1_000)
    return request.param


def snapshot_real(engine: Engine) -> dict[str, list]:
    """Every non-synthetic row of every table the generator writes to."""
    tables = {
        "results": select(s.results).where(s.results.c.is_synthetic.is_(False)),
        "sources": select(s.sources).where(~s.sources.c.key.startswith("synthetic:")),
        "indicators": select(s.indicators).where(~s.indicators.c.code.startswith("syn_")),
        "batches": select(s.import_batches).where(s.import_batches.c.kind != BATCH_KIND),
        "summary": select(s.result_summary.c.indicator_code, s.result_summary.c.value).where(
            s.result_summary.c.is_synthetic.is_(False)
        ),
    }
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(query)), key=repr) for name, query in tables.items()}


def index_names(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            query = "SELECT indexname FROM pg_indexes WHERE tablename = 'results'"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'results'"
        return set(conn.execute(text(query)).scalars())


def synthetic_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            "rows": conn.execute(
                select(func.count()).select_from(s.results).where(s.results.c.is_synthetic.is_(True))
            ).scalar(),
            "sources": conn.execute(
                select(func.count()).select_from(s.sources).where(s.sources.c.key.startswith("synthetic:"))
            ).scalar(),
            "indicators": conn.execute(
                select(func.count()).select_from(s.indicators).where(s.indicators.c.code.startswith("syn_"))
            ).scalar(),
            "batches": conn.execute(
                select(func.count())
                .select_from(s.import_batches)
                .where(s.import_batches.c.kind == BATCH_KIND)
            ).scalar(),
            "summary": conn.execute(
                select(func.count())
                .select_from(s.result_summary)
                .where(s.result_summary.c.is_synthetic.is_(True))
            ).scalar(),
        }


def test_writes_exactly_n_rows_marked_as_synthetic(writable, bulk):
    before, version = snapshot_real(writable), current_version(writable)
    outcome = generate_synthetic(writable, 3_001, seed=5, loaded_by="tests")
    assert (outcome.rows, outcome.removed, outcome.version) == (3_001, 0, version + 1)
    counts = synthetic_counts(writable)
    assert counts["rows"] == 3_001 and counts["sources"] == 14 and counts["indicators"] == 40
    assert counts["batches"] == 1 and counts["summary"] > 0
    with writable.connect() as conn:
        titles = conn.execute(
            select(s.sources.c.title, s.sources.c.title_fr, s.sources.c.note, s.sources.c.note_fr).where(
                s.sources.c.key.startswith("synthetic:")
            )
        ).all()
        batch = conn.execute(select(s.import_batches).where(s.import_batches.c.kind == BATCH_KIND)).one()
        scopes = conn.execute(
            select(s.results.c.scope, s.results.c.qualifier, s.results.c.batch_id)
            .where(s.results.c.is_synthetic.is_(True))
            .distinct()
        ).all()
    assert all(SOURCE_TITLE in title and SOURCE_TITLE_FR in title_fr and SOURCE_TITLE in note
               and SOURCE_TITLE_FR in note_fr for title, title_fr, note, note_fr in titles)  # fmt: skip
    assert (batch.rows_total, batch.rows_added, batch.loaded_by) == (3_001, 3_001, "tests")
    assert scopes == [("country", "exact", batch.id)]
    assert snapshot_real(writable) == before


def test_natural_key_is_respected_and_indexes_survive(writable, bulk):
    indexes = index_names(writable)
    generate_synthetic(writable, 2 * CELLS + 500, seed=1)  # totals, then sex, then some ages
    generate_synthetic(writable, 2 * CELLS + 500, seed=1)  # a second run replaces the first
    assert index_names(writable) == indexes
    key = [s.results.c[c] for c in ("indicator_code", "country_iso3", "period_start", "period_end")]
    key += [s.results.c[c] for c in ("breakdown_dim", "breakdown_value", "source_id")]
    with writable.connect() as conn:
        dupes = conn.execute(select(*key).group_by(*key).having(func.count() > 1).limit(1)).all()
    assert dupes == []
    # Re-inserting a stored synthetic figure breaks the unique index: it is in force.
    with pytest.raises(Exception, match="(?i)unique|duplicate"), writable.begin() as conn:
        row = conn.execute(select(s.results).where(s.results.c.is_synthetic.is_(True)).limit(1)).one()
        conn.execute(s.results.insert().values({k: v for k, v in row._asdict().items() if k != "id"}))


def test_parts_add_up_to_the_stored_totals(sqlite_db):
    generate_synthetic(sqlite_db, 3 * CELLS + 7, seed=3)  # totals, sex, ages (the last cell cut short)
    r = s.results.c
    query = select(r.indicator_code, r.country_iso3, r.period_start, r.breakdown_dim, r.value).where(
        r.is_synthetic.is_(True)
    )
    with sqlite_db.connect() as conn:
        stored = pd.DataFrame(conn.execute(query).all(), columns=["ind", "iso3", "start", "dim", "value"])
    cell = ["ind", "iso3", "start"]
    totals = stored[stored.dim == ""].set_index(cell)["value"]
    parts = stored[stored.dim != ""].groupby([*cell, "dim"])["value"].agg(["sum", "count"]).reset_index()
    parts["total"] = totals.reindex(pd.MultiIndex.from_frame(parts[cell])).to_numpy()
    complete = parts["count"] == parts["dim"].map({"sex": 2, "age_group": 4})
    assert len(parts) == CELLS + 2  # every cell by sex; two cells by age, the second cut short
    assert parts.loc[~complete, ["count", "dim"]].to_numpy().tolist() == [[3, "age_group"]]
    assert (parts.loc[complete, "sum"] == parts.loc[complete, "total"]).all()


def test_every_country_year_and_indicator_is_covered(sqlite_db):
    generate_synthetic(sqlite_db, COVERING, seed=2)
    query = text(
        "SELECT DISTINCT country_iso3, substr(period_end, 1, 4), indicator_code FROM results WHERE is_synthetic"
    )
    with sqlite_db.connect() as conn:
        combos = set(conn.execute(query).all())
    assert combos == {(c, str(y), i.code) for c in COUNTRIES for y in YEARS for i in INDICATORS}


def test_a_second_run_replaces_the_first(writable, bulk):
    before = snapshot_real(writable)
    generate_synthetic(writable, 5_000, seed=1)
    outcome = generate_synthetic(writable, 2_500, seed=2)
    assert (outcome.rows, outcome.removed) == (2_500, 5_000)
    assert synthetic_counts(writable) | {"summary": 0} == {
        "rows": 2_500,
        "sources": 14,
        "indicators": 40,
        "batches": 1,
        "summary": 0,
    }
    assert snapshot_real(writable) == before


def test_clear_removes_everything_synthetic_and_nothing_else(writable, bulk):
    before = snapshot_real(writable)
    generate_synthetic(writable, 4_000, seed=1)
    version = current_version(writable)
    outcome = clear_synthetic(writable)
    assert (outcome.removed, outcome.version) == (4_000, version + 1)
    assert synthetic_counts(writable) == dict.fromkeys(
        ("rows", "sources", "indicators", "batches", "summary"), 0
    )
    assert snapshot_real(writable) == before
    again = clear_synthetic(writable)
    assert (again.removed, again.version) == (0, None)
    assert current_version(writable) == version + 1


def test_a_failed_run_leaves_the_database_as_it_was(sqlite_db, bulk, monkeypatch):
    generate_synthetic(sqlite_db, 3_000, seed=1)
    before, indexes, version = snapshot_real(sqlite_db), index_names(sqlite_db), current_version(sqlite_db)
    counts = synthetic_counts(sqlite_db)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic, "refresh_summary", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_synthetic(sqlite_db, 6_000, seed=2)
    assert (snapshot_real(sqlite_db), index_names(sqlite_db)) == (before, indexes)
    assert (synthetic_counts(sqlite_db), current_version(sqlite_db)) == (counts, version)


def test_refusals_write_nothing(sqlite_db):
    version = current_version(sqlite_db)
    with pytest.raises(SyntheticRefused, match="at least 1"):
        generate_synthetic(sqlite_db, 0)
    with pytest.raises(SyntheticRefused, match="at most 10,416,000"):
        generate_synthetic(sqlite_db, 10_416_001)
    assert current_version(sqlite_db) == version
    assert synthetic_counts(sqlite_db)["indicators"] == 0


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def cli(sqlite_db):
    runner = make_app(sqlite_db).server.test_cli_runner()
    return lambda *args: runner.invoke(args=["generate-synthetic", *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0"], "0 is not in the range x>=1"),
        (["--rows", "-5"], "-5 is not in the range x>=1"),
        (["--rows", "many"], "'many' is not a valid integer"),
        (["--rows", "10", "--seed", "x"], "'x' is not a valid integer"),
        ([], "Give --rows N"),
    ],
)
def test_command_refuses_bad_input_with_a_message(cli, sqlite_db, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert synthetic_counts(sqlite_db)["rows"] == 0


def test_command_refuses_more_rows_than_the_grid(cli):
    result = cli("--rows", "99999999")
    assert result.exit_code == 1
    assert "Refused: the synthetic grid holds at most 10,416,000 rows" in result.output
    assert "Nothing was written" in result.output


def test_command_generates_replaces_and_clears(cli, sqlite_db):
    first = cli("--rows", "1500", "--seed", "4")
    assert first.exit_code == 0, first.output
    assert "Wrote 1,500 synthetic rows as batch" in first.output
    second = cli("--rows", "700")
    assert second.exit_code == 0 and "(removed 1,500 synthetic rows)" in second.output
    assert synthetic_counts(sqlite_db)["rows"] == 700
    cleared = cli("--clear")
    assert cleared.exit_code == 0 and "Cleared: removed 700 synthetic rows" in cleared.output
    nothing = cli("--clear")
    assert nothing.exit_code == 0 and "There was no synthetic data; nothing changed." in nothing.output


# --- the banner -----------------------------------------------------------------------------------


def root_layout(app):
    with app.server.test_request_context("/"):
        return app.layout()


def test_banner_appears_with_synthetic_data_and_goes_with_clear(sqlite_db):
    app = make_app(sqlite_db)
    assert by_id(root_layout(app), ids.SYNTHETIC_BANNER) is None
    generate_synthetic(sqlite_db, 100)
    banner = by_id(root_layout(app), ids.SYNTHETIC_BANNER)
    assert banner is not None and banner.role == "alert"
    words = text_of(banner)
    assert "these figures are not real COMPASS results" in words
    assert "ces chiffres ne sont pas de vrais résultats de COMPASS" in words
    assert (
        "\u0647\u0630\u0647 \u0627\u0644\u0623\u0631\u0642\u0627\u0645 \u0644\u064a\u0633\u062a \u0646\u062a\u0627\u0626\u062c \u0641\u0639\u0644\u064a\u0629"
        in words
    )  # Arabic
    assert sorted(p.lang for p in banner.children) == ["ar", "en", "fr"]
    clear_synthetic(sqlite_db)
    assert by_id(root_layout(app), ids.SYNTHETIC_BANNER) is None


def test_banner_is_served_with_every_page_and_the_frame_survives_a_database_failure(sqlite_db, tmp_path):
    generate_synthetic(sqlite_db, 100)
    client = make_app(sqlite_db).server.test_client()
    for path, status in (("/", 200), ("/countries/LBY?lang=fr", 200), ("/no-such-page", 404)):
        assert client.get(path).status_code == status  # (an unknown page: its shell, with 404)
        layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"})
        assert layout.status_code == 200 and b'"synthetic-banner"' in layout.data
    broken = make_app(make_engine(f"sqlite:///{tmp_path / 'missing' / 'none.db'}"))
    assert broken.server.test_client().get("/_dash-layout").status_code == 200


# --- correctness at scale -------------------------------------------------------------------------


def assert_pages_match_raw_rows(engine: Engine) -> None:
    """The country pages' yearly totals (from the summary) equal SUM/COUNT over raw results."""
    raw_query = text(
        "SELECT country_iso3, indicator_code, CAST(substr(CAST(period_end AS TEXT), 1, 4) AS INTEGER), "
        "sum(value), count(*) FROM results WHERE is_synthetic AND breakdown_dim = '' "
        "GROUP BY country_iso3, indicator_code, substr(CAST(period_end AS TEXT), 1, 4)"
    )
    # A scan of millions of rows may outlast the pages' statement timeout: not here.
    patient = make_engine(engine.url.render_as_string(hide_password=False), statement_timeout_ms=900_000)
    with patient.connect() as conn:
        raw = {(c, i, int(y)): (v, n) for c, i, y, v, n in conn.execute(raw_query)}
        total_rows = conn.execute(select(func.count()).select_from(s.results)).scalar()
        summary_rows = conn.execute(select(func.sum(s.result_summary.c.n_results))).scalar()
    patient.dispose()
    assert summary_rows == total_rows
    shown: dict[tuple, list[float]] = defaultdict(list)
    app = make_app(engine)
    with app.server.test_request_context("/"):
        for iso3 in COUNTRIES:
            frame = q.country_results(iso3, None, "en", breakdowns=False)
            frame = frame[frame.indicator_code.str.startswith("syn_")]
            for row in frame.itertuples():
                shown[(iso3, row.indicator_code, row.period_end.year)].append(row.value)
    assert set(shown) == set(raw)
    assert all(len(values) == 1 for values in shown.values())  # one source per country: one figure
    assert {key: values[0] for key, values in shown.items()} == {key: v for key, (v, _n) in raw.items()}
    assert {n for _v, n in raw.values()} == {12}  # every month of every year


@pytest.mark.scale
@pytest.mark.timeout(900)
def test_ten_million_rows_on_sqlite_aggregate_exactly(tmp_path):
    engine = prepared_sqlite(tmp_path)
    outcome = generate_synthetic(engine, 10_000_000, seed=0)
    assert outcome.rows == 10_000_000
    assert synthetic_counts(engine)["rows"] == 10_000_000
    assert_pages_match_raw_rows(engine)
    engine.dispose()


@pytest.mark.scale
@pytest.mark.timeout(600)
def test_a_bulk_load_on_postgres_aggregates_exactly(postgres_db):
    outcome = generate_synthetic(
        postgres_db, 400_000, seed=0
    )  # above BULK_ROWS: indexes rebuilt, COPY FREEZE
    assert outcome.rows == 400_000
    assert_pages_match_raw_rows(postgres_db)
