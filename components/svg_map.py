"""The coverage map as inline SVG, drawn on the server.

The Overview's map is the first chart a reader sees: one indicator's figure
in each country (components/result_map.py chooses them), hatched where a
country published none, with the countries' names over it. Drawn by plotly.js it
needs plotly.js (480 kB) and the world's shapes (90 kB) before anything shows,
and a quarter of a second of main thread on a laptop to draw, longer on a phone.
Drawn here it is a few kilobytes of SVG that shows with the page: the COMPASS
countries shaded by how much they published, each one a link to its country
page with its figure as a tooltip, the neighbouring countries in light grey.

The shapes come from the same Natural Earth file plotly.js uses
(assets/geo/world_110m.json), in the same projection (Natural Earth I) as the
exported maps (components/figures.py: PNG, SVG, PDF).
The geometry is projected, cropped and written once per process; a request
only fills in the colours and tooltips.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from components.formatting import format_number
from components.html_block import HtmlBlock, markup, text_html
from components.i18n import text_direction
from components.theme import SEQUENTIAL

GEO_FILE = Path(__file__).resolve().parent.parent / "assets" / "geo" / "world_110m.json"
VIEW_WIDTH = 1000.0  # viewBox units; the SVG scales to its container
PADDING = 0.04  # of the focus box's width, on every side
MIN_HEIGHT_RATIO = 0.42  # a flat focus box is made at least this tall (height / width)

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class MapGeometry:
    """Projected, cropped outlines: `shapes` per focus country, `context` for the rest."""

    width: float
    height: float
    shapes: dict[str, str]  # iso3 -> SVG path data
    context: str  # every other country in view, as one path
    anchors: dict[str, Point]  # iso3 -> where its label goes (viewBox units)


def natural_earth(lon: float, lat: float) -> Point:
    """The Natural Earth I projection (Šavrič et al. 2011), as d3 and plotly.js have it."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, -y  # SVG's y grows downwards


def _decode_arcs(topology: dict) -> list[Ring]:
    """TopoJSON's delta-encoded, quantised arcs as projected points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(natural_earth(x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indexes: Iterable[int]) -> Ring:
    """One closed ring from arc indexes (a negative index is that arc reversed: ~i)."""
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict) -> list[list[int]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return list(geometry["arcs"])
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


@lru_cache(maxsize=1)
def world_rings() -> dict[str, tuple[Ring, ...]]:
    """Every country's projected rings, by ISO3 code (read once per process)."""
    topology = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    rings: dict[str, tuple[Ring, ...]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso3 = geometry.get("id")
        if iso3:
            rings[iso3] = rings.get(iso3, ()) + tuple(_ring(arcs, r) for r in _polygons(geometry))
    return rings


def _bounds(rings: Iterable[Ring]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for ring in rings:
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def _view_box(focus_rings: list[Ring]) -> tuple[float, float, float, float]:
    """The focus countries' box with padding, made at least MIN_HEIGHT_RATIO tall."""
    x0, y0, x1, y1 = _bounds(focus_rings)
    pad = (x1 - x0) * PADDING
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    short = (x1 - x0) * MIN_HEIGHT_RATIO - (y1 - y0)
    if short > 0:
        y0, y1 = y0 - short / 2, y1 + short / 2
    return x0, y0, x1, y1


def _clip_edge(ring: Ring, inside: Callable[[Point], bool], cross: Callable[[Point, Point], Point]) -> Ring:
    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(cross(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(cross(previous, current))
    return out


def _at_x(a: Point, b: Point, x: float) -> Point:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: Point, b: Point, y: float) -> Point:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """`ring` cut to the rectangle `box` (Sutherland-Hodgman): no bytes for what is out of view."""
    x0, y0, x1, y1 = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1)),
    )
    for inside, cross in edges:
        if not ring:
            break
        ring = _clip_edge(ring, inside, cross)
    return ring


def _path_data(rings: Iterable[Ring], box: tuple[float, float, float, float], scale: float) -> str:
    """SVG path data of the rings in view: whole viewBox units (under a pixel at
    any width the page gives the map), each point relative to the one before."""
    x0, y0 = box[0], box[1]
    parts = []
    for ring in rings:
        points = []
        for x, y in clip_ring(ring, box):
            point = (round((x - x0) * scale), round((y - y0) * scale))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) >= 3:
            steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(points)]
            parts.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts)


@lru_cache(maxsize=8)
def map_geometry(focus: tuple[str, ...]) -> MapGeometry:
    """The outlines of a map zoomed on the `focus` countries (ISO3 codes known to the shapes)."""
    world = world_rings()
    focus_rings = [ring for iso3 in focus for ring in world.get(iso3, ())]
    if not focus_rings:
        raise ValueError(f"no shapes for any of {focus!r}")
    box = _view_box(focus_rings)
    scale = VIEW_WIDTH / (box[2] - box[0])
    wanted = set(focus)
    shapes = {iso3: _path_data(world[iso3], box, scale) for iso3 in focus if iso3 in world}
    context = "".join(_path_data(r, box, scale) for iso3, r in world.items() if iso3 not in wanted)
    anchors = {}
    for iso3 in focus:
        if iso3 in world:
            x, y = _centroid(max(world[iso3], key=lambda ring: abs(_area(ring))))
            anchors[iso3] = (round((x - box[0]) * scale, 1), round((y - box[1]) * scale, 1))
    return MapGeometry(VIEW_WIDTH, round((box[3] - box[1]) * scale, 1), shapes, context, anchors)


def _area(ring: Ring) -> float:
    """Signed area (shoelace)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise([*ring, ring[0]])) / 2


def _centroid(ring: Ring) -> Point:
    """The centroid of a polygon's outline: where a country's label sits."""
    area = _area(ring)
    if not area:
        return ring[0]
    cx = cy = 0.0
    for a, b in itertools.pairwise([*ring, ring[0]]):
        cross = a[0] * b[1] - b[0] * a[1]
        cx += (a[0] + b[0]) * cross
        cy += (a[1] + b[1]) * cross
    return cx / (6 * area), cy / (6 * area)


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def sequential_colour(fraction: float, scale: Sequence[str] = SEQUENTIAL) -> str:
    """The colour at `fraction` (0-1) of an evenly spaced scale, interpolated in RGB
    as plotly.js interpolates a colorscale."""
    fraction = min(max(fraction, 0.0), 1.0)
    position = fraction * (len(scale) - 1)
    low = min(int(position), len(scale) - 2)
    share = position - low
    a, b = _hex_to_rgb(scale[low]), _hex_to_rgb(scale[low + 1])
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


NOT_PUBLISHED_PATTERN = "compass-map-not-published"  # the hatch of a country without a figure


@dataclass(frozen=True)
class MapCountry:
    """One focus country as the map shows it."""

    iso3: str
    name: str
    value: float | None  # what the colour shows; None: nothing published (hatched, never 0)
    tooltip: str  # the lines of the hover text
    href: str
    figure: str = ""  # the figure as written out ("more than 7,000"), for the text alternative


def _country_shape(country: MapCountry, path: str, top: float) -> str:
    if country.value is None:
        fill = f"url(#{NOT_PUBLISHED_PATTERN})"
    else:
        fill = sequential_colour(country.value / top if top > 0 else 0)
    attributes = {"d": path, "fill": fill, "data-published": "false" if country.value is None else "true"}
    shape = markup("path", attributes, markup("title", {}, text_html(country.tooltip)))
    return markup("a", {"href": country.href, "data-dash-link": "true", "tabindex": "-1"}, shape)


def _hatch() -> str:
    """The pattern of "not published": grey diagonal lines, unlike any shade of the scale."""
    lines = markup("rect", {"width": "8", "height": "8", "fill": "#f8f9fa"}) + markup(
        "path", {"d": "M-2 2l4-4M0 8l8-8M6 10l4-4", "stroke": "#6c757d", "stroke-width": "1.6"}
    )
    pattern = markup(
        "pattern",
        {"id": NOT_PUBLISHED_PATTERN, "width": "8", "height": "8", "patternUnits": "userSpaceOnUse"},
        lines,
    )
    return markup("defs", {}, pattern)


def svg_map(countries: Sequence[MapCountry], lang: str = "en") -> str:
    """The map as SVG markup: focus countries shaded (hatched where nothing is
    published) and linked, the rest as light land.

    The SVG is hidden from screen readers (aria-hidden) and its links from the Tab
    key: the list under it (and the table beside it) say the same, in order.
    Its tooltips (<title>) read in `lang`'s direction: the SVG says it (`direction`),
    also where it is shown outside the page. The map itself is never mirrored."""
    geometry = map_geometry(tuple(sorted(c.iso3 for c in countries)))
    top = max((c.value for c in countries if c.value is not None), default=0)
    shapes = "".join(
        _country_shape(c, geometry.shapes[c.iso3], top) for c in countries if geometry.shapes.get(c.iso3)
    )
    land = markup("path", {"d": geometry.context, "class": "compass-map-land"})
    attributes = {
        "viewBox": f"0 0 {geometry.width:g} {geometry.height:g}",
        "class": "compass-map",
        "aria-hidden": "true",
        "focusable": "false",
    }
    if text_direction(lang) == "rtl":
        attributes["direction"] = "rtl"
    return markup(
        "svg", attributes, _hatch() + land + markup("g", {"class": "compass-map-countries"}, shapes)
    )


def map_labels(countries: Sequence[MapCountry]) -> str:
    """Country names over the map, placed in percent of its box: they keep their
    size in px whatever the map's width (text inside the SVG would scale with it).
    Each is centred on its country (assets/compass.css): nothing to mirror right to
    left, where the names read in the page's direction."""
    geometry = map_geometry(tuple(sorted(c.iso3 for c in countries)))
    labels = []
    for country in countries:
        anchor = geometry.anchors.get(country.iso3)
        if anchor is None:
            continue
        left, top = 100 * anchor[0] / geometry.width, 100 * anchor[1] / geometry.height
        labels.append(
            markup(
                "span",
                {
                    "class": "compass-map-label",
                    "style": f"left:{left:.1f}%;top:{top:.1f}%",
                    "data-iso3": country.iso3,
                },
                text_html(country.name),
            )
        )
    return markup("div", {"class": "compass-map-labels", "aria-hidden": "true"}, "".join(labels))


def legend_html(top: float, unit: str, lang: str, t: Callable[[str], str]) -> str:
    """The colour scale (0 to the highest figure, in `unit`) and the hatch of 'not published'."""
    gradient = "linear-gradient(to right, " + ", ".join(SEQUENTIAL) + ")"
    scale = markup(
        "span",
        {"class": "compass-map-scale"},
        markup("span", {}, "0")
        + markup("span", {"class": "compass-map-ramp", "style": f"background:{gradient}"})
        + markup("span", {}, text_html(f"{format_number(top, lang)} {unit}".strip())),
    )
    none = markup(
        "span",
        {"class": "compass-map-none"},
        markup("span", {"class": "compass-map-swatch compass-map-swatch-none"})
        + text_html(t("Not published")),
    )
    return (scale if top > 0 else "") + none


def results_map_figure(
    countries: Sequence[MapCountry],
    unit: str,
    lang: str,
    t: Callable[[str], str],
    title: str,
    element_id: str,
) -> HtmlBlock:
    """The Overview's map: title, SVG with country labels, legend and, for screen
    readers, each country's figure as a list, as one static element."""
    top = max((c.value for c in countries if c.value is not None), default=0)
    alternative = markup(
        "ul",
        {"class": "visually-hidden"},
        "".join(
            markup("li", {}, text_html(t("{label}: {value}").format(label=c.name, value=c.figure)))
            for c in countries
        ),
    )
    inner = (
        markup("figcaption", {"class": "compass-map-title"}, text_html(title))
        + markup("div", {"class": "compass-map-box"}, svg_map(countries, lang) + map_labels(countries))
        + markup("div", {"class": "compass-map-legend"}, legend_html(top, unit, lang, t))
        + alternative
    )
    return HtmlBlock(
        tag="figure", attributes={"id": element_id, "className": "compass-map-figure"}, html=inner
    )
