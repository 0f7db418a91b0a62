"""Every private name of Dash, dash-bootstrap-components and Flask's dispatch that
the delivery layer relies on, each behind one small function.

Nothing else in the project reads these names (tests/web/test_adapters.py
scans for them and checks each adapter against the installed Dash, naming the
adapter that an upgrade broke). Each adapter says which public API would
replace it, where one exists.
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import Dash, ctx
from dash.development.base_component import Component
from dash.exceptions import MissingCallbackContextException

# --- the pages router's callback ---------------------------------------------------------------

# The outputs of Dash's own pages router (dash/_pages.py): the rendered layout and
# the page title. Public alternative: none (Dash names them internally).
PAGES_ROUTER_OUTPUTS = ("_pages_content.children", "_pages_store.data")
PAGES_ROUTER_OUTPUT = "..{}..".format("...".join(PAGES_ROUTER_OUTPUTS))  # as a request body names it
PAGES_CONTENT_ID = "_pages_content"  # the element the router renders a page into
# The router callback's input that holds the URL's query string (dash/dash.py:
# `Input(_ID_LOCATION, "search")`). Public alternative: none, since Dash passes
# only path variables to a page's callable title.
ROUTER_SEARCH = "_pages_location.search"
ROUTER_PATHNAME = "_pages_location.pathname"  # its other input, the path (same source)


def router_search() -> str | None:
    """The query string posted to the pages router, or None outside that callback."""
    try:
        search = ctx.inputs.get(ROUTER_SEARCH)
    except (LookupError, MissingCallbackContextException):
        return None  # the index page being served (or no request at all)
    return search if isinstance(search, str) else None


def callback_outputs(app: Dash, output: str) -> list[str] | None:
    """The "id.property" outputs of the server callback named `output` (a request
    body's `output`), or None when there is no such server callback.

    Reads `app.callback_map`, filled on the first request. Public alternative:
    none; `/_dash-dependencies` lists the same entries as JSON."""
    entry = app.callback_map.get(output)
    if not entry or "callback" not in entry:
        return None
    outputs = entry["output"] if isinstance(entry["output"], list | tuple) else [entry["output"]]
    return [f"{o.component_id}.{o.component_property}" for o in outputs]


def callback_signature(app: Dash, output: object) -> dict[str, list[tuple[str, str]]] | None:
    """The (component id, property) pairs of the server callback named `output`:
    {"outputs": [...], "inputs": [...], "state": [...]}, in the order Dash posts
    them, or None when `output` names no server callback (a clientside one, or
    none at all). Duplicate-allowed outputs lose their "@hash" suffix.

    Reads `app.callback_map` (its "output", "inputs" and "state" entries), filled on
    the first request. Public alternative: none; `/_dash-dependencies` lists the
    same entries as JSON."""
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    if not entry or "callback" not in entry:
        return None
    outputs = entry["output"] if isinstance(entry["output"], list | tuple) else [entry["output"]]

    def pairs(items: list[dict]) -> list[tuple[str, str]]:
        return [(item["id"], item["property"]) for item in items]

    return {
        "outputs": [(o.component_id, o.component_property.split("@")[0]) for o in outputs],
        "inputs": pairs(entry.get("inputs", [])),
        "state": pairs(entry.get("state", [])),
    }


def is_server_callback(app: Dash, output: object) -> bool:
    """Whether `output` names a registered server callback (not any posted string)."""
    return isinstance(output, str) and output in app.callback_map


def registered_callbacks(app: Dash) -> list[dict]:
    """Every callback registered so far, in Dash's wire form (output string,
    inputs and state as {"id", "property"}): the app's own and those registered
    through `dash.callback` (the pages router among them).

    Reads `app._callback_list` and `dash._callback.GLOBAL_CALLBACK_LIST`.
    Public alternative: the JSON of `/_dash-dependencies`, which needs a request."""
    return list(app._callback_list) + list(dash._callback.GLOBAL_CALLBACK_LIST)


def output_ids(output: str) -> list[str]:
    """The component ids in a callback's output string: Dash writes one output as
    "id.prop", several as "..id1.prop1...id2.prop2..", and a duplicate-allowed
    output as "id.prop@hash". Public alternative: none."""
    return [part.split("@")[0].rsplit(".", 1)[0] for part in output.strip(".").split("...")]


def wrap_view(app: Dash, endpoint_name: str, wrapper: Callable[[Callable], Callable]) -> None:
    """Put `wrapper` around the Flask view behind one of Dash's routes (e.g.
    "_dash-update-component"). Flask's `view_functions` is public, but which
    endpoint name Dash gives its routes is not. Public alternative: a reverse
    proxy cache, or `dash.hooks.route` for new routes (not for Dash's own)."""
    endpoint = app.config.routes_pathname_prefix + endpoint_name
    server = app.server
    server.view_functions[endpoint] = wrapper(server.view_functions[endpoint])


# The endpoint names Dash gives two of its routes (dash/backends/_flask.py), for
# wrap_view: the files of its component packages, and the catch-all that serves
# the index page for any other path. Public alternative: none.
COMPONENT_SUITES_ENDPOINT = "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
CATCH_ALL_ENDPOINT = "<path:path>"


def wrap_page_layouts(wrapper: Callable[[Callable], Callable], marker: str) -> None:
    """Replace each registered page's layout function by `wrapper(layout)`, once.

    Rewrites `dash.page_registry[...]["layout"]` after registration. Public
    alternative: pass the wrapped layout to `register_page(layout=...)`, which
    every page would then have to do itself."""
    for page in dash.page_registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, marker, False):
            page["layout"] = wrapper(layout)


# --- components as data ------------------------------------------------------------------------

_PROP_ORDER: dict[type, dict[str, int]] = {}  # a component class's prop names, in Dash's order


def component_kind(node: Component) -> tuple[str, str]:
    """(namespace, type) of a component, e.g. ("dash_html_components", "Div").
    Reads `_namespace` and `_type`; public alternative: `node.to_plotly_json()`,
    which also copies every prop."""
    return node._namespace, node._type


def component_props(node: Component) -> dict:
    """The props set on `node`, in the order `to_plotly_json()["props"]` has them.

    Read straight from the instance through `_prop_names` and
    `_valid_wildcard_attributes`: Dash's public `to_plotly_json()` tests every
    prop name and every attribute against each wildcard, which made converting a
    page cost as much as building it. Public alternative: `to_plotly_json()["props"]`."""
    order = _PROP_ORDER.get(type(node))
    if order is None:
        order = _PROP_ORDER[type(node)] = {name: i for i, name in enumerate(node._prop_names)}
    wildcards = tuple(node._valid_wildcard_attributes)
    values = vars(node)
    props = {k: values[k] for k in sorted((k for k in values if k in order), key=order.__getitem__)}
    if wildcards:  # after the named props, as Dash orders them
        props.update({k: v for k, v in values.items() if k.startswith(wildcards) and k not in order})
    return props


# --- the index page ----------------------------------------------------------------------------

_RENDERER_ASSIGNMENT = "var renderer = "


def renderer_start(renderer: str) -> str:
    """Dash's inline `var renderer = new DashRenderer();` as a statement that can run
    inside a function (`window.renderer = ...`). Relies on the text of Dash's
    default `app.renderer`; public alternative: setting `app.renderer` to our own
    text, which would drop whatever Dash adds to it in a later release."""
    if _RENDERER_ASSIGNMENT not in renderer:
        raise ValueError("Dash's renderer script no longer assigns `var renderer = `")
    return renderer.replace(_RENDERER_ASSIGNMENT, "window.renderer = ", 1)
