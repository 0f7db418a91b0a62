"""The query cache: created unbound here, attached to the server by the app factory.

Backends (CACHE_TYPE): SimpleCache, in-process, the embedded default;
RedisCache, shared by every worker and host; NullCache, no caching. Every
memoized query takes the data version as an argument, so a load anywhere
makes every worker miss at once, without any delete.
"""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache

cache = Cache()


def init_cache(server: Flask, config: dict) -> None:
    """Attach the cache to `server` with a flask-caching config dict."""
    cache.init_app(server, config=config)
