"""Static HTML: a subtree of plain html.* components sent as one component.

dash-renderer wraps every component of a layout in its own React wrapper with
store subscriptions, and that, not the DOM, is most of the main-thread time of a
page: about a millisecond per component on a fast machine, four on a mid-range
phone, for every one of the hundreds of cells, spans and links of a page's tables.
A subtree that no callback reads or writes is plain markup (html.*, dcc.Link, and
Bootstrap's Row, Col, Card and CardBody when no option is set), so the server writes
it as HTML once and the browser gets one `StaticHtml` (assets/static_html.js):
the root element with its own attributes, as dash-html-components would render
it, and the rest as innerHTML. What the reader sees and the DOM are the same.

Text and attribute values are escaped here (hostile text stays text), URLs with
a script scheme are replaced as Dash's own components replace them, and
`dcc.Link`s become `<a data-dash-link>`, which the browser side follows without
reloading the page, as dcc.Link does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

HTML_NAMESPACE = html.Div._namespace
LINK_TYPE = (dcc.Link._namespace, dcc.Link._type)
# Bootstrap layout containers that, with no options set, are one <div> with a class
# (dash-bootstrap-components renders dbc.Col() as <div class="col">).
PLAIN_BOOTSTRAP = {
    (dbc.Row._namespace, "Row"): "row",
    (dbc.Col._namespace, "Col"): "col",
    (dbc.Card._namespace, "Card"): "card",
    (dbc.CardBody._namespace, "CardBody"): "card-body",
}
PLAIN_BOOTSTRAP_PROPS = frozenset({"children", "id", "className", "class_name", "style"})
LINK_MARK = "data-dash-link"
BLOCKED_URL = "about:blank"

VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
TAG_OF_TYPE = {"ObjectEl": "object", "MapEl": "map"}
# Dash's own props, not DOM attributes (dash-html-components drops them too).
NOT_ATTRIBUTES = frozenset(
    {"children", "key", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "setProps"}
)
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formAction", "cite", "data", "poster"})
SAFE_NAME = re.compile(r"^[A-Za-z_:][-A-Za-z0-9_:.]*$")
SCRIPT_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
# CSS properties that take a bare number (React adds "px" to every other number).
UNITLESS = frozenset(
    {"opacity", "zIndex", "fontWeight", "lineHeight", "flex", "flexGrow", "flexShrink", "order", "zoom"}
)


class StaticHtml(Component):
    """One element: `tag` with React `attributes`, and `html` (already escaped) inside."""

    _children_props: list[str] = []
    _base_nodes = ["children"]
    # Dash imports a component's namespace on every keyword argument (for its
    # error messages): this one is this module, importable, so that costs nothing.
    _namespace = "components.static_html"
    _type = "StaticHtml"

    def __init__(self, tag: str, attributes: dict, html: str, **kwargs) -> None:
        self._prop_names = ["tag", "attributes", "html"]
        self._valid_wildcard_attributes = []
        self.available_properties = self._prop_names
        self.available_wildcard_properties = []
        super().__init__(tag=tag, attributes=attributes, html=html, **kwargs)


_PROP_NAMES: dict[type, dict[str, int]] = {}  # a component class's prop names, in Dash's order
_COMPONENT_TYPES: dict[type, bool] = {}


def is_component(value: object) -> bool:
    """isinstance(value, Component), answered once per type: Component is an
    abstract base class, whose isinstance checks were a tenth of a page's conversion."""
    kind = type(value)
    known = _COMPONENT_TYPES.get(kind)
    if known is None:
        known = _COMPONENT_TYPES[kind] = isinstance(value, Component)
    return known


def props_of(node: Component) -> dict:
    """The props set on `node`, as `to_plotly_json()["props"]` has them.

    Read straight from the instance: Dash's own method tests every prop name
    and every attribute against each wildcard, which made converting a page
    cost as much as building it."""
    order = _PROP_NAMES.get(type(node))
    if order is None:
        order = _PROP_NAMES[type(node)] = {name: i for i, name in enumerate(node._prop_names)}
    wildcards = tuple(node._valid_wildcard_attributes)
    values = vars(node)
    props = {k: values[k] for k in sorted((k for k in values if k in order), key=order.__getitem__)}
    if wildcards:  # after the named props, as Dash orders them
        props.update({k: v for k, v in values.items() if k.startswith(wildcards) and k not in order})
    return props


def is_html(node: object) -> bool:
    """A plain html.* component (rendered by dash-html-components)."""
    return is_component(node) and node._namespace == HTML_NAMESPACE


def is_link(node: object) -> bool:
    """A dcc.Link."""
    return is_component(node) and (node._namespace, node._type) == LINK_TYPE


def is_plain_bootstrap(node: object) -> bool:
    """A dbc Row, Col, Card or CardBody with no option that changes its markup."""
    return (
        is_component(node)
        and (node._namespace, node._type) in PLAIN_BOOTSTRAP
        and props_of(node).keys() <= PLAIN_BOOTSTRAP_PROPS
    )


def is_markup(node: object) -> bool:
    """A component whose whole rendering is one HTML element (its children aside)."""
    return is_html(node) or is_link(node) or is_plain_bootstrap(node)


def tag_of(node: Component) -> str:
    """The HTML tag of a markup component."""
    if is_link(node):
        return "a"
    if (node._namespace, node._type) in PLAIN_BOOTSTRAP:
        return "div"
    return TAG_OF_TYPE.get(node._type, node._type.lower())


def safe_url(url: str) -> str:
    """`url`, or about:blank for a script URL (as Dash's html.A and dcc.Link do)."""
    return BLOCKED_URL if SCRIPT_SCHEME.match(url) else url


def _css_name(name: str) -> str:
    if name.startswith("--"):
        return name
    kebab = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)
    return "-" + kebab if kebab.startswith(("webkit-", "moz-", "ms-")) else kebab


def style_text(style: dict) -> str:
    """A React style dict as a CSS declaration list."""
    parts = []
    for name, value in style.items():
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)) and value != 0 and name not in UNITLESS:
            value = f"{value}px"
        parts.append(f"{_css_name(name)}:{value}")
    return ";".join(parts)


def dom_props(node: Component) -> dict:
    """The component's props that are DOM attributes, as React takes them."""
    props = props_of(node)
    found = {k: v for k, v in props.items() if k not in NOT_ATTRIBUTES and v is not None}
    bootstrap_class = PLAIN_BOOTSTRAP.get((node._namespace, node._type))
    if bootstrap_class:
        extra = [found.pop(k) for k in ("class_name", "className") if found.get(k)]
        found["className"] = " ".join([*extra, bootstrap_class])
    if is_link(node):
        found.pop("refresh", None)
        if not props.get("refresh"):
            found[LINK_MARK] = "true"
    for name in URL_ATTRIBUTES & found.keys():
        found[name] = safe_url(str(found[name]))
    return found


_HTML_NAMES: dict[str, str | None] = {}


def _html_name(name: str) -> str | None:
    """The HTML attribute name of a prop ('className' -> 'class'), None if unsafe; checked once per name."""
    if name not in _HTML_NAMES:
        _HTML_NAMES[name] = ATTRIBUTE_NAMES.get(name, name) if SAFE_NAME.match(name) else None
    return _HTML_NAMES[name]


def _attribute(name: str, value: object) -> str:
    name = _html_name(name)
    if value is False or name is None:
        return ""
    if value is True:
        return f" {name}"
    text = style_text(value) if name == "style" and isinstance(value, dict) else str(value)
    return f' {name}="{escape(text, quote=True)}"'


def markup(tag: str, attributes: dict, inner: str = "") -> str:
    """One element written directly as HTML (`inner` is HTML already), with
    its attributes escaped as element_html escapes them; None values left out."""
    written = "".join(_attribute(k, v) for k, v in attributes.items() if v is not None)
    return f"<{tag}{written}>{inner}</{tag}>"


def text_html(value: object) -> str:
    """Text as HTML content, escaped."""
    return escape(str(value), quote=False)


def children_html(children: object) -> str:
    """HTML of a `children` value: components, text and numbers, escaped."""
    if children is None or isinstance(children, bool):
        return ""
    if is_component(children):
        return element_html(children)
    if isinstance(children, (list, tuple)):
        return "".join([children_html(child) for child in children])
    return escape(str(children), quote=False)


def element_html(node: Component) -> str:
    """One markup component and everything inside it, as HTML."""
    tag = tag_of(node)
    attributes = "".join(_attribute(k, v) for k, v in dom_props(node).items())
    if tag in VOID_TAGS:
        return f"<{tag}{attributes}>"
    children = getattr(node, "children", None)
    if is_link(node) and children is None:
        children = node.href  # dcc.Link shows its href when it has no children
    return f"<{tag}{attributes}>{children_html(children)}</{tag}>"


def static_html(node: Component) -> StaticHtml:
    """`node` as one StaticHtml: same element, same attributes, same content."""
    tag = tag_of(node)
    inner = "" if tag in VOID_TAGS else children_html(getattr(node, "children", None))
    return StaticHtml(tag=tag, attributes=dom_props(node), html=inner)


def count_nodes(children: object) -> int:
    """How many components a `children` value holds (text does not count)."""
    if is_component(children):
        return 1 + count_nodes(getattr(children, "children", None))
    if isinstance(children, (list, tuple)):
        return sum(count_nodes(child) for child in children)
    return 0


def walk_children(children: object) -> Iterable[Component]:
    """The components directly in a `children` value."""
    if is_component(children):
        yield children
    elif isinstance(children, (list, tuple)):
        for child in children:
            yield from walk_children(child)
