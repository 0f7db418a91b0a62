"""Find or create the source a file row cites, by its content (title, URL, quote,
note), so that exported rows find their original sources when imported back.

The note's French text is not part of a source's identity: a file that adds or
corrects it updates the stored source instead of creating a second one (whose
figures would then stand beside the first source's as if it were another)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from sqlalchemy import Connection, select, update

from data_access import schema as s


def fingerprint(title: str | None, url: str | None, quote: str | None, note: str | None) -> str:
    parts = [(p or "").strip() for p in (title, url, quote, note)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _publisher(url: str | None) -> str:
    """The site's host name, cut to the column's length (a URL may be 1,000 characters)."""
    host = urlsplit(url).netloc.removeprefix("www.") if url else ""
    return host[: s.sources.c.publisher.type.length]


class SourceRegistry:
    """Source ids by content, creating new sources inside the caller's transaction."""

    def __init__(self, conn: Connection):
        self.conn = conn
        rows = conn.execute(
            select(
                s.sources.c.id,
                s.sources.c.title,
                s.sources.c.url,
                s.sources.c.quote,
                s.sources.c.note,
                s.sources.c.note_fr,
            )
        )
        self.ids: dict[str, int] = {}
        self.notes_fr: dict[int, str | None] = {}
        for i, t, u, q, n, n_fr in rows:
            self.ids[fingerprint(t, u, q, n)] = i
            self.notes_fr[i] = n_fr
        self.created = 0
        self.notes_translated = 0  # stored sources whose French note the file set or changed

    def id_for(self, row: dict) -> int:
        fp = fingerprint(row["source_title"], row["source_url"], row["source_quote"], row["source_note"])
        if fp not in self.ids:
            url = row["source_url"]
            self.ids[fp] = self.conn.execute(
                s.sources.insert().values(
                    key=f"import#{fp[:32]}",
                    title=row["source_title"],
                    publisher=_publisher(url),
                    url=url,
                    quote=row["source_quote"],
                    note=row["source_note"],
                    note_fr=row.get("source_note_fr"),
                    language="und",
                )
            ).inserted_primary_key[0]
            self.notes_fr[self.ids[fp]] = row.get("source_note_fr")
            self.created += 1
        source_id = self.ids[fp]
        note_fr = row.get("source_note_fr")
        if note_fr and note_fr != self.notes_fr.get(source_id):
            self.conn.execute(update(s.sources).where(s.sources.c.id == source_id).values(note_fr=note_fr))
            self.notes_fr[source_id] = note_fr
            self.notes_translated += 1
        return source_id
