"""The result summary: equal to a GROUP BY computed here, independently, from the
raw results after every kind of write (reference load, import, --replace import,
deletion); one row per result for the reference data; refreshed per source; read
through indexes (EXPLAIN) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import dataclasses
import importlib
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, insert, select, text

from config import REFERENCE_DIR
from data_access import queries as q
from data_access import schema as s
from data_access.engine import make_engine
from data_access.imports.importer import ImportOptions, import_file
from data_access.loader import load_reference, prepare_database
from data_access.queries import R, _results_query
from data_access.reference import read_reference
from data_access.summary import refresh_summary
from data_access.synthetic import generate_synthetic
from data_access.version import bump_version
from model.file_format import RESULT_COLUMNS
from pages import paths
from tests.helpers import by_id, fresh_postgres, make_app, parse_html, required_env, text_of, walk

MONTHS = range(1, 13)
SUMMABLE = "stakeholders_trained"
NOT_SUMMABLE = "satisfaction_rate_pct"


# --- the expected summary, computed in Python from the raw rows --------------------------------


def _raw(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        query = select(s.results, s.indicators.c.summable).join(
            s.indicators, s.results.c.indicator_code == s.indicators.c.code
        )
        return [dict(row) for row in conn.execute(query).mappings()]


def expected_summary(engine: Engine) -> list[tuple]:
    """Rows of one source that are parts of one year's figure summed; a
    non-summable indicator's rows grouped by their exact period (never summed)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in _raw(engine):
        exact = None if r["summable"] else (r["period_start"], r["period_end"])
        key = (
            r["indicator_code"],
            r["scope"],
            r["country_iso3"],
            r["source_id"],
            r["breakdown_dim"],
            r["breakdown_value"],
            r["qualifier"],
            bool(r["is_synthetic"]),
            r["period_start"].year,
            r["period_end"].year,
            exact,
        )
        groups[key].append(r)
    rows = []
    for key, parts in groups.items():
        targets = [p["target"] for p in parts if p["target"] is not None]
        rows.append(
            (
                *key[:8],
                key[9],
                min(p["period_start"] for p in parts),
                max(p["period_end"] for p in parts),
                round(sum(p["value"] for p in parts), 6),
                round(sum(targets), 6) if targets else None,
                len(parts),
            )
        )
    return sorted(rows, key=repr)


def stored_summary(engine: Engine) -> list[tuple]:
    c = R.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                c.indicator_code,
                c.scope,
                c.country_iso3,
                c.source_id,
                c.breakdown_dim,
                c.breakdown_value,
                c.qualifier,
                c.is_synthetic,
                c.year,
                c.period_start,
                c.period_end,
                c.value,
                c.target,
                c.n_results,
            )
        ).all()
    return sorted(
        (
            (
                *r[:7],
                bool(r[7]),
                r[8],
                r[9],
                r[10],
                round(r[11], 6),
                None if r[12] is None else round(r[12], 6),
                r[13],
            )
            for r in rows
        ),
        key=repr,
    )


def expected_counts(engine: Engine) -> list[tuple]:
    """Per source, indicator, place and breakdown dimension: yearly figures, raw results."""
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in expected_summary(engine):
        key = (row[3], row[0], row[1], row[2], row[4], row[7])
        counts[key][0] += 1
        counts[key][1] += row[-1]
    return sorted(((*key, figures, n) for key, (figures, n) in counts.items()), key=repr)


def stored_counts(engine: Engine) -> list[tuple]:
    c = s.result_counts.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                c.source_id,
                c.indicator_code,
                c.scope,
                c.country_iso3,
                c.breakdown_dim,
                c.is_synthetic,
                c.figures,
                c.n_results,
            )
        ).all()
    return sorted(((*r[:5], bool(r[5]), r[6], r[7]) for r in rows), key=repr)


def assert_summary_exact(engine: Engine) -> None:
    expected = expected_summary(engine)
    assert expected, "the database has results"
    assert stored_summary(engine) == expected
    assert stored_counts(engine) == expected_counts(engine)


# --- databases of the test's own, on both engines --------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def writable(request, tmp_path) -> Engine:
    """A migrated, loaded database the test may change, on each backend in turn."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'compass.db'}")
    else:
        engine = fresh_postgres(required_env("TEST_DATABASE_URL"))
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    yield engine
    engine.dispose()
    if request.param == "postgres":
        # Other tests share this database as the prepared reference data: leave it so.
        restored = fresh_postgres(required_env("TEST_DATABASE_URL"))
        prepare_database(restored, REFERENCE_DIR, loaded_by="tests")
        restored.dispose()


def _write_csv(path: Path, rows: list[dict]) -> Path:
    names = [c.name for c in RESULT_COLUMNS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in names})
    return path


def _monthly(indicator: str, value: float, year: int = 2023, **extra) -> list[dict]:
    """Twelve monthly figures of one source for Niger."""
    rows = []
    for month in MONTHS:
        end = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
        rows.append(
            {
                "indicator": indicator,
                "country_iso3": "NER",
                "period_start": date(year, month, 1).isoformat(),
                "period_end": date.fromordinal(end).isoformat(),
                "value": str(value + month),
                "qualifier": "exact",
                "source_title": "Monthly fixture report",
                "source_url": "https://example.org/monthly",
                **extra,
            }
        )
    return rows


def _import(engine: Engine, path: Path, **options) -> None:
    outcome = import_file(
        engine,
        path,
        ImportOptions(**({"loaded_by": "tests", "write_report": False, "visibility": "public"} | options)),
    )
    assert outcome.ok and outcome.written, [p.message for p in outcome.problems.kept]


# --- the reference data ---------------------------------------------------------------------------


def test_reference_summary_is_one_row_per_result(engine):
    """Every reference group is a single result: pages show exactly what the sources state."""
    with engine.connect() as conn:
        raw = conn.execute(select(func.count()).select_from(s.results)).scalar()
        pairs = conn.execute(
            select(func.count())
            .select_from(
                s.results.join(
                    R,
                    (R.c.indicator_code == s.results.c.indicator_code)
                    & (func.coalesce(R.c.country_iso3, "") == func.coalesce(s.results.c.country_iso3, ""))
                    & (R.c.period_start == s.results.c.period_start)
                    & (R.c.period_end == s.results.c.period_end)
                    & (R.c.breakdown_dim == s.results.c.breakdown_dim)
                    & (R.c.breakdown_value == s.results.c.breakdown_value)
                    & (R.c.source_id == s.results.c.source_id)
                    & (R.c.value == s.results.c.value)
                    & (R.c.qualifier == s.results.c.qualifier),
                )
            )
            .where(R.c.n_results == 1)
        ).scalar()
        summary = conn.execute(select(func.count()).select_from(R)).scalar()
    assert raw > 0 and raw == summary == pairs
    assert_summary_exact(engine)


def test_reference_reload_keeps_the_summary_exact(writable):
    """A reference load that drops a figure (the loader prunes it) and changes another."""
    data = read_reference(REFERENCE_DIR)
    changed = dict(data.results[1], value=data.results[1]["value"] + 1)
    smaller = dataclasses.replace(data, results=[changed, *data.results[2:]], checksum="edited")
    before = len(stored_summary(writable))
    report = load_reference(writable, smaller, loaded_by="tests")
    assert (report.removed, report.updated) == (1, 1)
    assert len(stored_summary(writable)) == before - 1
    assert_summary_exact(writable)


# --- imports ---------------------------------------------------------------------------------------


def test_import_turns_monthly_rows_into_yearly_figures(writable, tmp_path):
    rows = _monthly(SUMMABLE, 100) + _monthly(NOT_SUMMABLE, 50)
    rows += _monthly(SUMMABLE, 10, breakdown="sex", breakdown_value="female")
    _import(writable, _write_csv(tmp_path / "monthly.csv", rows))
    assert_summary_exact(writable)
    with writable.connect() as conn:
        yearly = conn.execute(
            select(R.c.value, R.c.period_start, R.c.period_end, R.c.n_results, R.c.year).where(
                R.c.indicator_code == SUMMABLE, R.c.country_iso3 == "NER", R.c.breakdown_dim == ""
            )
        ).all()
        rates = conn.execute(
            select(func.count(), func.max(R.c.n_results))
            .select_from(R.join(s.sources, R.c.source_id == s.sources.c.id))
            .where(R.c.indicator_code == NOT_SUMMABLE, s.sources.c.url == "https://example.org/monthly")
        ).one()
    assert [tuple(r) for r in yearly] == [(1200.0 + 78, date(2023, 1, 1), date(2023, 12, 31), 12, 2023)]
    assert tuple(rates) == (12, 1)  # a percentage is never added up


def test_replace_import_keeps_the_summary_exact(writable, tmp_path):
    _import(writable, _write_csv(tmp_path / "monthly.csv", _monthly(SUMMABLE, 100)))
    changed = _monthly(SUMMABLE, 100)
    changed[0]["value"] = "1001"  # January 101 -> 1001
    _import(writable, _write_csv(tmp_path / "monthly-v2.csv", changed), replace=True)
    assert_summary_exact(writable)
    with writable.connect() as conn:
        value = conn.execute(
            select(R.c.value).where(
                R.c.indicator_code == SUMMABLE, R.c.country_iso3 == "NER", R.c.year == 2023
            )
        ).scalar_one()
    assert value == 1278.0 + 900


def test_deleting_results_and_refreshing_their_source(writable, tmp_path):
    _import(writable, _write_csv(tmp_path / "monthly.csv", _monthly(SUMMABLE, 100)))
    with writable.begin() as conn:
        source_id, first = conn.execute(
            select(s.results.c.source_id, func.min(s.results.c.id))
            .where(s.results.c.indicator_code == SUMMABLE, s.results.c.country_iso3 == "NER")
            .group_by(s.results.c.source_id)
        ).one()
        conn.execute(delete(s.results).where(s.results.c.id == first))
        refresh_summary(conn, [source_id])
    assert_summary_exact(writable)
    with writable.begin() as conn:
        conn.execute(delete(s.results).where(s.results.c.source_id == source_id))
        refresh_summary(conn, [source_id])
    assert_summary_exact(writable)
    with writable.connect() as conn:
        assert conn.execute(select(func.count()).where(R.c.source_id == source_id)).scalar() == 0


def test_refresh_touches_only_the_given_sources(writable):
    with writable.begin() as conn:
        template = dict(conn.execute(select(s.results).limit(1)).mappings().one())
        sources = sorted(conn.execute(select(s.sources.c.id)).scalars())[:2]
        for source_id in sources:
            row = {k: v for k, v in template.items() if k != "id"}
            row.update(source_id=source_id, breakdown_dim="sex", breakdown_value="female", value=7.0)
            conn.execute(insert(s.results).values(**row))
        refresh_summary(conn, [sources[0]])
    with writable.connect() as conn:
        added = conn.execute(
            select(R.c.source_id).where(R.c.breakdown_dim == "sex", R.c.breakdown_value == "female")
        ).scalars()
        assert list(added) == [sources[0]]  # the other source's row waits for its own refresh
    with writable.begin() as conn:
        refresh_summary(conn)  # None: every source
    assert_summary_exact(writable)


# --- synthetic data ------------------------------------------------------------------------------


def test_has_synthetic_data(writable):
    app = make_app(writable)
    with app.server.test_request_context("/"):
        assert q.has_synthetic_data() is False
    with writable.begin() as conn:
        row = dict(conn.execute(select(s.results).limit(1)).mappings().one())
        row.pop("id")
        row.update(is_synthetic=True, breakdown_dim="sex", breakdown_value="male")
        conn.execute(insert(s.results).values(**row))
        refresh_summary(conn, [row["source_id"]])
        bump_version(conn)
    with app.server.test_request_context("/"):
        assert q.has_synthetic_data() is True
    assert_summary_exact(writable)


# --- indexes ---------------------------------------------------------------------------------------


def _plan(engine: Engine, query) -> str:
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            return "\n".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        # The reference tables are tiny, where a sequential scan is cheapest: forbid
        # it for this transaction to see which index the query can use.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))


COUNTRY_TOTALS = _results_query("en", False).where(
    R.c.country_iso3 == "LBY", R.c.year == 2022, R.c.breakdown_dim == ""
)


@pytest.mark.parametrize(
    "query, index",
    [
        (COUNTRY_TOTALS, "ix_result_summary_country_year"),
        (
            _results_query("en", False).where(
                R.c.scope == "programme", R.c.year == 2022, R.c.breakdown_dim == ""
            ),
            "ix_result_summary_scope_year",
        ),
        (
            _results_query("en", False).where(R.c.indicator_code == SUMMABLE, R.c.breakdown_dim == "sex"),
            "ix_result_summary_indicator_year",
        ),
        (
            _results_query("en", False).where(
                R.c.country_iso3 == "LBY", R.c.year == 2022, R.c.target.is_not(None)
            ),
            "ix_result_summary_targets",
        ),
        (
            select(R.c.breakdown_dim, func.count(), func.min(R.c.indicator_code))
            .where(R.c.country_iso3 == "LBY", R.c.year == 2022, R.c.breakdown_dim != "")
            .group_by(R.c.breakdown_dim),
            "ix_result_summary_country_year",
        ),
    ],
    ids=["country", "programme", "indicator", "targets", "breakdowns"],
)
def test_page_queries_use_summary_indexes(engine, query, index):
    plan = _plan(engine, query)
    assert index in plan, plan
    assert "results" not in plan.replace("result_summary", ""), plan  # never the raw results
    if engine.dialect.name == "sqlite":
        assert "SCAN result_summary" not in plan, plan
    else:
        assert "Seq Scan on result_summary" not in plan, plan


def test_year_lists_seek_the_index(engine):
    """Distinct years come from one index seek per year, not a read of every row."""
    query = select(func.min(R.c.year)).where(R.c.country_iso3 == "LBY", R.c.year > 2020)
    plan = _plan(engine, query)
    assert "ix_result_summary_country_year" in plan, plan
    app = make_app(engine)
    with app.server.test_request_context("/"), engine.connect() as conn:
        assert q.distinct_years(conn, "country_iso3", "LBY") == sorted(
            {int(y) for y in conn.execute(select(R.c.year).where(R.c.country_iso3 == "LBY")).scalars()}
        )
        assert q.country_years("LBY") == sorted(
            set(q.distinct_years(conn, "country_iso3", "LBY"))
            | set(
                conn.execute(
                    select(s.activities.c.year).where(s.activities.c.country_iso3 == "LBY")
                ).scalars()
            )
            | set(
                conn.execute(select(s.campaigns.c.year).where(s.campaigns.c.country_iso3 == "LBY")).scalars()
            )
        )


# --- pages: totals on the country page, breakdowns one click away, exports complete ---------------


def test_country_page_shows_totals_and_links_breakdowns(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    rows = _monthly(SUMMABLE, 100)
    for sex in ("female", "male"):
        rows += _monthly(SUMMABLE, 10, breakdown="sex", breakdown_value=sex)
    _import(engine, _write_csv(tmp_path / "monthly.csv", rows))
    app = make_app(engine)
    country_page = importlib.import_module("pages.country")
    with app.server.test_request_context("/"):
        tree = country_page.layout(iso3="NER", year="2023", lang="en")
        french = country_page.layout(iso3="NER", year="2023", lang="fr")
    figures = text_of(by_id(tree, "figures"))
    assert "1,278" in figures and "Sex: female" not in figures  # the yearly total, not its parts
    note = by_id(tree, country_page.BREAKDOWN_NOTE)
    assert "2 broken-down figures for 2023" in text_of(note)
    href = paths.indicators_url(lang="en", indicators=SUMMABLE, countries="NER", years=2023, breakdown="sex")
    assert [link.href for link in walk(note) if getattr(link, "href", None)] == [href]
    assert "2 chiffres ventil\u00e9s pour 2023" in text_of(by_id(french, country_page.BREAKDOWN_NOTE))
    csv_text = app.server.test_client().get("/export/country-figures.csv?year=2023&country=NER").text
    assert csv_text.count("female") == 1 and csv_text.count("male") == 2  # exports keep breakdowns
    engine.dispose()


def test_country_page_without_breakdowns_has_no_note(sqlite_context):
    country_page = importlib.import_module("pages.country")
    tree = country_page.layout(iso3="LBY", year="2022", lang="en")
    assert by_id(tree, "figures") is not None
    assert by_id(tree, country_page.BREAKDOWN_NOTE) is None


def test_synthetic_monthly_rows_become_yearly_figures(writable):
    """The generator's monthly rows (several sources, breakdowns) summed per source and year."""
    generate_synthetic(writable, 6000, seed=3, loaded_by="tests")
    assert_summary_exact(writable)
    with writable.connect() as conn:
        months = conn.execute(select(func.max(R.c.n_results)).where(R.c.is_synthetic.is_(True))).scalar()
        synthetic = conn.execute(select(func.sum(R.c.n_results)).where(R.c.is_synthetic.is_(True))).scalar()
    assert months > 1 and synthetic == 6000


def test_country_page_at_scale_caps_the_cards_not_the_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    generate_synthetic(engine, 20000, seed=1, loaded_by="tests")
    # The country's own figures: a programme fact its sources cite is shown apart.
    own = R.join(s.indicators, R.c.indicator_code == s.indicators.c.code)
    not_fact = s.indicators.c.theme != "programme"
    with engine.connect() as conn:
        iso3, year, totals = conn.execute(
            select(R.c.country_iso3, R.c.year, func.count().label("n"))
            .select_from(own)
            .where(R.c.breakdown_dim == "", R.c.scope == "country", not_fact)
            .group_by(R.c.country_iso3, R.c.year)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    country_page = importlib.import_module("pages.country")
    with engine.connect() as conn:
        figures = conn.execute(  # a card per indicator and period, whatever the sources
            select(func.count()).select_from(
                select(R.c.indicator_code, R.c.period_start, R.c.period_end)
                .select_from(own)
                .where(R.c.country_iso3 == iso3, R.c.year == year, R.c.breakdown_dim == "", not_fact)
                .distinct()
                .subquery()
            )
        ).scalar()
    assert figures > country_page.MAX_FIGURE_CARDS
    app = make_app(engine)
    with app.server.test_request_context("/"):
        tree = country_page.layout(iso3=iso3, year=str(year), lang="en")
    cards = [n for n in walk(tree) if "kpi-card" in str(getattr(n, "className", "") or "")]
    assert len(cards) == country_page.MAX_FIGURE_CARDS + 2  # and the partners and activities counts
    note = text_of(by_id(tree, country_page.CARDS_NOTE))
    assert (
        note
        == f"{country_page.MAX_FIGURE_CARDS} of {figures} figures as cards; the table below lists them all."
    )
    table = by_id(tree, "country-figures")  # written as HTML: one <tr> per total, and the heading
    assert len(parse_html(table.html).find_all("tr")) == totals + 1
    engine.dispose()
