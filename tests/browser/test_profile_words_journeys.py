"""Issue 12 in headless Chromium: a person completes their profile without retyping what their organisation already
says, chooses an aim below deputy MD and finds the self-assessment and the plan aiming for it; reads criteria by
their titles; an organiser reads a round about "the mentee" while the mentee reads it to themself; and the
sign-in pages speak the portal's words with a real address to write to. Every page is checked with axe-core."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

from apps.accounts.models import Role
from apps.competencies.fileformat import parse
from apps.competencies.services import framework_load
from apps.mentoring.models import Proposal
from apps.organisations.models import Region, Sector
from apps.profiles.models import CareerAim, CareerRole, Profile
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory, grant
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor
from tests.support.outbox import send_outbox

from ..assessments.conftest import PERSON_SPEC
from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SKI_8 = "“Have strong interpersonal, negotiating and influencing skills"


def test_a_profile_takes_sector_and_region_from_the_organisation_and_names_every_missing_answer(page: Page) -> None:
    OrganisationFactory(
        name="Manchester Acute NHS Foundation Trust", sectors=["acute"], region=Region.objects.get(ods_code="Y62")
    )
    OrganisationFactory(name="Two Sector NHS Trust", sectors=["mental_health", "community"])
    UserFactory(email="new.lead@example.org", first_name="", last_name="")
    sign_in(page, "new.lead@example.org")
    page.goto("/profile/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete your profile")
    expect(
        page.get_by_text("Leave this blank to use your organisation's sector, if it works in only one.")
    ).to_be_visible()

    # Submitting with gaps: each missing answer is named in the summary, and what was typed stays.
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Job title").fill("Consultant Physician")
    page.get_by_role("button", name="Save your profile").click()
    summary = page.locator(".nhsuk-error-summary")
    for message in (
        "Enter your last name",
        "Choose your current role",
        "Choose your organisation",
        "Choose your next career aim",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary).not_to_contain_text("This field is required")
    expect(page.get_by_label("First name")).to_have_value("Priya")
    expect(page.get_by_label("Job title")).to_have_value("Consultant Physician")
    assert_accessible(page)
    # A link in the summary takes the person to the field.
    summary.get_by_role("link", name="Choose your organisation").click()
    expect(page.get_by_label("Organisation")).to_be_focused()

    # The aims now start below deputy MD. An organisation in two sectors cannot say which one is theirs.
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Current role").select_option(label="Consultant or GP")
    page.get_by_label("Organisation").select_option(label="Two Sector NHS Trust")
    page.get_by_label("NHS region").select_option(label="North West")
    page.get_by_label("Next career aim").select_option(label="Clinical director")
    page.get_by_role("button", name="Save your profile").click()
    expect(
        summary.get_by_role("link", name="Choose your sector: Two Sector NHS Trust works in more than one")
    ).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Shah")
    expect(page.get_by_label("Next career aim")).to_have_value(CareerAim.CLINICAL_DIRECTOR)
    assert_accessible(page)
    assert not Profile.objects.filter(user__email="new.lead@example.org", completed_at__isnull=False).exists()

    # The person's real employer gives both sector and region: left blank, they are taken from it.
    page.get_by_label("Organisation").select_option(label="Manchester Acute NHS Foundation Trust")
    page.get_by_label("NHS region").select_option(label="Your organisation's NHS region")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")
    expect(page.get_by_text("Your profile is complete.")).to_be_visible()
    assert_accessible(page)

    page.goto("/profile/")
    details = page.locator(".nhsuk-summary-list")
    expect(details).to_contain_text("Acute")
    expect(details).to_contain_text("North West")
    expect(details).to_contain_text("Clinical director")
    assert_accessible(page)
    profile = Profile.objects.get(user__email="new.lead@example.org")
    assert profile.sector == Sector.objects.get(code="acute") and profile.region.name == "North West"


def test_the_self_assessment_and_the_plan_aim_for_the_profiles_aim(page: Page) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    ProfileFactory(
        user__email="aiming@example.org",
        user__first_name="Sam",
        career_role=CareerRole.CLINICAL_DIRECTOR,
        career_aim=CareerAim.ASSOCIATE_MD,
    )
    sign_in(page, "aiming@example.org")

    page.goto("/self-assessment/new/")
    roles = page.get_by_role("group", name="Which role are you aiming for?")
    expect(roles.get_by_label("Associate medical director")).to_be_checked()
    assert_accessible(page)
    # Forgetting the framework keeps the role, and says what is missing.
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a framework")
    expect(roles.get_by_label("Associate medical director")).to_be_checked()
    assert_accessible(page)
    page.get_by_label(re.compile("^Medical director person specification")).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medical director person specification")
    expect(page.get_by_text("Self-assessment against associate medical director")).to_be_visible()
    assert_accessible(page)

    page.goto("/plans/")
    plan_roles = page.get_by_role("group", name="Which role are you aiming for?")
    expect(plan_roles.get_by_label("Associate medical director")).to_be_checked()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a name for your plan")
    expect(plan_roles.get_by_label("Associate medical director")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Name your plan").fill("Towards associate MD")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_text("Your plan is ready")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Towards associate MD")
    assert_accessible(page)


def test_a_goal_names_its_criteria_by_their_titles(page: Page) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    ProfileFactory(user__email="goals@example.org", user__first_name="Ola")
    sign_in(page, "goals@example.org")
    page.goto("/plans/")
    page.get_by_label("Name your plan").fill("Towards medical director")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("link", name=re.compile("Add a goal")).first.click()
    page.get_by_label("What do you want to achieve?").fill("Chair the quality sub-committee")
    page.get_by_label("How will you know you have done it?").fill("Chaired three meetings")
    page.get_by_label(re.compile("^SKI-8")).check()
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    goal_row = page.get_by_role("row").filter(has_text="Chair the quality sub-committee")
    expect(goal_row).to_contain_text(f"Develops {SKI_8}")
    expect(goal_row).to_contain_text("(SKI-8)")
    expect(goal_row).not_to_contain_text("Develops SKI-8")
    assert_accessible(page)


def test_an_organiser_reads_about_the_mentee_and_the_mentee_reads_to_themself(page: Page) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    organiser = ProfileFactory(user__email="organiser.words@example.org").user
    grant(organiser, Role.ORGANISER)
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md.words@example.org", capacity=1, expertise=("SKI-8",))
    request = scheme_mentee(scheme, "mentee.words@example.org", focus=["SKI-8"])

    sign_in(page, "organiser.words@example.org")
    page.goto(f"/mentoring/schemes/{scheme.pk}/")
    page.get_by_role("button", name="Run a match round").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Match round of")
    why = page.get_by_role("row").filter(has_text=str(request.mentee))
    expect(why).to_contain_text("helps with 1 of the mentee's 1 focus areas")
    expect(why).to_contain_text(SKI_8)
    expect(why).not_to_contain_text(re.compile(r"\byour?\b"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"Change the mentor of {re.escape(str(request.mentee))}")).click()
    expect(page.get_by_text(re.compile(f"with help on {re.escape(SKI_8)}"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("of your")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("button", name="Publish: send 1 proposal").click()
    expect(page.get_by_text("Published: 1 proposal sent.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "mentee.words@example.org")
    page.goto("/mentoring/")
    expect(page.get_by_text(re.compile("Why: helps with 1 of your 1 focus areas"))).to_be_visible()
    expect(page.get_by_text(re.compile("the mentee's"))).to_have_count(0)
    assert_accessible(page)
    assert Proposal.objects.get(request=request).explanation.startswith("helps with 1 of your 1 focus areas")


def test_the_sign_in_pages_speak_the_portals_words_and_give_an_address(page: Page) -> None:
    contact = settings.PORTAL_CONTACT_EMAIL
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(page.get_by_text("Sign Up")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Email").first.fill("words@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase-17")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase-17")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(page.locator("main").get_by_role("link", name=contact)).to_have_attribute("href", f"mailto:{contact}")
    assert_accessible(page)
    send_outbox()  # as the worker does straight after the sign-up commits
    message = mail.outbox[-1]
    assert message.body.startswith("Hello from Stepping Up,") and "127.0.0.1" not in message.body.split("http")[0]

    page.goto("/account/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    page.get_by_label("Email").fill("words@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.locator("main").get_by_role("link", name=contact)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(re.compile("contact us", re.I))
    assert_accessible(page)

    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name=re.compile("Contact us"))).to_have_attribute("href", f"mailto:{contact}")
    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.locator("main").get_by_role("link", name=contact)).to_be_visible()
    assert_accessible(page)
