"""The adapters of web/dash_adapters.py against the installed Dash: an upgrade of
Dash, dash-bootstrap-components or Flask that breaks one fails here, naming it.

Also: no private name of Dash, dbc or cachelib is used outside web/ (the list
is the one every adapter's docstring names), so an upgrade is one room's checklist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pytest
from dash import Dash, Input, Output, State, dcc, html

from tests.helpers import REPO
from web import dash_adapters as adapters

PRIVATE_NAMES = re.compile(
    r"_callback_list|GLOBAL_CALLBACK_LIST|callback_map|view_functions|_prop_names|_dashprivate"
    r"|_dashPlotlyJSURL|var renderer =|_write_client|_read_client|_normalize_timeout"
    r"|\.serializer\b|_valid_wildcard_attributes|_namespace\b|\b_type\b|_pages_content|_pages_store"
)
SCANNED = ("app.py", "config.py", "pages", "components", "data_access", "assets", "model")


def _sources() -> list[Path]:
    found = []
    for name in SCANNED:
        path = REPO / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in path.rglob("*") if p.suffix in (".py", ".js") and "vendor" not in p.parts]
    return found


def test_private_names_are_used_only_in_web():
    hits = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE_NAMES.search(line)
    ]
    assert not hits, "private Dash/cachelib names outside web/ (put them in an adapter):\n" + "\n".join(hits)


def _broken(adapter: str, exc: BaseException) -> str:
    return f"web/dash_adapters.{adapter} no longer works with dash {dash.__version__}: {exc!r}"


@pytest.fixture
def app() -> Dash:
    app = Dash(__name__)
    app.layout = html.Div([dcc.Input(id="in"), html.Div(id="out"), html.Div(id="two")])

    @app.callback(Output("out", "children"), Output("two", "children"), Input("in", "value"))
    def both(value):
        return value, value

    return app


def test_registered_callbacks_lists_the_apps_callbacks(app):
    try:
        callbacks = adapters.registered_callbacks(app)
        ids = {i for c in callbacks for i in adapters.output_ids(c["output"])}
        inputs = {d["id"] for c in callbacks for d in c["inputs"]}
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("registered_callbacks/output_ids", exc))
    assert {"out", "two"} <= ids and "in" in inputs, _broken(
        "registered_callbacks", AssertionError(callbacks)
    )


def test_output_ids_reads_every_output_form():
    assert adapters.output_ids("a.children") == ["a"]
    assert adapters.output_ids("..a.children...b.data..") == ["a", "b"]
    assert adapters.output_ids("nav-location.href@0709e1") == ["nav-location"]


def test_callback_outputs_and_the_dispatch_view(app):
    client = app.server.test_client()
    client.get("/")  # Dash fills callback_map on the first request
    name = next(iter(app.callback_map))
    try:
        outputs = adapters.callback_outputs(app, name)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("callback_outputs", exc))
    assert outputs == ["out.children", "two.children"], _broken("callback_outputs", AssertionError(outputs))
    assert adapters.is_server_callback(app, name) and not adapters.is_server_callback(app, ["x"])

    calls = []

    def wrapper(view):
        def wrapped(*args, **kwargs):
            calls.append(1)
            return view(*args, **kwargs)

        return wrapped

    try:
        adapters.wrap_view(app, "_dash-update-component", wrapper)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("wrap_view", exc))
    body = {
        "output": name,
        "outputs": [{"id": "out", "property": "children"}, {"id": "two", "property": "children"}],
        "inputs": [{"id": "in", "property": "value", "value": "x"}],
        "changedPropIds": ["in.value"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200 and calls == [1], _broken("wrap_view", AssertionError(response.status))


def test_callback_signature_reads_each_callbacks_ids(app):
    """web/callback_guard.py checks forged bodies against it."""

    @app.callback(
        Output("out", "title", allow_duplicate=True),
        Input("in", "value"),
        State("in", "type"),
        prevent_initial_call=True,
    )
    def dup(value, kind):
        return value

    app.clientside_callback("function(v) { return v; }", Output("two", "title"), Input("in", "value"))
    app.server.test_client().get("/")  # Dash fills callback_map on the first request
    by_output = {}
    try:
        for name in app.callback_map:
            by_output[name] = adapters.callback_signature(app, name)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("callback_signature", exc))
    both = next(v for k, v in by_output.items() if k.startswith("..out.children"))
    assert both == {
        "outputs": [("out", "children"), ("two", "children")],
        "inputs": [("in", "value")],
        "state": [],
    }, _broken("callback_signature", AssertionError(both))
    duplicate = next(v for k, v in by_output.items() if k.startswith("out.title@"))
    assert duplicate == {
        "outputs": [("out", "title")],
        "inputs": [("in", "value")],
        "state": [("in", "type")],
    }
    assert by_output["two.title"] is None  # clientside: Dash never runs it on the server
    assert adapters.callback_signature(app, "nowhere.children") is None
    assert adapters.callback_signature(app, ["x"]) is None


def test_the_router_inputs_are_dashs(monkeypatch):
    """The router's inputs as Dash declares them (web/callback_guard.py types their values)."""
    monkeypatch.setattr(dash, "page_registry", dash.page_registry.__class__())  # no page of ours
    app = Dash(__name__, use_pages=True, pages_folder="")
    app.server.test_client().get("/")
    router = app.callback_map.get(
        f"..{adapters.PAGES_ROUTER_OUTPUTS[0]}...{adapters.PAGES_ROUTER_OUTPUTS[1]}.."
    )
    found = adapters.callback_signature(app, next(k for k in app.callback_map if "_pages_content" in k))
    assert router is not None and found is not None
    wanted = [tuple(adapters.ROUTER_PATHNAME.split(".")), tuple(adapters.ROUTER_SEARCH.split("."))]
    assert found["inputs"] == wanted, _broken("ROUTER_PATHNAME/ROUTER_SEARCH", AssertionError(found))


def test_the_pages_router_outputs_are_dashs():
    """The router's ids, as Dash's pages module names them (web/callback_cache.py caches them)."""
    source = Path(dash._pages.__file__).read_text(encoding="utf-8") + Path(dash.__file__).parent.joinpath(
        "dash.py"
    ).read_text(encoding="utf-8")
    for output in adapters.PAGES_ROUTER_OUTPUTS:
        component_id = output.split(".")[0]
        assert component_id in source, _broken("PAGES_ROUTER_OUTPUTS", AssertionError(component_id))
    assert adapters.PAGES_CONTENT_ID in source, _broken("PAGES_CONTENT_ID", AssertionError("renamed"))
    router_input = adapters.ROUTER_SEARCH.split(".")[0]
    assert router_input in source, _broken("ROUTER_SEARCH", AssertionError(router_input))


def test_router_search_is_none_outside_a_callback():
    """Inside the router's callback it reads the posted query string: tests/test_titles.py
    checks that through the real router."""
    try:
        assert adapters.router_search() is None
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("router_search", exc))


def test_wrap_page_layouts_wraps_each_registered_layout(monkeypatch):
    def layout(**_):
        return html.P("x")

    registry = {"p": {"layout": layout}, "static": {"layout": html.P("y")}}
    monkeypatch.setattr(dash, "page_registry", registry)
    try:
        adapters.wrap_page_layouts(lambda f: setattr(f, "_seen", True) or f, "_seen")
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("wrap_page_layouts", exc))
    assert registry["p"]["layout"]._seen is True
    assert isinstance(registry["static"]["layout"], html.P)


@pytest.mark.parametrize(
    "node",
    [
        html.Td(7000, colSpan=2, **{"data-value": 7, "aria-label": "x"}),
        html.A("a", href="/x", title=None, className="c"),
        dcc.Link("l", href="/y", refresh=False),
        dbc.Col(html.P("p"), className="c", width=3),
        html.Div(),
    ],
)
def test_component_props_match_dashs_own_serialisation(node):
    try:
        props = adapters.component_props(node)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("component_props", exc))
    expected = node.to_plotly_json()["props"]
    assert props == expected, _broken("component_props", AssertionError((props, expected)))
    assert list(props) == [k for k in expected if k in props], _broken(
        "component_props (order)", AssertionError()
    )


def test_component_kind_matches_dashs_own_serialisation():
    for node in (html.Div(), dcc.Link(href="/"), dbc.Row()):
        sent = json.loads(json.dumps(node.to_plotly_json(), default=str))
        kind = adapters.component_kind(node)
        assert kind == (sent["namespace"], sent["type"]), _broken("component_kind", AssertionError(kind))


def test_the_renderer_can_be_started_from_our_loader():
    try:
        statement = adapters.renderer_start(Dash(__name__).renderer)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(_broken("renderer_start", exc))
    assert statement == "window.renderer = new DashRenderer();"
    with pytest.raises(ValueError):
        adapters.renderer_start("new Something();")


def test_the_route_endpoints_are_dashs(app):
    """web/not_found.py wraps these two of Dash's routes by endpoint name."""
    prefix = app.config.routes_pathname_prefix
    for name in ("COMPONENT_SUITES_ENDPOINT", "CATCH_ALL_ENDPOINT"):
        endpoint = prefix + getattr(adapters, name)
        assert endpoint in app.server.view_functions, _broken(name, AssertionError(endpoint))
