"""The Partners page in headless Chromium: a reader filters and searches, the
address follows, and the same address opened in a fresh browser context shows
the same partners, matrix and activities. Phones get no sideways scrolling of
the page (the matrix scrolls inside its own box).

Every test also gets the `page` fixture's checks (clean console, no failed
request, nothing fetched from another host); contexts opened with
`new_checked_page` are checked the same way.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from pages import ids
from tests.browser.helpers import CLIPBOARD, query
from tests.helpers import LIBYA_PARTNERS

pytestmark = pytest.mark.browser

ENTRIES = f"#{ids.PARTNERS_DIRECTORY} .partner-entry"
MATRIX = f"#{ids.PARTNERS_MATRIX}-table"
ACTIVITIES = f"#{ids.PARTNERS_ACTIVITIES} .activity-list > li"
SEARCH = f"#{ids.PARTNERS_SEARCH}"


def open_partners(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator(f"#{ids.PARTNERS_SUMMARY}")).to_be_visible()


def choose(page: Page, dropdown_id: str, *labels: str) -> None:
    """Open a dropdown, tick `labels`, close it (a multi-select sends its value on closing)."""
    page.locator(f"#{dropdown_id}").click()
    for text in labels:
        page.locator(
            ".dash-dropdown-content [role=option]", has_text=re.compile(f"^{re.escape(text)}$")
        ).click()
    page.keyboard.press("Escape")


def entry_keys(page: Page) -> list[str]:
    return page.locator(ENTRIES).evaluate_all("els => els.map(e => e.dataset.partner)")


def shown(page: Page) -> tuple[list[str], list[str], list[str]]:
    """What the reader sees: partners, matrix rows and activities, as text."""
    return (
        entry_keys(page),
        page.locator(f"{MATRIX} tbody tr").all_inner_texts(),
        page.locator(ACTIVITIES).all_inner_texts(),
    )


def test_filters_and_search_write_the_url_and_the_link_shows_the_same_rows(new_checked_page):
    first = new_checked_page(permissions=CLIPBOARD)
    open_partners(first, "/partners?lang=en")
    choose(first, ids.PARTNERS_COUNTRIES, "Tunisia", "Libya")
    expect(first).to_have_url(re.compile(r"/partners\?countries=LBY,TUN&lang=en$"))
    # Libya's five, and Amal, Caritas, Médecins du Monde, Terre d'Asile and UNHCR in Tunisia.
    expect(first.locator(ENTRIES)).to_have_count(len(LIBYA_PARTNERS) + 5)
    choose(first, ids.PARTNERS_TYPES, "International NGO")
    expect(first).to_have_url(re.compile(r"countries=LBY,TUN&types=international_ngo&lang=en$"))
    expect(first.locator(ENTRIES)).to_have_count(3)
    first.locator(SEARCH).fill("MEDECINS")  # no accent, capitals: still found
    first.locator(SEARCH).press("Enter")
    expect(first).to_have_url(re.compile(r"&q=MEDECINS&lang=en$"))
    expect(first.locator(ENTRIES)).to_have_count(1)
    partners, matrix, activities = shown(first)
    assert partners == ["medecins-du-monde"]
    assert len(matrix) == 1 and "Médecins du Monde" in matrix[0] and "1" in matrix[0]
    assert len(activities) == 1 and "Strong links and coordination" in activities[0]
    first.locator(f"#{ids.COPY_LINK}").click()
    expect(first.locator(f"#{ids.COPY_LINK}")).to_contain_text("Link copied")
    link = first.evaluate("navigator.clipboard.readText()")
    # Every year shown (no year chosen): the copied link pins it with the data cutoff (pages/share.py).
    assert link == first.url.replace("&lang=en", "&until=2025&lang=en") and "until" not in first.url

    second = new_checked_page()
    open_partners(second, link)
    expect(second.locator(ENTRIES)).to_have_count(1)
    assert shown(second) == (partners, matrix, activities)
    expect(second.locator(SEARCH)).to_have_value("MEDECINS")
    expect(second.locator(f"#{ids.PARTNERS_COUNTRIES}")).to_contain_text("2")  # "2 selected"


def test_a_link_with_values_in_another_order_shows_the_same_rows(new_checked_page):
    one = new_checked_page()
    open_partners(one, "/partners?themes=mhpss&countries=TUN,LBY&lang=fr")
    other = new_checked_page()
    open_partners(other, "/partners?lang=fr&countries=LBY,TUN&themes=mhpss")
    expect(one.locator(ENTRIES).first).to_be_visible()
    assert shown(one) == shown(other)
    assert "Ministère de la Santé (Libye)" in one.locator(f"#{ids.PARTNERS_DIRECTORY}").inner_text()


def test_search_waits_for_enter_or_leaving_the_box(page: Page) -> None:
    open_partners(page, "/partners?lang=en")
    page.locator(SEARCH).fill("caritas")
    page.wait_for_timeout(600)
    assert "q" not in query(page), "the URL changed while typing"
    page.locator(SEARCH).press("Tab")
    expect(page).to_have_url(re.compile(r"/partners\?q=caritas&lang=en$"))
    expect(page.locator(ENTRIES)).to_have_count(1)


def test_year_filter_and_back_to_every_year(page: Page) -> None:
    open_partners(page, "/partners?countries=LBY&lang=fr")
    expect(page.locator(".nav-control-year")).to_be_hidden()  # the page's own year filter replaces it
    page.locator(f"#{ids.PARTNERS_YEAR}").click()
    page.locator(".dash-dropdown-content [role=option]", has_text="2022").click()
    expect(page).to_have_url(re.compile(r"/partners\?year=2022&countries=LBY&lang=fr$"))
    expect(page.locator(f"#{ids.PARTNERS_SUMMARY}")).to_contain_text("Activités de 2022.")
    page.get_by_role("link", name="Afficher toutes les années").click()
    expect(page).to_have_url(re.compile(r"/partners\?countries=LBY&lang=fr$"))
    expect(page.locator(f"#{ids.PARTNERS_SUMMARY}")).to_contain_text("Activités de toutes les années.")
    assert sorted(entry_keys(page)) == sorted(LIBYA_PARTNERS)


def test_partner_name_and_country_header_links(page: Page) -> None:
    open_partners(page, "/partners?countries=TUN&lang=en")
    page.locator(ENTRIES).get_by_role("link", name="Caritas").click()
    expect(page).to_have_url(re.compile(r"/partners\?countries=TUN&q=Caritas&lang=en$"))
    expect(page.locator(ENTRIES)).to_have_count(1)
    page.locator(f"{MATRIX} thead").get_by_role("link", name="Tunisia").click()
    expect(page).to_have_url(re.compile(r"/countries/TUN\?year=2022&lang=en$"))
    expect(page.locator("#main h1")).to_contain_text("Tunisia")


def test_navbar_opens_every_year_of_partners(page: Page) -> None:
    page.goto("/?year=2024&lang=en")
    expect(page.locator("#main h1")).to_be_visible()
    page.locator(".page-links").get_by_role("link", name="Partners").click()
    expect(page).to_have_url(re.compile(r"/partners\?lang=en$"))
    expect(page.locator(f"#{ids.PARTNERS_SUMMARY}")).to_contain_text("Activities of every year.")
    assert len(entry_keys(page)) > 20


def test_bad_values_are_named_and_the_rest_works(page: Page) -> None:
    open_partners(page, "/partners?countries=LBY,XXX&types=alien&lang=en")
    notice = page.locator(".url-notices")
    expect(notice).to_contain_text("XXX")
    expect(notice).to_contain_text("alien")
    assert sorted(entry_keys(page)) == sorted(LIBYA_PARTNERS)


def test_hostile_search_is_shown_as_text(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    open_partners(page, f"/partners?q={quote(hostile)}&lang=en")
    expect(page.locator("#main .no-data")).to_contain_text(hostile)
    expect(page.locator(SEARCH)).to_have_value(hostile)
    assert page.locator("#main script, #main img").count() == 0 and dialogs == []


@pytest.mark.parametrize("path", ["/partners?lang=en", "/partners?countries=LBY,TUN&lang=fr"])
def test_phone_width_has_no_horizontal_overflow(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    open_partners(page, path)
    expect(page.locator(MATRIX)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page is {width}px wide on a 375px screen"
    box = page.locator(f"#{ids.PARTNERS_MATRIX} .partners-matrix-box").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 + 1, (
        f"the matrix box is off screen: {box}"
    )
    for control in (ids.PARTNERS_SEARCH, ids.PARTNERS_COUNTRIES, ids.PARTNERS_YEAR):
        control_box = page.locator(f"#{control}").bounding_box()
        assert control_box and control_box["x"] + control_box["width"] <= 375 + 1, control
