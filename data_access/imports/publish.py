"""Publishing an import batch, or taking it back (`flask --app app publish BATCH`,
`unpublish BATCH`), and the list of batches with their visibility.

A change of visibility is one transaction: the batch's flag, the summary of the
sources its rows cite (the summary keeps internal rows apart, data_access/summary.py)
and the data version, so every cache key changes with it and the public sees
the change on its next request, never half of it.

The reference data cannot be unpublished: it is the published COMPASS figures
(issue 15: "the reference data is public"), and `prepare-db` reloads it as a new
public batch on every change anyway, so hiding it here would not last. To take
a reference figure down, change the reference files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select, update

from data_access import schema as s
from data_access.summary import refresh_summary
from data_access.version import bump_version
from data_access.visibility import INTERNAL, PUBLIC

REFERENCE_KIND = "reference"


class BatchRefused(Exception):
    """The change cannot be made (unknown batch, the reference data): nothing was written."""


@dataclass(frozen=True)
class VisibilityChange:
    """What a publish or unpublish did."""

    batch_id: int
    visibility: str  # the batch's visibility now
    changed: bool  # False when it already had that visibility (nothing written)
    sources: int = 0  # sources whose summary was refreshed
    results: int = 0  # raw result rows of the batch
    activities: int = 0  # activities of the batch
    version: int | None = None  # the new data version (None when nothing changed)


def set_batch_visibility(engine: Engine, batch_id: int, visibility: str) -> VisibilityChange:
    """Make batch `batch_id` public or internal (see module doc); raises BatchRefused."""
    if visibility not in (PUBLIC, INTERNAL):
        raise BatchRefused(f"unknown visibility '{visibility}': use public or internal")
    b = s.import_batches
    with engine.begin() as conn:
        row = conn.execute(select(b.c.id, b.c.kind, b.c.visibility).where(b.c.id == batch_id)).first()
        if row is None:
            raise BatchRefused(f"there is no batch {batch_id} (`flask --app app batches` lists them)")
        if row.kind == REFERENCE_KIND and visibility == INTERNAL:
            raise BatchRefused(
                f"batch {batch_id} is the reference data, which is always public; "
                "to take a reference figure down, change the reference files and run `make db`"
            )
        if row.visibility == visibility:
            return VisibilityChange(batch_id, visibility, changed=False)
        conn.execute(update(b).where(b.c.id == batch_id).values(visibility=visibility))
        source_ids = (
            conn.execute(select(s.results.c.source_id).where(s.results.c.batch_id == batch_id).distinct())
            .scalars()
            .all()
        )
        results = conn.execute(select(func.count()).where(s.results.c.batch_id == batch_id)).scalar()
        activities = conn.execute(select(func.count()).where(s.activities.c.batch_id == batch_id)).scalar()
        if source_ids:
            refresh_summary(conn, source_ids)
        version = bump_version(conn)
    return VisibilityChange(
        batch_id, visibility, True, len(source_ids), int(results), int(activities), version
    )


def batch_list(engine: Engine, limit: int = 100) -> pd.DataFrame:
    """The latest `limit` batches, newest first: id, kind, visibility, file_name,
    rows_total, loaded_by, loaded_at."""
    b = s.import_batches.c
    query = (
        select(b.id, b.kind, b.visibility, b.file_name, b.rows_total, b.loaded_by, b.loaded_at)
        .order_by(b.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(
        rows, columns=["id", "kind", "visibility", "file_name", "rows_total", "loaded_by", "loaded_at"]
    )


__all__ = ["BatchRefused", "VisibilityChange", "batch_list", "set_batch_visibility"]
