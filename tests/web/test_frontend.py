"""The partial plotly.js bundle and the index page (web/frontend.py), without a browser.

The browser side (charts drawn by the bundle, no full plotly.min.js fetched) is
tests/browser/test_plotly_bundle.py.
"""

from __future__ import annotations

import ast
import gzip
import importlib
import json
import re
from pathlib import Path

import plotly
import pytest
from dash import Dash

from tests.helpers import REPO, make_app, parse_html, router_body, text_of, walk
from web import frontend, script_loader

ASSETS = REPO / "assets"
BUNDLE = ASSETS / frontend.PLOTLY_BUNDLE
FULL_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
FIGURE_MODULES = sorted((REPO / "components").glob("*.py"))


@pytest.fixture(scope="module")
def client(sqlite_engine):
    return make_app(sqlite_engine).server.test_client()


@pytest.fixture(scope="module")
def index_html(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _bundle_header() -> str:
    with BUNDLE.open(encoding="utf-8") as handle:
        return handle.readline()


def _trace_classes_used() -> set[str]:
    """go.<Trace>(...) constructors called anywhere in components/ (the figure builders)."""
    used = set()
    for path in FIGURE_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            is_go_call = (
                isinstance(node, ast.Call)
                and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "go"
            )
            if is_go_call and func.attr not in ("Figure", "FigureWidget") and func.attr[0].isupper():
                used.add(func.attr.lower())
    return used


def test_bundle_is_the_plotly_js_version_the_plotly_package_ships():
    shipped = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", FULL_PLOTLY.read_text(encoding="utf-8")[:400])
    built = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", _bundle_header())
    assert shipped and built, "version header missing"
    assert built.group(1) == shipped.group(1)


def test_bundle_has_every_trace_type_the_figure_builders_use():
    used = _trace_classes_used()
    assert used, "no go.<Trace> call found in components/: has the figure code moved?"
    header_traces = set(re.search(r"traces: ([a-z, ]+)\)", _bundle_header()).group(1).split(", "))
    assert used <= set(frontend.TRACE_TYPES) == header_traces
    entry = (REPO / "scripts" / "plotly-bundle" / "entry.js").read_text(encoding="utf-8")
    for trace in frontend.TRACE_TYPES:
        assert f"require('plotly.js/lib/{trace}')" in entry


def test_bundle_is_much_smaller_than_the_full_plotly_js():
    ours, full = (len(gzip.compress(p.read_bytes(), 6)) for p in (BUNDLE, FULL_PLOTLY))
    assert ours < full * 0.45, f"partial bundle {ours:,} B gzipped vs full {full:,} B"


def test_index_names_the_fingerprinted_bundle_for_the_lazy_loader(index_html):
    url = f"/assets/{frontend.PLOTLY_BUNDLE}?m={frontend.fingerprint(BUNDLE)}"
    assert f'<meta name="compass-plotly-url" content="{url}">' in index_html
    assert 'meta[name="compass-plotly-url"]' in (ASSETS / "plotly_lazy.js").read_text(encoding="utf-8")


def test_index_names_the_fingerprinted_french_locale_and_never_links_it(index_html):
    locale = ASSETS / "vendor" / "plotly-locale-fr.js"
    url = f"/assets/vendor/plotly-locale-fr.js?m={frontend.fingerprint(locale)}"
    assert f'<meta name="compass-plotly-locale" content="{url}">' in index_html
    assert not [src for src in _script_srcs(index_html) if "plotly-locale" in src]
    assert 'meta[name="compass-plotly-locale"]' in (ASSETS / "plotly_lazy.js").read_text(encoding="utf-8")


def test_french_locale_is_plotly_js_own_of_the_bundled_version():
    text = (ASSETS / "vendor" / "plotly-locale-fr.js").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1) == re.search(
        r"plotly\.js v(\d+\.\d+\.\d+)", _bundle_header()
    ).group(1)
    assert 'name:"fr"' in body and '"Download plot as a PNG":"T' in body
    assert "MIT" in header and (ASSETS / "vendor" / "plotly.js-LICENSE.txt").read_text().startswith(
        "MIT License"
    )
    assert "://" not in body  # registers itself; fetches nothing


def test_index_links_neither_plotly_build_as_a_blocking_script(index_html):
    """Charts load plotly.js on demand: no page links it up front."""
    script_srcs = _script_srcs(index_html)
    assert script_srcs, "Dash's scripts are missing from the index page"
    assert not [src for src in script_srcs if "plotly.min" in src or "plotly-compass" in src]


def test_index_keeps_the_other_assets(index_html):
    assert "/assets/modebar_svg.js" in index_html
    assert "/assets/compass.css" in index_html
    assert "/assets/vendor/bootstrap.min.css" in index_html


def test_bundle_is_served_compressed_and_cached_for_a_year(client):
    url = f"/assets/{frontend.PLOTLY_BUNDLE}?m={frontend.fingerprint(BUNDLE)}"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == BUNDLE.read_bytes()
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_fingerprint_follows_the_content(tmp_path):
    path = tmp_path / "bundle.js"
    path.write_text("a")
    first = frontend.fingerprint(path)
    path.write_text("b")
    assert frontend.fingerprint(path) != first
    assert re.fullmatch(r"[0-9a-f]{12}", first)


def test_bundle_url_meta_is_escaped():
    meta = frontend.plotly_url_meta('/x"><script>alert(1)//')
    assert "<script>" not in meta and "&quot;" in meta


def test_an_existing_assets_ignore_pattern_is_kept():
    app = Dash(__name__, assets_ignore=r"^draft-.*\.js$")
    frontend._ignore_vendor_scripts(app)
    pattern = re.compile(app.config.assets_ignore)
    assert pattern.search("draft-1.js")
    assert pattern.search("plotly-compass.min.js")
    assert pattern.search("regenerator-runtime.min.js")
    assert pattern.search("plotly-locale-fr.js")
    assert not pattern.search("modebar_svg.js")


def _script_srcs(page: str) -> list[str]:
    return [script.attrs["src"] for script in parse_html(page).find_all("script") if script.attrs.get("src")]


def test_babel_polyfill_is_replaced_by_the_regenerator_runtime_first(index_html):
    srcs = _script_srcs(index_html)
    assert not [src for src in srcs if "polyfill" in src]
    assert srcs[0].startswith(f"/assets/{frontend.REGENERATOR_RUNTIME}?m=")
    # Dash's bundles call regeneratorRuntime when they are evaluated: it must come first.
    runtime = (ASSETS / frontend.REGENERATOR_RUNTIME).read_text(encoding="utf-8")
    assert "regeneratorRuntime=" in runtime.replace(" ", "")


def test_no_script_is_fetched_before_the_first_paint(index_html):
    """Every external script is listed in the inert <template> that the renderer's
    inline script reads after the first frame (web/script_loader.py); none is linked."""
    page = parse_html(index_html)
    listed = page.by_id(script_loader.SCRIPTS_ID)
    assert listed is not None and listed.tag == "template"
    inside = [s.attrs["src"] for s in listed.find_all("script")]
    assert len(inside) >= 5 and inside == _script_srcs(index_html)  # nothing outside it
    renderer = page.by_id("_dash-renderer").text()
    assert renderer == script_loader.loader_script("window.renderer = new DashRenderer();")
    assert "requestAnimationFrame" in renderer and script_loader.SCRIPTS_ID in renderer
    assert script_loader.SCRIPTS_MARK not in index_html


def test_moving_the_scripts_keeps_their_order_and_the_inline_ones():
    page = (
        '<footer><script src="/a.js?v=1"></script>\n<script src="/b.js"></script>\n'
        "<script>var inline = 1;</script>\n"
        + script_loader.SCRIPTS_MARK
        + "\n<script id=r></script></footer>"
    )
    moved = script_loader.move_scripts_to_loader(page)
    assert moved == (
        "<footer><script>var inline = 1;</script>\n"
        '<template id="compass-scripts"><script src="/a.js?v=1"></script><script src="/b.js"></script>'
        "</template>\n<script id=r></script></footer>"
    )


def test_lazy_drawing_comes_after_the_svg_button(index_html):
    """plotly_lazy.js chains modebar_svg.js's window.Plotly accessor: order matters."""
    srcs = _script_srcs(index_html)
    svg = next(i for i, s in enumerate(srcs) if s.startswith("/assets/modebar_svg.js"))
    lazy = next(i for i, s in enumerate(srcs) if s.startswith("/assets/plotly_lazy.js"))
    assert svg < lazy


@pytest.mark.parametrize(
    ("query", "lang", "text"),
    [
        ("", "en", "Loading the dashboard"),
        ("?lang=fr&year=2022", "fr", "Chargement du tableau de bord"),
        ("?lang=FR", "fr", "Chargement du tableau de bord"),
        ("?lang=xx", "en", "Loading the dashboard"),
        ("?lang=fr&lang=en", "en", "Loading the dashboard"),
        ("?lang=ar", "ar", "جارٍ تحميل لوحة المعلومات"),
    ],
)
def test_skeleton_and_html_lang_follow_the_query(client, query, lang, text):
    page = client.get("/" + query).get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert text in page
    for mark in (frontend.SKELETON_MARK, frontend.LANG_MARK, frontend.DIR_MARK, frontend.BOOTSTRAP_MARK):
        assert mark not in page
    # Bootstrap of the page's direction, linked before our own stylesheet, naming both.
    link = parse_html(re.search(rf'<link [^>]*id="{frontend.BOOTSTRAP_LINK_ID}"[^>]*>', page)[0]).children[0]
    wanted = "bootstrap.rtl.min.css" if direction == "rtl" else "bootstrap.min.css"
    assert link.attrs["href"].startswith(f"/assets/vendor/{wanted}?m=")
    assert "bootstrap.rtl.min.css" in link.attrs["data-rtl"] and "bootstrap.min.css" in link.attrs["data-ltr"]
    assert page.index(frontend.BOOTSTRAP_LINK_ID) < page.index("/assets/compass.css")
    assert len(re.findall(r"<link [^>]*bootstrap", page)) == 1  # not Dash's automatic asset links
    ids_in_order = [element.attrs.get("id") for element in parse_html(page).iter()]
    assert ids_in_order.index("compass-skeleton") < ids_in_order.index("react-entry-point")


def test_country_pages_get_the_skeleton_too(client):
    page = client.get("/countries/LBY?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page and "Chargement du tableau de bord" in page


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("module", ["indicators", "partners", "data"])
def test_a_page_with_fixed_first_words_shows_them_in_its_skeleton(client, sqlite_context, module, lang):
    """The skeleton's heading and lede are the page's own h1 and .lead, in the
    reader's language: the page's largest text is painted with the first paint."""
    page = importlib.import_module(f"pages.{module}")
    tree = parse_html(client.get(f"/{module}?lang={lang}").get_data(as_text=True))
    skeleton = tree.by_id("compass-skeleton")
    layout = page.layout(lang=lang)
    h1 = next(n for n in walk(layout) if type(n).__name__ == "H1")
    lede = next(n for n in walk(layout) if getattr(n, "className", None) == "lead")
    assert [p.text() for p in skeleton.find_all("p")][:2] == [text_of(h1), text_of(lede)]
    assert skeleton.find_all("h1") == []  # the page's own h1 is the only one
    generic = parse_html(client.get(f"/countries/LBY?lang={lang}").get_data(as_text=True))
    assert text_of(lede) not in generic.by_id("compass-skeleton").text()


def test_other_html_responses_are_left_alone(client):
    """Only the index page is rewritten (it alone carries the marker)."""
    response = client.get("/_dash-layout")
    assert response.mimetype == "application/json"
    assert b"compass-skeleton" not in response.get_data()


def _arc_indexes(arcs) -> list[int]:
    if isinstance(arcs, int):
        return [~arcs if arcs < 0 else arcs]
    return [i for part in arcs for i in _arc_indexes(part)]


@pytest.mark.parametrize("name", ["world_110m.json", "world_50m.json"])
def test_map_shapes_keep_the_layers_our_maps_draw_and_valid_arcs(name):
    """scripts/vendor_assets.sh drops rivers and subunits and the arcs only they used."""
    topo = json.loads((ASSETS / "geo" / name).read_text(encoding="utf-8"))
    assert set(topo["objects"]) == {"countries", "land", "coastlines", "lakes", "ocean"}
    used = {
        i
        for obj in topo["objects"].values()
        for g in obj["geometries"]
        for i in _arc_indexes(g.get("arcs", []))
    }
    assert used == set(range(len(topo["arcs"]))), "arcs missing or unused after pruning"
    isos = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"LBY", "NGA", "EGY"} <= isos


def test_no_figure_turns_on_a_map_layer_the_shapes_lack():
    for path in FIGURE_MODULES:
        source = path.read_text(encoding="utf-8")
        assert "showrivers" not in source and "showsubunits" not in source, path.name


def _mentions_dash_table(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            "dash_table" in (node.module or "") or any(a.name == "dash_table" for a in node.names)
        ):
            return True
        if isinstance(node, ast.Import) and any("dash_table" in a.name for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr in ("dash_table", "DataTable"):
            return True
    return False


def test_dash_table_is_not_linked_because_nothing_uses_it(index_html, client):
    assert not [src for src in _script_srcs(index_html) if "dash_table" in src]
    sources = [*(REPO / "pages").glob("*.py"), *(REPO / "components").glob("*.py"), REPO / "app.py"]
    users = [p.name for p in sources if _mentions_dash_table(ast.parse(p.read_text(encoding="utf-8")))]
    assert users == [], f"{users} use dash_table: link its bundle again (web/frontend.py)"
    assert _mentions_dash_table(ast.parse("from dash import dash_table"))  # the check itself works
    assert _mentions_dash_table(ast.parse("import dash\ndash.dash_table.DataTable()"))
    for path in ("/", "/countries/LBY", "/indicators", "/partners", "/data"):
        sent = client.post("/_dash-update-component", json=router_body(path, "?year=2022"))
        assert sent.status_code == 200 and b"dash_table" not in sent.data, path


def test_the_dash_table_tag_is_removed_and_nothing_else():
    page = (
        '<script src="/_dash-component-suites/dash/html/x.js"></script>\n'
        '<script src="/_dash-component-suites/dash/dash_table/bundle.v7_4_1m1.js"></script>\n'
        '<script src="/_dash-component-suites/dash/dcc/y.js"></script>'
    )
    assert frontend.drop_unused_bundles(page) == (
        '<script src="/_dash-component-suites/dash/html/x.js"></script>\n'
        '<script src="/_dash-component-suites/dash/dcc/y.js"></script>'
    )


@pytest.mark.parametrize(
    ("path", "title"),
    [
        (
            "/indicators?lang=fr",
            "Indicateurs\u00a0: Migrants aid\u00e9s au retour \u00b7 Tableau de bord COMPASS",
        ),
        ("/indicators", "Indicators: Migrants helped to return \u00b7 COMPASS Dashboard"),
        ("/?lang=fr&year=2022", "R\u00e9sultats, 2022 \u00b7 Tableau de bord COMPASS"),
        ("/countries/lby?lang=fr&year=2022", "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS"),
    ],
)
def test_the_index_title_is_the_pages_title_in_the_readers_language(client, path, title):
    """A tab, a bookmark or a link preview reads <title> before any script runs."""
    page = client.get(path).get_data(as_text=True)
    assert f"<title>{title}</title>" in page
