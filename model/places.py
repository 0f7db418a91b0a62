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
