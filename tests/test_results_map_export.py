"""The Overview's map of results as a file (/export/figure/results-map.<fmt>):
the same countries and figures as the page's server-drawn SVG, opened and read."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from components import export_render
from components.figures import NOT_PUBLISHED_GREY, results_map
from components.i18n import get_translator
from components.result_map import map_view
from components.svg_map import results_map_figure
from data_access import catalog
from data_access import queries as q
from tests.helpers import IN_CI, make_app, parse_html


@pytest.fixture(scope="module")
def app(sqlite_engine):
    return make_app(sqlite_engine, export_rate_limit="")


@pytest.fixture(scope="module")
def renderer():
    if export_render.browser_path() is None:
        if IN_CI:
            pytest.fail("chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    yield export_render
    export_render.shutdown()


def _view(lang: str, chosen: str | None):
    t = get_translator(lang)
    results = q.country_level_results(2022, lang, breakdowns=False)
    countries = q.country_coverage(2022, lang)[["iso3", "name"]]
    return map_view(results, chosen, countries, catalog.indicator_definitions(lang), 2022, lang, t, str)


def test_the_page_svg_and_the_file_draw_the_same_map(sqlite_context):
    """One renderer for the page, one for files: checked against each other."""
    view = _view("fr", "stakeholders_trained")
    t = get_translator("fr")
    figure = results_map(view.countries, view.unit, "fr", t, view.title)
    svg = parse_html(results_map_figure(view.countries, view.unit, "fr", t, view.title, "m").html)
    on_page = {
        a.attrs["href"]: a.find_all("path")[0].attrs["data-published"] == "true" for a in svg.find_all("a")
    }
    published, unpublished = figure.data[1], figure.data[0]
    assert {iso3: True for iso3 in published.locations} | {
        iso3: False for iso3 in unpublished.locations
    } == on_page
    assert list(published.locations) == ["NGA"] and list(published.z) == [109.0]
    assert unpublished.colorscale[0][1] == NOT_PUBLISHED_GREY
    assert [c.tooltip for c in view.countries if c.iso3 == "NGA"] == [
        "Nigéria\n109 / environ 109 (cumul 2021\u20132022)"
    ]
    assert "Nigéria<br>109 / environ 109" in published.hovertext[0]


@pytest.mark.kaleido
def test_the_map_file_in_french(app, renderer):
    client = app.server.test_client()
    response = client.get("/export/figure/results-map.png?year=2022&map=stakeholders_trained&lang=fr")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == 'attachment; filename="compass-results-map-2022-fr.png"'
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    counts = {rgb: n for n, rgb in image.getcolors(maxcolors=1 << 20)}
    grey = tuple(int(NOT_PUBLISHED_GREY[i : i + 2], 16) for i in (1, 3, 5))
    assert counts.get(grey, 0) / (image.width * image.height) > 0.05  # 13 countries not published
    svg = client.get(
        "/export/figure/results-map.svg?year=2022&map=stakeholders_trained&lang=fr"
    ).data.decode()
    assert "Parties prenantes formées par pays, 2022" in svg
    assert "rien n’a été publié pour 2022" in svg.replace("\u2019", "’")


def test_a_bad_map_choice_is_refused_in_words(app):
    response = app.server.test_client().get("/export/figure/results-map.png?year=2022&map=nope")
    assert response.status_code == 404 and "Unknown map" in response.get_data(as_text=True)
