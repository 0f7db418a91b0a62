"""Compression (flask-compress, as Dash's `compress=True`) that costs CPU once.

flask-compress compresses every response again by default. Here:

- static files (`/_dash-component-suites/...`, `/assets/...`) are compressed once
  per worker and algorithm: the compressed bytes are kept in a bounded in-process
  store keyed by path and fingerprint (a static file is the same on every host,
  so there is nothing to share through Redis);
- cached callback responses (web/callback_cache.py) are compressed once per
  worker too, keyed by their response-cache key;
- everything else (the HTML index, uncached callbacks, exports) is compressed per
  request, as these are small or rare.

The store counts its misses (= compressions of a keepable body), so tests can
check that a second request for the same file did not compress it again.

Fingerprinted static files get a one-year `immutable` cache header: Dash names
its bundles with their version (`...v4_4_1m1700000000.min.js`) and adds `?m=`
(the file's modification time) to every asset it links.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_compress import Compress

from data_access.lru import SizedLRU

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
MAX_STORED_BYTES = 64 * 1024 * 1024
ONE_YEAR = 31_536_000
STORE_KEY = "compass_compressed_store"
_SKIP = ";"  # a key ending here means "do not keep this compressed copy"


class CompressedStore:
    """Compressed bodies by key (flask-compress's cache backend); counts its misses."""

    def __init__(self, max_bytes: int = MAX_STORED_BYTES) -> None:
        self._items = SizedLRU(max_bytes)
        self.misses = 0  # bodies compressed (flask-compress compresses after a miss)

    def get(self, key: str) -> bytes | None:
        if key.endswith(_SKIP):
            return None
        value = self._items.get(key)
        if value is None:
            self.misses += 1
        return value

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(_SKIP):
            self._items.set(key, value)


def compression_key(req) -> str:
    """What identifies the uncompressed body, or "" when it must not be kept."""
    key = g.get("compass_compress_key")
    if key:
        return key
    if req.path.startswith(STATIC_PREFIXES) and req.method == "GET":
        return f"static:{req.path}?m={req.args.get('m', '')}"
    return ""


def configure_compression(server: Flask) -> None:
    """Compress responses of `server` (what Dash's `compress=True` does, plus the above).

    One after_request function does everything, as each registered one costs a
    few µs per request. A client that accepts no encoding (a script, a load
    tester) skips flask-compress entirely: its checks cost about 30 µs."""
    store = CompressedStore()
    server.extensions[STORE_KEY] = store
    server.config.update(
        COMPRESS_CACHE_BACKEND=lambda: store,
        COMPRESS_CACHE_KEY=compression_key,
        # Brotli where the browser offers it (HTTPS), gzip otherwise (plain HTTP).
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_REGISTER=False,
    )
    compress = Compress(server)

    @server.after_request
    def finish_response(response: Response) -> Response:
        environ = request.environ
        if environ["PATH_INFO"].startswith(STATIC_PREFIXES):
            response = static_headers(response)
        if "HTTP_ACCEPT_ENCODING" not in environ:
            response.vary.add("Accept-Encoding")
            return response
        return compress.after_request(response)


def static_headers(response: Response) -> Response:
    """Long cache headers for fingerprinted static files; whole bodies for the compressor."""
    if response.status_code != 200:
        return response
    if request.path.startswith("/_dash-component-suites/") and response.cache_control.max_age == ONE_YEAR:
        response.cache_control.public = True
        response.cache_control.immutable = True
    elif request.path.startswith("/assets/") and request.args.get("m"):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    if response.is_streamed:
        # send_file streams: read it whole (from the page cache) so that the
        # compressor can keep one compressed copy instead of streaming again.
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response
