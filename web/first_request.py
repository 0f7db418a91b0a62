"""Finish Dash's set-up before a server takes its first request.

Dash completes itself in `before_request` hooks on the first request it serves
(it walks the assets, registers the component bundles and the pages router's
callback), and marks that done *before* doing it. Several threads of a fresh
gunicorn worker then race: a browser's first page load asks for a dozen bundles
at once, and the ones that arrive while the set-up is half done answered 404 or
an empty `text/plain` (a donor's first visit after a deploy showed a blank page).
One request through Flask's test client runs those hooks once, in one thread.
The content security policy (web/headers.py), built at the first response, is
then built from the final scripts too.

It is called where a server starts serving (gunicorn's `post_fork`, `python
app.py`, the tests' live server), not in the app factory: the set-up builds the
root layout, which reads the database, and CLI commands such as `prepare-db`
on an empty database build the app too.
"""

from __future__ import annotations

from flask import Flask

SET_UP_PATH = "/_dash-dependencies"  # cheap: no page, no query; runs every hook


def set_up_before_serving(server: Flask) -> None:
    """Run Dash's first-request set-up now, once; raise if it failed. A server
    without Dash's routes (the benchmark's ceiling app) has nothing to set up."""
    if not any(rule.rule == SET_UP_PATH for rule in server.url_map.iter_rules()):
        return
    response = server.test_client().get(SET_UP_PATH)
    if response.status_code != 200:
        raise RuntimeError(f"the app did not set itself up: {SET_UP_PATH} answered {response.status_code}")
