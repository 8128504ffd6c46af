"""The first-year pathway as people use it: a new medical director joins with their start date, ticks an induction
item, records the scope and objectives agreed with their chief executive, follows a step to the part of the portal
that does it, and writes their 3-month check-in once it is due; an organiser reads their cohort's progress in
counts, with nobody's words on the page. Every page is checked with axe-core, and the pages at 375 px."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.pathways.models import CheckIn, ChecklistTick, Enrolment
from apps.pathways.services import checkin_complete, tick_set
from tests.factories import ProfileFactory, grant
from tests.pathways.support import (
    PLANTED_GOING,
    PLANTED_OBJECTIVES,
    PLANTED_SCOPE,
    PLANTED_SUPPORT,
    enrol,
    make_cohort,
    with_scope,
)

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


def test_a_new_md_joins_ticks_records_their_scope_and_writes_a_check_in(page: Page, phone: Page) -> None:
    person = ProfileFactory(user__email="new.md.journey@example.org").user
    started = timezone.localdate() - timedelta(days=100)  # the 3-month check-in is due

    sign_in(page, person.email)
    page.goto("/first-year/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first year as medical director")
    assert_accessible(page)
    # A start too long ago is refused, with a clear message.
    page.get_by_label("When did you start, or when will you start, as medical director?").fill("2020-01-01")
    page.get_by_role("button", name="Join the pathway").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("more than two years ago")
    assert_accessible(page)
    page.get_by_label("When did you start, or when will you start, as medical director?").fill(started.isoformat())
    page.get_by_role("button", name="Join the pathway").click()
    expect(page.get_by_text("You are on the first-year pathway.")).to_be_visible()
    expect(page.get_by_text("0 of 5")).to_be_visible()
    assert_accessible(page)

    item = page.locator("#item-finance-rules")
    item.get_by_role("button", name=re.compile("^Done")).click()
    expect(page.get_by_text("Your checklist is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Strategy and finance (1 of 3)")).to_be_visible()
    assert ChecklistTick.objects.filter(enrolment__person=person, item_key="finance-rules", state="done").exists()

    # Each step links to the page that does it.
    expect(page.get_by_role("link", name="Have a senior mentor from outside your organisation")).to_have_attribute(
        "href", "/mentoring/"
    )
    shadowing = page.get_by_role("link", name="Shadow a medical director in another trust")
    expect(shadowing).to_have_attribute("href", reverse("shadowing:browse"))
    page.get_by_role("link", name="Agree the scope of your role and your objectives with your chief executive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The scope of your role and your objectives")
    page.get_by_label("The scope of your role (optional)").fill(PLANTED_SCOPE)
    page.get_by_label("The objectives you agreed").fill(PLANTED_OBJECTIVES)
    page.get_by_label("The date you agreed them with your chief executive").fill(
        (started + timedelta(days=14)).isoformat()
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save your scope and objectives").click()
    expect(page.get_by_text("Your scope and objectives are saved. Only you can see them.")).to_be_visible()
    expect(page.get_by_text(PLANTED_OBJECTIVES)).to_be_visible()
    expect(page.get_by_text("1 of 5")).to_be_visible()

    expect(page.get_by_text("Due now")).to_be_visible()
    page.get_by_role("link", name="3-month check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your 3-month check-in")
    page.get_by_role("button", name="Save your check-in").click()  # nothing written: refused
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write a few words on how it is going")
    assert_accessible(page)
    page.get_by_label("How is it going?").fill(PLANTED_GOING)
    page.get_by_label("What support do you need? (optional)").fill(PLANTED_SUPPORT)
    page.get_by_role("button", name="Save your check-in").click()
    expect(page.get_by_text("Your 3-month check-in is saved. Only you can see it.")).to_be_visible()
    assert CheckIn.objects.get(enrolment__person=person).going == PLANTED_GOING

    sign_in(phone, person.email)
    for path in ("/first-year/", "/first-year/scope/", "/first-year/check-ins/3/", "/first-year/leave/"):
        phone.goto(path)
        assert_fits_the_screen(phone)
        assert_accessible(phone)

    page.goto("/first-year/leave/")
    assert_accessible(page)
    page.get_by_role("button", name="Leave the pathway").click()
    expect(page.get_by_text("You have left the first-year pathway.")).to_be_visible()
    assert not Enrolment.objects.filter(person=person).exists()


def test_an_organiser_sees_the_cohorts_progress_in_counts_only(page: Page, phone: Page) -> None:
    organiser = ProfileFactory(user__email="pathway.organiser@example.org").user
    grant(organiser, Role.ORGANISER)
    cohort = make_cohort(organiser)
    started = timezone.localdate() - timedelta(days=100)
    for i in range(11):  # 6 record their scope, 5 not yet: a row shows only with at least 5 on each side
        person = ProfileFactory(user__email=f"cohort.member{i}@example.org", user__last_name=f"Member{i}").user
        enrolment = enrol(person, started_on=started, cohort=cohort)
        if i < 6:
            enrolment = with_scope(enrolment)
        tick_set(enrolment=enrolment, item_key="coach", state="done", now=timezone.now())
        checkin_complete(
            enrolment=enrolment, months=3, going=PLANTED_GOING, support=PLANTED_SUPPORT, now=timezone.now()
        )
    invited = ProfileFactory(user__email="invited.md@example.org").user

    sign_in(page, organiser.email)
    page.goto("/first-year/cohorts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohorts of the first-year pathway")
    assert_accessible(page)
    page.get_by_label("Name of the cohort").fill("New MDs 2027/28")
    page.get_by_role("button", name="Set up the cohort").click()
    expect(page.get_by_text("The cohort New MDs 2027/28 is set up.")).to_be_visible()
    expect(page.get_by_text("Fewer than 5 people have joined this cohort")).to_be_visible()
    assert_accessible(page)

    page.goto("/first-year/cohorts/")
    page.get_by_role("link", name="New MDs 2026/27").click()
    expect(page.get_by_text("11 people have joined.")).to_be_visible()
    steps = page.get_by_role("table").filter(has_text="Step")
    expect(steps.get_by_role("row").filter(has_text="Agree the scope of your role")).to_contain_text("6")
    expect(steps.get_by_role("row").filter(has_text="Have a buddy")).to_contain_text("Not shown")
    content = page.content()
    for planted in (PLANTED_SCOPE, PLANTED_OBJECTIVES, PLANTED_GOING, PLANTED_SUPPORT, "Member0", "cohort.member"):
        assert planted not in content
    assert_accessible(page)

    page.get_by_label("Their e-mail address").fill(invited.email)
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(re.compile(r"If invited\.md@example\.org is the address of an account"))).to_be_visible()
    page.get_by_label("Their e-mail address").fill("not an address")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an e-mail address")
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    page.goto(f"/first-year/cohorts/{cohort.pk}/")
    assert_fits_the_screen(page)
    assert_accessible(page)

    # The invited person is asked, on their phone, and joins the cohort with their start date.
    sign_in(phone, invited.email)
    phone.goto("/first-year/")
    expect(phone.get_by_role("heading", name="You are invited")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    phone.get_by_label("When did you start, or when will you start, as medical director?").fill(started.isoformat())
    phone.get_by_role("button", name="Join New MDs 2026/27").click()
    expect(phone.get_by_text("You are on the first-year pathway.")).to_be_visible()
    expect(phone.get_by_text("New MDs 2026/27 (its organisers see counts for the whole cohort only)")).to_be_visible()
    assert Enrolment.objects.get(person=invited).cohort == cohort
