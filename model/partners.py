"""A partner of the directory: what `data_access.partners` returns and
`components.partners` and the exports lay out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerEntry:
    """One partner of the directory, with what the filters let through."""

    key: str
    name: str  # in the page language
    acronym: str | None
    type: str
    activities: int
    countries: tuple[tuple[str | None, str | None], ...]  # (iso3, name); (None, None) = programme-wide
    themes: tuple[str, ...]
