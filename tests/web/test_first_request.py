"""A fresh app answers its first requests whole, however many arrive at once
(web/first_request.py): Dash's first-request set-up is done by the factory."""

from __future__ import annotations

import re
import threading

from tests.helpers import make_app
from web.first_request import set_up_before_serving

SCRIPT = re.compile(r'<script src="(/_dash-component-suites/[^"]+)"')


def _first_requests_at_once(server, paths: list[str]) -> list[tuple[str, int, str]]:
    """GET every path from its own thread, all released together (as a browser does)."""
    start = threading.Barrier(len(paths))
    answers: list[tuple[str, int, str]] = []

    def fetch(path: str) -> None:
        client = server.test_client()
        start.wait()
        response = client.get(path)
        answers.append((path, response.status_code, response.mimetype))

    threads = [threading.Thread(target=fetch, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_first_requests_get_every_bundle(writable_sqlite):
    index = make_app(writable_sqlite).server.test_client().get("/").get_data(as_text=True)
    scripts = SCRIPT.findall(index)
    assert len(scripts) >= 5, index[:500]
    for _ in range(5):  # a race: several fresh apps, each hit by all bundles at once
        server = make_app(writable_sqlite).server
        set_up_before_serving(server)  # as gunicorn's post_fork and `python app.py` do
        answers = _first_requests_at_once(server, scripts * 2)
        broken = [a for a in answers if a[1] != 200 or a[2] != "text/javascript"]
        assert not broken, broken


def test_building_the_app_on_an_empty_database_reads_nothing(tmp_path, caplog):
    """`flask prepare-db` builds the app before the tables exist: no warning, no query."""
    from data_access.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with caplog.at_level("WARNING"):
        make_app(engine)
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")], caplog.text
