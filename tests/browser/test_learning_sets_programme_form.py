"""An organiser sets up an in-house, multi-professional programme of learning sets through the form, as a person
would, and opens it; a finance director who works at that trust finds it and applies on a phone, their profession
already filled in from their profile; a doctor at another trust does not see it. Every page is checked with
axe-core."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.learning_sets.models import Application, OpenTo, Programme, ProgrammeStatus
from apps.organisations.models import Sector
from tests.factories import OrganisationFactory, ProfileFactory, grant

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


def test_an_in_house_board_programme_is_set_up_and_a_finance_director_applies(page: Page, phone: Page) -> None:
    trust = OrganisationFactory(name="Riverside NHS Foundation Trust")
    trust.sectors.add(Sector.objects.get(code="acute"))
    organiser = ProfileFactory(user__email="organiser.inhouse@example.org").user
    grant(organiser, Role.ORGANISER)
    finance = ProfileFactory(
        user__email="finance.director@example.org", organisation=trust, profession="finance", career_role="other"
    ).user
    elsewhere = ProfileFactory(user__email="doctor.elsewhere@example.org").user
    today = timezone.localdate()

    sign_in(page, organiser.email)
    page.goto("/learning-sets/programmes/new/")
    assert_accessible(page)
    page.get_by_label("Name of the programme").fill("Riverside board peer sets")
    page.get_by_label("Aspiring medical directors").check()
    page.get_by_label(re.compile("^Doctors and other board directors")).check()
    page.get_by_label("In-house for one organisation (optional)").select_option(label=trust.name)
    page.get_by_label("Smallest set size").fill("4")
    page.get_by_label("Largest set size").fill("6")
    page.get_by_label("Number of sessions").fill("6")
    page.get_by_label("Weeks between sessions").fill("4")
    page.get_by_label("Session length in minutes").fill("90")
    page.get_by_label("Applications open on").fill(today.isoformat())
    page.get_by_label("Applications close on").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("First sessions in the week from").fill((today + timedelta(days=42)).isoformat())
    page.get_by_role("button", name="Save the programme").click()
    expect(page.get_by_text("“Riverside board peer sets” is saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"In-house: people who work at {trust.name}")
    expect(page.locator("main")).to_contain_text("Doctors and other board directors")
    assert_accessible(page)
    page.get_by_role("button", name="Open the programme").click()
    programme = Programme.objects.get(name="Riverside board peer sets")
    assert (programme.status, programme.organisation, programme.open_to) == (ProgrammeStatus.OPEN, trust, OpenTo.BOARD)

    # A doctor at another trust does not see it among the programmes taking applications.
    page.context.clear_cookies()
    sign_in(page, elsewhere.email)
    page.goto("/learning-sets/programmes/")
    expect(page.get_by_role("heading", name="Taking applications now")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Riverside board peer sets")

    # The trust's finance director, on a phone, finds it and applies; their profession comes from the profile.
    sign_in(phone, finance.email)
    phone.goto("/learning-sets/programmes/")
    expect(phone.locator("main")).to_contain_text(f"in-house at {trust.name}")
    phone.get_by_role("link", name=re.compile("Apply.*Riverside board peer sets")).click()
    assert_accessible(phone)
    assert_fits_the_screen(phone)
    expect(phone.get_by_label("Finance")).to_be_checked()
    phone.get_by_label("Your organisation").select_option(label=trust.name)
    phone.get_by_label("Acute").check()
    tuesday = phone.get_by_role("group", name="Tuesday")
    tuesday.get_by_label("14:00 to 16:00").check()
    phone.get_by_role("button", name=re.compile("Send|Apply")).click()
    expect(phone.get_by_text("Your application to “Riverside board peer sets” is sent.")).to_be_visible()
    assert_accessible(phone)
    assert Application.objects.get(programme=programme, person=finance).profession == "finance"
