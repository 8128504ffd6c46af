"""The organisation lead's pipeline and the regional view in headless Chromium: the lead opens the pipeline, opens
a person, sets their view of readiness (a wrong choice first), and sees it marked as not yet seen by them, on the
person's page and in the pipeline; an organiser opens the regional view and chooses a region. Every page checked
with axe-core, and the pipeline and regional pages on a 375 px phone."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role
from apps.organisations.models import Region
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Readiness, ShowChoice
from tests.factories import OrganisationFactory, ProfileFactory, grant
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


def test_the_lead_sets_their_view_and_sees_it_not_yet_seen(page: Page, phone: Page) -> None:
    trust = OrganisationFactory(name="Riverside NHS Foundation Trust")
    lead = make_lead(trust, ProfileFactory(user__email="lead.browser@example.org", organisation=trust).user)
    post = make_post(trust, title="Deputy medical director, quality", level=LeadershipLevel.DEPUTY_MD)
    asha = ProfileFactory(user__first_name="Asha", user__last_name="Patel").user
    make_candidacy(asha, trust, post, readiness=Readiness.ONE_TO_TWO_YEARS, show=ShowChoice.SUMMARY)
    make_candidacy(
        ProfileFactory(user__first_name="Ben", user__last_name="Okafor").user,
        trust,
        None,
        level=4,
        show=ShowChoice.NAME_ONLY,
        emergency_cover=True,
    )

    sign_in(page, lead.email)
    page.goto("/succession/pipeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Succession pipeline at Riverside NHS Foundation Trust")
    expect(page.get_by_role("heading", name="Deputy medical director, quality")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Asha Patel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Asha Patel")
    expect(page.get_by_text("Their readiness summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Save your view").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose ready now, ready in 1 to 2 years")
    assert_accessible(page)
    page.get_by_label("Ready now").check()
    page.get_by_label("A comment for them (optional)").fill("Ready for the board.")
    page.get_by_role("button", name="Save your view").click()
    expect(page.get_by_text("Your view is saved. Asha Patel is told")).to_be_visible()
    expect(page.get_by_text("Not yet seen by them", exact=True)).to_be_visible()
    assert_accessible(page)
    assert Candidacy.objects.get(person=asha).lead_readiness == Readiness.READY_NOW

    page.get_by_role("link", name="Your succession pipeline").first.click()
    expect(page.get_by_text("your view: not yet seen by them")).to_be_visible()
    assert_accessible(page)

    sign_in(phone, lead.email)
    phone.goto("/succession/pipeline/")
    expect(phone.get_by_text("your view: not yet seen by them")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)


def test_an_organiser_chooses_a_region(page: Page, phone: Page) -> None:
    organiser = ProfileFactory(user__email="organiser.browser@example.org").user
    grant(organiser, Role.ORGANISER)
    region = Region.objects.get(ods_code="Y60")
    for name in ("A", "B", "C"):
        trust = OrganisationFactory(name=f"{name} Trust", region=region)
        for i, readiness in enumerate([Readiness.READY_NOW] * 2 + [Readiness.ONE_TO_TWO_YEARS] * 2):
            make_candidacy(ProfileFactory().user, trust, make_post(trust, title=f"Deputy {i}"), readiness=readiness)

    sign_in(page, organiser.email)
    page.goto("/succession/pipeline/regional/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Succession across a region")
    assert_accessible(page)
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a region or an integrated care board.")
    assert_accessible(page)
    page.get_by_label("A region").select_option(label=region.name)
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", name=region.name)).to_be_visible()
    expect(page.get_by_role("cell", name="Someone ready now")).to_be_visible()
    assert_accessible(page)

    sign_in(phone, organiser.email)
    phone.goto(f"/succession/pipeline/regional/?region={region.pk}")
    expect(phone.get_by_role("heading", name=region.name)).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
