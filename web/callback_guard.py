"""A guard in front of Dash's `/_dash-update-component`: a forged or malformed
callback request gets a short plain-text 400, before the response cache, before
Dash, before any query.

Dash trusts the envelope its renderer posts. A hand-made body that is a JSON
array, lacks `outputs`, names an unknown output or input, sends the wrong number
of inputs, NaN, a 50,000-deep array or a pathname that is a number made Dash (or
our callbacks) raise, which answered 500 and wrote a traceback to the log for
each request. The guard checks the body against the registered server callback
it names:

- the body: at most MAX_BODY_BYTES, a JSON object, no NaN/Infinity, nested at
  most MAX_DEPTH deep, no integer of more than MAX_INT_DIGITS digits;
- `output`: a registered server callback (not a clientside one);
- `outputs`, `inputs`, `state`: that callback's (id, property) pairs, in number
  and order; each input and state item carries a `value`;
- each value's JSON type is one its property can take (VALUE_TYPES, keyed by
  "id.property"; a callback whose values are not declared there is refused,
  and tests/web/test_callback_guard.py fails until every one is declared);
- `changedPropIds`, when present: a list of strings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from dash import Dash
from flask import request

from pages import ids
from web.dash_adapters import ROUTER_PATHNAME, ROUTER_SEARCH, callback_signature, wrap_view
from web.responses import plain_text

log = logging.getLogger(__name__)

ENDPOINT_NAME = "_dash-update-component"
MAX_BODY_BYTES = 4 * 1024 * 1024  # a real body is a few KB; the largest explorer view well under 1 MB
MAX_DEPTH = 16  # a real body nests 6 deep (envelope, inputs, item, view state, values, list)
MAX_INT_DIGITS = 20

# The JSON types each value may have: "str", "none", "dict", "int", "float", "bool",
# "list[str]" (a list of strings). Keyed by the input's or state's "id.property".
STR_OR_NONE = frozenset({"str", "none"})
STRINGS_OR_NONE = frozenset({"list[str]", "none"})  # a multi-select dropdown
VALUE_TYPES: dict[str, frozenset[str]] = {
    # Dash's pages router: dcc.Location's pathname and query string.
    ROUTER_PATHNAME: frozenset({"str"}),
    ROUTER_SEARCH: STR_OR_NONE,
    # Navigation: single dropdowns (string values) and the view-state Store.
    f"{ids.YEAR_SELECT}.value": STR_OR_NONE,
    f"{ids.COUNTRY_SELECT}.value": STR_OR_NONE,
    f"{ids.VIEW_STATE}.data": frozenset({"dict", "none"}),
    # Overview: the map's indicator (a single dropdown).
    f"{ids.OVERVIEW_MAP_INDICATOR}.value": STR_OR_NONE,
    # Explorer: multi dropdowns and radio items.
    f"{ids.EXPLORER_INDICATORS}.value": STRINGS_OR_NONE,
    f"{ids.EXPLORER_COUNTRIES}.value": STRINGS_OR_NONE,
    f"{ids.EXPLORER_YEARS}.value": STRINGS_OR_NONE,
    f"{ids.EXPLORER_BREAKDOWN}.value": STR_OR_NONE,
    f"{ids.EXPLORER_CHART_TYPE}.value": STR_OR_NONE,
    f"{ids.EXPLORER_SCALE}.value": STRINGS_OR_NONE,
    # Partners: multi dropdowns, the year dropdown and the search box (dcc.Input, text).
    f"{ids.PARTNERS_COUNTRIES}.value": STRINGS_OR_NONE,
    f"{ids.PARTNERS_TYPES}.value": STRINGS_OR_NONE,
    f"{ids.PARTNERS_THEMES}.value": STRINGS_OR_NONE,
    f"{ids.PARTNERS_YEAR}.value": STR_OR_NONE,
    f"{ids.PARTNERS_SEARCH}.value": STR_OR_NONE,
}


class BadCallback(ValueError):
    """A callback request the guard refuses; the message is what the client reads."""


def json_type(value: object) -> str:
    """The JSON type of a parsed value, lists of strings told apart."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, list):
        return "list[str]" if all(isinstance(v, str) for v in value) else "list"
    return {str: "str", int: "int", float: "float", dict: "dict"}.get(type(value), "other")


def _refuse_constant(name: str) -> float:
    raise BadCallback(f"{name} is not valid JSON")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadCallback("a number in the request is too long")
    return int(text)


def parse_body(body: bytes) -> dict:
    """The body as a JSON object, within the size and depth bounds."""
    if len(body) > MAX_BODY_BYTES:
        raise BadCallback("request body too large")
    try:
        payload = json.loads(body, parse_constant=_refuse_constant, parse_int=_parse_int)
    except RecursionError:
        raise BadCallback("request body nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, BadCallback):
            raise
        raise BadCallback("request body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadCallback("request body must be a JSON object")
    if _depth(payload) > MAX_DEPTH:
        raise BadCallback("request body nested too deeply")
    return payload


def _depth(value: object) -> int:
    """How deeply lists and objects nest in `value` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend(
                    (child, level + 1) for child in (node.values() if isinstance(node, dict) else node)
                )
    return deepest


def _items(payload: dict, key: str, expected: list[tuple[str, str]], with_values: bool) -> list[dict]:
    """The body's `key` list, checked against the callback's (id, property) pairs."""
    items = payload.get(key, [] if key == "state" else None)
    if key == "outputs" and isinstance(items, dict):
        items = [items]  # one output is posted as an object
    if not isinstance(items, list):
        raise BadCallback(f"'{key}' must be a list")
    if len(items) != len(expected):
        raise BadCallback(f"'{key}' must have {len(expected)} item(s)")
    for item, (component_id, prop) in zip(items, expected, strict=True):
        if not isinstance(item, dict) or item.get("id") != component_id:
            raise BadCallback(f"'{key}' does not match the callback")
        posted = item.get("property")
        if not isinstance(posted, str) or posted.split("@")[0] != prop:
            raise BadCallback(f"'{key}' does not match the callback")
        if with_values:
            if "value" not in item:
                raise BadCallback(f"an item of '{key}' has no value")
            allowed = VALUE_TYPES.get(f"{component_id}.{prop}")
            if allowed is None or json_type(item["value"]) not in allowed:
                raise BadCallback(f"bad value for {component_id}.{prop}")
    return items


def check_callback(app: Dash, payload: dict) -> None:
    """Raise BadCallback unless `payload` is a well-formed request of a server callback."""
    signature = callback_signature(app, payload.get("output"))
    if signature is None:
        raise BadCallback("unknown callback")
    _items(payload, "outputs", signature["outputs"], with_values=False)
    inputs = _items(payload, "inputs", signature["inputs"], with_values=True)
    _items(payload, "state", signature["state"], with_values=True)
    _check_router_path(app, inputs)
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallback("'changedPropIds' must be a list of strings")


def _check_router_path(app: Dash, inputs: list[dict]) -> None:
    """Dash's router refuses (with a 500) a pathname outside the app's prefix."""
    prefix = app.config.requests_pathname_prefix
    for item in inputs:
        if f"{item['id']}.{item['property']}" == ROUTER_PATHNAME and not item["value"].startswith(prefix):
            raise BadCallback(f"the pathname must start with {prefix}")


def guard(app: Dash) -> Callable[[Callable], Callable]:
    """A wrapper of Dash's callback view that answers 400 to a request it refuses."""

    def wrapper(view: Callable) -> Callable:
        def guarded_dispatch(*args, **kwargs):
            if request.mimetype == "application/json":  # Dash answers other types with 415
                try:
                    check_callback(app, parse_body(request.get_data(cache=True)))
                except BadCallback as refused:
                    log.info("callback refused: %s", refused)
                    return plain_text(400, f"Bad callback request: {refused}.")
            return view(*args, **kwargs)

        return guarded_dispatch

    return wrapper


def install_callback_guard(app: Dash) -> None:
    """Put the guard in front of Dash's callback route (and of the response cache,
    so install it after that)."""
    wrap_view(app, ENDPOINT_NAME, guard(app))
