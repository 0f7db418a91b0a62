"""Helpers that more than one test module uses: the environment and apps for
tests, facts of the reference data, searches of a layout tree, and HTML read
with the standard library's parser. Fixtures live in conftest.py; test
modules import from here, never from each other or from conftest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dash.development.base_component import Component
from sqlalchemy import Engine, insert, select, text

from app import build_dash

# Dash's pages-router wire body: one copy, shared with the load benchmark (re-exported).
from bench.load import ROUTER as ROUTER
from bench.load import router_body as router_body
from components.html_block import HtmlBlock
from config import REFERENCE_DIR, Settings
from data_access import schema as s
from data_access.engine import make_engine
from data_access.summary import refresh_summary
from data_access.version import bump_version, current_version
from pages import ids

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
COMPASS = ["AFG", "DZA", "TCD", "EGY", "ETH", "IRQ", "LBN", "LBY", "MLI", "MAR", "NER", "NGA", "SDN", "TUN"]
COMPASS_COUNTRIES = len(COMPASS)
LIBYA_PARTNERS = frozenset(  # the partners named for Libya (partner keys)
    {
        "belkhair-sports-club",
        "international-medical-corps",
        "lby-embassy-representatives",
        "lby-migrant-community-leaders",
        "lby-ministry-of-health",
    }
)
NBSP = "\u00a0"  # no-break space (French: before "%" and ":")
NNBSP = "\u202f"  # narrow no-break space (French thousands: "7 000")


# --- the environment and the app -------------------------------------------------------


def required_env(name: str) -> str:
    """An environment variable the test needs: skipped locally when missing, failing in CI."""
    value = os.environ.get(name, "").strip()
    if not value:
        if IN_CI:
            pytest.fail(f"{name} must be set in CI (.ci/run sets it)")
        pytest.skip(f"{name} not set")
    return value


def fresh_postgres(url: str) -> Engine:
    """An engine on an emptied PostgreSQL database (schema public dropped and recreated)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


STATS_TOKEN = "test-stats-token"
STATS_AUTH = {"Authorization": f"Bearer {STATS_TOKEN}"}


def test_settings(**overrides) -> Settings:
    """Settings for tests: in-process cache, STATS_TOKEN for /_stats, unless overridden."""
    base = {"cache_type": "SimpleCache", "cache_key_prefix": "compass-test:", "stats_token": STATS_TOKEN}
    base.update(overrides)
    return Settings(**base)


test_settings.__test__ = False  # a helper, not a test, in whichever module imports it


def make_app(engine: Engine, **overrides):
    """A Dash app from the real factory, on `engine`."""
    return build_dash(test_settings(**overrides), engine)


# --- the reference data (data/reference) -------------------------------------------------


def changed_reference(tmp_path: Path) -> Path:
    """A copy of the reference data with one figure changed (29117 -> 29118)."""
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    tsv = folder / "compass_public_figures.tsv"
    tsv.chmod(0o644)
    text_ = tsv.read_text(encoding="utf-8")
    assert "\t29117\texact\t" in text_
    tsv.write_text(text_.replace("\t29117\texact\t", "\t29118\texact\t", 1), encoding="utf-8")
    return folder


def snapshot(engine: Engine) -> dict:
    """Row count and checksum of the rows of every table, and the data version."""
    state: dict = {"version": current_version(engine)}
    with engine.connect() as conn:
        for table in s.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            state[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


# --- a later year, loaded after a link was copied (the data cutoff, pages/share.py) -----------


LATER = 2026  # a year after every year of the reference data (add_a_later_year)
NEW_PARTNER = "later-partner"


def add_a_later_year(engine: Engine) -> None:
    """A 2026 figure for the explorer's default indicator (Nigeria), and a 2026
    activity of a partner that had none before; the data version is bumped."""
    with engine.begin() as conn:
        base = conn.execute(
            select(s.results).where(
                s.results.c.indicator_code == "migrants_return_assistance",
                s.results.c.country_iso3 == "NGA",
                s.results.c.breakdown_dim == "",
            )
        ).first()
        row = dict(base._mapping)
        row.pop("id")
        row.update(
            period_start=base.period_start.replace(year=LATER, month=1, day=1),
            period_end=base.period_end.replace(year=LATER, month=12, day=31),
            value=987654,
            qualifier="exact",
        )
        conn.execute(insert(s.results).values(**row))
        activity = dict(conn.execute(select(s.activities)).first()._mapping)
        activity.pop("id")
        activity.update(key=f"later-activity-{LATER}", year=LATER, country_iso3="NGA")
        activity_id = conn.execute(insert(s.activities).values(**activity)).inserted_primary_key[0]
        partner_id = conn.execute(
            insert(s.partners).values(
                key=NEW_PARTNER,
                name_en="Zeta Later Partner",
                name_fr="Zeta Partenaire tardif",
                type="local_ngo",
            )
        ).inserted_primary_key[0]
        conn.execute(insert(s.activity_partners).values(activity_id=activity_id, partner_id=partner_id))
        refresh_summary(conn)
        bump_version(conn)


# --- layout trees (what a page's layout function returns) ----------------------------------


def walk(node):
    """Every component and string in a layout tree."""
    yield node
    children = getattr(node, "children", None) if isinstance(node, Component) else None
    if isinstance(node, list | tuple):
        children = node
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        yield from walk(child)


def text_of(tree) -> str:
    """All the text of a layout tree: its strings and numbers, and the text of
    the parts written directly as HTML (HtmlBlock), separated by spaces."""
    parts = []
    for n in walk(tree):
        if isinstance(n, str | int | float):
            parts.append(str(n))
        elif isinstance(n, HtmlBlock):
            parts.append(_parsed(n.html).text())
    return " ".join(parts)


def by_id(tree, component_id):
    """The component with that id, or the HtmlBlock holding an element with it."""
    return next(
        (n for n in walk(tree) if getattr(n, "id", None) == component_id or _holds_id(n, component_id)),
        None,
    )


def _holds_id(node, element_id) -> bool:
    """Whether `node` is an HtmlBlock that is, or holds, an element with that id."""
    if not isinstance(node, HtmlBlock):
        return False
    return node.attributes.get("id") == element_id or _parsed(node.html).by_id(element_id) is not None


def export_hrefs(tree) -> list[str]:
    """Every export link (/export/...) in a layout tree, in order."""
    return [n.href for n in walk(tree) if (getattr(n, "href", None) or "").startswith("/export/")]


# --- HTML, read with the standard library's parser -------------------------------------------

# Elements that never have content or an end tag (the HTML standard's list).
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(eq=False)
class Element:
    """One element of parsed HTML. Tag and attribute names are in lower case, as
    HTML reads them (an SVG viewBox is `viewbox`); attribute values have their
    entities read, and an attribute without a value (`defer`) is None."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and every element inside it, in document order; only `tag` ones if given."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag: str) -> list[Element]:
        """Every `tag` element inside this one (or this one itself), in document order."""
        return list(self.iter(tag))

    def by_id(self, element_id: str) -> Element | None:
        """The first element (this one included) whose id is `element_id`."""
        return next((e for e in self.iter() if e.attrs.get("id") == element_id), None)

    def text(self) -> str:
        """The text inside, entities read; the pieces between tags joined by a space."""
        return " ".join(self._strings())

    def _strings(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, Element):
                yield from child._strings()
            else:
                yield child

    def __repr__(self) -> str:
        attributes = "".join(f" {k}" if v is None else f' {k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag or '#fragment'}{attributes}>"


class _TreeBuilder(HTMLParser):
    """Builds Elements from HTMLParser's events (unclosed elements end with their parent)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self._open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(markup: str) -> Element:
    """`markup` (a fragment or a whole page) as Elements, under a nameless root element."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags dropped, entities read, pieces joined by a space."""
    return parse_html(markup).text()


@lru_cache(maxsize=64)
def _parsed(markup: str) -> Element:
    """parse_html, remembered: the tree helpers read the same blocks again and again
    (the trees are shared, so nothing may change them)."""
    return parse_html(markup)


def free_port() -> int:
    """A TCP port nothing listens on right now (for servers, or for a closed one)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def counts(client) -> dict[str, int]:
    """Database computations per cached query function (/_stats/queries, diagnostics mode)."""
    return client.get("/_stats/queries", headers=STATS_AUTH).get_json()


# --- the browser's URL rules (assets/compass_nav.js), run in node ------------------------

NAV_SCRIPT = REPO / "assets" / "compass_nav.js"
NODE = shutil.which("node") or shutil.which("nodejs")
# A window and document just real enough for the script to load; then each case's URL.
_NODE_RUNNER = """
global.window = global;
global.document = {addEventListener() {}, documentElement: {}};
global.MutationObserver = class { observe() {} };
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(([nav, ids, values]) =>
  window.compassNav.nextUrl(nav, ids.map((id) => ({id})), values, ids[0]))));
"""


def view_nav(layout) -> dict:
    """The `nav` part of a rendered view's state: what its controls set (pages/share.py)."""
    return by_id(layout, ids.VIEW_STATE).data["nav"]


def browser_urls(cases: list[tuple[dict, dict[str, object]]]) -> list[str | None]:
    """The URL assets/compass_nav.js writes for each (nav, {control id: value sent})
    case, or None where the view stays (run in node; skipped without node)."""
    if not NODE:
        pytest.skip("node is not installed: the browser's URL rules are tested in the browser tests only")
    body = [[nav, list(changes), list(changes.values())] for nav, changes in cases]
    done = subprocess.run(
        [NODE, "-e", _NODE_RUNNER, str(NAV_SCRIPT)],
        input=json.dumps(body),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def browser_url(nav: dict, changes: dict[str, object]) -> str | None:
    """One case of `browser_urls`."""
    return browser_urls([(nav, changes)])[0]


def navigation_callbacks(app, control_id: str) -> list[dict]:
    """The callbacks (as /_dash-dependencies lists them) that write the URL when
    `control_id` changes."""
    found = app.server.test_client().get("/_dash-dependencies").get_json()
    return [
        spec
        for spec in found
        if ids.NAVIGATE in spec["output"] and any(i["id"] == control_id for i in spec["inputs"])
    ]


def view_query(layout) -> tuple[str, dict[str, str]]:
    """The path and canonical query (key -> text) a rendered view's links and
    controls start from, as its state ships them."""
    nav = view_nav(layout)
    return nav["path"], dict(nav["query"])
