"""Talk to someone in the role, the forms after the request: the offerer declines with a message, sets and then
moves the agreed date; the requester withdraws a request, and after the day writes a reflection into their plan.
Every page reached is checked with axe-core, and the request pages on a 375 px phone."""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.development.models import Reflection
from apps.shadowing.models import RequestStatus, ShadowingRequest
from tests.factories import ProfileFactory, year_plan
from tests.shadowing.support import accepted, ask, make_offer, person_in_role

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


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"  # the template's "l j F Y"


def test_the_offerer_declines_with_a_message_and_the_requester_sees_it(page: Page) -> None:
    md = person_in_role("md.declines@example.org")
    aspiring = ProfileFactory(user__email="aspiring.declined@example.org").user
    request = ask(make_offer(md), aspiring)

    sign_in(page, md.email)
    page.goto("/talk-to-someone/your-offers/")
    page.get_by_role("link", name=f"{aspiring} asks for a shadowing day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{aspiring} asks for a shadowing day")
    assert_accessible(page)
    decline = page.locator("form").filter(has=page.get_by_role("button", name="Decline"))
    decline.get_by_label("A message (optional)").fill("The board is not meeting this quarter: ask me in April.")
    decline.get_by_role("button", name="Decline").click()
    expect(page.get_by_text(f"You declined. {aspiring} is told.")).to_be_visible()
    assert_accessible(page)
    assert ShadowingRequest.objects.get(pk=request.pk).status == RequestStatus.DECLINED

    page.context.clear_cookies()
    sign_in(page, aspiring.email)
    page.goto("/talk-to-someone/your-requests/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=str(md)))
    expect(row).to_contain_text("Declined")
    assert_accessible(page)
    row.get_by_role("link", name=str(md)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"A shadowing day with {md}")
    expect(page.locator("main")).to_contain_text("Declined")
    expect(page.locator("main")).to_contain_text("The board is not meeting this quarter: ask me in April.")
    expect(page.get_by_role("link", name=md.email)).to_have_count(0)
    expect(page.get_by_role("button", name="Withdraw your request")).to_have_count(0)
    assert_accessible(page)


def test_the_offerer_sets_and_then_moves_the_agreed_date(page: Page, phone: Page) -> None:
    md = person_in_role("md.dates@example.org")
    aspiring = ProfileFactory(user__email="aspiring.dates@example.org").user
    request = accepted(make_offer(md), aspiring)
    today = timezone.localdate()
    first, moved = today + timedelta(days=14), today + timedelta(days=28)

    sign_in(page, md.email)
    page.goto(f"/talk-to-someone/requests/{request.pk}/")
    expect(page.get_by_role("heading", name="Set the date")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The date you agreed").fill(today.isoformat())
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a date after today.")
    assert_accessible(page)

    page.get_by_label("The date you agreed").fill(first.isoformat())
    page.get_by_role("button", name="Save the date").click()
    expect(page.get_by_text("The date is set. We will remind you both the day before.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(long_date(first))
    expect(page.get_by_role("heading", name="Change the date")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("The date you agreed").fill(moved.isoformat())
    page.get_by_role("button", name="Save the date").click()
    expect(page.get_by_text("The date is set. We will remind you both the day before.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(long_date(moved))
    expect(page.locator("main")).not_to_contain_text(long_date(first))
    assert_accessible(page)
    assert ShadowingRequest.objects.get(pk=request.pk).agreed_on == moved

    # The requester, on a phone, sees the new date.
    sign_in(phone, aspiring.email)
    phone.goto(f"/talk-to-someone/requests/{request.pk}/")
    expect(phone.locator("main")).to_contain_text(long_date(moved))
    assert_fits_the_screen(phone)
    assert_accessible(phone)


def test_the_requester_withdraws_a_request_on_a_phone(phone: Page) -> None:
    md = person_in_role("md.withdrawn@example.org")
    aspiring = ProfileFactory(user__email="aspiring.withdraws@example.org").user
    request = ask(make_offer(md), aspiring)

    sign_in(phone, aspiring.email)
    phone.goto("/talk-to-someone/your-requests/")
    expect(phone.get_by_role("row").filter(has_text=str(md))).to_contain_text("Waiting for an answer")
    phone.get_by_role("link", name=str(md)).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"A shadowing day with {md}")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Withdraw your request").click()

    expect(phone.get_by_text(f"Your request is withdrawn. {md} is told.")).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your requests")
    expect(phone.get_by_role("row").filter(has_text=str(md))).to_contain_text("Withdrawn")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    assert ShadowingRequest.objects.get(pk=request.pk).status == RequestStatus.WITHDRAWN


def test_after_the_day_the_requester_writes_a_reflection_into_their_plan(page: Page) -> None:
    md = person_in_role("md.reflected@example.org")
    aspiring = ProfileFactory(user__email="aspiring.reflects@example.org").user
    plan = year_plan(aspiring, title="Towards medical director")
    today = timezone.localdate()
    request = accepted(make_offer(md), aspiring, agreed_on=today + timedelta(days=7))
    # The day has come and gone.
    day = today - timedelta(days=2)
    ShadowingRequest.objects.filter(pk=request.pk).update(agreed_on=day)

    sign_in(page, aspiring.email)
    page.goto(f"/talk-to-someone/requests/{request.pk}/")
    page.get_by_role("link", name="Write a reflection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reflection")
    title = f"Shadowing day with {md}, {day.day} {day:%B %Y}"
    expect(page.get_by_label("Title")).to_have_value(re.compile(re.escape(str(md))))
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened").fill("I sat in on the board and the executive meeting.")
    page.get_by_label("So what: what it meant, what you learned").fill("Most of the work is done before the meeting.")
    page.get_by_label("Now what: what you will do differently").fill("Chair the directorate's quality committee.")
    page.get_by_role("group", name="Add it to a development plan?").get_by_label(
        "Yes, to “Towards medical director”"
    ).check()
    page.get_by_role("button", name="Save your reflection").click()

    expect(page.get_by_text("Your reflection is saved. Only you can see it.")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Most of the work is done before the meeting.")
    expect(page.get_by_role("button", name="Save your reflection")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="your development plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Towards medical director")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chair the directorate's quality committee.")
    assert_accessible(page)
    assert Reflection.objects.filter(plan=plan, title=title).count() == 1
