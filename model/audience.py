"""Who is asking: the audience a response is built for (issue 15).

Three kinds of reader see the dashboard:

- the public (no sign-in): published figures only, small counts of sensitive
  indicators suppressed;
- staff (signed in): everything, exact values, internal figures marked;
- a donor link (`/s/<token>`): the one view in the link, with or without
  internal figures as chosen when the link was made, small counts suppressed.

An Audience is a frozen value with a stable repr: it travels inside the data
version (data_access/db.request_data_version) so that every cached query,
content tree and response is keyed by it, and two audiences never share an
entry. `scope` names it in keys and logs.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC_KIND = "public"
STAFF_KIND = "staff"
LINK_KIND = "link"


@dataclass(frozen=True)
class Audience:
    """The reader of the current request (see module doc)."""

    kind: str = PUBLIC_KIND
    internal: bool = False  # may see internal (unpublished) figures, sources and activities
    link_id: str | None = None  # a donor link's id
    view: str | None = None  # a donor link's locked view: "PATH?QUERY" as stored

    @property
    def exact(self) -> bool:
        """Whether small counts of sensitive indicators are shown as they are."""
        return self.kind == STAFF_KIND

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF_KIND

    @property
    def is_link(self) -> bool:
        return self.kind == LINK_KIND

    @property
    def scope(self) -> str:
        """The audience's name in cache keys: public, staff, or link:<id>."""
        return f"{LINK_KIND}:{self.link_id}" if self.is_link else self.kind


PUBLIC = Audience()
STAFF = Audience(kind=STAFF_KIND, internal=True)


def donor_link(link_id: str, view: str, internal: bool) -> Audience:
    """The audience of a donor link: its own scope, its locked view."""
    return Audience(kind=LINK_KIND, internal=internal, link_id=link_id, view=view)
