"""The career explorer's other forms as people use them: the choice to count one's history in the anonymous routes,
the "Is now the right time?" answers saved and then added to a development plan, and an administrator's new version
of a role profile. Each page checked with axe-core, and the history page on a 375 px phone."""

import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.careers.models import RightTimeReflection, RoutesConsent
from apps.careers.services.figures import next_month_start
from apps.development.models import Reflection
from tests.factories import ProfileFactory, grant, year_plan

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


def test_a_person_chooses_to_count_their_history_on_a_phone(phone: Page) -> None:
    user = ProfileFactory(user__email="counter@example.org").user
    sign_in(phone, "counter@example.org")

    phone.goto("/careers/my-history/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your role history")
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    choice = phone.get_by_role("group", name=re.compile("Count my history in the portal's anonymous routes"))
    expect(choice.get_by_label("No, keep my history out of them")).to_be_checked()
    choice.get_by_label("Yes, count my history").check()
    phone.get_by_role("button", name="Save my choice").click()

    starting = f"{next_month_start(timezone.now()):%-d %B %Y}"
    expect(
        phone.get_by_text(
            f"Your history will count in the anonymous routes when they are next worked out: on "
            f"{starting} at the earliest"
        )
    ).to_be_visible()
    expect(phone.locator("main").get_by_text("counted", exact=True)).to_be_visible()
    expect(phone.get_by_label("Yes, count my history")).to_be_checked()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    assert RoutesConsent.objects.get(owner=user).counted


def test_a_person_answers_is_now_the_right_time_and_adds_it_to_their_plan(page: Page) -> None:
    user = ProfileFactory(user__email="deciding@example.org").user
    plan = year_plan(user, title="Towards medical director")
    sign_in(page, "deciding@example.org")

    page.goto("/careers/right-time/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is now the right time?")
    expect(page.get_by_role("button", name="Add to the plan")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("What attracts you to the role?").fill("Improving the culture of the whole trust.")
    page.get_by_label("Do you have the right experience?").fill("Three years as clinical director.")
    page.get_by_label("Is now the right time?").fill("Yes: the service is stable.")
    page.get_by_label("Do you have support?").fill("My coach and my family.")
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_text("Your answers are saved. Only you can see them.")).to_be_visible()
    expect(page.get_by_label("What attracts you to the role?")).to_have_value(
        "Improving the culture of the whole trust."
    )
    expect(page.get_by_label("Do you have the right experience?")).to_have_value("Three years as clinical director.")
    expect(page.get_by_label("Is now the right time?")).to_have_value("Yes: the service is stable.")
    expect(page.get_by_label("Do you have support?")).to_have_value("My coach and my family.")
    assert_accessible(page)
    assert RightTimeReflection.objects.filter(owner=user).exists()

    page.get_by_role("group", name="Which development plan?").get_by_label("Towards medical director").check()
    page.get_by_role("button", name="Add to the plan").click()
    expect(
        page.get_by_text("Your answers are in your plan “Towards medical director” as a reflection.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Towards medical director")
    expect(page.get_by_role("heading", name="Is now the right time?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("My coach and my family.")
    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert_accessible(page)
    assert Reflection.objects.filter(plan=plan, title="Is now the right time?").count() == 1


def test_an_administrator_edits_a_role_profile_and_sees_the_new_version(page: Page) -> None:
    call_command("load_role_profiles", verbosity=0)
    admin = ProfileFactory(user__email="roles.admin@example.org").user
    grant(admin, Role.ADMINISTRATOR)
    sign_in(page, "roles.admin@example.org")

    page.goto("/careers/roles/clinical-director/")
    expect(page.get_by_text(re.compile(r"Version 1,"))).to_be_visible()
    page.get_by_role("link", name="Edit this profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Clinical director”")
    assert_accessible(page)
    summary = "Leads a clinical directorate: its quality, its people and its money, with the general manager."
    page.get_by_label("What the role does").fill(summary)
    page.get_by_role("button", name="Save a new version").click()

    expect(page.get_by_text("Saved as version 2. The earlier versions are kept.")).to_be_visible()
    expect(page.get_by_text(summary)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Version 2,"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Earlier versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions of “Clinical director”")
    newest = page.get_by_role("row").filter(has_text="2 (shown)")
    expect(newest).to_contain_text(admin.full_name)
    expect(page.get_by_role("row").filter(has_text="Loaded from the data file")).to_have_count(1)
    assert_accessible(page)
