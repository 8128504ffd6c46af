"""Self-assessment and 360 feedback as people really use them: every kind of field typed, raters answering
through their private links, and results that then show what colleagues said."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.assessments.models import Assessment, PromptAnswer, RaterInvitation
from apps.assessments.services import assessment_save_group, assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import framework_load
from tests.factories import ProfileFactory
from tests.support.rater_links import rater_links_sent

from ..assessments.conftest import PERSON_SPEC
from .conftest import assert_accessible, prepare
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _framework() -> Framework:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework


def completed_assessment(owner_email: str, rating: int = 3) -> Assessment:
    """A self-assessment rated the same on every criterion and completed, as the person would leave it."""
    user = ProfileFactory(user__email=owner_email, user__first_name="Amara", user__last_name="Okafor").user
    framework = _framework()
    assessment = assessment_start(owner=user, framework=framework, target_level=5, now=timezone.now())
    for group in framework.groups.all():
        ratings = {c.pk: rating for c in framework.criteria.filter(group=group)}
        assessment_save_group(assessment=assessment, group=group, ratings=ratings, notes={}, answers={})
    return assessment_submit(assessment=assessment, now=timezone.now())


def test_every_text_box_is_kept_when_the_person_follows_a_link_at_once(page: Page) -> None:
    """Type into a prompt answer and a later criterion's notes, then click "Add evidence" straight away: the
    page saves before it goes, so coming back shows every word, and the database holds them."""
    user = ProfileFactory(user__email="typist@example.org").user
    assessment = assessment_start(owner=user, framework=_framework(), target_level=5, now=timezone.now())
    sign_in(page, "typist@example.org")
    page.goto(f"/self-assessment/{assessment.pk}/part/EXP/")

    answers = page.locator("textarea[name^=answer_]")
    notes = page.get_by_label("Your notes")
    answers.nth(1).fill("Chaired the trust's mortality review group for two years")
    notes.nth(2).fill("Ask the CMO about the system quality board")
    page.get_by_role("group", name="How would you rate yourself on EXP-3?").get_by_label("2: Developing").check()
    page.get_by_role("link", name=re.compile("Add evidence for EXP-1")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("evidence", ignore_case=True)

    page.go_back()
    page.reload()
    expect(page.locator("textarea[name^=answer_]").nth(1)).to_have_value(
        "Chaired the trust's mortality review group for two years"
    )
    expect(page.get_by_label("Your notes").nth(2)).to_have_value("Ask the CMO about the system quality board")
    expect(
        page.get_by_role("group", name="How would you rate yourself on EXP-3?").get_by_label("2: Developing")
    ).to_be_checked()
    assert PromptAnswer.objects.filter(
        assessment=assessment, text="Chaired the trust's mortality review group for two years"
    ).exists()

    # Typing in one box and then another, without leaving either: both are saved, the status says so only then.
    page.get_by_label("Your notes").nth(0).fill("First thought")
    page.get_by_label("Your notes").nth(1).fill("Second thought, typed straight after")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.reload()
    expect(page.get_by_label("Your notes").nth(0)).to_have_value("First thought")
    expect(page.get_by_label("Your notes").nth(1)).to_have_value("Second thought, typed straight after")
    assert_accessible(page)


def test_choosing_a_target_role_shows_what_that_role_is_expected_to_show(page: Page) -> None:
    """Start against deputy medical director: the overview says what the role looks like, and each criterion says
    in words what a deputy medical director should be able to show, beside the suggested rating."""
    spec = parse(PERSON_SPEC.read_text())
    framework = _framework()
    ProfileFactory(user__email="aspiring@example.org")
    sign_in(page, "aspiring@example.org")
    page.goto("/self-assessment/new/")
    page.get_by_label(f"{framework.name} ({framework.version})").check()
    page.get_by_label("Deputy medical director").check()
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", name="Expected of a deputy medical director")).to_be_visible()
    expect(page.get_by_text(dict(spec.level_descriptions)["deputy_md"])).to_be_visible()
    page.get_by_role("link", name="Experience").click()
    exp3 = next(c for c in spec.criteria if c.code == "EXP-3")
    expected = page.locator(".app-expected").nth(2)
    expect(expected).to_contain_text("Expected of a deputy medical director: 3, Established")
    expect(expected).to_contain_text(dict(exp3.level_descriptions)["deputy_md"])
    expect(expected).to_be_visible()
    assert_accessible(page)


def test_a_completed_self_assessment_shows_answers_that_cannot_be_edited(page: Page) -> None:
    assessment = completed_assessment("finished@example.org")
    sign_in(page, "finished@example.org")
    page.goto(f"/self-assessment/{assessment.pk}/part/EXP/")
    expect(page.get_by_text("cannot change")).to_be_visible()
    expect(page.get_by_label("Your notes").first).to_be_disabled()
    expect(
        page.get_by_role("group", name="How would you rate yourself on EXP-1?").get_by_label("3: Established")
    ).to_be_checked()
    expect(page.get_by_role("button", name="Save and go back")).to_have_count(0)
    assert_accessible(page)


def _answer_as_rater(browser: Browser, base_url: str, link: str, rating: str, comment: str) -> None:
    """A colleague with no account opens the private link, rates every criterion and sends it."""
    context = prepare(browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for Amara Okafor")
    groups = page.get_by_role("group", name=re.compile("How would you rate them on"))
    for index in range(groups.count()):
        groups.nth(index).get_by_label(rating if index < 5 else "I can't say").check()
    page.get_by_label("Anything else you would like to say (optional)").fill(comment)
    page.get_by_role("button", name="Send your feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_text("Your feedback has been recorded anonymously")).to_be_visible()
    context.close()


def test_360_from_invitation_to_results(page: Page, browser: Browser, live_server: object) -> None:
    assessment = completed_assessment("owner.360@example.org")
    sign_in(page, "owner.360@example.org")
    page.goto(f"/self-assessment/{assessment.pk}/feedback/")
    # The closing date comes pre-filled three weeks ahead, in the form a date picker shows.
    closes = page.get_by_label("When should feedback close?")
    expect(closes).to_have_value((timezone.localdate() + timedelta(days=21)).isoformat())
    page.get_by_label(re.compile("A note to the people you ask")).fill("I am applying for deputy MD next year.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Feedback closes on")).to_be_visible()

    # A mistyped address is refused and kept for correcting.
    page.get_by_label("Their e-mail address").fill("peer.one@nhs")
    page.get_by_role("group", name="How do they work with you?").get_by_label("Peers").check()
    page.get_by_role("button", name="Send them a private link").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an e-mail address like name@nhs.net")
    expect(page.get_by_label("Their e-mail address")).to_have_value("peer.one@nhs")
    for address in ("peer.one@nhs.net", "peer.two@nhs.net", "peer.three@nhs.net", "peer.four@nhs.net"):
        page.get_by_label("Their e-mail address").fill(address)
        page.get_by_role("group", name="How do they work with you?").get_by_label("Peers").check()
        page.get_by_role("button", name="Send them a private link").click()
        expect(page.get_by_role("listitem").filter(has_text=address)).to_be_visible()
    assert_accessible(page)

    # Each rater's private link exists only in the e-mail they are sent.
    sent = rater_links_sent()
    links = [sent[f"peer.{n}@nhs.net"] for n in ("one", "two", "three", "four")]
    for link, rating, words in zip(
        links[:3],
        ["4: Ready for the role", "4: Ready for the role", "2: Developing"],
        ["Calm in a crisis", "Listens well", "Needs board time"],
        strict=True,
    ):
        _answer_as_rater(browser, str(live_server), link, rating, words)
    assert RaterInvitation.objects.filter(round__assessment=assessment, answered=True).count() == 3

    # The fourth answers, thinks again and withdraws through the same link before feedback closes.
    _answer_as_rater(browser, str(live_server), links[3], "3: Established", "Second thoughts")
    rater = prepare(browser.new_context(base_url=str(live_server)))
    rater_page = rater.new_page()
    rater_page.goto(links[3])
    expect(rater_page.get_by_role("heading", level=1)).to_have_text("You have given your feedback")
    assert_accessible(rater_page)
    rater_page.get_by_role("button", name="Withdraw my answer").click()
    expect(rater_page.get_by_role("heading", level=1)).to_have_text("Your answer is withdrawn")
    rater.close()
    assert RaterInvitation.objects.filter(round__assessment=assessment, answered=True).count() == 3

    # Nothing shows while answers are coming in; the person closes feedback early, and then everything does.
    page.goto(f"/self-assessment/{assessment.pk}/results/")
    expect(page.get_by_text(re.compile("show here once feedback closes"))).to_be_visible()
    expect(page.get_by_text("Calm in a crisis")).to_have_count(0)
    page.goto(f"/self-assessment/{assessment.pk}/feedback/")
    page.get_by_role("button", name="Close feedback now").click()
    expect(page.get_by_text(re.compile("Feedback closed"))).to_be_visible()
    page.goto(f"/self-assessment/{assessment.pk}/results/")
    expect(page.get_by_text("Peers: 3 answered")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Others")).to_be_visible()
    for words in ("Calm in a crisis", "Listens well", "Needs board time"):
        expect(page.get_by_text(words)).to_be_visible()
    assert_accessible(page)
