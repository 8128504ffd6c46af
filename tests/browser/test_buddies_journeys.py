"""Buddies as people use them: an organiser opens a cohort, adds four new medical directors, runs pairing, reads
why each pair was made, changes the pairs by hand (and is told why a person cannot be their own buddy), and
publishes; a member then sees their buddy, their organisation and why, on a desktop and on a 375 px phone. Every
page is checked with axe-core."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.buddies.models import BuddyPair, PairStatus
from tests.buddies.factories import md
from tests.factories import grant

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


def test_an_organiser_pairs_changes_and_publishes_and_a_member_sees_their_buddy(page: Page, phone: Page) -> None:
    organiser = md("Olive", role="deputy_md")
    grant(organiser, Role.ORGANISER)
    # Ann and Bob (mental health, London) and Cat and Dan (acute, North West): each pair shares a sector and a
    # region and is eight months apart in the role, so pairing makes Ann–Bob and Cat–Dan.
    ann, bob = md("Ann"), md("Bob")
    cat, dan = md("Cat", sector="acute", region="Y62"), md("Dan", sector="acute", region="Y62")
    today = timezone.localdate()
    started = {ann: today - timedelta(days=70), bob: today - timedelta(days=320)}
    started |= {cat: today - timedelta(days=70), dan: today - timedelta(days=320)}

    sign_in(page, organiser.email)
    page.goto("/buddies/cohorts/")
    expect(page.get_by_text("There are no buddy cohorts yet.")).to_be_visible()
    page.get_by_role("button", name="Open the cohort").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a name for the cohort")
    assert_accessible(page)
    page.get_by_label("Name the cohort").fill("New MDs, winter 2026")
    page.get_by_role("button", name="Open the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New MDs, winter 2026")
    expect(page.get_by_text("The cohort is open.")).to_be_visible()
    assert_accessible(page)

    for person, day in started.items():
        page.get_by_label("Their e-mail address").fill(person.email)
        page.get_by_label("When did they start in the role?").fill(day.isoformat())
        page.get_by_role("button", name="Add them").click()
        expect(page.get_by_text(f"{person.first_name} Doctor is in the cohort.")).to_be_visible()
    page.get_by_label("Their e-mail address").fill("nobody@example.org")
    page.get_by_label("When did they start in the role?").fill(today.isoformat())
    page.get_by_role("button", name="Add them").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Nobody with that e-mail address has an account")
    assert_accessible(page)

    page.get_by_role("button", name="Run pairing").click()
    expect(page.get_by_text("Paired: 2 pairs, 0 without a buddy.")).to_be_visible()
    ann_bob = page.get_by_role("row").filter(has_text="Ann Doctor")
    expect(ann_bob).to_contain_text("Bob Doctor")
    expect(ann_bob).to_contain_text("Same sector (Mental health)")
    expect(ann_bob).to_contain_text("One is 8 months further into the role")
    assert_accessible(page)

    # The organiser would rather Ann had a buddy from an acute trust: unpair both, and pair across.
    page.get_by_role("button", name="Unpair Ann Doctor and Bob Doctor").click()
    expect(page.get_by_text("The two are unpaired")).to_be_visible()
    page.get_by_role("button", name="Unpair Cat Doctor and Dan Doctor").click()
    expect(page.get_by_text("Ann Doctor: The organiser took this person out of their pair.")).to_be_visible()
    page.get_by_label("First person").select_option(label="Ann Doctor")
    page.get_by_label("Second person").select_option(label="Ann Doctor")
    page.get_by_role("button", name="Pair them").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("A person cannot be their own buddy")
    assert_accessible(page)
    page.get_by_label("Second person").select_option(label="Cat Doctor")
    page.get_by_role("button", name="Pair them").click()
    expect(page.get_by_text("The two are paired.")).to_be_visible()
    page.get_by_label("First person").select_option(label="Bob Doctor")
    page.get_by_label("Second person").select_option(label="Dan Doctor")
    page.get_by_role("button", name="Pair them").click()
    expect(page.get_by_role("row").filter(has_text="Ann Doctor")).to_contain_text("By hand")

    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_text("Published: everyone has been told")).to_be_visible()
    assert_accessible(page)
    assert set(BuddyPair.objects.values_list("status", flat=True)) == {PairStatus.PUBLISHED}

    for screen in (page, phone):
        screen.context.clear_cookies()
        sign_in(screen, ann.email)
        screen.goto("/buddies/")
        expect(screen.get_by_role("heading", level=2, name="Cat Doctor")).to_be_visible()
        expect(screen.get_by_text("Cat NHS Foundation Trust")).to_be_visible()
        expect(screen.get_by_text("Same leadership level, different organisations")).to_be_visible()
        assert_accessible(screen)
    assert_fits_the_screen(phone)

    # The organiser's review of the published pairs fits a phone too.
    phone.context.clear_cookies()
    sign_in(phone, organiser.email)
    phone.goto(f"/buddies/cohorts/{BuddyPair.objects.values_list('cohort_id', flat=True).first()}/")
    expect(phone.get_by_text("Why", exact=True).first).to_be_attached()
    assert_accessible(phone)
    assert_fits_the_screen(phone)
