"""Data correctness under faults: a rebuilt database, a missing SQLite file, locked tables."""

from __future__ import annotations

import json
import uuid

from config import REFERENCE_DIR
from data_access.loader import prepare_database
from tests.helpers import changed_reference, fresh_postgres, make_app, required_env, router_body

FIGURE_A = {"en": "29,117", "fr": "29\u202f117"}
FIGURE_B = {"en": "29,118", "fr": "29\u202f118"}


def _overview(client, lang: str) -> str:
    response = client.post("/_dash-update-component", json=router_body("/", f"?year=2021&lang={lang}"))
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_a_rebuilt_database_never_shows_the_old_figures(tmp_path):
    """Drop and recreate the schema, load other figures with the same number of
    loads: the data version number is the same, the pages show the new figures."""
    url = required_env("TEST_DATABASE_URL")
    redis_url = required_env("TEST_REDIS_URL")
    prefix = f"compass-test-{uuid.uuid4().hex[:8]}:"
    engine = fresh_postgres(url)
    prepare_database(engine, REFERENCE_DIR, loaded_by="tests")
    app = make_app(
        engine,
        cache_type="RedisCache",
        cache_redis_url=redis_url,
        cache_key_prefix=prefix,
        data_version_ttl_ms=0,
    )
    client = app.server.test_client()
    try:
        for lang in ("en", "fr"):
            assert FIGURE_A[lang] in _overview(client, lang)  # now cached in Redis
        engine.dispose()
        engine_b = fresh_postgres(url)  # `make db` on a new, empty database
        prepare_database(engine_b, changed_reference(tmp_path), loaded_by="tests")
        engine.dispose()
        for lang in ("en", "fr"):
            assert FIGURE_B[lang] in _overview(client, lang), lang  # (A's figure is in a narrative too)
    finally:
        with app.server.app_context():
            from data_access.cache import cache

            cache.clear()
