"""A network opens learning sets for its members, in headless Chromium: the organiser follows the link on the
network's page, fills in the programme form as a person would, saves and opens it; a member, on a phone, finds it on
the network's page and applies. Every page is checked with axe-core."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.learning_sets.models import Application, Programme, ProgrammeStatus
from apps.organisations.models import Sector
from apps.profiles.models import Profile
from tests.networks.support import join, make_network, md, network_organiser

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


def test_a_network_sets_up_learning_sets_and_a_member_applies(page: Page, phone: Page) -> None:
    organiser = network_organiser("net.sets.organiser@example.org")
    network = make_network(organiser, name="Midlands MD network")
    member = md("net.sets.member@example.org")
    join(network, member)
    Profile.objects.filter(user=member).update(sector=Sector.objects.get(code="acute"))
    today = timezone.localdate()

    sign_in(page, organiser.email)
    page.goto(f"/networks/{network.pk}/")
    page.get_by_role("link", name="Set up learning sets for the members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning sets for the members of Midlands MD network")
    assert_accessible(page)
    expect(page.get_by_label("In-house for one organisation (optional)")).to_have_count(0)
    page.get_by_label("Name of the programme").fill("Midlands network sets 2027")
    expect(page.get_by_label("Medical directors in their first years")).to_be_checked()
    expect(page.get_by_label("Doctors only")).to_be_checked()
    page.get_by_label("Applications open on").fill(today.isoformat())
    page.get_by_label("Applications close on").fill(today.isoformat())
    page.get_by_label("First sessions in the week from").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save the programme").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The first sessions must start after applications")
    assert_accessible(page)
    page.get_by_label("Applications close on").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("First sessions in the week from").fill((today + timedelta(days=42)).isoformat())
    page.get_by_role("button", name="Save the programme").click()
    expect(page.get_by_text(re.compile("is saved, for the members of Midlands MD network only"))).to_be_visible()
    page.get_by_role("button", name="Open the programme").click()
    programme = Programme.objects.get(name="Midlands network sets 2027")
    assert programme.invited_only and programme.status == ProgrammeStatus.OPEN

    sign_in(phone, member.email)
    phone.goto(f"/networks/{network.pk}/")
    expect(phone.get_by_role("heading", name="Learning sets for members")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    phone.get_by_role("link", name="Midlands network sets 2027").click()
    phone.get_by_label("Acute").check()
    phone.get_by_role("group", name="Wednesday").get_by_label("10:00 to 12:00").check()
    phone.get_by_role("button", name="Send your application").click()
    expect(phone.get_by_text("Your application to “Midlands network sets 2027” is sent.")).to_be_visible()
    assert_accessible(phone)
    assert Application.objects.filter(programme=programme, person=member).exists()
