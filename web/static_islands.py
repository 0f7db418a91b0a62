"""Pages sent with their static parts as HTML (components/html_block.py says why).

`install_static_islands(app)` wraps every registered page layout: the layout
builds its component tree as before (the layout tests read that tree), and on
the way to the browser each largest subtree of markup components (html.*,
dcc.Link, option-less Bootstrap containers) that no callback refers to becomes
one HtmlBlock. Anything a callback
reads or writes (by its id), any pattern-matching id and every other kind of
component (graphs, dropdowns, Bootstrap widgets) stays a Dash component, with
its static descendants turned into HTML in turn.
"""

from __future__ import annotations

import copy
import functools
import json
import weakref
from collections.abc import Callable

from dash import Dash
from dash.development.base_component import Component

from pages.contract import is_reused
from web.dash_adapters import output_ids, registered_callbacks, wrap_page_layouts
from web.static_tree import count_nodes, is_component, is_markup, static_html

MIN_COMPONENTS = 2  # a lone component gains nothing from becoming another one
_WRAPPED = "_compass_static_islands"
# What with_islands made of content that pages share between requests
# (pages.contract.mark_reused): kept as long as that content lives.
_converted: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def callback_ids(callbacks: list[dict]) -> frozenset[str]:
    """Every component id a callback names as an output, input or state."""
    found: set[str] = set()
    for callback in callbacks:
        found.update(output_ids(callback["output"]))
        for dependency in callback.get("inputs", []) + callback.get("state", []):
            found.add(dependency["id"] if isinstance(dependency["id"], str) else json.dumps(dependency["id"]))
    return frozenset(found)


def is_static(node: object, live_ids: frozenset[str], seen: dict[int, bool] | None = None) -> bool:
    """True when `node` and everything inside it can be plain markup.

    `seen` keeps the answer for every component already looked at, so that one
    pass over a page (`with_islands`) asks about each component once."""
    if not is_component(node):
        return True
    if seen is not None and id(node) in seen:
        return seen[id(node)]
    node_id = getattr(node, "id", None)
    static = (
        is_markup(node)
        and (node_id is None or (isinstance(node_id, str) and node_id not in live_ids))
        and _all_static(getattr(node, "children", None), live_ids, seen)
    )
    if seen is not None:
        seen[id(node)] = static
    return static


def _all_static(children: object, live_ids: frozenset[str], seen: dict[int, bool] | None) -> bool:
    if isinstance(children, (list, tuple)):
        return all([is_static(child, live_ids, seen) for child in children])  # every child recorded
    return is_static(children, live_ids, seen)


def with_islands(children: object, live_ids: frozenset[str], seen: dict[int, bool] | None = None) -> object:
    """`children` with each largest static subtree as one HtmlBlock (the input is not changed)."""
    seen = {} if seen is None else seen
    if isinstance(children, (list, tuple)):
        return [with_islands(child, live_ids, seen) for child in children]
    if not is_component(children):
        return children
    if is_reused(children):
        found = _converted.get(children)
        if found is None:
            found = _converted[children] = _convert(children, live_ids, seen)
        return found
    return _convert(children, live_ids, seen)


def _convert(children: object, live_ids: frozenset[str], seen: dict[int, bool]) -> object:
    if is_static(children, live_ids, seen) and count_nodes(children) >= MIN_COMPONENTS:
        return static_html(children)
    inner = getattr(children, "children", None)
    if not isinstance(inner, (Component, list, tuple)):
        return children
    node = copy.copy(children)
    node.children = with_islands(inner, live_ids, seen)
    return node


def static_islands(layout: Callable, live_ids: Callable[[], frozenset[str]]) -> Callable:
    """`layout` whose result is sent with its static subtrees as HTML."""

    @functools.wraps(layout)
    def wrapper(*args, **kwargs):
        return with_islands(layout(*args, **kwargs), live_ids())

    setattr(wrapper, _WRAPPED, True)
    return wrapper


def install_static_islands(app: Dash) -> None:
    """Wrap every page layout of `app` (called once every callback is registered)."""

    @functools.cache
    def live_ids() -> frozenset[str]:
        # Read on first use: every callback is registered by then, the pages router too.
        return callback_ids(registered_callbacks(app))

    wrap_page_layouts(lambda layout: static_islands(layout, live_ids), _WRAPPED)
