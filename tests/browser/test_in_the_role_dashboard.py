"""The dashboard of a new medical director on the demo data `make run` loads, on a phone: the "In the role" section
shows their first-year pathway, their buddy and what waits, and each link leads to its page. Every page is checked
with axe-core and fits 375 px."""

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from .conftest import assert_accessible, prepare
from .test_learning_sets_journeys import sign_in
from .test_phone_layouts import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport=PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_new_md_follows_the_in_the_role_links_on_a_phone(phone: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    sign_in(phone, "new.md@example.org")
    section = phone.locator("main")
    expect(section.get_by_role("heading", name="In the role")).to_be_visible()
    assert_accessible(phone)
    assert_fits_the_screen(phone)

    section.get_by_role("link", name=re.compile(r"Your first-year pathway: \d+ of \d+ steps done")).click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.url.endswith("/first-year/")
    assert_accessible(phone)
    assert_fits_the_screen(phone)

    phone.goto("/dashboard/")
    phone.locator("main").get_by_role("link", name=re.compile("^Your buddy: ")).click()
    assert phone.url.endswith("/buddies/")
    expect(phone.locator("main")).to_contain_text("Why you were paired")
    assert_accessible(phone)
    assert_fits_the_screen(phone)

    phone.goto("/dashboard/")
    phone.locator("main").get_by_role("link", name="Networks and forums").click()
    assert phone.url.endswith("/networks/")
    assert_accessible(phone)
    assert_fits_the_screen(phone)
