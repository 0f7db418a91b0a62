"""Shared links: a reader changes the view, copies the link with the Copy link
button, and another reader (a fresh browser context) sees the same figures."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.charts import draw_chart
from tests.browser.helpers import CLIPBOARD

pytestmark = pytest.mark.browser


def chart_data(page: Page, graph_id: str) -> list[dict]:
    """The x/y/text of every trace of a dcc.Graph, as plotly.js drew it."""
    draw_chart(page, f"#{graph_id}")
    page.wait_for_function(f"() => document.querySelector('#{graph_id} .js-plotly-plot')?.data?.length > 0")
    return page.evaluate(
        f"""() => document.querySelector('#{graph_id} .js-plotly-plot').data.map(
            t => ({{x: Array.from(t.x || []), y: Array.from(t.y || []), text: t.text,
                    locations: t.locations ? Array.from(t.locations) : null}}))"""
    )


def copy_link(page: Page) -> str:
    page.locator(f"#{ids.COPY_LINK}").click()
    expect(page.locator(f"#{ids.COPY_LINK}")).to_contain_text(re.compile("Link copied|Lien copié"))
    return page.evaluate("navigator.clipboard.readText()")


def test_overview_link_reproduces_year_language_and_figures(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/?lang=fr")
    expect(first.locator("#main h1")).to_be_visible()
    first.select_option(f"#{ids.YEAR_SELECT}", "2022")
    expect(first).to_have_url(re.compile(r"/\?year=2022&lang=fr$"))
    expect(first.locator("#main .kpi-value", has_text="plus de 1\u202f500")).to_be_visible()
    kpis = first.locator("#main .kpi-value").all_text_contents()
    bars = chart_data(first, ids.COUNTRY_CHART)
    link = copy_link(first)
    # Pinned: the year and the map's indicator (the year's default) written out.
    assert link == first.url.replace("&lang=fr", "&map=migrants_return_assistance&lang=fr")

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#main .kpi-value").first).to_be_visible()
    assert second.locator("#main .kpi-value").all_text_contents() == kpis
    assert chart_data(second, ids.COUNTRY_CHART) == bars
    coverage_map = f"#{ids.COVERAGE_MAP}"
    assert second.locator(coverage_map).inner_html() == first.locator(coverage_map).inner_html()
    assert second.evaluate("document.documentElement.lang") == "fr"


def test_country_link_reproduces_the_view(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/countries/NGA?year=2024")
    first.select_option(f"#{ids.YEAR_SELECT}", "2022")
    expect(first).to_have_url(re.compile(r"/countries/NGA\?year=2022&lang=en$"))
    expect(first.locator("#main .lead")).to_contain_text("2022")
    expect(first.locator("#country-figures")).to_be_visible()
    rows = first.locator("#country-figures tbody tr").all_text_contents()
    link = copy_link(first)

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#country-figures")).to_be_visible()
    assert second.locator("#country-figures tbody tr").all_text_contents() == rows


def test_data_page_link_reproduces_year_and_language(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/data?lang=fr")
    expect(first.locator("#main h1")).to_be_visible()
    first.select_option(f"#{ids.YEAR_SELECT}", "2021")
    expect(first).to_have_url(re.compile(r"/data\?year=2021&lang=fr$"))
    exports = first.locator("#main a[href^='/export/']")
    expect(exports.first).to_have_attribute("href", re.compile("year=2021"))
    hrefs = exports.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    link = copy_link(first)

    second = new_checked_page()
    second.goto(link)
    expect(second.locator("#main a[href^='/export/']").first).to_have_attribute(
        "href", re.compile("year=2021")
    )
    assert (
        second.locator("#main a[href^='/export/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        == hrefs
    )
    assert second.evaluate("document.documentElement.lang") == "fr"


# --- Copy link never lies: the review's sequences (J2) ------------------------------------------


def copied_view(page: Page) -> str:
    """Press Copy link at once and return what reached the clipboard, once the
    button says so (it waits for the view the address asks for)."""
    page.locator(f"#{ids.COPY_LINK}").click()
    expect(page.locator(f"#{ids.COPY_LINK}")).to_contain_text("Link copied")
    return page.evaluate("navigator.clipboard.readText()")


def same_view(page: Page, link: str) -> None:
    """The copied link names the view on screen: the same path and query values,
    the year written out where the view has one."""
    shown, copied = urlsplit(page.evaluate("location.href")), urlsplit(link)
    assert copied.path.lower() == shown.path.lower()
    here, there = parse_qs(shown.query), parse_qs(copied.query)
    assert {k: v for k, v in there.items() if k in here} == here
    if shown.path != "/indicators" and shown.path != "/partners":
        assert "year" in there, link


def heading_and_figures(page: Page, figures: str) -> tuple[str, str]:
    expect(page.locator(figures).first).to_be_visible()
    return page.locator("#main h1").inner_text(), " | ".join(page.locator(figures).all_text_contents())


SEQUENCES = [
    (
        "explorer: tick an indicator",
        "/indicators?indicators=migrants_return_assistance",
        lambda p: p.get_by_label(re.compile("^Stakeholders trained")).check(),
        f"#{ids.EXPLORER_TABLE} tbody tr",
    ),
    (
        "partners: type a search without Enter",
        "/partners",
        lambda p: p.locator(f"#{ids.PARTNERS_SEARCH}").fill("oxfam"),
        ".partner-entry",
    ),
    (
        "year",
        "/countries/NGA",
        lambda p: p.select_option(f"#{ids.YEAR_SELECT}", "2022"),
        "#country-figures tbody tr",
    ),
    (
        "country",
        "/countries/NGA?year=2022",
        lambda p: p.select_option(f"#{ids.COUNTRY_SELECT}", "LBY"),
        "#country-figures tbody tr",
    ),
    (
        "map select",
        "/?lang=en",
        lambda p: (
            p.locator(f"#{ids.OVERVIEW_MAP_INDICATOR}").click(),
            p.locator(".dash-dropdown-content [role=option]").nth(1).click(),
        ),
        f"#{ids.COVERAGE_MAP}",
    ),
    (
        "explorer radio",
        "/indicators?indicators=migrants_return_assistance",
        lambda p: p.get_by_label("Lines over years").check(),
        f"#{ids.EXPLORER_TABLE} tbody tr",
    ),
    (
        "partners filter",
        "/partners",
        lambda p: (
            p.locator(f"#{ids.PARTNERS_YEAR}").click(),
            p.locator(".dash-dropdown-content [role=option]", has_text="2022").click(),
        ),
        ".partner-entry",
    ),
]


@pytest.mark.parametrize(("name", "start", "change", "figures"), SEQUENCES, ids=[s[0] for s in SEQUENCES])
def test_copy_right_after_a_change_copies_the_view_on_screen(new_checked_page, name, start, change, figures):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto(start)
    expect(first.locator("#main h1")).to_be_visible()
    first.wait_for_load_state("networkidle")
    before = first.evaluate("location.href")
    change(first)
    link = copied_view(first)
    assert first.evaluate("location.href") != before  # the change did apply ...
    same_view(first, link)  # ... and the clipboard names it
    shown = heading_and_figures(first, figures)

    second = new_checked_page()
    second.goto(link)
    assert heading_and_figures(second, figures) == shown


def test_the_copied_overview_link_keeps_its_year(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/")
    expect(first.locator("#main h1")).to_be_visible()
    link = copied_view(first)
    year = first.locator(f"#{ids.YEAR_SELECT}").input_value()
    assert parse_qs(urlsplit(link).query)["year"] == [year]
    assert urlsplit(first.evaluate("location.href")).query == ""  # the address bar stays short


def test_copy_link_is_a_button_for_the_keyboard_and_says_so_in_french(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    first.goto("/countries/LBY?year=2022&lang=fr")
    button = first.locator(f"#{ids.COPY_LINK}")
    expect(button).to_have_text("Copier le lien")
    assert button.evaluate("b => b.tagName") == "BUTTON"
    button.focus()
    first.keyboard.press("Enter")
    expect(button).to_have_text("Lien copié")
    expect(first.locator(f"#{ids.COPY_LINK_STATUS}")).to_have_text("Lien copié")  # announced
    assert first.evaluate("navigator.clipboard.readText()").endswith("/countries/LBY?year=2022&lang=fr")
    expect(button).to_have_text("Copier le lien", timeout=6_000)  # back after a few seconds
    first.evaluate("navigator.clipboard.writeText('')")
    button.focus()
    first.keyboard.press("Space")
    expect(first.locator(f"#{ids.COPY_LINK_STATUS}")).to_have_text("Lien copié")
    assert first.evaluate("navigator.clipboard.readText()").endswith("/countries/LBY?year=2022&lang=fr")


def test_without_the_clipboard_api_the_link_is_copied_another_way(new_checked_page):
    """Plain http from another host has no navigator.clipboard: a hidden textarea
    and execCommand('copy') do it."""
    first = new_checked_page(permissions=CLIPBOARD)
    first.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    first.goto("/countries/LBY?year=2022")
    expect(first.locator("#main h1")).to_be_visible()
    first.locator(f"#{ids.COPY_LINK}").click()
    expect(first.locator(f"#{ids.COPY_LINK_STATUS}")).to_have_text("Link copied")
    assert first.evaluate("navigator.clipboard.readText()").endswith("/countries/LBY?year=2022&lang=en")


def test_when_nothing_can_copy_the_link_is_shown_to_copy_by_hand(new_checked_page):
    first = new_checked_page()
    first.add_init_script(
        """Object.defineProperty(window, 'isSecureContext', {value: false});
           document.execCommand = () => false;"""
    )
    first.goto("/countries/LBY?year=2022")
    expect(first.locator("#main h1")).to_be_visible()
    first.locator(f"#{ids.COPY_LINK}").click()
    manual = first.locator(f"#{ids.COPY_LINK_MANUAL}")
    expect(manual).to_be_visible()
    expect(manual).to_contain_text("Copy this link:")
    field = first.locator(f"#{ids.COPY_LINK_FIELD}")
    expect(field).to_be_focused()
    assert field.input_value().endswith("/countries/LBY?year=2022&lang=en")
    selected = first.evaluate(
        "(() => { const f = document.activeElement; return f.value.slice(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == field.input_value()
    expect(first.locator(f"#{ids.COPY_LINK}")).to_have_text("Copy link")  # never claims "copied"
