"""Partner activities from a file: matched on their key, partners found by name or
created when the file gives their type. Activity files are small (hundreds of
rows), so rows are compared one by one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select

from data_access import schema as s
from data_access.imports.problems import Problems
from data_access.imports.sources import SourceRegistry


@dataclass
class ActivityCounts:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def derived_key(row: dict) -> str:
    basis = f"{row['country_iso3'] or ''}|{row['year']}|{row['description_en']}"
    return "import-" + hashlib.sha1(basis.encode()).hexdigest()[:16]


def partner_ids(conn: Connection) -> dict[str, int]:
    """Lower-cased English name, French name and acronym -> partner id."""
    found: dict[str, int] = {}
    for pid, en, fr, acronym in conn.execute(
        select(s.partners.c.id, s.partners.c.name_en, s.partners.c.name_fr, s.partners.c.acronym)
    ):
        for name in (en, fr, acronym):
            if name:
                found.setdefault(name.lower(), pid)
    return found


def _stored(conn: Connection, key: str) -> dict | None:
    row = conn.execute(select(s.activities).where(s.activities.c.key == key)).mappings().first()
    if row is None:
        return None
    partners = (
        conn.execute(
            select(s.activity_partners.c.partner_id).where(s.activity_partners.c.activity_id == row["id"])
        )
        .scalars()
        .all()
    )
    return {**row, "partner_ids": sorted(partners)}


def apply(
    conn: Connection,
    rows: list[dict],
    sources: SourceRegistry,
    problems: Problems,
    replace: bool,
    batch_id: int | None,
) -> ActivityCounts:
    """Compare each row with what is stored; write when `batch_id` is given."""
    counts = ActivityCounts(rows=len(rows))
    partners = partner_ids(conn)
    seen: dict[str, int] = {}
    for row in rows:
        key = row["key"] or derived_key(row)
        if key in seen:
            problems.error(row["row_no"], "key", key, "duplicate_row", f"same activity as row {seen[key]}")
            continue
        seen[key] = row["row_no"]
        for name, kind in row["new_partners"]:
            if name.lower() not in partners:
                slug = "import-" + hashlib.sha1(name.lower().encode()).hexdigest()[:12]
                partners[name.lower()] = conn.execute(
                    s.partners.insert().values(key=slug, name_en=name, name_fr=name, type=kind)
                ).inserted_primary_key[0]
        ids = sorted({partners[p.lower()] for p in row["partners"]})
        values = {
            "key": key,
            "country_iso3": row["country_iso3"],
            "year": row["year"],
            "theme": row["theme"],
            "description_en": row["description_en"],
            "description_fr": row["description_fr"],
            "source_id": sources.id_for(row),
        }
        if row.get("description_ar"):  # an empty cell keeps a stored Arabic text
            values["description_ar"] = row["description_ar"]
        old = _stored(conn, key)
        if old is None:
            counts.added += 1
            if batch_id is not None:
                new_id = conn.execute(
                    s.activities.insert().values(**values, batch_id=batch_id)
                ).inserted_primary_key[0]
                _link(conn, new_id, ids)
            continue
        if all(old[k] == v for k, v in values.items()) and old["partner_ids"] == ids:
            counts.unchanged += 1
            continue
        counts.updated += 1
        if not replace:
            problems.error(
                row["row_no"],
                "key",
                key,
                "conflicts_with_stored",
                "an activity with this key is stored with other content; import with --replace",
            )
        elif batch_id is not None:
            conn.execute(
                s.activities.update()
                .where(s.activities.c.id == old["id"])
                .values(**values, batch_id=batch_id)
            )
            conn.execute(delete(s.activity_partners).where(s.activity_partners.c.activity_id == old["id"]))
            _link(conn, old["id"], ids)
    return counts


def _link(conn: Connection, activity_id: int, partner_ids_: list[int]) -> None:
    if partner_ids_:
        conn.execute(
            s.activity_partners.insert(),
            [{"activity_id": activity_id, "partner_id": p} for p in partner_ids_],
        )
