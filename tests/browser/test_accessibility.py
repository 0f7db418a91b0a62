"""axe-core on every page, in English, French and Arabic (right to left), on a desktop and a phone width.

The rules: WCAG 2.0/2.1 A and AA (axe's tags wcag2a, wcag2aa, wcag21a, wcag21aa)
and the best-practice rules about landmarks and headings (one main, one footer,
unique landmarks, all content in a landmark, no skipped heading level, an h1).
Every page must have none of them violated. axe.min.js is vendored from the npm
package pinned in tests/browser/axe/package.json (update.sh re-vendors it), so
the test runs offline; it is evaluated in the page through the DevTools protocol
(Playwright's evaluate), which the app's Content-Security-Policy does not govern:
the CSP stays as strict as in production.

One browser context per width and language, reused for all its pages; every
chart is scrolled into view and drawn first, so axe sees the page as a reader
who scrolled through it does.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from config import REFERENCE_DIR
from pages import ids
from tests.browser.helpers import open_view

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BEST_PRACTICE_RULES = [
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-unique",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "region",
    "heading-order",
    "page-has-heading-one",
]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}

# Scroll every chart placeholder into view in turn (charts are drawn near the
# screen), then back to the top; resolves once every dcc.Graph has its SVG.
_DRAW_EVERY_CHART = """async () => {
    const graphs = [...document.querySelectorAll(".js-plotly-plot, .dash-graph")];
    for (const graph of graphs) {
        graph.scrollIntoView({block: "center"});
        for (let i = 0; i < 100 && !graph.querySelector(".main-svg"); i++) {
            await new Promise(r => setTimeout(r, 50));
        }
    }
    window.scrollTo(0, 0);
    return graphs.length;
}"""

_RUN_AXE = """async ([tags, rules]) => {
    const options = {
        runOnly: {type: "tag", values: tags},
        rules: Object.fromEntries(rules.map(id => [id, {enabled: true}])),
        resultTypes: ["violations"],
    };
    const results = await axe.run(document, options);
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""


def country_codes() -> list[str]:
    """The 14 COMPASS countries of the reference data."""
    with (REFERENCE_DIR / "countries.csv").open(encoding="utf-8") as f:
        return [row["iso3"] for row in csv.DictReader(f)]


# Views of the same pages that show other elements: the explorer's other charts,
# Partners with nothing found, an unknown country code (the list of countries).
OTHER_VIEWS = ["/indicators?chart=lines", "/indicators?chart=map", "/partners?q=zzzz", "/countries/XYZ"]
# The staff sign-in pages (server pages, web/auth.py; the live server's reader is not signed in).
SIGN_IN_VIEWS = ["/login?next=/data", "/logout"]


def page_paths() -> list[str]:
    countries = [f"/countries/{iso3}" for iso3 in country_codes()]
    return ["/", *countries, "/indicators", "/partners", "/data", *OTHER_VIEWS, *SIGN_IN_VIEWS]


def axe_violations(page: Page) -> list[dict]:
    """axe's violations on the page as it is now (axe injected once per document)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_RUN_AXE, [WCAG_TAGS, BEST_PRACTICE_RULES])


def describe(path: str, violations: list[dict], limit: int = 8) -> str:
    """Violations as lines a reader can act on: rule, impact, help, each target and why."""
    lines = []
    for v in violations:
        lines.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s)")
        for node in v["nodes"][:limit]:
            summary = " / ".join(s.strip() for s in (node["summary"] or "").splitlines()[1:3])
            lines.append(f"    {node['target']}  -- {summary}")
        if len(v["nodes"]) > limit:
            lines.append(f"    ... and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_axe_core_finds_nothing_on_any_page(new_checked_page, lang: str, width: str) -> None:
    page = new_checked_page()
    page.set_viewport_size(WIDTHS[width])
    reports = []
    for path in page_paths():
        if lang != "en":
            path += f"&lang={lang}" if "?" in path else f"?lang={lang}"
        page.goto(path)
        # A cold page of a loaded CI machine may take longer than expect()'s 5 s.
        expect(page.locator("#main h1")).to_be_visible(timeout=30_000)
        page.evaluate(_DRAW_EVERY_CHART)
        violations = axe_violations(page)
        if violations:
            reports.append(describe(path, violations))
    assert not reports, f"axe-core ({lang}, {width}):\n" + "\n".join(reports)


# --- what axe cannot see: focus, announcements, keyboard ---------------------------------

ANNOUNCER = "#compass-announcer"  # the live region of assets/a11y.js


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


_FOCUS_RING = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    const bar = getComputedStyle(el.closest(".navbar") || document.body).backgroundColor;
    return {tag: el.tagName, inNavbar: !!el.closest(".navbar"), text: el.textContent.trim(),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
            colour: style.outlineColor, background: bar};
}"""


@pytest.mark.parametrize("path", ["/", "/partners?lang=fr"])
def test_the_focus_ring_in_the_navbar_stands_out_from_its_blue(page: Page, path: str) -> None:
    open_view(page, path)
    seen = 0
    for _ in range(12):  # skip link, brand, page links, controls: each a Tab stop in the navbar
        page.keyboard.press("Tab")
        ring = page.evaluate(_FOCUS_RING)
        if not ring["inNavbar"]:
            continue
        seen += 1
        assert ring["outline"] != "none" and ring["width"] >= 2, ring
        assert contrast(ring["colour"], ring["background"]) >= 3, ring
    assert seen >= 5, f"only {seen} navbar elements took the focus"


def test_a_new_partner_count_is_read_out(page: Page) -> None:
    open_view(page, "/partners")
    expect(page.locator(ANNOUNCER)).to_have_text("")  # a page opened is not read out this way
    search = page.locator(f"#{ids.PARTNERS_SEARCH}")
    search.fill("caritas")
    search.press("Enter")
    expect(page.locator(ANNOUNCER)).to_have_text(re.compile(r"^1 partner matches these filters\.$"))
    search.fill("zzzz")
    search.press("Enter")
    expect(page.locator(ANNOUNCER)).to_have_text(re.compile(r"No partner matches .zzzz."))
    # The live region, outside the page's landmarks, is no content axe objects to.
    assert not axe_violations(page), describe(page.url, axe_violations(page))


def test_a_new_explorer_count_is_read_out_in_french(page: Page) -> None:
    open_view(page, "/indicators?lang=fr")
    page.get_by_label("Courbes par année").check()
    expect(page).to_have_url(re.compile(r"chart=lines"))
    expect(page.locator(ANNOUNCER)).to_have_text(re.compile(r"^\d+ chiffres?\.$"))


def test_a_dropdown_is_reached_with_tab_and_opened_with_enter(page: Page) -> None:
    open_view(page, "/partners")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == ids.PARTNERS_COUNTRIES:
            break
    focused = page.evaluate(
        "[document.activeElement.tagName, document.activeElement.closest('[aria-hidden]')]"
    )
    assert focused == ["BUTTON", None], focused  # the button itself, nothing hidden from screen readers
    page.keyboard.press("Enter")
    expect(page.locator(f"#{ids.PARTNERS_COUNTRIES}")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # the dropdown's blur handler made its hidden input a Tab stop again
    hidden_stops = page.evaluate(
        "[...document.querySelectorAll('[aria-hidden=true] [tabindex], [aria-hidden=true][tabindex]')]"
        ".filter(e => e.tabIndex >= 0).length"
    )
    assert hidden_stops == 0, "an element hidden from screen readers is a Tab stop"
