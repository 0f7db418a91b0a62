"""Charts and tables that can be read on a 375 px phone: measured element boxes
in Chromium, not pixels compared.

- Tables of figures stack into labelled cards, so the Source column is on screen.
- The Overview's country figures: every label and title inside the chart and the
  screen, and tick labels of an axis that do not run into each other.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from tests.browser.helpers import open_view

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
CHART = f"#{ids.COUNTRY_CHART}"


def _inside(box: dict | None, left: float, right: float) -> bool:
    return bool(box) and box["x"] >= left - 1 and box["x"] + box["width"] <= right + 1


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/?year=2022", "#programme-figures"),
        ("/?year=2022&lang=fr", "#programme-figures"),
        ("/countries/LBY?year=2022&lang=fr", "#country-figures"),
        ("/countries/NGA?year=2022", "#country-figures"),
        ("/indicators?countries=NGA,programme&years=2024", f"#{ids.EXPLORER_TABLE}"),
    ],
)
def test_the_source_column_is_on_a_phone_screen(page: Page, path: str, table: str) -> None:
    page.set_viewport_size(PHONE)
    open_view(page, path)
    sources = page.locator(f"{table} tbody td.source, {table} tbody td:last-child")
    expect(sources.first).to_be_attached()
    for i in range(min(sources.count(), 6)):
        cell = sources.nth(i)
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert _inside(box, 0, PHONE["width"]), f"source cell {i} off screen: {box}"
        assert box["width"] > 200, f"source cell {i} squeezed to {box['width']}px"
        # Its column's name comes with it ("Source: ..."), drawn by CSS from data-label.
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert "Source" in label, label
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide"
    if table == "#programme-figures":  # the map's table of counts fits too, with every column
        coverage = page.locator("#coverage-table")
        coverage.scroll_into_view_if_needed()
        assert _inside(coverage.bounding_box(), 0, PHONE["width"]), coverage.bounding_box()


def _boxes(page: Page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height, text: e.textContent}; })"
    )


EXPLORER_TRAINED = (
    "/indicators?indicators=stakeholders_trained,scout_leaders_trained,community_facilitators_trained&lang=fr"
)


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("/?year=2022", CHART),
        ("/?year=2022&lang=fr", CHART),
        ("/?year=2024&lang=fr", CHART),
        (EXPLORER_TRAINED, f"#{ids.EXPLORER_GRAPH}"),
        (EXPLORER_TRAINED + "&scale=common", f"#{ids.EXPLORER_GRAPH}"),
    ],
)
def test_chart_labels_are_not_cut_at_375_px(page: Page, path: str, chart: str) -> None:
    page.set_viewport_size(PHONE)
    open_view(page, path)
    draw_chart(page, chart)
    svg = page.locator(f"{chart} .main-svg").first.bounding_box()
    assert svg and _inside(svg, 0, PHONE["width"]), svg
    texts = _boxes(page, f"{chart} .infolayer .annotation-text, {chart} .infolayer .gtitle")
    assert len(texts) > 3
    for text in texts:
        assert _inside(text, svg["x"], svg["x"] + svg["width"]), f"cut: {text}"
    for axis in page.locator(f"{chart} g.xaxislayer-above").all():
        ticks = sorted(_boxes_of(axis), key=lambda b: b["x"])
        for left, right in zip(ticks, ticks[1:], strict=False):
            assert left["x"] + left["width"] <= right["x"] + 1, f"ticks collide: {left} {right}"
        for tick in ticks:
            assert _inside(tick, svg["x"], svg["x"] + svg["width"]), f"tick cut: {tick}"


def _boxes_of(axis) -> list[dict]:
    return axis.locator("g.xtick text").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, width: r.width, text: e.textContent}; })"
    )


MAP = f"#{ids.COVERAGE_MAP}"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_map_select_applies_at_once_and_stays_in_the_url(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_view(page, "/?year=2022&lang=fr")
    expect(page.locator(f"{MAP} figcaption")).to_have_text("Migrants aidés au retour par pays, 2022")
    page.locator(f"#{ids.OVERVIEW_MAP_INDICATOR}").click()
    page.locator(".dash-dropdown-content [role=option]", has_text="Parties prenantes formées").click()
    expect(page).to_have_url(re.compile(r"/\?year=2022&map=stakeholders_trained&lang=fr$"))
    expect(page.locator(f"{MAP} figcaption")).to_have_text("Parties prenantes formées par pays, 2022")
    # Nigeria has a figure; the 13 others are hatched "not published", with a legend entry.
    expect(page.locator(f'{MAP} path[data-published="true"]')).to_have_count(1)
    expect(page.locator(f'{MAP} path[data-published="false"]')).to_have_count(13)
    expect(page.locator(f"{MAP} .compass-map-legend")).to_contain_text("Non publié")
    fill = page.locator(f'{MAP} path[data-published="false"]').first.get_attribute("fill")
    assert fill == "url(#compass-map-not-published)"
    # Every country is named on the map, inside its box.
    box = page.locator(f"{MAP} svg").bounding_box()
    labels = _boxes(page, f"{MAP} .compass-map-label")
    assert len(labels) == 14
    for label in labels:
        assert box["x"] - 1 <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"] + 1, (
            label
        )
    # Back returns to the previous map.
    page.go_back()
    expect(page.locator(f"{MAP} figcaption")).to_have_text("Migrants aidés au retour par pays, 2022")


@pytest.mark.parametrize("width", [375, 1280])
def test_explorer_choices_apply_at_once_from_a_list_tall_enough_to_read(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_view(page, "/indicators?indicators=stakeholders_trained&lang=en")
    box = page.locator(f"#{ids.EXPLORER_INDICATORS}-box")
    height = box.bounding_box()["height"]
    assert height >= (350 if width > 575 else 300), height  # many options in view, not three
    assert page.locator(f"#{ids.EXPLORER_INDICATORS} .checklist-group-heading").count() >= 8  # themes
    box.evaluate("b => b.scrollTop = b.scrollHeight")  # the last theme, far down the list
    # Scroll events fire at the next frame: a reader's click always comes after them.
    box.evaluate("b => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    scrolled = box.evaluate("b => b.scrollTop")
    last = page.locator(f"#{ids.EXPLORER_INDICATORS} input:not(:disabled)").last
    code = last.evaluate("e => e.value")
    assert code and code != "stakeholders_trained"
    last.check()
    expect(page).to_have_url(re.compile(rf"indicators=[a-z_,]*{code}"))
    expect(page.locator(f"#{ids.EXPLORER_INDICATORS} input:checked")).to_have_count(2)
    # The page rendered again from the new URL; the list is put back where the reader
    # was (keep_scroll.js, at the next frame: waited for, as a loaded machine may be slow).
    page.wait_for_function(
        "([id, want]) => Math.abs(document.getElementById(id).scrollTop - want) <= 2",
        arg=[f"{ids.EXPLORER_INDICATORS}-box", scrolled],
        timeout=5000,
    )
    assert box.evaluate("b => b.scrollTop") == pytest.approx(scrolled, abs=2)
    page.locator(f"#{ids.EXPLORER_COUNTRIES} label", has_text="Egypt").click()
    expect(page).to_have_url(re.compile(r"countries=EGY"))
    expect(page.locator(f"#{ids.EXPLORER_MISSING}")).to_contain_text("Nothing published for Egypt")
