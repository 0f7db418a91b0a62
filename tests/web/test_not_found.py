"""Unknown paths (web/not_found.py): unknown component files answer a short 404
and log one line at most; unknown pages answer the index page (the friendly
not-found page, drawn by Dash's router) with status 404; known pages, and an
unknown ISO3 on the country template, stay 200; /robots.txt is a real file."""

from __future__ import annotations

import logging

import pytest

from tests.helpers import make_app, router_body

SUITES = "/_dash-component-suites"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from config import REFERENCE_DIR
    from data_access.engine import make_engine
    from data_access.loader import prepare_database

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('notfound') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR)
    return make_app(engine).server.test_client()


@pytest.mark.parametrize(
    "path",
    [
        f"{SUITES}/dash/x.js",
        f"{SUITES}/no_such_package/x.js",
        f"{SUITES}/dash/..%2f..%2f..%2fconfig.py",
        f"{SUITES}/dash/deps/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_unknown_component_files_answer_a_short_404(client, caplog, path):
    caplog.set_level(logging.DEBUG)
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "No such file.\n"
    logged = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(logged) <= 1
    assert all("\n" not in r.getMessage() and not r.exc_info and len(r.getMessage()) < 300 for r in logged)


def test_a_real_component_file_is_still_served(client):
    index = client.get("/").get_data(as_text=True)
    start = index.index(f'src="{SUITES}/') + len('src="')
    url = index[start : index.index('"', start)]
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path", ["/nonexistent", "/countries/XXX/extra", "/console", "/countries/", "/a/b/c"]
)
def test_unknown_pages_answer_404_with_the_page_shell(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert 'id="react-entry-point"' in response.get_data(as_text=True)  # Dash draws the not-found page


@pytest.mark.parametrize(
    "path",
    ["/", "/countries/LBY", "/countries/XXX", "/indicators", "/indicators/", "/partners", "/data", "/404"],
)
def test_known_pages_answer_200(client, path):
    assert client.get(path + "?year=2022").status_code == 200


@pytest.mark.parametrize(("lang", "text"), [("en", "Page not found"), ("fr", "Page introuvable")])
def test_a_path_below_a_country_renders_the_not_found_page(client, lang, text):
    response = client.post(
        "/_dash-update-component", json=router_body("/countries/LBY/extra", f"?lang={lang}")
    )
    assert response.status_code == 200 and text in response.get_data(as_text=True)


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Allow: /", "Allow: /preview/", "Disallow: /export/", "Disallow: /_stats/"} <= set(lines)
    # What renders a page stays open to crawlers that run its scripts.
    assert "Allow: /_dash-component-suites/" in lines and "Disallow: /_dash-" not in lines
    # No sitemap is named that would answer 404.
    assert not any(line.lower().startswith("sitemap:") for line in lines)


def test_robots_txt_allows_every_public_page_and_preview(client):
    from urllib.robotparser import RobotFileParser

    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").get_data(as_text=True).splitlines())
    for path in (
        "/",
        "/countries/LBY?year=2022",
        "/indicators",
        "/partners",
        "/data",
        "/preview/overview.png",
    ):
        assert robots.can_fetch("Twitterbot", path), path
    assert not robots.can_fetch("Googlebot", "/export/figure/coverage-map.png")
