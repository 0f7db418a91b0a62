"""A headline indicator's figures for one year: what `data_access.queries`
returns for the KPI cards and what `components.kpi` lays out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Figure:
    """One published value of an indicator, with the source that states it."""

    value: float
    qualifier: str
    period_start: date
    period_end: date
    source_title: str
    source_url: str | None
    source_quote: str | None
    source_note: str | None
    source_note_lang: str = "en"  # the note's language: English where no French or Arabic text exists yet
    source_language: str = "fr"  # the quote's language, as its source states it (lang= on the quote)
    # Small-cell suppression (model/suppression.py): for the public the value is then the
    # threshold and the qualifier "fewer_than"; staff see the value, marked.
    suppressed: bool = False
    internal: bool = False  # not published: only an audience that sees internal figures reads it
    source_title_lang: str = "en"  # the title's language ("und" for an imported source's)


@dataclass(frozen=True)
class Kpi:
    """A headline indicator for one year: every figure published for it.

    `figures` are single-year figures for that year; several distinct values
    mean the sources disagree, and the card shows all of them. `cumulative`
    are figures for spans of years ending that year (e.g. 2021-2022). Both
    empty means nothing was published: the card says so instead of 0.
    """

    code: str
    name: str
    unit: str
    definition: str
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    cumulative: tuple[Figure, ...] = field(default_factory=tuple)
    # The languages `name` and `definition` are in: English where not translated.
    name_lang: str = "en"
    definition_lang: str = "en"

    @property
    def distinct_values(self) -> list[tuple[float, str]]:
        return list(dict.fromkeys((f.value, f.qualifier) for f in self.figures))
