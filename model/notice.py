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

    def plain_english(self) -> str:
        """The notice as one English sentence, for those who read no page: an
        export refused (HTTP 400), a donor link's view refused by the command line.
        Pages word notices in the reader's language (components/notices.py)."""
        key, value = self.key, self.value
        sentences = {
            "bad_year": f"Bad year '{value}': use a four-digit year with data.",
            "unknown_year": f"No data for year {value}.",
            "bad_lang": f"Unsupported language '{value}': use en or fr.",
            "repeated": f"'{key}' is given more than once.",
            "too_long": f"The value of '{key}' is too long.",
            "unknown_value": f"Unknown {key} '{value}'.",
            "unknown_key": f"Unknown key '{key}'.",
            "bad_text": f"The value of '{key}' has characters that cannot be searched.",
            "bad_until": f"Bad cutoff '{value}': use a four-digit year with data.",
            "until_after": f"The cutoff {value} is after the latest year with data.",
            "until_before": f"No data up to {value}.",
        }
        return sentences.get(self.code, f"{self.code} {key} {value}".strip())
