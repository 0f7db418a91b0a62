"""Staff sign-in in a real browser (issue 15): sign in from the navbar, come back
to the same view with "Signed in as", sign out with the navbar's button, in
English and French, without JavaScript on the sign-in page itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from config import REFERENCE_DIR
from data_access.engine import make_engine
from data_access.loader import prepare_database
from data_access.users import add_user
from tests.browser.helpers import TIMEOUT_MS, VIEWPORT, PageLog, attach_log, serve_dashboard

pytestmark = pytest.mark.browser

EMAIL = "officer@example.org"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on a database of its own with one staff account."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sign-in-db') / 'compass.db'}")
    prepare_database(engine, REFERENCE_DIR, loaded_by="browser-tests")
    add_user(engine, EMAIL, PASSWORD, "staff")
    with serve_dashboard(engine, name="sign-in-server") as url:
        yield url


@pytest.fixture
def reader(browser: Browser, auth_server: str) -> Iterator[tuple[Page, PageLog]]:
    log = PageLog(host=urlsplit(auth_server).netloc)
    context = browser.new_context(viewport=VIEWPORT, base_url=auth_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    attach_log(page, log)
    try:
        yield page, log
        page.wait_for_load_state("networkidle")
        # The wrong password's answer (401, the form again) is the one error status meant.
        problems = [
            p
            for p in log.problems()
            if not re.fullmatch(r"failed request: HTTP 401 POST \S+/login\?lang=\w+", p)
        ]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("lang", "sign_in", "sign_out", "signed_in"),
    [
        ("en", "Sign in", "Sign out", f"Signed in as {EMAIL}"),
        ("fr", "Se connecter", "Se déconnecter", f"Session ouverte\u00a0: {EMAIL}"),
    ],
)
def test_staff_signs_in_sees_the_navbar_and_signs_out(reader, lang, sign_in, sign_out, signed_in) -> None:
    page, log = reader
    page.goto(f"/countries/LBY?year=2022&lang={lang}")
    expect(page.locator("#main h1")).to_be_visible()
    corner = page.locator("header .account-corner")
    expect(corner).to_have_text(sign_in)
    corner.get_by_role("link", name=sign_in).click()

    expect(page).to_have_url(
        f"{page.url.split('/login')[0]}/login?lang={lang}&next=%2Fcountries%2FLBY%3Fyear%3D2022%26lang%3D{lang}"
    )
    expect(page.locator("h1")).to_have_text(sign_in)
    log.expect_status("/login", 401)  # the wrong password first: one generic message
    page.locator("#login-email").fill(EMAIL)
    page.locator("#login-password").fill("not the password at all")
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.locator("#login-error")).to_be_visible()
    page.locator("#login-password").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()

    expect(page).to_have_url(f"{page.url.split('/countries')[0]}/countries/LBY?year=2022&lang={lang}")
    expect(page.locator("#main h1")).to_be_visible()
    expect(corner).to_contain_text(signed_in)
    corner.get_by_role("button", name=sign_out).click()

    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator("header .account-corner")).to_have_text(sign_in)
    assert "/countries/LBY" in page.url
    cookies = page.context.cookies()
    assert not [c for c in cookies if c["name"] == "session" and c["value"]]


def test_signed_in_staff_make_a_donor_link_then_sign_out(reader, browser: Browser, auth_server: str) -> None:
    """The issue's path with a real sign-in: staff sign in, make a link from the
    country page, a donor opens it in a fresh context (same figures, nothing to
    widen it with), staff sign out and the share form is gone."""
    page, _ = reader
    page.goto(f"/login?next={quote('/countries/LBY?year=2022')}")
    page.locator("#login-email").fill(EMAIL)
    page.locator("#login-password").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.locator("header .account-corner")).to_contain_text(f"Signed in as {EMAIL}")
    expect(page.locator("#main .kpi-value").first).to_be_visible()
    heading, kpis = (
        page.locator("#main h1").inner_text(),
        page.locator("#main .kpi-value").all_text_contents(),
    )
    page.locator(".share-donor > summary").click()
    page.locator("#share-donor-form button[type=submit]").click()
    expect(page.locator("#share-made-url")).to_be_visible()
    link = page.locator("#share-made-url").input_value()

    donor_context = browser.new_context(viewport=VIEWPORT, base_url=auth_server)
    try:
        donor = donor_context.new_page()
        donor.goto(link)
        expect(donor.locator("#main .kpi-value").first).to_be_visible()
        assert donor.locator("#main h1").inner_text() == heading
        assert donor.locator("#main .kpi-value").all_text_contents() == kpis
        expect(donor.locator(".page-links")).to_have_count(0)
        expect(donor.locator(".account-corner")).to_have_count(0)  # a locked view offers no sign-in
        widened = donor.request.get("/countries/TUN?year=2022")
        assert widened.status == 403
    finally:
        donor_context.close()

    page.goto("/countries/LBY?year=2022")
    page.locator("header .account-corner").get_by_role("button", name="Sign out").click()
    expect(page.locator("header .account-corner")).to_have_text("Sign in")
    expect(page.locator(".share-donor")).to_have_count(0)
