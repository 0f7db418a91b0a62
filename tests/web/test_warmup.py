"""The chart renderer's warm-up at start: in the background, only when wanted and possible."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from components import export_render
from config import Settings
from tests.helpers import IN_CI
from web import warmup


def test_no_warmup_when_it_is_turned_off(monkeypatch):
    monkeypatch.setattr(export_render, "warm", lambda: pytest.fail("warmed"))
    assert warmup.start_warmup(Settings(export_warmup=False)) is None


def test_no_warmup_without_chromium(monkeypatch, caplog):
    monkeypatch.setattr(export_render, "browser_path", lambda: None)
    monkeypatch.setattr(export_render, "warm", lambda: pytest.fail("warmed"))
    with caplog.at_level(logging.INFO, logger="web.warmup"):
        assert warmup.start_warmup(Settings()) is None
    assert "no chromium" in caplog.text


def test_warmup_never_delays_start_and_a_failure_is_only_logged(monkeypatch, caplog):
    release = threading.Event()

    def slow_and_broken() -> None:
        release.wait(5)
        raise export_render.RendererUnavailable("the browser did not answer")

    monkeypatch.setattr(export_render, "browser_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export_render, "warm", slow_and_broken)
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="web.warmup"):
        thread = warmup.start_warmup(Settings())
        assert time.perf_counter() - started < 0.5  # the server starts while the browser does
        assert thread is not None and thread.daemon and thread.is_alive()
        release.set()
        thread.join(5)
    assert not thread.is_alive()
    assert "could not warm the chart renderer" in caplog.text


@pytest.mark.kaleido
def test_after_warmup_the_first_export_of_a_process_is_fast():
    if export_render.browser_path() is None:
        if IN_CI:
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    import plotly.graph_objects as go

    export_render.shutdown()
    try:
        thread = warmup.start_warmup(Settings())
        assert thread is not None
        thread.join(60)
        assert export_render.is_running()
        started = time.perf_counter()
        image = export_render.render(go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2])), "png", 400, 300)
        assert image[:8] == b"\x89PNG\r\n\x1a\n"
        assert time.perf_counter() - started < 1.5  # a cold start takes several seconds here
    finally:
        export_render.shutdown()
