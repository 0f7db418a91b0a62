"""Arabic in the browser (issue 16): every page right to left at 1280 and 375 px
(<html lang="ar" dir="rtl">, Bootstrap's RTL stylesheet and not the LTR one,
the navbar mirrored, nothing wider than a phone), the switch EN -> AR -> FR
swapping direction and stylesheet without a reload (and back and forward), and
a donor link made and read in Arabic. Every page must keep a clean console (the
`page` fixture and `checked_pages` check it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from model.audience import STAFF
from tests.browser.helpers import PageLog, checked_pages, lang_link, open_view, serve_dashboard
from web.audience import add_audience_resolver

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
NOT_FOUND = "/no/such/page"
ARABIC_PAGES = [
    "/?lang=ar",
    "/?lang=ar&year=2022",
    "/?lang=ar&year=1990",  # a notice: no data for that year
    "/countries/MAR?lang=ar&year=2022",
    "/countries/LBY?lang=ar&year=2022",
    "/countries/TCD?lang=ar",
    "/countries/XYZ?lang=ar",  # the list of the 14 countries
    "/indicators?lang=ar",
    "/indicators?lang=ar&until=abc",  # a notice: a bad value
    "/indicators?lang=ar&chart=lines",
    "/indicators?lang=ar&chart=map",
    "/partners?lang=ar",
    "/data?lang=ar",
    f"{NOT_FOUND}?lang=ar",
    "/login?lang=ar",
    "/logout?lang=ar",
]
RTL_SHEET = "bootstrap.rtl.min.css"
LTR_SHEET = "bootstrap.min.css"

# What the page looks like now: its direction, its stylesheets, its width, where the brand is.
_LAYOUT_STATE = """() => {
    const root = document.documentElement;
    const brand = document.querySelector(".navbar-brand");
    const box = brand && brand.getBoundingClientRect();
    const style = brand && getComputedStyle(brand);
    return {
        lang: root.lang,
        dir: root.dir,
        direction: getComputedStyle(document.body).direction,
        sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href),
        scrollWidth: document.scrollingElement.scrollWidth,
        innerWidth: window.innerWidth,
        brand: box && {left: box.left, right: box.right, marginLeft: style.marginLeft, marginRight: style.marginRight},
    };
}"""


def layout_state(page: Page) -> dict:
    return page.evaluate(_LAYOUT_STATE)


def bootstrap_sheets(state: dict) -> list[str]:
    """The Bootstrap stylesheets the page links (file names, without any ?query)."""
    names = [re.sub(r"[?#].*$", "", href).rsplit("/", 1)[-1] for href in state["sheets"]]
    return [name for name in names if name.startswith("bootstrap")]


def rtl_problems(path: str, state: dict) -> list[str]:
    """What is not right to left in `state`, as lines a reader can act on."""
    problems = []
    if (state["lang"], state["dir"], state["direction"]) != ("ar", "rtl", "rtl"):
        problems.append(f"lang={state['lang']} dir={state['dir']} body direction={state['direction']}")
    if bootstrap_sheets(state) != [RTL_SHEET]:
        problems.append(f"Bootstrap stylesheets {bootstrap_sheets(state)}, not [{RTL_SHEET}]")
    if state["scrollWidth"] > state["innerWidth"]:
        problems.append(f"{state['scrollWidth']}px wide on a {state['innerWidth']}px screen")
    brand = state["brand"]
    # Mirrored navbar: the brand at the right edge, its margin on its left (Bootstrap RTL).
    if brand and (brand["right"] < state["innerWidth"] - 40 or brand["marginLeft"] == "0px"):
        problems.append(f"the brand is not on the right: {brand}")
    return [f"{path}: {p}" for p in problems]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_reads_right_to_left_in_arabic(page: Page, page_log: PageLog, width: str) -> None:
    page.set_viewport_size(WIDTHS[width])
    page_log.expect_status(NOT_FOUND, 404)
    problems = []
    for path in ARABIC_PAGES:
        page.goto(path)
        # A cold page of a loaded machine may take longer than expect()'s 5 s.
        expect(page.locator("#main h1")).to_be_visible(timeout=30_000)
        problems += rtl_problems(path, layout_state(page))
        page.wait_for_load_state("networkidle")  # leave no script half-loaded (an aborted request)
    assert not problems, f"Arabic at {width}:\n  " + "\n  ".join(problems)


def test_the_arabic_overview_mirrors_its_cards_and_map_legend(page: Page) -> None:
    """Cards keep their coloured edge at the start of the line (the right in Arabic),
    and the map's colour ramp runs from pale next to "0" to dark next to the highest figure."""
    open_view(page, "/?lang=ar&year=2022")
    card = page.locator("#main .kpi-card").first
    expect(card).to_be_visible()
    edges = card.evaluate("c => [getComputedStyle(c).borderRightWidth, getComputedStyle(c).borderLeftWidth]")
    assert edges == ["4px", "1px"], edges
    scale = page.locator(".compass-map-scale")
    scale.scroll_into_view_if_needed()
    zero, ramp = (
        scale.locator("span").nth(0).bounding_box(),
        scale.locator(".compass-map-ramp").bounding_box(),
    )
    assert zero and ramp and zero["x"] > ramp["x"], "in Arabic, 0 is to the right of the ramp"
    # The pale end of the ramp is the one next to "0": the ramp is drawn mirrored.
    assert scale.locator(".compass-map-ramp").evaluate("r => getComputedStyle(r).transform") != "none"


def _dir_and_sheet(page: Page) -> tuple[str, list[str]]:
    state = layout_state(page)
    return state["dir"], bootstrap_sheets(state)


def test_switching_language_swaps_direction_and_stylesheet_without_a_reload(page: Page) -> None:
    open_view(page, "/?year=2022")
    assert _dir_and_sheet(page) == ("ltr", [LTR_SHEET])
    page.evaluate("window.__stillTheSameDocument = true")
    brand = page.locator(".navbar-brand")
    for lang, direction, sheet in (("ar", "rtl", RTL_SHEET), ("fr", "ltr", LTR_SHEET)):
        lang_link(page, lang).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("#main h1")).to_be_visible()
        assert _dir_and_sheet(page) == (direction, [sheet])
        # The new stylesheet is applied, not only linked: the brand's margin changes side.
        expect(brand).not_to_have_css("margin-left" if direction == "rtl" else "margin-right", "0px")
    assert page.evaluate("window.__stillTheSameDocument === true"), "switching language reloaded the page"
    page.go_back()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert _dir_and_sheet(page) == ("rtl", [RTL_SHEET])
    page.go_back()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert _dir_and_sheet(page) == ("ltr", [LTR_SHEET])
    page.go_forward()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert _dir_and_sheet(page) == ("rtl", [RTL_SHEET])
    assert page.evaluate("window.__stillTheSameDocument === true"), "back and forward reloaded the page"


# --- donor links in Arabic --------------------------------------------------------------------------

STAFF_HEADER = {"X-Test-Staff": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on its own database, with staff named by a test header."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('arabic-links-db') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")

    def staff_by_header(app) -> None:
        add_audience_resolver(app, lambda req: STAFF if req.headers.get("X-Test-Staff") == "1" else None)

    with serve_dashboard(engine, "arabic-links-server", staff_by_header) as url:
        yield url


@pytest.fixture
def reader(browser: Browser, server: str) -> Iterator:
    with checked_pages(browser, server) as make:
        yield make


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_donor_link_made_and_read_in_arabic(reader, width: str) -> None:
    staff = reader(extra_http_headers=STAFF_HEADER)
    staff.set_viewport_size(WIDTHS[width])
    open_view(staff, "/countries/MAR?year=2022&lang=ar")
    staff.locator(".share-donor > summary").click()
    form = staff.locator("#share-donor-form")
    expect(form).to_be_visible()
    box = form.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"], box
    form.locator("button[type=submit]").click()
    made = staff.locator("#share-made-url")
    expect(made).to_be_visible()
    expect(made).to_have_attribute("dir", "ltr")  # an address reads left to right
    assert rtl_problems("share made", layout_state(staff)) == []
    link = made.input_value()

    donor = reader()
    donor.set_viewport_size(WIDTHS[width])
    donor.goto(link)
    expect(donor).to_have_url(re.compile(r"/countries/MAR\?year=2022&lang=ar$"))
    expect(donor.locator(".shared-view-note")).to_be_visible()
    assert rtl_problems("locked view", layout_state(donor)) == []
