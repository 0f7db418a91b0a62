"""Forged and malformed callback requests (web/callback_guard.py): the bodies of
the security review (§2) that answered 500, and random bodies built from the
app's own /_dash-dependencies, all answer below 500 with no traceback; a
refused body never reaches a query."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages import ids
from tests.helpers import STATS_AUTH, counts, make_app, router_body
from web.callback_guard import VALUE_TYPES
from web.dash_adapters import callback_signature

URL = "/_dash-update-component"
NAV = f"{ids.NAVIGATE}.href"
GOOD_STATE = {"lang": "en", "nav": {}}


def nav_body(year="2023", country="", state=GOOD_STATE, trigger=ids.YEAR_SELECT) -> dict:
    return {
        "output": NAV,
        "outputs": {"id": ids.NAVIGATE, "property": "href"},
        "inputs": [
            {"id": ids.YEAR_SELECT, "property": "value", "value": year},
            {"id": ids.COUNTRY_SELECT, "property": "value", "value": country},
        ],
        "changedPropIds": [f"{trigger}.value"],
        "state": [{"id": ids.VIEW_STATE, "property": "data", "value": state}],
    }


def page(pathname="/countries/LBY", search="?year=2022") -> dict:
    return router_body(pathname, search)


def without(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


def with_input(body: dict, index: int, **changes) -> dict:
    body = copy.deepcopy(body)
    body["inputs"][index].update(changes)
    return body


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (name, body as a Python object or raw bytes, statuses accepted). The review's
# failing bodies (§2); the well-formed ones among them answer 200.
BAD = (400,)
CASES = [
    ("page pathname=123", page(123), BAD),
    ("page search=123", page(search=123), BAD),
    ("page pathname=null", page(None), BAD),
    ("page pathname=true", page(True), BAD),
    ("page search=true", page(search=True), BAD),
    ("page pathname=[]", page([]), BAD),
    ("page pathname=list", page(["/a", "/b"]), BAD),
    ("page search=list", page(search=["/a", "/b"]), BAD),
    ("page pathname=dict", page({"a": 1}), BAD),
    ("page search=dict", page(search={"a": 1}), BAD),
    ("page pathname=1e308", page(1e308), BAD),
    ("page pathname empty (found by the fuzz test)", page(""), BAD),
    ("page pathname without its leading /", page("countries/LBY"), BAD),
    ("page search=1e308", page(search=1e308), BAD),
    # Over MAX_REQUEST_BYTES: refused before the guard reads it (web/limits.py).
    ("page pathname=1 MB string", page("/" + "a" * 1_000_000), (413,)),
    (
        "unknown output",
        {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []},
        BAD,
    ),
    ("unknown output multi", {"output": "..a.b...c.d..", "outputs": [], "inputs": []}, BAD),
    (
        "clientside output",
        {
            "output": f"{ids.HTML_LANG}.data",
            "outputs": {"id": ids.HTML_LANG, "property": "data"},
            "inputs": [{"id": ids.VIEW_STATE, "property": "modified_timestamp", "value": 1}],
        },
        BAD,
    ),
    ("unknown input id", with_input(page(), 0, id="nope"), BAD),
    ("pattern-matching dict id", with_input(page(), 0, id={"type": "x", "index": 1}), BAD),
    ("one input only", {**page(), "inputs": page()["inputs"][:1]}, BAD),
    ("three inputs", {**page(), "inputs": page()["inputs"] + page()["inputs"][:1]}, BAD),
    ("page missing output", without(page(), "output"), BAD),
    ("page missing outputs", without(page(), "outputs"), BAD),
    ("page missing inputs", without(page(), "inputs"), BAD),
    (
        "input missing value key",
        {**page(), "inputs": [{"id": "_pages_location", "property": "pathname"}, page()["inputs"][1]]},
        BAD,
    ),
    # The controls write the URL in the browser (clientside callbacks): the server
    # has no such callback, and a body naming one is refused.
    ("nav (clientside) body", nav_body(), BAD),
    ("nav year 5,000 digits", nav_body(year="9" * 5000), BAD),
    ("nav state odd types", nav_body(state={"page": ["x"], "nav": [1]}), BAD),
    ("JSON array", b"[1]", BAD),
    ("JSON string", b'"a"', BAD),
    ("JSON null", b"null", BAD),
    ("empty body", b"", BAD),
    ("deep nesting 50k", nested(50_000).encode(), BAD),
    ("deep nesting in value 50k", json.dumps(page()).replace('"?year=2022"', nested(50_000)).encode(), BAD),
    ("NaN/Infinity", b'{"output": NaN, "inputs": Infinity}', BAD),
    ("NaN in a value", json.dumps(page()).replace('"?year=2022"', "NaN").encode(), BAD),
    ("huge integer", json.dumps(page()).replace('"?year=2022"', "9" * 5000).encode(), BAD),
    ("too large", json.dumps(page(search="?q=" + "a" * 5_000_000)).encode(), (413,)),
]


def _body(app, body) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from config import REFERENCE_DIR
    from data_access.engine import make_engine
    from data_access.loader import prepare_database

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('guard') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR)
    app = make_app(engine, query_stats=True)
    app.server.test_client().get("/_dash-dependencies")  # Dash fills its callback map on a first request
    return app


def post(client, body: bytes):
    return client.post(URL, data=body, content_type="application/json")


def assert_answered(response, accepted=(200, 204, 400)) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, text[:300]
    assert response.status_code in accepted, (response.status_code, text[:300])
    assert "Traceback" not in text and 'File "' not in text


@pytest.mark.parametrize(("name", "body", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_forged_callbacks_answer_below_500(app, name, body, accepted):
    response = post(app.server.test_client(), _body(app, body))
    assert_answered(response, accepted)
    if response.status_code == 400:
        assert response.mimetype == "text/plain"
        assert len(response.data) < 200 and response.get_data(as_text=True).startswith("Bad callback request")


@pytest.mark.parametrize(
    "body",
    [page(), page("/indicators", "?chart=lines"), page("/partners", "?q=amal")],
    ids=["page", "explorer", "partners"],
)
def test_real_bodies_still_answer(app, body):
    response = post(app.server.test_client(), _body(app, body))
    assert response.status_code == 200 and response.mimetype == "application/json"


def test_a_refused_body_runs_no_query(app):
    client = app.server.test_client()
    assert client.post("/_stats/reset", headers=STATS_AUTH).status_code == 200
    before = counts(client)
    forged = page(search=["?year=2022"])
    assert post(client, json.dumps(forged).encode()).status_code == 400
    assert counts(client) == before
    # the same body, well typed, does reach the queries (so the counters can move)
    assert post(client, json.dumps(page(search="?year=2022")).encode()).status_code == 200
    assert counts(client) != before


def test_every_server_callback_value_is_typed(app):
    """A new callback is refused (400) until its inputs and state are declared."""
    for output in app.callback_map:
        signature = callback_signature(app, output)
        if signature is None:
            continue
        for component_id, prop in signature["inputs"] + signature["state"]:
            assert f"{component_id}.{prop}" in VALUE_TYPES, f"declare {component_id}.{prop} in VALUE_TYPES"


def test_a_refusal_logs_one_short_line(app, caplog):
    caplog.set_level("INFO")
    post(app.server.test_client(), b"[1]")
    lines = [r for r in caplog.records if r.levelno >= 20 and "callback" in r.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0].getMessage() and not lines[0].exc_info


# --- random bodies from the app's own /_dash-dependencies --------------------------------------

JSON_LEAF = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def forged_bodies(draw, dependencies: list[dict]) -> dict:
    """A body built from a real callback's declaration, then bent: values of any
    JSON type, ids and properties swapped, items or keys dropped, lists nested."""
    declared = draw(st.sampled_from(dependencies))
    ids_seen = [i["id"] for d in dependencies for i in d["inputs"] + d["state"]]
    props = ["value", "data", "pathname", "search", "children", "href", "n_clicks", "nope"]

    def item(spec: dict) -> dict:
        made = {
            "id": spec["id"],
            "property": spec["property"],
            "value": draw(JSON_VALUE | st.text(max_size=12)),
        }
        if draw(st.integers(0, 9)) == 0:
            made["id"] = draw(st.sampled_from(ids_seen) | st.text(max_size=6))
        if draw(st.integers(0, 9)) == 0:
            made["property"] = draw(st.sampled_from(props))
        if draw(st.integers(0, 9)) == 0:
            del made[draw(st.sampled_from(sorted(made)))]
        return made

    output = declared["output"]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[-1]} for part in output.strip(".").split("...")
    ]
    body: dict = {
        "output": draw(st.sampled_from([output, output + "x", "", *[d["output"] for d in dependencies]])),
        "outputs": outputs[0] if len(outputs) == 1 else outputs,
        "inputs": [item(i) for i in declared["inputs"]],
        "state": [item(s) for s in declared["state"]],
        "changedPropIds": draw(
            st.lists(st.sampled_from([f"{i['id']}.{i['property']}" for i in declared["inputs"]]), max_size=2)
            | JSON_VALUE
        ),
    }
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=2)):
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(JSON_VALUE)
    if body.get("inputs") and isinstance(body["inputs"], list) and draw(st.booleans()):
        body["inputs"] = draw(
            st.sampled_from([body["inputs"][:-1], body["inputs"] + body["inputs"][:1], body["inputs"]])
        )
    return body


def test_random_bodies_never_answer_500(app):
    client = app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()

    @FUZZ
    @given(body=forged_bodies(dependencies))
    def check(body):
        assert_answered(post(client, json.dumps(body).encode()))

    check()
