"""Key journeys in headless Chromium, with every page checked by axe-core."""

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.accounts.models import Role
from apps.assessments.feedback import feedback_round_open, rater_invite
from apps.assessments.services import assessment_start
from apps.competencies.fileformat import parse
from apps.competencies.services import framework_load
from apps.development.services import plan_create
from apps.notifications.emails import unsubscribe_token
from apps.notifications.services import schedule
from apps.profiles.models import Profile
from tests.factories import PASSWORD, OrganisationFactory, ProfileFactory, grant
from tests.support.outbox import send_outbox
from tests.support.rater_links import rater_links_sent

from ..assessments.conftest import PERSON_SPEC
from .conftest import assert_accessible, prepare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_complete_profile_reach_dashboard(page: Page) -> None:
    OrganisationFactory(name="Birmingham and Solihull Mental Health NHS Foundation Trust", ods_code="RXT")

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").first.click()
    assert_accessible(page)

    page.get_by_label("Email").first.fill("new.leader@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase-17")
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password|Repeat password", re.I)).fill(
        "a-long-and-unusual-passphrase-17"
    )
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Verify|Check|confirm", re.I))
    assert_accessible(page)

    send_outbox()  # as the worker does straight after the sign-up commits
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body)
    assert link
    page.goto(link.group(0))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Complete your profile")
    assert_accessible(page)
    # Submitting with gaps shows the error summary, keeps what was typed and is itself accessible.
    page.get_by_label("First name").fill("Amara")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Amara")
    assert_accessible(page)

    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Current role").select_option(label="Clinical director")
    page.get_by_label("Organisation").select_option(label="Birmingham and Solihull Mental Health NHS Foundation Trust")
    page.get_by_label("Sector").select_option(label="Mental health")
    page.get_by_label("Region").select_option(label="Midlands")
    page.get_by_label("Next career aim").select_option(label="Medical director or chief medical officer")
    page.get_by_role("button", name="Save your profile").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amara")
    expect(page.get_by_text("Your profile is complete.")).to_be_visible()
    assert_accessible(page)
    assert Profile.objects.get(user__email="new.leader@example.org").is_complete

    # Two-factor authentication, as a person with an authenticator app would set it up: a wrong code first.
    page.goto("/account/2fa/totp/activate/")
    # Changing security settings asks for the password again first.
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Confirm|password|Re-?authenticate", re.I))
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase-17")
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Authenticator code|Code", re.I)).fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(re.compile("Authenticator code|Code", re.I)).fill(code)
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#authenticator_secret")).to_have_count(0)
    assert Authenticator.objects.filter(user__email="new.leader@example.org", type="totp").exists()
    page.goto("/dashboard/")
    expect(page.locator("#task-mfa-status")).to_have_text("Completed")


def sign_in(page: Page, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


PAGES_FOR_EVERYONE = [
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
    "/accessibility/",
    "/privacy/",
    "/no-such-page/",
]
PAGES_FOR_AN_ADMINISTRATOR = [
    "/dashboard/",
    "/profile/",
    "/profile/edit/",
    "/profile/diversity/",
    "/account-and-security/",
    "/account/email/",
    "/account/password/change/",
    "/account/2fa/",
    "/account/2fa/totp/activate/",
    "/account/sessions/",
    "/overview/",
    "/people/",
    "/organisations/",
    "/notifications/",
    "/notifications/choices/",
    "/notifications/failed/",
]


def test_every_page_passes_axe(page: Page) -> None:
    for path in PAGES_FOR_EVERYONE:
        page.goto(path)
        assert_accessible(page)
    user = ProfileFactory(user__email="admin.browser@example.org").user
    grant(user, Role.ADMINISTRATOR)
    grant(user, Role.MENTOR)
    schedule(
        recipient=user,
        kind="goal_overdue",
        due_at=timezone.now(),
        dedupe_key="goal:1:overdue",
        context={"goal_title": "Chair a board sub-committee", "due_on": "2026-11-01", "url": "/profile/"},
    )
    token = unsubscribe_token(user_id=user.pk, email="", kind="goal_overdue")
    page.goto(f"/notifications/unsubscribe/{token}/")
    assert_accessible(page)
    sign_in(page, "admin.browser@example.org")
    framework = framework_load(spec=parse(PERSON_SPEC.read_text())).framework
    assessment = assessment_start(owner=user, framework=framework, target_level=5, now=timezone.now())
    feedback_round = feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=20), message="", now=timezone.now()
    )
    rater_invite(feedback_round=feedback_round, email="peer@nhs.net", category="peer", now=timezone.now())
    rater_link = rater_links_sent()["peer@nhs.net"]
    first = framework.criteria.get(code="EXP-1")
    plan = plan_create(
        owner=user,
        title="Towards MD",
        target_level=5,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=365),
        now=timezone.now(),
    )
    assessment_pages = [
        f"/self-assessment/{assessment.pk}/feedback/",
        rater_link,
        f"/self-assessment/{assessment.pk}/evidence/{first.pk}/add/",
        "/self-assessment/",
        "/self-assessment/new/",
        f"/self-assessment/{assessment.pk}/",
        f"/self-assessment/{assessment.pk}/part/SKI/",
        f"/self-assessment/{assessment.pk}/results/",
        "/frameworks/",
        f"/frameworks/{framework.pk}/",
        f"/self-assessment/{assessment.pk}/sharing/",
        "/self-assessment/shared-with-me/",
        "/profile/who-has-seen-my-records/",
        "/plans/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/goals/new/",
        f"/plans/{plan.pk}/activities/new/",
        f"/plans/{plan.pk}/reflections/new/",
        f"/plans/{plan.pk}/evidence/new/",
        f"/plans/{plan.pk}/sharing/",
        "/plans/shared-with-me/",
        "/mentoring/",
        "/mentoring/request/",
        "/mentoring/offer/",
    ]
    for path in PAGES_FOR_AN_ADMINISTRATOR + assessment_pages:
        page.goto(path)
        assert page.url.endswith(path) or "reauthenticate" in page.url, page.url
        assert_accessible(page)


def test_pages_work_on_a_phone_and_by_keyboard(browser: object, live_server: object) -> None:
    context = prepare(
        browser.new_context(base_url=str(live_server), viewport={"width": 375, "height": 740}, is_mobile=True)  # type: ignore[attr-defined]
    )
    page = context.new_page()
    page.goto("/")
    # The first Tab reaches the skip link, which takes keyboard users past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    # Waits for it: the fragment reaches page.url a moment after the key press (asserting at once was a flake).
    expect(page).to_have_url(re.compile("#maincontent$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    context.close()


def test_self_assessment_saves_as_you_go(page: Page) -> None:
    """Rate a criterion and type a note: htmx saves without a submit, and a reload shows both."""
    user = ProfileFactory(user__email="rater.self@example.org").user
    framework = framework_load(spec=parse(PERSON_SPEC.read_text())).framework
    assessment = assessment_start(owner=user, framework=framework, target_level=5, now=timezone.now())
    sign_in(page, "rater.self@example.org")
    page.goto(f"/self-assessment/{assessment.pk}/part/EXP/")
    page.get_by_role("group", name="How would you rate yourself on EXP-1?").get_by_label("3: Established").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_label("Your notes").first.fill("Led the crisis pathway redesign across three trusts")
    page.get_by_label("Your notes").first.blur()
    page.wait_for_timeout(600)
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.reload()
    expect(
        page.get_by_role("group", name="How would you rate yourself on EXP-1?").get_by_label("3: Established")
    ).to_be_checked()
    expect(page.get_by_label("Your notes").first).to_have_value("Led the crisis pathway redesign across three trusts")
    assert_accessible(page)
