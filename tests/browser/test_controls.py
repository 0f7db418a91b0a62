"""Controls in the browser (assets/compass_nav.js): one request per change (the
router's), the focus kept on the control that changed the view, and keyboard
choices in a native select applied on Enter, not on the first arrow key."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.helpers import open_view

pytestmark = pytest.mark.browser

CALLBACK = "/_dash-update-component"


def view_shown(page: Page) -> None:
    """Wait until the view on screen is the one the address asks for (the Copy
    link button carries the query its view was rendered for)."""
    page.wait_for_function(
        """() => {
            const button = document.getElementById('nav-copy-link');
            if (!button) return false;
            const asked = JSON.parse(button.dataset.asked || '{}');
            const here = Object.fromEntries(new URLSearchParams(location.search));
            const keys = Object.keys(here);
            return keys.length === Object.keys(asked).length
                && keys.every(k => asked[k] === null || asked[k] === here[k]);
        }"""
    )


def callback_posts(page: Page, change: Callable[[], None], shown: str) -> list[str]:
    """The POSTs to Dash's callback endpoint while `change` runs and until the
    view that `shown` (a selector) marks is rendered and the network is idle."""
    posts: list[str] = []

    def record(request) -> None:
        if request.method == "POST" and CALLBACK in request.url:
            posts.append(request.post_data or "")

    page.wait_for_load_state("networkidle")
    page.on("request", record)
    change()
    expect(page.locator(shown).first).to_be_visible()
    view_shown(page)
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", record)
    return posts


def choose_option(page: Page, dropdown_id: str, label: str) -> None:
    """Open a Dash dropdown and click the option named `label`."""
    page.locator(f"#{dropdown_id}").click()
    page.locator(".dash-dropdown-content [role=option]", has_text=re.compile(f"^{re.escape(label)}")).click()


CASES = [
    (
        "year select",
        "/countries/NGA?year=2024",
        lambda p: p.select_option(f"#{ids.YEAR_SELECT}", "2022"),
        "#main .lead:has-text('2022')",
    ),
    (
        "country select",
        "/countries/NGA?year=2022",
        lambda p: p.select_option(f"#{ids.COUNTRY_SELECT}", "LBY"),
        "#main h1:has-text('Libya')",
    ),
    (
        "map indicator select",
        "/?year=2022",
        lambda p: choose_option(p, ids.OVERVIEW_MAP_INDICATOR, "Stakeholders trained"),
        f"#{ids.COVERAGE_MAP}:has-text('Stakeholders trained by country')",
    ),
    (
        "explorer checkbox",
        "/indicators?indicators=migrants_return_assistance",
        lambda p: p.get_by_label(re.compile("^Stakeholders trained")).check(),
        f"#{ids.EXPLORER_INDICATORS}-chosen:has-text('Stakeholders trained')",
    ),
    (
        "explorer radio",
        "/indicators?indicators=migrants_return_assistance",
        lambda p: p.get_by_label("Lines over years").check(),
        f"#{ids.EXPLORER_CHART_TYPE} input[value=lines]:checked",
    ),
    (
        "partners filter",
        "/partners",
        lambda p: choose_option(p, ids.PARTNERS_YEAR, "2022"),
        f"#{ids.PARTNERS_SUMMARY}:has-text('Activities of 2022.')",
    ),
    (
        "partners search + Enter",
        "/partners",
        lambda p: (p.locator(f"#{ids.PARTNERS_SEARCH}").fill("amal"), p.keyboard.press("Enter")),
        f"#{ids.PARTNERS_SUMMARY}:has-text('Clear all filters')",
    ),
]


@pytest.mark.parametrize(("name", "start", "change", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_control_change_costs_one_request(page: Page, name, start, change, shown) -> None:
    open_view(page, start)
    posts = callback_posts(page, lambda: change(page), shown)
    assert len(posts) == 1, posts
    assert '"_pages_location"' in posts[0]  # the router's, rendering the new view


def active_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_arrow_keys_in_the_country_select_do_not_leave_the_page(page: Page) -> None:
    open_view(page, "/countries/NGA?year=2022")
    select = page.locator(f"#{ids.COUNTRY_SELECT}")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("location.pathname") == "/countries/NGA"  # still here
    chosen = select.input_value()
    assert chosen != "NGA"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/countries/{chosen}\?year=2022&lang=en$"))
    view_shown(page)
    expect(page.locator("#main h1")).not_to_contain_text("Nigeria")
    expect(page.locator(f"#{ids.COUNTRY_SELECT}")).to_be_focused()


def test_a_keyboard_choice_applies_when_the_select_loses_focus(page: Page) -> None:
    open_view(page, "/countries/NGA?year=2022")
    page.locator(f"#{ids.YEAR_SELECT}").focus()
    page.keyboard.press("ArrowDown")  # 2022 -> 2021
    page.wait_for_timeout(300)
    assert page.evaluate("location.search") == "?year=2022"
    page.keyboard.press("Tab")
    expect(page).to_have_url(re.compile(r"/countries/NGA\?year=2021&lang=en$"))
    expect(page.locator("#main .lead")).to_contain_text("2021")


FOCUS_CASES = [
    ("year select", "/countries/NGA?year=2024", f"#{ids.YEAR_SELECT}", "ArrowDown Enter", ids.YEAR_SELECT),
    ("explorer checkbox", "/indicators", f"#{ids.EXPLORER_INDICATORS} input >> nth=4", "Space", None),
    ("explorer radio", "/indicators", f"#{ids.EXPLORER_CHART_TYPE} input >> nth=0", "ArrowRight", None),
    ("partners search", "/partners", f"#{ids.PARTNERS_SEARCH}", "a m a l Enter", ids.PARTNERS_SEARCH),
]


@pytest.mark.parametrize(
    ("name", "start", "control", "keys", "expected"), FOCUS_CASES, ids=[c[0] for c in FOCUS_CASES]
)
def test_the_focus_stays_on_the_control_that_changed_the_view(
    page: Page, name, start, control, keys, expected
) -> None:
    open_view(page, start)
    page.wait_for_load_state("networkidle")
    before = page.evaluate("location.search")
    page.locator(control).focus()
    focused = expected or active_id(page)
    for key in keys.split():
        page.keyboard.press(key)
    page.wait_for_function(f"location.search !== {before!r}")
    view_shown(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)  # a render may come in several steps
    assert active_id(page) != ""
    if expected is None:  # a checkbox or radio: the one now checked, or the one ticked
        assert active_id(page).startswith(focused.rsplit("_input_", 1)[0])
    else:
        assert active_id(page) == focused


def test_the_focus_comes_back_to_the_map_select(page: Page) -> None:
    open_view(page, "/?year=2022")
    choose_option(page, ids.OVERVIEW_MAP_INDICATOR, "Stakeholders trained")
    expect(page).to_have_url(re.compile(r"map=stakeholders_trained"))
    view_shown(page)
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#{ids.OVERVIEW_MAP_INDICATOR}")).to_be_focused()


def test_back_and_forward_still_show_each_view(page: Page) -> None:
    open_view(page, "/countries/NGA?year=2024")
    page.select_option(f"#{ids.YEAR_SELECT}", "2022")
    expect(page.locator("#main .lead")).to_contain_text("2022")
    page.go_back()
    expect(page.locator("#main .lead")).to_contain_text("2024")
    expect(page.locator(f"#{ids.YEAR_SELECT}")).to_have_value("2024")
    page.go_forward()
    expect(page.locator("#main .lead")).to_contain_text("2022")


def test_a_page_opened_without_a_year_links_without_one(page: Page) -> None:
    open_view(page, "/?lang=en")
    page.select_option(f"#{ids.COUNTRY_SELECT}", "ETH")
    expect(page).to_have_url(re.compile(r"/countries/ETH\?lang=en$"))  # its own default year
    expect(page.locator("#main h1")).to_contain_text("Ethiopia")
