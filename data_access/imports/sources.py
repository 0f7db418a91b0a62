"""Find or create the source a file row cites, by its content (title, URL, quote,
note), so that exported rows find their original sources when imported back.

The translations of the note (French, Arabic) and of the title (Arabic) are not
part of a source's identity: a file that adds or corrects one updates the stored
source instead of creating a second one (whose figures would then stand beside
the first source's as if it were another). An empty cell keeps what is stored."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from sqlalchemy import Connection, select, update

from data_access import schema as s

# File column -> the sources column it translates into.
TRANSLATIONS = {"source_note_fr": "note_fr", "source_note_ar": "note_ar", "source_title_ar": "title_ar"}


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
        c = s.sources.c
        stored = conn.execute(
            select(c.id, c.title, c.url, c.quote, c.note, *(c[column] for column in TRANSLATIONS.values()))
        )
        self.ids: dict[str, int] = {}
        self.translations: dict[int, dict[str, str | None]] = {}
        for row in stored.mappings():
            self.ids[fingerprint(row["title"], row["url"], row["quote"], row["note"])] = row["id"]
            self.translations[row["id"]] = {column: row[column] for column in TRANSLATIONS.values()}
        self.created = 0
        self.notes_translated = 0  # stored sources whose translations the file set or changed

    def id_for(self, row: dict) -> int:
        fp = fingerprint(row["source_title"], row["source_url"], row["source_quote"], row["source_note"])
        given = {column: row.get(cell) for cell, column in TRANSLATIONS.items()}
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
                    language="und",
                    **given,
                )
            ).inserted_primary_key[0]
            self.translations[self.ids[fp]] = dict(given)
            self.created += 1
        source_id = self.ids[fp]
        stored = self.translations[source_id]
        changed = {column: text for column, text in given.items() if text and text != stored.get(column)}
        if changed:
            self.conn.execute(update(s.sources).where(s.sources.c.id == source_id).values(**changed))
            stored.update(changed)
            self.notes_translated += 1
        return source_id
