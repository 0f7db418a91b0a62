"""What the URL parser reports and the page shows: pages/urlstate.py makes
notices, components/notices.py words them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """Something in the URL that was ignored: a code the page translates, and the value."""

    # bad_year | unknown_year | bad_lang | repeated | unknown_key | unknown_value | too_long | bad_text
    # | bad_until | until_after | until_before (the data cutoff `until`)
    code: str
    key: str
    value: str = ""
