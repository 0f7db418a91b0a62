"""A fresh app answers its first requests whole, however many arrive at once
(web/first_request.py): Dash's first-request set-up is done by the factory."""

from __future__ import annotations

import re
import threading

from tests.helpers import make_app

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
        answers = _first_requests_at_once(server, scripts * 2)
        broken = [a for a in answers if a[1] != 200 or a[2] != "text/javascript"]
        assert not broken, broken
