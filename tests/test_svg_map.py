"""The server-drawn Overview map (components/svg_map.py, components/result_map.py):
projection, cropping, colours, "not published" hatching, labels, links and tooltips."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from components.i18n import get_translator
from components.result_map import default_map_indicator, indicator_countries, map_indicators
from components.svg_map import (
    NOT_PUBLISHED_PATTERN,
    MapCountry,
    clip_ring,
    map_geometry,
    natural_earth,
    results_map_figure,
    sequential_colour,
    svg_map,
    world_rings,
)
from components.theme import SEQUENTIAL
from data_access import queries as q
from tests.helpers import COMPASS, parse_html


def test_natural_earth_matches_the_published_projection():
    # d3-geo's geoNaturalEarth1Raw: (0, 0) at the origin, the equator's end at 0.8707 * pi.
    assert natural_earth(0, 0) == (0.0, -0.0)
    x, y = natural_earth(180, 0)
    assert x == pytest.approx(0.8707 * math.pi)
    # Pole: y = 1.007226 + 0.015085 + ... at phi = pi/2 (d3 gives 1.4224 for the raw y).
    assert -natural_earth(0, 90)[1] == pytest.approx(1.4224, abs=1e-3)
    # North is up in SVG coordinates (y grows downwards).
    assert natural_earth(10, 30)[1] < natural_earth(10, 10)[1]


def test_every_country_of_the_shapes_file_decodes_to_closed_rings():
    world = world_rings()
    assert len(world) > 150
    for iso3 in COMPASS:
        rings = world[iso3]
        assert rings and all(len(ring) >= 4 for ring in rings)
        # Rings end where they start (TopoJSON arcs joined end to start).
        assert all(ring[0] == pytest.approx(ring[-1]) for ring in rings)


def test_clip_ring_keeps_what_is_inside_the_box():
    square = [(-1.0, -1.0), (3.0, -1.0), (3.0, 3.0), (-1.0, 3.0)]
    clipped = clip_ring(square, (0.0, 0.0, 2.0, 2.0))
    assert sorted(set(clipped)) == [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]
    assert clip_ring([(5.0, 5.0), (6.0, 5.0), (6.0, 6.0)], (0.0, 0.0, 2.0, 2.0)) == []


def test_the_map_is_zoomed_on_the_countries_and_nothing_is_drawn_outside():
    geometry = map_geometry(tuple(sorted(COMPASS)))
    assert set(geometry.shapes) == set(COMPASS)
    assert geometry.width == 1000 and 0.42 * 1000 <= geometry.height < 1000
    for path in [*geometry.shapes.values(), geometry.context]:
        for subpath in re.findall(r"M[^M]+", path):
            x, y, *steps = (int(v) for v in re.findall(r"-?\d+", subpath))
            for dx, dy in zip(steps[::2], steps[1::2], strict=True):
                x, y = x + dx, y + dy
                assert -1 <= x <= geometry.width + 1 and -1 <= y <= geometry.height + 1
    # Far-away countries are left out entirely; neighbours are drawn as context.
    assert map_geometry(("FRA",)).shapes["FRA"]
    assert map_geometry(tuple(sorted(COMPASS))).context  # Saudi Arabia, Sudan's neighbours...


def test_unknown_countries_only_cannot_make_a_map():
    with pytest.raises(ValueError):
        map_geometry(("XXX",))


def test_sequential_colours_run_through_the_scale():
    assert sequential_colour(0) == SEQUENTIAL[0]
    assert sequential_colour(1) == SEQUENTIAL[-1]
    assert sequential_colour(0.5) == SEQUENTIAL[2]  # five stops: the middle one
    assert sequential_colour(2) == SEQUENTIAL[-1] and sequential_colour(-1) == SEQUENTIAL[0]
    # Between two stops, each channel lies between theirs.
    between = sequential_colour(0.125)
    for i in (1, 3, 5):
        low, high = sorted((int(SEQUENTIAL[0][i : i + 2], 16), int(SEQUENTIAL[1][i : i + 2], 16)))
        assert low <= int(between[i : i + 2], 16) <= high


def _country(iso3: str, value: float | None) -> MapCountry:
    return MapCountry(
        iso3,
        f"Name <{iso3}>",
        value,
        f"Name <{iso3}>\nFigure: {value}",
        f"/countries/{iso3}?x=1&y=2",
        str(value),
    )


def test_svg_map_shades_hatches_links_and_escapes():
    svg = svg_map([_country("LBY", 10), _country("TCD", 5), _country("NER", None), _country("MLI", 0)])
    shapes = {
        a.attrs["href"].removeprefix("/countries/").split("?")[0]: a.find_all("path")[0].attrs["fill"]
        for a in parse_html(svg).find_all("a")
    }
    assert shapes == {
        "LBY": SEQUENTIAL[-1],
        "TCD": sequential_colour(0.5),
        "NER": f"url(#{NOT_PUBLISHED_PATTERN})",  # nothing published: hatched, not a shade of the scale
        "MLI": SEQUENTIAL[0],  # a published 0 is a figure, drawn as one
    }
    assert f'<pattern id="{NOT_PUBLISHED_PATTERN}"' in svg
    assert 'href="/countries/LBY?x=1&amp;y=2"' in svg and "data-dash-link" in svg
    assert "<title>Name &lt;LBY&gt;\nFigure: 10</title>" in svg
    assert 'aria-hidden="true"' in svg and 'tabindex="-1"' in svg  # the list under it is the text version


def _results(rows: list[tuple]) -> pd.DataFrame:
    """Country totals as queries.country_level_results returns them (the columns the map reads)."""
    columns = ["indicator_code", "indicator_name", "unit", "theme", "summable", "headline", "country_iso3"]
    columns += ["country_name", "value", "qualifier", "start", "end", "source_title"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(
        scope="country",
        breakdown_dim="",
        breakdown_value="",
        target=None,
        period_start=pd.to_datetime(frame.start).dt.date,
        period_end=pd.to_datetime(frame.end).dt.date,
    ).drop(columns=["start", "end"])


def _rows() -> list[tuple]:
    year = ("2022-01-01", "2022-12-31")
    span = ("2021-01-01", "2022-12-31")
    return [
        ("returns", "Returns", "people", "return", True, 3.0, "MLI", "Mali", 149, "exact", *year, "A"),
        (
            "trained",
            "Trained",
            "people",
            "people_trained",
            True,
            4.0,
            "NGA",
            "Nigeria",
            109,
            "exact",
            *span,
            "B",
        ),
        (
            "trained",
            "Trained",
            "people",
            "people_trained",
            True,
            4.0,
            "NGA",
            "Nigeria",
            109,
            "approx",
            *span,
            "C",
        ),
        (
            "trained",
            "Trained",
            "people",
            "people_trained",
            True,
            4.0,
            "EGY",
            "Egypt",
            54,
            "exact",
            *year,
            "D",
        ),
        (
            "bees",
            "Beehives",
            "cooperatives",
            "reintegration",
            True,
            None,
            "ETH",
            "Ethiopia",
            7,
            "exact",
            *year,
            "E",
        ),
        (
            "bees",
            "Beehives",
            "cooperatives",
            "reintegration",
            True,
            None,
            "LBY",
            "Libya",
            2,
            "exact",
            *year,
            "E",
        ),
        (
            "bees",
            "Beehives",
            "cooperatives",
            "reintegration",
            True,
            None,
            "MLI",
            "Mali",
            3,
            "exact",
            *year,
            "E",
        ),
        (
            "partners",
            "Partner countries",
            "countries",
            "programme",
            False,
            None,
            "MLI",
            "Mali",
            14,
            "exact",
            *year,
            "F",
        ),
        (
            "partners",
            "Partner countries",
            "countries",
            "programme",
            False,
            None,
            "NGA",
            "Nigeria",
            14,
            "exact",
            *year,
            "F",
        ),
        (
            "partners",
            "Partner countries",
            "countries",
            "programme",
            False,
            None,
            "EGY",
            "Egypt",
            14,
            "exact",
            *year,
            "F",
        ),
        (
            "partners",
            "Partner countries",
            "countries",
            "programme",
            False,
            None,
            "TUN",
            "Tunisia",
            14,
            "exact",
            *year,
            "F",
        ),
    ]


def test_the_default_indicator_is_the_headline_one_with_most_countries():
    options = map_indicators(_results(_rows()))
    # Most countries first; programme facts (4 countries here) are never offered.
    assert [(o.code, o.countries) for o in options] == [("bees", 3), ("trained", 2), ("returns", 1)]
    assert default_map_indicator(options) == "trained"  # a headline indicator beats more countries
    assert default_map_indicator([o for o in options if o.headline is None]) == "bees"
    assert default_map_indicator([]) is None


def test_each_country_shows_its_figure_or_not_published():
    t = get_translator("en")
    places = pd.DataFrame({"iso3": ["EGY", "NGA", "TUN"], "name": ["Egypt", "Nigeria", "Tunisia"]})
    shown = indicator_countries(_results(_rows()), "trained", places, 2022, "en", t, lambda c: f"/c/{c}")
    by_code = {c.iso3: c for c in shown}
    assert by_code["EGY"].value == 54 and by_code["EGY"].figure == "54"
    # Two sources, one figure and its rounding: never added up, the span said.
    assert by_code["NGA"].value == 109
    assert by_code["NGA"].figure == "109 / about 109 (cumulative 2021\u20132022)"
    assert by_code["TUN"].value is None and by_code["TUN"].figure == "Not published for 2022"
    partners = indicator_countries(_results(_rows()), "partners", places, 2022, "en", t, str)
    assert all(c.value is None for c in partners)  # a programme fact is no country's result


def test_results_map_in_french_with_labels_legend_and_text_version():
    t = get_translator("fr")
    countries = [_country("LBY", 1200.0), _country("TCD", None)]
    figure = results_map_figure(countries, "personnes", "fr", t, "Carte, 2022", "the-map")
    assert figure.tag == "figure" and figure.attributes["id"] == "the-map"
    html = parse_html(figure.html)
    assert html.find_all("figcaption")[0].text() == "Carte, 2022"
    labels = {span.attrs["data-iso3"]: span for span in html.find_all("span") if "data-iso3" in span.attrs}
    assert set(labels) == {"LBY", "TCD"}
    assert all("left:" in span.attrs["style"] and "top:" in span.attrs["style"] for span in labels.values())
    legend = html.text()
    assert "1\u202f200 personnes" in legend and "Non publié" in legend
    items = [li.text() for li in html.find_all("li")]
    assert items == ["Name <LBY>\u00a0: 1200.0", "Name <TCD>\u00a0: None"]


def test_the_overview_map_of_2022(sqlite_context):
    results = q.country_level_results(2022, "en", breakdowns=False)
    options = map_indicators(results)
    assert "partner_countries" not in {o.code for o in options}
    chosen = default_map_indicator(options)
    assert chosen in {"migrants_return_assistance", "stakeholders_trained"}  # headline, one country each
