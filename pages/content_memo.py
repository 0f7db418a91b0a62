"""Page content built once per view, data version and process.

A link whose query string carries a notice (an unknown key, a bad value) shows
the canonical view it falls back to, plus the notice. Its response is never
stored (web/ keeps only canonical responses, so junk query strings cannot fill
Redis), so without this every distinct junk link would rebuild the whole page
from the data. Here the content of the canonical view (everything inside the
shell: cards, charts, tables) is kept in a small in-process LRU keyed by what it
depends on: the data version, the page, the country, the language, the year (and
whether the URL named it: links then carry it) and the page's validated controls. Notices are drawn by the shell around it, so a
junk link costs the shell and the serialisation, not the page.

The content is shared between requests: nothing may change it after it is
built (pages and the delivery layer only ever wrap it or copy it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping

from data_access.cache import cache
from data_access.db import request_data_version
from pages.contract import mark_reused

MAX_VIEWS = 64  # content trees kept per process (a few hundred components each)

_lock = threading.Lock()
_contents: OrderedDict[tuple, list] = OrderedDict()


def content_key(
    page: str, iso3: str | None, lang: str, year: int | None, year_chosen: bool, values: Mapping[str, object]
) -> tuple:
    """What a page's content depends on besides its code: the data version (number
    and token, unique across databases) and the canonical view; and the cache
    generation, so that emptying the cache (/_stats/reset) makes every worker cold."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in values.items()))
    return (cache.generation(), str(request_data_version()), page, iso3, lang, year, year_chosen, frozen)


def reused_content(key: tuple, build: Callable[[], list]) -> list:
    """The content for `key`, built by `build()` on the first request only.

    Two threads missing at once may both build it (the same content; one is
    kept): cheaper than a lock held while a page queries the database."""
    with _lock:
        found = _contents.get(key)
        if found is not None:
            _contents.move_to_end(key)
            return list(found)
    built = list(build())
    mark_reused(built)
    with _lock:
        _contents[key] = built
        _contents.move_to_end(key)
        while len(_contents) > MAX_VIEWS:
            _contents.popitem(last=False)
    return list(built)


def clear() -> None:
    """Forget every kept content (tests)."""
    with _lock:
        _contents.clear()
