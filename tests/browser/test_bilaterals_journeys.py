"""A bilateral as two medical directors make it: one proposes to meet monthly, the other signs in and agrees, both
give their weekly times, the partner picks a time the portal proposes, sees the meeting with its calendar
download, and after the meeting writes in the log; a third medical director cannot open it. Every page is checked
with axe-core, and the list and meeting pages on a 375 px phone."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from apps.bilaterals.models import Bilateral, BilateralMeeting, BilateralNote, BilateralStatus
from apps.profiles.models import CareerRole
from tests.factories import ProfileFactory

from .conftest import assert_accessible, prepare
from .test_journeys import sign_in
from .test_phone_layouts import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "We agreed to swap our approaches to job planning before next time."


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport=PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def tick_tuesday_afternoon(page: Page) -> None:
    tuesday = page.get_by_role("group", name=re.compile("Tuesday"))
    tuesday.get_by_label("14:00 to 16:00").check()
    page.get_by_role("group", name=re.compile("Thursday")).get_by_label("10:00 to 12:00").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save your times").click()
    expect(page.get_by_text("Your weekly times are saved.")).to_be_visible()


def test_two_medical_directors_agree_a_monthly_bilateral_and_keep_a_log(page: Page, phone: Page) -> None:
    amara = ProfileFactory(
        user__email="amara.md@example.org",
        user__first_name="Amara",
        user__last_name="Okafor",
        career_role=CareerRole.MEDICAL_DIRECTOR,
    ).user
    ravi = ProfileFactory(
        user__email="ravi.dmd@example.org",
        user__first_name="Ravi",
        user__last_name="Patel",
        career_role=CareerRole.DEPUTY_MD,
    ).user
    carol = ProfileFactory(user__email="carol.md@example.org", career_role=CareerRole.MEDICAL_DIRECTOR).user

    # Amara proposes, first with a typo in the address: refused without saying whether anyone has it.
    sign_in(page, amara.email)
    page.goto("/bilaterals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bilaterals")
    assert_accessible(page)
    page.get_by_role("link", name="Propose a bilateral").click()
    page.get_by_label("Their e-mail address").fill("ravi.dmd@example.com")
    page.get_by_label("Every month").check()
    page.get_by_label("A message with your proposal (optional)").fill("Shall we meet monthly?")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("We cannot propose a bilateral to that address.")).to_be_visible()
    expect(page.get_by_label("A message with your proposal (optional)")).to_have_value("Shall we meet monthly?")
    assert_accessible(page)
    page.get_by_label("Their e-mail address").fill(ravi.email)
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("Your proposal is with Ravi Patel. Nothing is booked until they agree.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilateral with Ravi Patel")
    assert_accessible(page)
    page.get_by_role("link", name="Change your weekly times").click()
    tick_tuesday_afternoon(page)

    # Ravi signs in, sees the proposal, agrees, gives his times and picks the first time proposed.
    page.context.clear_cookies()
    sign_in(page, ravi.email)
    page.goto("/bilaterals/")
    page.get_by_role("link", name="Amara Okafor proposes to meet every month").click()
    assert_accessible(page)
    page.get_by_role("button", name="Agree to meet").click()
    expect(page.get_by_text("You agreed to meet Amara Okafor every month.")).to_be_visible()
    page.get_by_role("link", name="Change your weekly times").click()
    tick_tuesday_afternoon(page)
    page.get_by_role("link", name="Choose a time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert_accessible(page)
    first = page.get_by_role("group", name="When shall we meet?").get_by_role("radio").first
    first_label = page.locator(f"label[for='{first.get_attribute('id')}']").inner_text()
    assert re.match(r"(Tuesday|Thursday) \d+ \w+ \d{4} at (14|10):00", first_label), first_label
    first.check()
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_text("The meeting is booked. You both have an invitation for your calendar.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilateral with Amara Okafor")
    expect(page.get_by_text(first_label)).to_be_visible()
    assert_accessible(page)

    # The calendar download is the meeting, in UTC, as the invitation has it.
    href = page.get_by_role("link", name="Download the calendar file (.ics)").get_attribute("href")
    assert href is not None
    download = page.request.get(href)
    assert download.headers["content-type"] == "text/calendar; charset=utf-8"
    (event,) = Calendar.from_ical(download.body()).walk("VEVENT")
    meeting = BilateralMeeting.objects.get()
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["SUMMARY"]) == "Bilateral with Amara Okafor"
    expect(page.get_by_text("You can write in the log once the meeting has started.")).to_be_visible()

    # The meeting takes place (the clock cannot be moved in the browser: its time is moved into the past).
    held = timezone.now() - timedelta(hours=2)
    BilateralMeeting.objects.filter(pk=meeting.pk).update(starts_at=held, ends_at=held + timedelta(hours=1))
    page.reload()
    page.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_role("link", name="Write the note first")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your note").fill(NOTE)
    page.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_text("Your note is in the log. Only the two of you can read it.")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()
    assert_accessible(page)
    assert BilateralNote.objects.get().author == ravi
    assert Bilateral.objects.get().status == BilateralStatus.AGREED

    # Amara reads it on her phone; a third medical director gets a page not found.
    sign_in(phone, amara.email)
    phone.goto("/bilaterals/")
    expect(phone.get_by_role("link", name="Ravi Patel")).to_be_visible()
    assert_fits_the_screen(phone)
    phone.goto(f"/bilaterals/meetings/{meeting.pk}/")
    expect(phone.get_by_text(NOTE)).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)

    page.context.clear_cookies()
    sign_in(page, carol.email)
    page.goto(f"/bilaterals/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(NOTE)).to_have_count(0)
    page.goto("/bilaterals/")
    expect(page.get_by_text("Amara Okafor")).to_have_count(0)
    assert_accessible(page)
