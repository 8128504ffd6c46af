"""A development plan as a person makes it: dates that come pre-filled and stay, a goal from a suggestion with the
person's own measure, and a goal changed without retyping its date."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.accounts.models import Role
from apps.development.forms import PlanForm
from apps.development.models import Activity, Goal, PlanShare
from apps.development.selectors_catalogue import catalogue_search
from tests.factories import ProfileFactory, grant
from tests.support.colleagues import working_with

from .conftest import assert_accessible
from .test_assessment_journeys import completed_assessment
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_from_suggestions_and_a_goal_changed_without_retyping_its_date(page: Page) -> None:
    assessment = completed_assessment("planner@example.org", rating=2)
    mentor = ProfileFactory(user__email="md@example.org", user__first_name="Tom", user__last_name="Baker").user
    grant(mentor, Role.MENTOR)
    working_with(assessment.owner, mentor)
    call_command("load_framework", "--shipped", verbosity=0)
    call_command("load_opportunities", verbosity=0)
    sign_in(page, "planner@example.org")
    today = timezone.localdate()

    page.goto("/plans/")
    # The dates come pre-filled, as a date picker shows them.
    expect(page.get_by_label("Start")).to_have_value(today.isoformat())
    expect(page.get_by_label("End")).to_have_value(str(PlanForm().initial["ends_on"]))  # a calendar year on
    page.get_by_label("Name your plan").fill("Towards medical director")
    page.get_by_role("group", name="Which role are you aiming for?").get_by_label(
        re.compile("^Medical director")
    ).check()
    page.get_by_role("button", name=re.compile("Start|Create|Save", re.I)).click()
    expect(page.get_by_text("Your plan is ready")).to_be_visible()

    # A suggestion becomes a goal through the form: its title and criteria filled in, the measure left to the person.
    first = page.locator(".nhsuk-card").filter(has=page.get_by_role("button", name=re.compile("Make it a goal"))).first
    title = first.get_by_role("heading").inner_text().strip()
    first.get_by_role("button", name=re.compile("Make it a goal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a goal")
    expect(page.get_by_label("What do you want to achieve?")).to_have_value(title)
    expect(page.get_by_label("How will you know you have done it?")).to_have_value("")
    assert page.locator("input[name=criteria]:checked").count() >= 1
    page.get_by_role("button", name="Save the goal").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say how you will know you have done it")
    expect(page.get_by_label("What do you want to achieve?")).to_have_value(title)
    page.get_by_label("How will you know you have done it?").fill("Chaired four meetings; the chair's written feedback")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    # Taken once, the suggestion says so and offers no second copy.
    expect(page.locator(".nhsuk-card").filter(has_text=title).get_by_text("In your plan")).to_be_visible()
    assert_accessible(page)

    goal = Goal.objects.get(title=title)
    assert goal.measure == "Chaired four meetings; the chair's written feedback"
    target = goal.target_date
    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a goal")
    expect(page.get_by_label("Target date")).to_have_value(target.isoformat())
    page.get_by_label("How will you know you have done it?").fill("Chaired six meetings")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Goal saved.")).to_be_visible()
    goal.refresh_from_db()
    assert (goal.measure, goal.target_date) == ("Chaired six meetings", target)

    # An activity from a suggestion, once.
    card = page.locator(".nhsuk-card").filter(has=page.get_by_role("button", name=re.compile("Add as an activity")))
    activity_title = card.first.get_by_role("heading").inner_text().strip()
    card.first.get_by_role("button", name=re.compile("Add as an activity")).click()
    expect(page.get_by_text("added to your plan as an activity")).to_be_visible()
    assert Activity.objects.filter(title=activity_title).count() == 1
    assert_accessible(page)

    # Browse the catalogue where an activity is added: words narrow it as they are typed, filters as they change.
    page.get_by_role("link", name="Add an activity").click()
    expect(page.get_by_role("heading", name="Or choose from the catalogue")).to_be_visible()
    page.get_by_label("Search").fill("board")
    page.get_by_label("Cost").select_option(label="Free or usually free")
    expected = [o.title for o in catalogue_search(q="board", cost="free")]
    expect(page.locator("#catalogue-results")).to_contain_text(f"{len(expected)} opportunit")
    results = page.locator("#catalogue-results .nhsuk-card")
    expect(results).to_have_count(len(expected))
    expect(results.first.get_by_role("heading")).to_contain_text(expected[0])
    assert_accessible(page)
    chosen = results.filter(has=page.get_by_role("button", name=re.compile("Add to your plan"))).first
    chosen_title = chosen.get_by_role("heading").inner_text().strip()
    chosen.get_by_role("button", name=re.compile("Add to your plan")).click()
    expect(page.get_by_text("added to your plan as an activity")).to_be_visible()
    assert Activity.objects.filter(title=chosen_title).count() == 1

    # Share it with the mentor, chosen from the people they work with rather than typed.
    page.get_by_role("link", name="Share this plan with your mentor").click()
    assert_accessible(page)
    page.get_by_label("Tom Baker, your mentor").check()
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Tom Baker can now read this plan")).to_be_visible()
    assert PlanShare.objects.get().viewer == mentor
