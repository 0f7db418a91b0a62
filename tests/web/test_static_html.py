"""Static parts of a page sent as HTML (components/html_block.py, web/static_tree.py,
web/static_islands.py),
without a browser. The browser side is tests/browser/test_static_html.py."""

from __future__ import annotations

import importlib
import re

import dash
import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from components.html_block import HtmlBlock, style_text
from pages import ids
from tests.helpers import COMPASS_COUNTRIES, REPO, html_text, make_app, parse_html, router_body
from web.static_islands import callback_ids, is_static, with_islands
from web.static_tree import element_html, static_html

NO_CALLBACKS: frozenset[str] = frozenset()


def components_in(tree) -> list:
    """Every component of a tree, depth first."""
    found = [tree]
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if isinstance(child, (dash.development.base_component.Component, HtmlBlock)):
            found += components_in(child)
    return found


# --- HTML of one subtree -----------------------------------------------------------


def test_text_and_attributes_are_escaped():
    node = html.P(['<script>alert("x")</script> & more'], title='say "hi" <b>', className="lead")
    assert element_html(node) == (
        '<p class="lead" title="say &quot;hi&quot; &lt;b&gt;">'
        '&lt;script&gt;alert("x")&lt;/script&gt; &amp; more</p>'
    )


def test_script_urls_are_blocked_like_dash_blocks_them():
    assert 'href="about:blank"' in element_html(html.A("x", href=" JavaScript:alert(1)"))
    assert 'href="https://www.iom.int/"' in element_html(html.A("x", href="https://www.iom.int/"))


def test_nested_tables_numbers_booleans_and_void_elements():
    table = html.Table(
        html.Tbody(html.Tr([html.Td(7000, colSpan=2, **{"data-value": 7}), html.Td([html.Br(), None])]))
    )
    assert element_html(table) == (
        '<table><tbody><tr><td colSpan="2" data-value="7">7000</td><td><br></td></tr></tbody></table>'
    )
    assert (
        element_html(html.Details([html.Summary("s")], open=True))
        == "<details open><summary>s</summary></details>"
    )
    assert element_html(html.Details([], open=False)) == "<details></details>"


def test_style_is_written_as_css():
    assert style_text({"width": "40%", "backgroundColor": "#fff", "marginTop": 4, "opacity": 0.5}) == (
        "width:40%;background-color:#fff;margin-top:4px;opacity:0.5"
    )
    assert 'style="width:12.5%"' in element_html(html.Div(style={"width": "12.5%"}))


def test_links_are_marked_for_in_page_navigation_unless_they_reload():
    assert element_html(dcc.Link("Libya", href="/countries/LBY", className="x")) == (
        '<a href="/countries/LBY" class="x" data-dash-link="true">Libya</a>'
    )
    assert element_html(dcc.Link(href="/data", refresh=True)) == '<a href="/data">/data</a>'


def test_the_root_element_keeps_its_react_props():
    node = static_html(html.Section([html.H2("T")], id="kpis", className="a", style={"marginTop": 4}))
    assert isinstance(node, HtmlBlock)
    assert node.to_plotly_json() == {
        "props": {
            "tag": "section",
            "attributes": {"id": "kpis", "className": "a", "style": {"marginTop": 4}},
            "html": "<h2>T</h2>",
        },
        "type": "StaticHtml",
        "namespace": "compass_static",
    }


# --- which subtrees become HTML ----------------------------------------------------


def test_callback_ids_reads_outputs_inputs_and_states():
    callbacks = [
        {"output": "..a.children...b.data..", "inputs": [{"id": "c", "property": "value"}], "state": []},
        {
            "output": "d.href@0709e1",
            "inputs": [],
            "state": [{"id": {"type": "t", "index": 1}, "property": "x"}],
        },
    ]
    assert callback_ids(callbacks) == {"a", "b", "c", "d", '{"type": "t", "index": 1}'}


def test_components_a_callback_uses_stay_components():
    live = frozenset({"live"})
    assert is_static(html.Div([html.P("x", id="free"), "text"]), live)
    assert not is_static(html.Div([html.P("x", id="live")]), live)
    assert not is_static(html.Div([html.P("x", id={"type": "card", "index": 1})]), live)
    assert not is_static(html.Div([dcc.Graph()]), live)


def test_the_largest_static_subtrees_become_one_component_each():
    table = html.Table(html.Tbody([html.Tr(html.Td(str(i))) for i in range(50)]))
    lone = html.P("alone")
    page = html.Div([dcc.Store(id="live"), table, lone, html.Div([html.Span("a"), dcc.Graph(id="g")])])
    before = len(components_in(page))
    result = with_islands(page, frozenset({"live", "g"}))
    kinds = [type(c).__name__ for c in components_in(result)]
    assert kinds == ["Div", "Store", "HtmlBlock", "P", "Div", "Span", "Graph"]
    assert len(parse_html(result.children[1].html).find_all("tr")) == 50
    assert len(components_in(page)) == before  # the layout's own tree is left as it was


# --- the app ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(sqlite_engine):
    return make_app(sqlite_engine).server.test_client()


def sent_components_and_text(sent) -> tuple[int, str]:
    """How many components a router response holds, and all its text (HTML included)."""
    if isinstance(sent, list):
        found = [sent_components_and_text(x) for x in sent]
        return sum(n for n, _ in found), " ".join(t for _, t in found)
    if isinstance(sent, dict) and "namespace" in sent:
        props = sent["props"]
        count, text = sent_components_and_text(props.get("children"))
        if sent["type"] == "StaticHtml":
            text += " " + html_text(props["html"])
        return count + 1, text
    return 0, sent if isinstance(sent, str) else ""


PAGES = {"/": "overview", "/partners": "partners", "/data": "data", "/indicators": "indicators"}


@pytest.mark.parametrize(
    "path", ["/", "/countries/LBY", "/partners", "/data", "/indicators", "/countries/XXX"]
)
def test_every_page_is_sent_with_fewer_components_and_the_same_text(client, sqlite_context, path):
    sent = client.post("/_dash-update-component", json=router_body(path, "?year=2022"))
    assert sent.status_code == 200
    count, text = sent_components_and_text(sent.get_json()["response"]["_pages_content"]["children"])
    module = importlib.import_module(f"pages.{PAGES.get(path, 'country')}")
    iso3 = path.rsplit("/", 1)[-1] if path.startswith("/countries/") else None
    tree = module.layout(iso3=iso3, year="2022") if iso3 else module.layout(year="2022")
    built = components_in(tree)
    assert count < 0.7 * len(built)
    for component in built:
        if isinstance(getattr(component, "children", None), str):
            assert component.children in text


def test_callback_targets_on_the_overview_stay_components(client):
    sent = client.post("/_dash-update-component", json=router_body("/", "?year=2022")).get_data(as_text=True)
    for component_id in (ids.COUNTRY_CHART, ids.YEAR_SELECT, ids.COUNTRY_SELECT):
        assert re.search(rf'"id": ?"{component_id}"', sent), component_id
    assert sent.count("data-dash-link") >= 2 * COMPASS_COUNTRIES  # the map's and the table's country links


def test_the_component_script_is_an_asset_loaded_before_the_renderer(client):
    page = client.get("/").get_data(as_text=True)
    assert page.index("/assets/static_html.js") < page.index("dash_renderer")
    script = (REPO / "assets" / "static_html.js").read_text()
    sent = HtmlBlock("div").to_plotly_json()
    assert f"window.{sent['namespace']} = {{ {sent['type']}: StaticHtml }}" in script


def test_option_less_bootstrap_containers_are_their_one_div():
    grid = dbc.Row(dbc.Col(dbc.Card(dbc.CardBody(html.P("x")), className="kpi-card")), className="g-3")
    assert element_html(grid) == (
        '<div class="g-3 row"><div class="col"><div class="kpi-card card">'
        '<div class="card-body"><p>x</p></div></div></div></div>'
    )
    assert is_static(grid, NO_CALLBACKS)
    assert not is_static(dbc.Row(dbc.Col(html.P("x"), lg=7)), NO_CALLBACKS)  # widths: dbc's markup
    assert not is_static(dbc.Card(html.P("x"), color="primary"), NO_CALLBACKS)


def test_props_are_read_as_dash_serialises_them():
    from web.dash_adapters import component_props as props_of

    nodes = [
        html.Td(7000, colSpan=2, **{"data-value": 7, "aria-label": "x"}),
        html.A("a", href="/x", title=None, className="c"),
        dcc.Link("l", href="/y", refresh=False),
        dbc.Col(html.P("p"), className="c", width=3),
        html.Div(),
    ]
    for node in nodes:
        expected = node.to_plotly_json()["props"]
        assert props_of(node) == expected and list(props_of(node)) == [
            k for k in expected if k in props_of(node)
        ]
