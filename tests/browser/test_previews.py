"""A shared country link's served HTML names an og:image that answers a PNG, and
the tab title is the view's, before and after moving within the app."""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_country_page_carries_its_preview_image(page: Page, live_server: str):
    page.goto("/countries/LBY?year=2022&lang=fr")
    expect(page.locator("#main h1")).to_be_visible()
    assert page.title() == "Libye \u00b7 2022 \u00b7 Tableau de bord COMPASS"
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image == f"{live_server}/preview/countries/LBY.png?year=2022&lang=fr"
    response = page.request.get(image)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    body = response.body()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", body[16:24]) == (1200, 630)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == f"{live_server}/countries/LBY?year=2022&lang=fr"


def test_the_tab_title_follows_client_side_navigation(page: Page):
    page.goto("/countries/LBY?year=2022&lang=fr")
    expect(page.locator("#main h1")).to_be_visible()
    page.locator('a[href="/indicators?lang=fr"]').first.click()
    expect(page).to_have_title(
        "Indicateurs\u00a0: Migrants aid\u00e9s au retour \u00b7 Tableau de bord COMPASS"
    )
