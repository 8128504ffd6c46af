"""The career explorer as a person uses it: a role added to their history through the form (and a date out of
order refused first), and two roles compared side by side, on a desktop and at 375 px. Each page checked with
axe-core."""

import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from apps.careers.models import RoleHistoryEntry
from tests.factories import ProfileFactory

from .conftest import assert_accessible, prepare
from .test_journeys import sign_in
from .test_phone_layouts import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport=PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_person_adds_a_role_to_their_history_and_sees_it(page: Page) -> None:
    ProfileFactory(user__email="climber@example.org")
    call_command("load_role_profiles", verbosity=0)
    sign_in(page, "climber@example.org")

    # The header's navigation links to the explorer (on a narrow window it may sit under "More").
    assert page.locator('header a[href="/careers/"]').count() >= 1
    page.goto("/careers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Careers and roles")
    assert_accessible(page)
    page.get_by_role("link", name="Your role history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your role history")

    page.get_by_label("Job title").fill("Clinical director, adult mental health")
    page.get_by_role("group", name="What kind of role was it?").get_by_label("Clinical director").check()
    page.get_by_label("Leadership level").select_option(label="Clinical director")
    page.get_by_label("Started").fill("2021-04-01")
    page.get_by_label("Ended").fill("2019-04-01")
    page.get_by_role("button", name="Add the role").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The end date must be on or after the start date")
    expect(page.get_by_label("Job title")).to_have_value("Clinical director, adult mental health")
    assert_accessible(page)
    assert not RoleHistoryEntry.objects.exists()

    page.get_by_label("Ended").fill("")
    page.get_by_role("button", name="Add the role").click()
    expect(page.get_by_text("Role added to your history.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Clinical director, adult mental health")
    expect(row).to_contain_text("Apr 2021 to now")
    assert_accessible(page)


def test_a_person_compares_two_roles_on_a_desktop_and_a_phone(page: Page, phone: Page) -> None:
    ProfileFactory(user__email="comparer@example.org")
    call_command("load_role_profiles", verbosity=0)
    sign_in(page, "comparer@example.org")

    page.goto("/careers/compare/")
    page.get_by_label("Clinical director", exact=True).check()
    page.get_by_label("Medical director", exact=True).check()
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(2)
    expect(table.get_by_role("rowheader", name="Typical programmed activities")).to_be_visible()
    expect(table).to_contain_text("median 8")
    assert re.search(r"roles=clinical-director&roles=medical-director", page.url)
    assert_accessible(page)

    sign_in(phone, "comparer@example.org")
    phone.goto("/careers/compare/?roles=clinical-director,medical-director,icb-chief-medical-officer")
    expect(phone.get_by_role("table")).to_contain_text("Integrated care board chief medical officer")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
