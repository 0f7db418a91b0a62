"""The reference data is true to its two sources: the French Year 2 narrative and
the public-figures TSV. Every figure reaches the database with its quote or URL."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest
import yaml
from sqlalchemy import select

from config import REFERENCE_DIR
from data_access import schema as s
from data_access.reference import ReferenceError, read_reference
from tests.helpers import IN_CI, REPO, changed_reference

SEED = REFERENCE_DIR / "seed" / "000_e8d3e213471d22d6.txt"
SHARED = REPO.parent / "shared"
SPELLED = {"sept": 7, "quatre": 4, "huit": 8}
COMPASS_14 = {
    "AFG",
    "DZA",
    "TCD",
    "EGY",
    "ETH",
    "IRQ",
    "LBN",
    "LBY",
    "MLI",
    "MAR",
    "NER",
    "NGA",
    "SDN",
    "TUN",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed_numbers() -> list[int]:
    """Every figure the narrative states: numerals (years and 'Year 2' excepted) and spelled-out numbers."""
    text = SEED.read_text(encoding="utf-8").replace("Year 2", "")
    numbers = []
    for match in re.finditer(r"\d[\d\s\u202f\u00a0]*\d|\d", text):
        value = int(re.sub(r"\D", "", match.group()))
        if not 2000 <= value <= 2100:
            numbers.append(value)
    for word, value in SPELLED.items():
        numbers += [value] * len(re.findall(rf"\b{word}\b", text, flags=re.IGNORECASE))
    return numbers


def _narrative() -> dict:
    return yaml.safe_load((REFERENCE_DIR / "year2_narrative_2022.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "shared, ours",
    [
        ("seeds/000_e8d3e213471d22d6.txt", "seed/000_e8d3e213471d22d6.txt"),
        ("reference/compass_public_figures.tsv", "compass_public_figures.tsv"),
    ],
)
def test_repository_copies_match_shared_sources(shared, ours):
    original = SHARED / shared
    if not original.exists():
        if IN_CI:
            pytest.fail(f"{original} missing: CI lays shared/ beside the clone")
        pytest.skip("shared/ not beside this checkout")
    assert (REFERENCE_DIR / ours).read_bytes() == original.read_bytes()


def test_every_quote_is_verbatim_from_the_seed():
    seed = _norm(SEED.read_text(encoding="utf-8"))
    missing = [q["key"] for q in _narrative()["quotes"] if _norm(q["text"]) not in seed]
    assert not missing, f"quotes not found verbatim in the seed: {missing}"


def test_the_seed_numbers_are_all_found():
    numbers = _seed_numbers()
    # The narrative's figures, as a reader counts them (guards the extraction above).
    assert sorted(numbers) == sorted([181, 45, 122, 7, 4, 14, 7000, 8, 54, 42, 400000])


def test_every_seed_figure_reaches_the_database_with_its_quote(sqlite_engine):
    query = select(s.results.c.value, s.sources.c.quote).join(
        s.sources, s.results.c.source_id == s.sources.c.id
    )
    with sqlite_engine.connect() as conn:
        rows = conn.execute(query.where(s.sources.c.quote.is_not(None))).all()
    missing = []
    for number in set(_seed_numbers()):
        spelled = [w for w, v in SPELLED.items() if v == number]
        pattern = re.compile(
            r"\b(" + "|".join([re.escape(f"{number:,}".replace(",", " ")), str(number)] + spelled) + r")\b",
            flags=re.IGNORECASE,
        )
        hits = [quote for value, quote in rows if value == number and pattern.search(_norm(quote))]
        if not hits:
            missing.append(number)
    assert not missing, f"seed figures without a result quoting them: {missing}"


def test_every_named_partner_is_in_the_database_with_its_quote(sqlite_engine):
    with sqlite_engine.connect() as conn:
        rows = conn.execute(
            select(s.partners.c.name_fr, s.partners.c.acronym, s.sources.c.quote).join(
                s.sources, s.partners.c.source_id == s.sources.c.id
            )
        ).all()
    names = {name for name, _, _ in rows} | {acronym for _, acronym, _ in rows if acronym}
    expected = [
        "CADH",
        "Oxfam",
        "INSEED",
        "Threads of Hope",
        "Bethany Christian Services Global",
        "Bright Star Relief and Development Association",
        "Mary Joy Development Association",
        "Mekane Yesus",
        "Positive Action for Development",
        "International Medical Corps",
        "Belkhair",
        "Girls Power Initiative",
        "Amal",
        "Caritas",
        "Médecins du Monde",
        "Terre d’Asile",
    ]
    absent = [e for e in expected if not any(e.lower() in n.lower() for n in names)]
    assert not absent, f"partners named in the seed but missing: {absent}"
    for name, acronym, quote in rows:
        words = re.findall(r"\w{4,}", re.sub(r"\(.*?\)", "", name).lower())
        assert all(w in quote.lower() for w in words) or (acronym and acronym in quote), (name, quote)


def test_activities_have_both_languages_and_partners_resolve(sqlite_engine):
    with sqlite_engine.connect() as conn:
        rows = conn.execute(
            select(s.activities.c.key, s.activities.c.description_en, s.activities.c.description_fr)
        ).all()
        links = conn.execute(select(s.activity_partners)).all()
    assert len(rows) == len(_narrative()["activities"])
    assert all(en.strip() and fr.strip() and en != fr for _, en, fr in rows)
    expected_links = sum(len(set(a.get("partners") or [])) for a in _narrative()["activities"])
    assert len(links) == expected_links


def _tsv_rows() -> list[dict]:
    with (REFERENCE_DIR / "compass_public_figures.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _curated_periods() -> dict[tuple[str, str], tuple[date, date]]:
    with (REFERENCE_DIR / "figure_periods.tsv").open(encoding="utf-8", newline="") as handle:
        return {
            (r["source_url"], r["evidence"]): (
                date.fromisoformat(r["period_start"]),
                date.fromisoformat(r["period_end"]),
            )
            for r in csv.DictReader(handle, delimiter="\t")
        }


def test_every_public_figure_reaches_the_database_with_period_qualifier_and_url(engine):
    query = select(
        s.results.c.indicator_code,
        s.results.c.country_iso3,
        s.results.c.period_start,
        s.results.c.period_end,
        s.results.c.value,
        s.results.c.qualifier,
        s.sources.c.url,
        s.sources.c.note,
    ).join(s.sources, s.results.c.source_id == s.sources.c.id)
    with engine.connect() as conn:
        stored = {tuple(r) for r in conn.execute(query.where(s.sources.c.url.is_not(None))).all()}
    rows = _tsv_rows()
    assert len(rows) == 55
    curated = _curated_periods()
    for row in rows:
        years = [int(y) for y in row["year"].split("-")]
        # The year (or span) as published, or the exact period curated for a running
        # total "as of" a date (figure_periods.tsv), which ends within it.
        start, end = curated.get(
            (row["source_url"], row["evidence"]), (date(years[0], 1, 1), date(years[-1], 12, 31))
        )
        assert years[0] <= end.year <= years[-1]
        expected = (
            row["indicator"],
            row["country_iso3"] or None,
            start,
            end,
            float(row["value"]),
            row["qualifier"],
            row["source_url"],
            row["evidence"],
        )
        assert expected in stored, f"TSV row not stored as published: {row}"


def test_contradictions_stay_side_by_side(engine):
    def values(code: str, start: int, end: int) -> set:
        query = select(s.results.c.value, s.results.c.qualifier).where(
            s.results.c.indicator_code == code,
            s.results.c.scope == "programme",
            s.results.c.period_start == date(start, 1, 1),
            s.results.c.period_end == date(end, 12, 31),
        )
        with engine.connect() as conn:
            return set(conn.execute(query).all())

    assert values("migrants_assisted_total", 2023, 2023) == {(38862.0, "up_to"), (38862.0, "exact")}
    assert values("partner_countries", 2021, 2021) == {(14.0, "exact"), (12.0, "exact")}
    assert values("satisfaction_rate_pct", 2021, 2021) == {(82.0, "exact")}


def test_all_fourteen_countries_with_three_names(engine):
    with engine.connect() as conn:
        rows = conn.execute(select(s.countries)).mappings().all()
    assert {r["iso3"] for r in rows} == COMPASS_14
    for r in rows:
        assert r["name_en"] and r["name_fr"] and r["name_ar"]
        assert re.search(r"[\u0600-\u06FF]", r["name_ar"]), r


def test_percentages_and_context_figures_are_not_summable(engine):
    with engine.connect() as conn:
        flags = dict(conn.execute(select(s.indicators.c.code, s.indicators.c.summable)).all())
    for code in (
        "satisfaction_rate_pct",
        "partner_countries",
        "returnees_exposed_exploitation_pct",
        "budget_eur_million",
    ):
        assert flags[code] is False
    assert flags["migrants_return_assistance"] is True


# --- French source notes (data/reference/source_notes_fr.tsv) -------------------------------


def _numbers(text: str) -> list[str]:
    """The numbers a text states, thousands separators of either language removed."""
    return sorted(re.findall(r"\d+", re.sub(r"(?<=\d)[,\u202f\u00a0](?=\d{3}\b)", "", text)))


def test_every_source_note_has_a_french_text_with_the_same_numbers(engine):
    with engine.connect() as conn:
        notes = conn.execute(
            select(s.sources.c.note, s.sources.c.note_fr).where(s.sources.c.note.is_not(None))
        ).all()
    assert len(notes) == len({r["evidence"] for r in _tsv_rows()})
    for note, note_fr in notes:
        assert note_fr and note_fr.strip() and note_fr != note, note
        assert _numbers(note_fr) == _numbers(note), (note, note_fr)


def test_a_french_note_for_a_note_that_is_gone_is_refused(tmp_path):
    folder = changed_reference(tmp_path)
    notes = folder / "source_notes_fr.tsv"
    notes.chmod(0o644)
    notes.write_text(notes.read_text(encoding="utf-8") + "No such note.\tAucune note.\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="No such note"):
        read_reference(folder)


def test_a_note_without_french_text_loads_with_none(tmp_path):
    folder = changed_reference(tmp_path)
    notes = folder / "source_notes_fr.tsv"
    notes.chmod(0o644)
    lines = notes.read_text(encoding="utf-8").splitlines()
    notes.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    first = lines[1].split("\t")[0]
    sources = {r["note"]: r["note_fr"] for r in read_reference(folder).sources if r["note"]}
    assert sources[first] is None
    assert sum(v is None for v in sources.values()) == 1


# --- exact periods of "as of" figures (data/reference/figure_periods.tsv) ---------------------------

AS_OF_URL = "https://cnnnewsnigeria.com/iom-facilitates-safe-return-of-1000-nigerian-migrants-from-niger-republic/2024/"


def test_a_running_total_as_of_a_date_keeps_that_period():
    """The figures file can only say 2024; its source says "cumulative ... as of Feb
    2024": the figure and its headline rounding end on 29 February 2024."""
    periods = {
        r["value"]: (r["period_start"], r["period_end"])
        for r in read_reference(REFERENCE_DIR).results
        if r["country_iso3"] == "NGA" and r["indicator_code"] == "migrants_return_assistance"
    }
    assert periods == {
        1013.0: (date(2021, 1, 1), date(2024, 2, 29)),
        1000.0: (date(2021, 1, 1), date(2024, 2, 29)),
    }


def _periods_file(tmp_path, extra_line: str):
    folder = changed_reference(tmp_path)
    periods = folder / "figure_periods.tsv"
    periods.chmod(0o644)
    periods.write_text(periods.read_text(encoding="utf-8") + extra_line, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "line, message",
    [
        ("https://example.org/\tNo such figure.\t2021-01-01\t2022-06-30\tx\n", "No such figure"),
        ("https://example.org/\tNo such figure.\t2021-01-01\tJune 2022\tx\n", "must be dates"),
        ("https://example.org/\tNo such figure.\t2021-01-01\t2022-06-30\t\n", "say why"),
    ],
)
def test_a_curated_period_that_matches_nothing_or_says_nothing_is_refused(tmp_path, line, message):
    with pytest.raises(ReferenceError, match=message):
        read_reference(_periods_file(tmp_path, line))


def test_a_curated_period_must_end_within_the_figures_year(tmp_path):
    folder = changed_reference(tmp_path)
    periods = folder / "figure_periods.tsv"
    periods.chmod(0o644)
    periods.write_text(
        periods.read_text(encoding="utf-8").replace("2024-02-29", "2023-12-31", 1), encoding="utf-8"
    )
    with pytest.raises(ReferenceError, match="outside 2024"):
        read_reference(folder)
