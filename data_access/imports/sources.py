"""Find or create the source a file row cites, by its content (title, URL, quote,
note), so that exported rows find their original sources when imported back."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

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
            select(s.sources.c.id, s.sources.c.title, s.sources.c.url, s.sources.c.quote, s.sources.c.note)
        )
        self.ids = {fingerprint(t, u, q, n): i for i, t, u, q, n in rows}
        self.created = 0

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
                    language="und",
                )
            ).inserted_primary_key[0]
            self.created += 1
        return self.ids[fp]
