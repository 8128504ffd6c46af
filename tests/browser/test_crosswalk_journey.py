"""An administrator changes the crosswalk: picks two frameworks, ticks a criterion the other maps to, and sees the
link in the table; the pages pass axe and fit a 375 px phone."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.competencies.selectors_crosswalk import linked_codes
from tests.factories import ProfileFactory, grant

from .conftest import assert_accessible, prepare
from .test_journeys import sign_in
from .test_phone_layouts import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_link_through_the_checkboxes(page: Page, browser: Browser, live_server: object) -> None:
    call_command("load_framework", "--shipped", verbosity=0)
    grant(ProfileFactory(user__email="admin@example.org").user, Role.ADMINISTRATOR)
    sign_in(page, "admin@example.org")

    page.goto("/frameworks/")
    page.get_by_role("link", name="Medical director person specification").first.click()
    page.get_by_role("link", name=re.compile("how this framework maps to the others")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crosswalk between frameworks")
    page.get_by_label("Mapped to").select_option(label="Medical Leadership Competency Framework")
    page.get_by_role("button", name="Compare").click()
    row = page.locator("#criterion-EXP-2")
    expect(row).to_contain_text("Nothing")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Change")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What EXP-2 maps to in Medical Leadership Competency Framework"
    )
    assert_accessible(page)
    page.get_by_label(re.compile("^MS-3: Managing people")).check()
    page.get_by_role("button", name="Save the links").click()

    expect(page.get_by_text("EXP-2 now maps to MS-3.")).to_be_visible()
    expect(page.locator("#criterion-EXP-2")).to_contain_text("Managing people")
    assert linked_codes(slug="md-person-spec", code="EXP-2") == [("mlcf", "MS-3")]

    # The same pages on a phone.
    phone = prepare(
        browser.new_context(base_url=str(live_server), viewport=PHONE, storage_state=page.context.storage_state())
    )
    small = phone.new_page()
    small.goto("/frameworks/crosswalk/")
    expect(small.locator("#criterion-EXP-2")).to_be_visible()
    assert_fits_the_screen(small)
    small.goto("/frameworks/crosswalk/md-person-spec/EXP-2/mlcf/")
    assert_fits_the_screen(small)
    phone.close()
