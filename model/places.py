"""Places and names as every layer orders and codes them."""

from __future__ import annotations

import unicodedata

# The place code of programme-wide figures (stated for the whole programme, not a
# country): the explorer's URL, its queries and its charts all use it.
PROGRAMME = "programme"


def collation_key(name: str) -> str:
    """Accent-insensitive sort key: 'Égypte' sorts with E, not after Z.

    One key for SQL results sorted in Python and for tables sorted on the page,
    so both orders agree. Arabic letters are kept (without their vowel marks,
    and أ, إ, آ as ا): an Arabic name would otherwise sort as the empty string."""
    if name.isascii():
        return name.casefold()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isascii() or _arabic_letter(c)).casefold()


def _arabic_letter(char: str) -> bool:
    return "\u0620" <= char <= "\u06ff" and not unicodedata.combining(char)
