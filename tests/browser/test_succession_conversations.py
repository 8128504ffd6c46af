"""Talent conversations in a browser: the lead records one (a date in the future refused first), the person opens
it from their list, changes it, and adds a next step to their development plan, where they then see the goal.
Every page reached is checked with axe-core; the conversation on a 375 px phone."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.development.models import Goal
from apps.succession.models import TalentConversation
from tests.factories import OrganisationFactory, ProfileFactory, year_plan
from tests.support.succession import make_candidacy, make_lead, make_post

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


def test_a_lead_records_a_conversation_and_the_person_takes_a_step_into_their_plan(page: Page, phone: Page) -> None:
    trust = OrganisationFactory(name="Riverside NHS Foundation Trust")
    lead = make_lead(trust)
    person = ProfileFactory(user__email="standing.forward@example.org", organisation=trust).user
    candidacy = make_candidacy(person, trust, make_post(trust, title="Deputy medical director, quality"))
    plan = year_plan(person, title="Towards deputy MD")
    today = timezone.localdate()
    again = today + timedelta(days=30)

    sign_in(page, lead.email)
    page.goto(f"/succession/conversations/new/{candidacy.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record a talent conversation with {person.display_name}"
    )
    assert_accessible(page)
    page.get_by_label("When did you meet?").fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("Aspiration").fill("Deputy medical director within two years")
    page.get_by_label("Strengths").fill("Calm in a crisis; trusted by consultants")
    page.get_by_label("What to develop").fill("Board-level finance")
    page.get_by_label("Agreed next steps").fill("Act up for two weeks in the spring\nJoin the quality committee")
    page.get_by_label("Meet again on (optional)").fill(again.isoformat())
    page.get_by_role("button", name="Save the conversation").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The date you met cannot be in the future")
    expect(page.get_by_label("Strengths")).to_have_value("Calm in a crisis; trusted by consultants")
    assert_accessible(page)
    page.get_by_label("When did you meet?").fill(today.isoformat())
    page.get_by_role("button", name="Save the conversation").click()
    expect(page.get_by_text(f"The conversation is recorded. {person.display_name} is told")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Join the quality committee")
    expect(page.get_by_role("heading", name="Add a next step to your development plan")).to_have_count(0)
    assert_accessible(page)
    conversation = TalentConversation.objects.get()

    # The person, on a phone: their list, the record, a change.
    sign_in(phone, person.email)
    phone.goto("/succession/conversations/")
    assert_accessible(phone)
    phone.get_by_role("link", name=f"{today.day} {today:%B %Y}").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(str(conversation))
    expect(phone.locator("main")).to_contain_text("Calm in a crisis")
    assert_accessible(phone)
    assert_fits_the_screen(phone)
    phone.get_by_role("link", name="Change the conversation").click()
    phone.get_by_label("Strengths").fill("Calm in a crisis; trusted by consultants; a clear writer")
    phone.get_by_role("button", name="Save your changes").click()
    expect(phone.get_by_text("Your changes are saved.")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("a clear writer")

    # The second step into their plan: they land on the plan and see the goal there.
    phone.get_by_label("Join the quality committee").check()
    phone.get_by_label("Towards deputy MD").check()
    phone.get_by_role("button", name="Add it to the plan").click()
    expect(
        phone.get_by_text("“Join the quality committee” is a goal in your plan “Towards deputy MD”.")
    ).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Towards deputy MD")
    expect(phone.locator("main")).to_contain_text("Join the quality committee")
    assert_accessible(phone)
    assert Goal.objects.get(plan=plan).target_date == again
