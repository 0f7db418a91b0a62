"""HTML written on the server and sent as one element: `HtmlBlock`.

dash-renderer wraps every component of a layout in its own React wrapper with
store subscriptions, and that, not the DOM, is most of the main-thread time of a
page with large tables. Markup that no callback reads or writes can instead be
written here as HTML once; the browser renders it as one element
(assets/static_html.js): the root element with its own attributes, as
dash-html-components would render it, and the rest as innerHTML.

Text and attribute values are escaped here (hostile text stays text) and URLs
with a script scheme are replaced, as Dash's own components replace them.

`HtmlBlock` is not a Dash component class: it serialises itself through
plotly's public JSON protocol (`to_plotly_json`), which Dash uses for every
value of a layout, as the component `StaticHtml` that assets/static_html.js
defines. The delivery layer (web/static_tree.py) turns plain html.* subtrees
into HtmlBlocks the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

NAMESPACE = "compass_static"  # window["compass_static"].StaticHtml, assets/static_html.js
TYPE = "StaticHtml"
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formAction", "cite", "data", "poster"})
SAFE_NAME = re.compile(r"^[A-Za-z_:][-A-Za-z0-9_:.]*$")
SCRIPT_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
BLOCKED_URL = "about:blank"
# CSS properties that take a bare number (React adds "px" to every other number).
UNITLESS = frozenset(
    {"opacity", "zIndex", "fontWeight", "lineHeight", "flex", "flexGrow", "flexShrink", "order", "zoom"}
)


@dataclass(frozen=True)
class HtmlBlock:
    """One element: `tag` with React `attributes`, and `html` (already escaped) inside."""

    tag: str
    attributes: dict = field(default_factory=dict)
    html: str = ""

    def to_plotly_json(self) -> dict:
        """The JSON form of a component, as Dash sends every layout node."""
        props = {"tag": self.tag, "attributes": self.attributes, "html": self.html}
        return {"props": props, "type": TYPE, "namespace": NAMESPACE}

    def outer_html(self) -> str:
        """The whole element as HTML, for a block inside a larger block."""
        return markup(self.tag, self.attributes, self.html)


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


_HTML_NAMES: dict[str, str | None] = {}


def _html_name(name: str) -> str | None:
    """The HTML attribute name of a prop ('className' -> 'class'), None if unsafe; checked once per name."""
    if name not in _HTML_NAMES:
        _HTML_NAMES[name] = ATTRIBUTE_NAMES.get(name, name) if SAFE_NAME.match(name) else None
    return _HTML_NAMES[name]


def attribute_html(name: str, value: object) -> str:
    """One attribute as HTML (' class="a"'), escaped; '' for False or an unsafe name."""
    html_name = _html_name(name)
    if value is False or html_name is None:
        return ""
    if value is True:
        return f" {html_name}"
    if name in URL_ATTRIBUTES:
        value = safe_url(str(value))
    text = style_text(value) if html_name == "style" and isinstance(value, dict) else str(value)
    return f' {html_name}="{escape(text, quote=True)}"'


def markup(tag: str, attributes: dict, inner: str = "") -> str:
    """One element written directly as HTML (`inner` is HTML already), with
    its attributes escaped; None values left out."""
    written = "".join(attribute_html(k, v) for k, v in attributes.items() if v is not None)
    if tag in VOID_TAGS:
        return f"<{tag}{written}>"
    return f"<{tag}{written}>{inner}</{tag}>"


def text_html(value: object) -> str:
    """Text as HTML content, escaped."""
    return escape(str(value), quote=False)
