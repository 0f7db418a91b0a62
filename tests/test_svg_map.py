"""The server-drawn Overview map (components/svg_map.py): projection, cropping,
colours, links and tooltips."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from components.i18n import get_translator
from components.svg_map import (
    MapCountry,
    clip_ring,
    coverage_map_figure,
    map_geometry,
    natural_earth,
    sequential_colour,
    svg_map,
    world_rings,
)
from components.theme import NO_DATA_GREY, SEQUENTIAL
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


def _country(iso3: str, value: int) -> MapCountry:
    return MapCountry(
        iso3, f"Name <{iso3}>", value, f"Name <{iso3}>\nItems: {value}", f"/countries/{iso3}?x=1&y=2"
    )


def test_svg_map_shades_links_and_escapes():
    svg = svg_map([_country("LBY", 10), _country("TCD", 5), _country("NER", 0)])
    shapes = {
        a.attrs["href"].removeprefix("/countries/").split("?")[0]: a.find_all("path")[0].attrs["fill"]
        for a in parse_html(svg).find_all("a")
    }
    assert shapes == {"LBY": SEQUENTIAL[-1], "TCD": sequential_colour(0.5), "NER": NO_DATA_GREY}
    assert 'href="/countries/LBY?x=1&amp;y=2"' in svg and "data-dash-link" in svg
    assert "<title>Name &lt;LBY&gt;\nItems: 10</title>" in svg
    assert 'aria-hidden="true"' in svg and 'tabindex="-1"' in svg  # the table is the accessible version


def _coverage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["LBY", "TCD"],
            "name": ["Libye", "Tchad"],
            "figures": [1200, 0],
            "activities": [3, 0],
            "partners": [2, 0],
        }
    )


def test_coverage_figure_in_french():
    t = get_translator("fr")
    figure = coverage_map_figure(_coverage(), "fr", t, "Carte, 2022", lambda iso3: f"/c/{iso3}", "the-map")
    assert figure.tag == "figure" and figure.attributes["id"] == "the-map"
    html = figure.html
    assert "<figcaption" in html and "Carte, 2022" in html
    assert "Chiffres publiés\u00a0: 1\u202f200" in html  # the locale's thousands separator
    assert "Tchad\nAucune publication pour cette année</title>" in html
    assert "1\u202f203" in html  # the legend's top: 1,200 figures + 3 activities
    assert html.count('href="/c/') == 2
