"""An organiser's match round in headless Chromium: run the solver, change a pair with the live check, publish;
and both the mentee and the mentor saying yes. Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import Role
from apps.competencies.fileformat import parse
from apps.competencies.services import framework_load
from apps.mentoring.models import MentoringRelationship, Proposal, RoundPair
from apps.notifications.models import Reminder
from apps.profiles.models import CareerRole
from tests.factories import ProfileFactory, grant
from tests.mentoring.test_proposals import make_mentor
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor

from ..assessments.conftest import PERSON_SPEC
from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_runs_reviews_and_publishes_a_match_round(page: Page) -> None:
    organiser = ProfileFactory(user__email="organiser.browser@example.org").user
    grant(organiser, Role.ORGANISER)
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md.one@example.org", capacity=1)
    scheme_mentor(scheme, "dmd.two@example.org", capacity=1, role=CareerRole.DEPUTY_MD)
    boss = scheme_mentor(scheme, "boss@example.org", capacity=1, role=CareerRole.ASSOCIATE_MD)
    request = scheme_mentee(scheme, "mentee.one@example.org", line_manager_email="boss@example.org")
    scheme_mentee(scheme, "mentee.two@example.org")

    sign_in(page, "organiser.browser@example.org")
    page.goto("/mentoring/schemes/")
    assert_accessible(page)
    page.get_by_role("link", name="North West aspiring MDs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North West aspiring MDs")
    assert_accessible(page)
    page.get_by_role("button", name="Run a match round").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Match round of")
    expect(page.get_by_role("button", name="Publish: send 2 proposals")).to_be_visible()
    assert_accessible(page)

    pair = RoundPair.objects.get(request=request)
    page.get_by_role("link", name=re.compile(f"Change the mentor of {re.escape(str(request.mentee))}")).click()
    assert_accessible(page)
    # Choosing the mentee's line manager: the live check says no, before anything is submitted, without saying why.
    page.get_by_label("Propose another mentor").select_option(value=str(boss.pk))
    expect(page.locator("#pair-check")).to_contain_text("Not allowed: the matching rules do not allow this pair")
    assert_accessible(page)
    page.get_by_role("button", name="Propose this mentor").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("matching rules do not allow")
    assert_accessible(page)
    pair.refresh_from_db()
    assert pair.mentor != boss

    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("button", name="Publish: send 2 proposals").click()
    expect(page.get_by_text("Published: 2 proposals sent.")).to_be_visible()
    assert_accessible(page)
    assert Proposal.objects.count() == 2

    # The mentee sees why, and accepts.
    page.context.clear_cookies()
    sign_in(page, "mentee.one@example.org")
    page.goto("/mentoring/")
    expect(page.get_by_text(re.compile("Why: .*focus areas"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Accept")).click()
    expect(page.get_by_text(re.compile("We have asked .* too"))).to_be_visible()
    expect(page.get_by_text("You said yes")).to_be_visible()
    assert not MentoringRelationship.objects.filter(mentee=request.mentee).exists()

    # The mentor was asked by e-mail at once, sees who and what on their own mentoring page, and says yes.
    proposal = Proposal.objects.get(request=request)
    assert Reminder.objects.filter(kind="mentoring_proposal_for_mentor", recipient=proposal.mentor).exists()
    page.context.clear_cookies()
    sign_in(page, proposal.mentor.email)
    page.goto("/mentoring/")
    expect(page.get_by_role("heading", name=f"Will you mentor {request.mentee}?")).to_be_visible()
    expect(page.get_by_text(request.mentee.email)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Yes, I will")).click()
    expect(page.get_by_text(re.compile("are now working together"))).to_be_visible()
    # Now each can see how to reach the other, and the mentee is told.
    expect(page.get_by_role("heading", name=f"How to reach {request.mentee}")).to_be_visible()
    expect(page.get_by_role("link", name=request.mentee.email)).to_be_visible()
    assert Reminder.objects.filter(kind="mentoring_match_confirmed", recipient=request.mentee).exists()

    # The pair's own pages: agreement, a meeting logged, closing with feedback. All accessible.
    relationship = MentoringRelationship.objects.get(mentee=request.mentee)
    assert_accessible(page)
    page.get_by_role("link", name="Write your agreement").click()
    assert_accessible(page)
    page.get_by_label("What will you work on together?").fill("Board presence; chairing difficult meetings")
    page.get_by_label("Every month").check()
    page.get_by_label("What stays between you?").fill("Everything we discuss, unless someone is at risk")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("Board presence; chairing difficult meetings")).to_be_visible()
    page.get_by_role("button", name="I agree to this agreement").click()
    assert_accessible(page)

    page.get_by_role("button", name="Log the meeting").click()  # empty: errors, nothing saved
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/mentoring/together/{relationship.pk}/")
    page.get_by_role("group", name="How did you meet?").get_by_label("Video call").check()
    page.get_by_label("What did you talk about?").fill("The first board paper")
    today = relationship.started_at.date()
    page.get_by_label("When did you meet?").fill(today.isoformat())
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_text("The first board paper")).to_be_visible()
    assert_accessible(page)
    assert relationship.meetings.count() == 1

    # After the first meeting each is asked whether it is working; saying yes stops asking that person.
    expect(page.get_by_role("heading", name="Is this working for you?")).to_be_visible()
    page.get_by_role("button", name="Yes, it is working").click()
    expect(page.get_by_text("Good to hear. We will not ask again.")).to_be_visible()
    expect(page.get_by_role("heading", name="Is this working for you?")).to_have_count(0)
    relationship.refresh_from_db()
    assert relationship.status == "active"


def test_a_mentee_asks_the_mentor_confirms_and_both_can_reach_each_other(page: Page) -> None:
    """The direct path: the mentee fills in the request form, asks for the best mentor now and accepts; the
    mentor is asked, says yes, and the pair see each other's address, write an agreement and log a meeting."""
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    mentor = make_mentor("md.direct@example.org", expertise=("SKI-8", "SKI-9"))
    mentee = ProfileFactory(user__email="asks@example.org", career_role=CareerRole.CLINICAL_DIRECTOR).user

    sign_in(page, "asks@example.org")
    page.goto("/mentoring/request/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Save|Ask", re.I)).click()  # nothing chosen: errors, nothing saved
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="What are you looking for?").get_by_label("Mentoring", exact=True).check()
    page.get_by_label(re.compile("^SKI-8")).check()
    page.get_by_label("Anything else you would like help with (optional)").fill("Preparing for a board interview")
    page.get_by_role("group", name="From your organisation or outside it?").get_by_label(
        "I would prefer someone from outside my organisation"
    ).check()
    page.get_by_role("group", name="Which sector?").get_by_label("Either is fine").check()
    page.get_by_role("group", name="How would you like to meet?").get_by_label("Video call").check()
    page.get_by_role("button", name=re.compile("Save|Ask", re.I)).click()
    expect(page.get_by_text("Your request is saved.")).to_be_visible()
    page.get_by_role("button", name="Find me the best available mentor now").click()
    expect(page.get_by_role("heading", name=f"We propose {mentor}")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Accept")).click()
    expect(page.get_by_text("You said yes")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "md.direct@example.org")
    expect(page.get_by_text(re.compile("1 mentoring proposal waiting for your reply"))).to_be_visible()
    page.get_by_role("link", name=re.compile("mentoring proposal waiting")).click()
    card = page.locator(".nhsuk-card").filter(has_text=f"Will you mentor {mentee}?")
    expect(card.get_by_text(re.compile("Have strong interpersonal"))).to_be_visible()
    card.get_by_role("button", name=re.compile("^Yes, I will")).click()
    expect(page.get_by_role("link", name="asks@example.org")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "asks@example.org")
    page.goto("/mentoring/")
    page.get_by_role("link", name=re.compile(f"Working together.*{re.escape(str(mentor))}")).click()
    expect(page.get_by_role("link", name="md.direct@example.org")).to_be_visible()
    assert_accessible(page)
    assert MentoringRelationship.objects.filter(mentee=mentee, mentor=mentor, status="active").exists()
