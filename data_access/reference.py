"""Read the reference data files in data/reference/ into plain records.

The files are the reviewable origin of the programme's published figures:
countries.csv, indicators.csv, compass_public_figures.tsv (published figures
with source URLs), source_notes_fr.tsv (the French text of its notes, kept
beside it because the figures file is a copy of the shared one) and
year2_narrative_2022.yaml (the French Year 2 narrative,
quote by quote). Reading validates references between them, so a typo in a
file fails loudly here instead of showing a wrong number later.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from data_access.schema import PARTNER_TYPES, QUALIFIERS

FILES = (
    "countries.csv",
    "indicators.csv",
    "compass_public_figures.tsv",
    "source_notes_fr.tsv",
    "year2_narrative_2022.yaml",
)


class ReferenceError(ValueError):
    """A reference file is inconsistent; the message names the file and row."""


@dataclass
class ReferenceData:
    """Everything the reference files hold, ready to be written to the database."""

    countries: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    campaigns: list[dict] = field(default_factory=list)
    checksum: str = ""


def parse_period(text: str) -> tuple[date, date]:
    """'2022' -> 2022-01-01..2022-12-31; '2021-2022' -> 2021-01-01..2022-12-31."""
    parts = str(text).strip().split("-")
    try:
        years = [int(p) for p in parts]
    except ValueError as exc:
        raise ReferenceError(f"period {text!r} is not a year or a span of years") from exc
    if len(years) not in (1, 2) or not all(1990 <= y <= 2100 for y in years):
        raise ReferenceError(f"period {text!r} is not a year or a span of years")
    start, end = years[0], years[-1]
    if end < start:
        raise ReferenceError(f"period {text!r} ends before it starts")
    return date(start, 1, 1), date(end, 12, 31)


def checksum(directory: Path) -> str:
    """SHA-256 over the reference files, so an unchanged set is not reloaded."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


def read_reference(directory: Path) -> ReferenceData:
    """Read and cross-check every reference file in `directory`."""
    data = ReferenceData(checksum=checksum(directory))
    data.countries = _read_countries(directory / "countries.csv")
    data.indicators = _read_indicators(directory / "indicators.csv")
    notes_fr = _read_notes_fr(directory / "source_notes_fr.tsv")
    periods = _read_periods(directory / "figure_periods.tsv")
    _read_public_figures(directory / "compass_public_figures.tsv", data, notes_fr, periods)
    _read_narrative(directory / "year2_narrative_2022.yaml", data)
    _check_references(data)
    return data


def _read_csv(path: Path, delimiter: str = ",") -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle, delimiter=delimiter)
        ]


def _read_countries(path: Path) -> list[dict]:
    return [
        {
            "iso3": row["iso3"].upper(),
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "name_ar": row["name_ar"],
            "region": row["region"],
            "is_compass": row["compass"] == "1",
        }
        for row in _read_csv(path)
    ]


def _read_indicators(path: Path) -> list[dict]:
    return [
        {
            "code": row["code"],
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "unit": row["unit"],
            "theme": row["theme"],
            "summable": row["summable"] == "1",
            "headline": int(row["headline"]) if row["headline"] else None,
            "definition_en": row["definition_en"],
            "definition_fr": row["definition_fr"],
            # Arabic (issue 16); an empty cell shows the English text on Arabic pages.
            "name_ar": row.get("name_ar") or None,
            "definition_ar": row.get("definition_ar") or None,
            # Counts of identifiable people (small-cell suppression, model/suppression.py).
            "sensitive": (row.get("sensitive") or "0").strip() == "1",
        }
        for row in _read_csv(path)
    ]


def _source_title(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    title = f"{host}{path}"
    return title if len(title) <= 90 else title[:87] + "..."


def _read_notes_fr(path: Path) -> dict[str, str]:
    """English note -> its French text. The English note is the key, so a note
    edited in the figures file without its translation falls back to English
    (and is listed on the Data page) instead of showing a stale French text."""
    notes: dict[str, str] = {}
    for line_no, row in enumerate(_read_csv(path, delimiter="\t"), start=2):
        if row["evidence"] in notes:
            raise ReferenceError(f"{path.name} line {line_no}: the note is translated twice")
        if row["note_fr"]:
            notes[row["evidence"]] = row["note_fr"]
    return notes


def _read_periods(path: Path) -> dict[tuple[str, str], tuple[date, date]]:
    """(source URL, evidence) -> the exact period of a figure whose source gives it
    "as of" a date (a running total), where the shared figures file can only say
    its year. Curated, with the reason in the file; the figures file stays as
    published. A missing file means no such figure."""
    if not path.exists():
        return {}
    periods: dict[tuple[str, str], tuple[date, date]] = {}
    for line_no, row in enumerate(_read_csv(path, delimiter="\t"), start=2):
        where = f"{path.name} line {line_no}"
        try:
            start, end = date.fromisoformat(row["period_start"]), date.fromisoformat(row["period_end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ReferenceError(f"{where}: period_start and period_end must be dates (YYYY-MM-DD)") from exc
        if end < start or not (row.get("reason") or "").strip():
            raise ReferenceError(f"{where}: the period must end after it starts, and say why")
        periods[(row["source_url"], row["evidence"])] = (start, end)
    return periods


def _figure_period(
    row: dict, periods: dict[tuple[str, str], tuple[date, date]], where: str
) -> tuple[date, date]:
    """The figure's period: its year (or span) from the figures file, or the exact
    period curated for it, which must end within that year or span."""
    start, end = _period(row["year"], where)
    exact = periods.get((row["source_url"], row["evidence"]))
    if exact is None:
        return start, end
    if not start <= exact[1] <= end:
        raise ReferenceError(f"{where}: its curated period ends outside {row['year']}")
    return exact


def _read_public_figures(
    path: Path,
    data: ReferenceData,
    notes_fr: dict[str, str],
    periods: dict[tuple[str, str], tuple[date, date]],
) -> None:
    unused = set(notes_fr)
    unmatched = set(periods)
    for line_no, row in enumerate(_read_csv(path, delimiter="\t"), start=2):
        where = f"{path.name} line {line_no}"
        unused.discard(row["evidence"])
        unmatched.discard((row["source_url"], row["evidence"]))
        key = (
            "public-figures#"
            + hashlib.sha1(f"{row['source_url']}|{row['evidence']}".encode()).hexdigest()[:16]
        )
        data.sources.append(
            {
                "key": key,
                "title": _source_title(row["source_url"]),
                "title_fr": None,
                "publisher": urlsplit(row["source_url"]).netloc.removeprefix("www."),
                "url": row["source_url"],
                "document": None,
                "quote": None,
                "note": row["evidence"],
                "note_fr": notes_fr.get(row["evidence"]),
                "language": "fr" if "/fr/" in row["source_url"] else "en",
            }
        )
        start, end = _figure_period(row, periods, where)
        data.results.append(
            {
                "indicator_code": row["indicator"],
                "scope": row["scope"],
                "country_iso3": row["country_iso3"].upper() or None,
                "period_start": start,
                "period_end": end,
                "value": _number(row["value"], where),
                "qualifier": _qualifier(row["qualifier"], where),
                "breakdown_dim": "",
                "breakdown_value": "",
                "target": None,
                "source_key": key,
                "where": where,
            }
        )
    if unused:
        stale = sorted(unused)[0]
        raise ReferenceError(f"source_notes_fr.tsv: {stale!r} is not a note of {path.name}")
    if unmatched:
        stale = sorted(unmatched)[0][1]
        raise ReferenceError(f"figure_periods.tsv: {stale!r} is not a figure of {path.name}")


def _read_narrative(path: Path, data: ReferenceData) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta = doc["document"]
    quotes = {q["key"]: q["text"] for q in doc["quotes"]}

    def source_key(quote_key: str, where: str) -> str:
        if quote_key not in quotes:
            raise ReferenceError(f"{where}: unknown quote {quote_key!r}")
        return f"{meta['key']}#{quote_key}"

    for quote_key, text in quotes.items():
        data.sources.append(
            {
                "key": f"{meta['key']}#{quote_key}",
                "title": meta["title_en"],
                "title_fr": meta.get("title_fr"),
                "publisher": "IOM",
                "url": meta.get("url"),
                "document": meta["description"],  # public words, never a server path
                "quote": text,
                "note": None,
                "note_fr": None,
                "language": meta["language"],
            }
        )
    for n, item in enumerate(doc.get("results") or [], start=1):
        where = f"{path.name} results[{n}]"
        start, end = _period(item["period"], where)
        breakdown = item.get("breakdown") or {}
        data.results.append(
            {
                "indicator_code": item["indicator"],
                "scope": "country" if item.get("country") else "programme",
                "country_iso3": (item.get("country") or "").upper() or None,
                "period_start": start,
                "period_end": end,
                "value": _number(item["value"], where),
                "qualifier": _qualifier(item.get("qualifier") or "exact", where),
                "breakdown_dim": breakdown.get("dimension", ""),
                "breakdown_value": breakdown.get("value", ""),
                "target": None,
                "source_key": source_key(item["quote"], where),
                "where": where,
            }
        )
    for n, item in enumerate(doc.get("partners") or [], start=1):
        where = f"{path.name} partners[{n}]"
        if item["type"] not in PARTNER_TYPES:
            raise ReferenceError(f"{where}: unknown partner type {item['type']!r}")
        data.partners.append(
            {
                "key": item["key"],
                "name_en": item["name_en"],
                "name_fr": item.get("name_fr") or item["name_en"],
                "acronym": item.get("acronym"),
                "type": item["type"],
                "source_key": source_key(item["quote"], where) if item.get("quote") else None,
            }
        )
    for n, item in enumerate(doc.get("activities") or [], start=1):
        where = f"{path.name} activities[{n}]"
        data.activities.append(
            {
                "key": item["key"],
                "country_iso3": (item.get("country") or "").upper() or None,
                "year": int(item["year"]),
                "theme": item["theme"],
                "description_en": item["description_en"].strip(),
                "description_fr": item["description_fr"].strip(),
                "source_key": source_key(item["quote"], where),
                "partner_keys": list(item.get("partners") or []),
            }
        )
    for n, item in enumerate(doc.get("campaigns") or [], start=1):
        where = f"{path.name} campaigns[{n}]"
        reach = item.get("reach")
        data.campaigns.append(
            {
                "key": item["key"],
                "name": item["name"],
                "country_iso3": (item.get("country") or "").upper() or None,
                "year": int(item["year"]),
                "channel": item["channel"],
                "reach": None if reach is None else _number(reach, where),
                "reach_qualifier": None
                if reach is None
                else _qualifier(item.get("reach_qualifier") or "exact", where),
                "description_en": (item.get("description_en") or "").strip(),
                "description_fr": (item.get("description_fr") or "").strip(),
                "source_key": source_key(item["quote"], where),
            }
        )


def _period(text: str, where: str) -> tuple[date, date]:
    try:
        return parse_period(text)
    except ReferenceError as exc:
        raise ReferenceError(f"{where}: {exc}") from exc


def _number(value: object, where: str) -> float:
    try:
        number = float(str(value).replace(" ", "").replace("\u202f", ""))
    except ValueError as exc:
        raise ReferenceError(f"{where}: value {value!r} is not a number") from exc
    if number < 0:
        raise ReferenceError(f"{where}: value {value!r} is negative")
    return number


def _qualifier(value: str, where: str) -> str:
    if value not in QUALIFIERS:
        raise ReferenceError(f"{where}: unknown qualifier {value!r}")
    return value


def _check_references(data: ReferenceData) -> None:
    """Every code a row uses must be defined; keys must be unique."""
    iso3 = {c["iso3"] for c in data.countries}
    codes = {i["code"] for i in data.indicators}
    partner_keys = {p["key"] for p in data.partners}
    for name, rows, key in (
        ("countries", data.countries, "iso3"),
        ("indicators", data.indicators, "code"),
        ("sources", data.sources, "key"),
        ("partners", data.partners, "key"),
        ("activities", data.activities, "key"),
        ("campaigns", data.campaigns, "key"),
    ):
        seen = [r[key] for r in rows]
        dupes = {k for k in seen if seen.count(k) > 1}
        if dupes:
            raise ReferenceError(f"{name}: duplicate keys {sorted(dupes)}")
    for row in data.results:
        if row["indicator_code"] not in codes:
            raise ReferenceError(f"{row['where']}: unknown indicator {row['indicator_code']!r}")
        if row["country_iso3"] and row["country_iso3"] not in iso3:
            raise ReferenceError(f"{row['where']}: unknown country {row['country_iso3']!r}")
        if (row["scope"] == "country") != bool(row["country_iso3"]):
            raise ReferenceError(f"{row['where']}: scope and country disagree")
    for row in data.activities + data.campaigns:
        if row["country_iso3"] and row["country_iso3"] not in iso3:
            raise ReferenceError(f"activity/campaign {row['key']}: unknown country")
    for row in data.activities:
        missing = set(row["partner_keys"]) - partner_keys
        if missing:
            raise ReferenceError(f"activity {row['key']}: unknown partners {sorted(missing)}")
