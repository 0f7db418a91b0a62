"""Dash component trees written as HTML (components/html_block.py says why).

A subtree that no callback reads or writes is plain markup (html.*, dcc.Link,
and Bootstrap's Row, Col, Card and CardBody when no option is set), so it can
be sent as one `HtmlBlock`: the same element, attributes and content as the
components would render. `dcc.Link`s become `<a data-dash-link>`, which the
browser side (assets/static_html.js) follows without reloading the page, as
dcc.Link does. Components are read through web/dash_adapters.py.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from components.html_block import VOID_TAGS, HtmlBlock, markup, text_html
from web.dash_adapters import component_kind, component_props

HTML_NAMESPACE = component_kind(html.Div())[0]
LINK_KIND = component_kind(dcc.Link(href="/"))
# Bootstrap layout containers that, with no options set, are one <div> with a class
# (dash-bootstrap-components renders dbc.Col() as <div class="col">).
PLAIN_BOOTSTRAP = {
    component_kind(dbc.Row()): "row",
    component_kind(dbc.Col()): "col",
    component_kind(dbc.Card()): "card",
    component_kind(dbc.CardBody()): "card-body",
}
PLAIN_BOOTSTRAP_PROPS = frozenset({"children", "id", "className", "class_name", "style"})
LINK_MARK = "data-dash-link"
TAG_OF_TYPE = {"ObjectEl": "object", "MapEl": "map"}
# Dash's own props, not DOM attributes (dash-html-components drops them too).
NOT_ATTRIBUTES = frozenset(
    {"children", "key", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "setProps"}
)

_COMPONENT_TYPES: dict[type, bool] = {}


def is_component(value: object) -> bool:
    """isinstance(value, Component), answered once per type: Component is an
    abstract base class, whose isinstance checks are slow on a large page."""
    kind = type(value)
    known = _COMPONENT_TYPES.get(kind)
    if known is None:
        known = _COMPONENT_TYPES[kind] = isinstance(value, Component)
    return known


def is_html(node: object) -> bool:
    """A plain html.* component (rendered by dash-html-components)."""
    return is_component(node) and component_kind(node)[0] == HTML_NAMESPACE


def is_link(node: object) -> bool:
    """A dcc.Link."""
    return is_component(node) and component_kind(node) == LINK_KIND


def is_plain_bootstrap(node: object) -> bool:
    """A dbc Row, Col, Card or CardBody with no option that changes its markup."""
    return (
        is_component(node)
        and component_kind(node) in PLAIN_BOOTSTRAP
        and component_props(node).keys() <= PLAIN_BOOTSTRAP_PROPS
    )


def is_markup(node: object) -> bool:
    """A component whose whole rendering is one HTML element (its children aside)."""
    return is_html(node) or is_link(node) or is_plain_bootstrap(node)


def tag_of(node: Component) -> str:
    """The HTML tag of a markup component."""
    if is_link(node):
        return "a"
    kind = component_kind(node)
    if kind in PLAIN_BOOTSTRAP:
        return "div"
    return TAG_OF_TYPE.get(kind[1], kind[1].lower())


def dom_props(node: Component) -> dict:
    """The component's props that are DOM attributes, as React takes them."""
    props = component_props(node)
    found = {k: v for k, v in props.items() if k not in NOT_ATTRIBUTES and v is not None}
    bootstrap_class = PLAIN_BOOTSTRAP.get(component_kind(node))
    if bootstrap_class:
        extra = [found.pop(k) for k in ("class_name", "className") if found.get(k)]
        found["className"] = " ".join([*extra, bootstrap_class])
    if is_link(node):
        found.pop("refresh", None)
        if not props.get("refresh"):
            found[LINK_MARK] = "true"
    return found


def children_html(children: object) -> str:
    """HTML of a `children` value: components, blocks, text and numbers, escaped."""
    if children is None or isinstance(children, bool):
        return ""
    if isinstance(children, HtmlBlock):
        return children.outer_html()
    if is_component(children):
        return element_html(children)
    if isinstance(children, (list, tuple)):
        return "".join([children_html(child) for child in children])
    return text_html(children)


def element_html(node: Component) -> str:
    """One markup component and everything inside it, as HTML."""
    tag = tag_of(node)
    if tag in VOID_TAGS:
        return markup(tag, dom_props(node))
    children = getattr(node, "children", None)
    if is_link(node) and children is None:
        children = node.href  # dcc.Link shows its href when it has no children
    return markup(tag, dom_props(node), children_html(children))


def static_html(node: Component) -> HtmlBlock:
    """`node` as one HtmlBlock: same element, same attributes, same content."""
    tag = tag_of(node)
    inner = "" if tag in VOID_TAGS else children_html(getattr(node, "children", None))
    return HtmlBlock(tag=tag, attributes=dom_props(node), html=inner)


def count_nodes(children: object) -> int:
    """How many components a `children` value holds (text does not count; a block is one)."""
    if isinstance(children, HtmlBlock):
        return 1
    if is_component(children):
        return 1 + count_nodes(getattr(children, "children", None))
    if isinstance(children, (list, tuple)):
        return sum(count_nodes(child) for child in children)
    return 0
