"""Places and names as every layer orders and codes them."""

from __future__ import annotations

import unicodedata

# The place code of programme-wide figures (stated for the whole programme, not a
# country): the explorer's URL, its queries and its charts all use it.
PROGRAMME = "programme"


def collation_key(name: str) -> str:
    """Accent-insensitive sort key: 'Égypte' sorts with E, not after Z.

    One key for SQL results sorted in Python and for tables sorted on the page,
    so both orders agree."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


# Indicators of this theme are facts about the programme as a whole or context
# statistics (partner countries, budget, a share of returnees quoted for context),
# even when a country's article states them: never drawn as a country's result.
PROGRAMME_FACT_THEME = "programme"


def is_programme_fact(theme: str | None) -> bool:
    """Whether an indicator of `theme` states a programme fact, not a country's result."""
    return theme == PROGRAMME_FACT_THEME
