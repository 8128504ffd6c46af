"""An organisation lead's posts, as the lead works them: starting from one of seed 001's structures, adding a post
with a holder and a date it falls vacant, changing it, removing one that people stood forward for; and an
administrator granting the organisation lead role for one organisation. Every page is checked with axe-core, and
the posts list on a 375 px phone."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role, RoleGrant
from apps.succession.models import Candidacy, Post
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory
from tests.support.succession import make_candidacy, make_lead

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


def test_a_lead_starts_from_a_structure_then_adds_changes_and_removes_posts(page: Page, phone: Page) -> None:
    trust = OrganisationFactory(name="Northgate Mental Health NHS Foundation Trust")
    lead = make_lead(trust, ProfileFactory(organisation=trust, user__email="lead.posts@example.org").user)
    holder = ProfileFactory(organisation=trust, user__first_name="Ravi", user__last_name="Patel").user
    make_candidacy(holder, trust, None, level=2)  # the leads see him: he stands forward there
    falls_vacant = timezone.localdate() + timedelta(days=60)

    sign_in(page, lead.email)
    page.goto("/succession/organisation/posts/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Medical leadership posts at {trust.name}")
    expect(page.get_by_text(f"{trust.name} has no posts here yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="see the three structures in full").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Structures to start from")
    page.get_by_text("The source's own words for Example three: mental health trust").click()
    expect(page.get_by_text("2 deputy medical directors (one internal and one external focus - ICB)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Start from this structure.*Example three")).click()
    expect(page.get_by_text("8 posts are added from Example three: mental health trust.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Clinical director"))).to_be_visible()
    expect(page.locator("strong", has_text="Clinical director (5 of 5)")).to_be_visible()
    expect(page.get_by_text("external focus (the ICB)", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Start from this structure"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Add a post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add a post at {trust.name}")
    page.get_by_label("Title").fill("Associate medical director for quality")
    page.get_by_label("Level").select_option(label="Associate medical director")
    page.get_by_label("Portfolio (optional)").fill("quality")
    page.get_by_label("Programmed activities (optional)").fill("3")
    page.get_by_label("Who holds it, if they are on the portal (optional)").select_option(label="Ravi Patel")
    page.get_by_label("When it is expected to fall vacant (optional)").fill(falls_vacant.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save the post").click()
    expect(page.get_by_text("Associate medical director for quality is added")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Associate medical director for quality")
    expect(row).to_contain_text("Ravi Patel")
    expect(row).to_contain_text(f"{falls_vacant.day} {falls_vacant:%B %Y}")
    expect(row).to_contain_text("Within six months")
    assert_accessible(page)

    # A date in the past is refused with what was typed kept.
    row.get_by_role("link", name="Change Associate medical director for quality").click()
    page.get_by_label("Title").fill("Associate medical director, quality and safety")
    page.get_by_label("When it is expected to fall vacant (optional)").fill("2020-01-01")
    page.get_by_role("button", name="Save the post").click()
    expect(
        page.get_by_role("link", name="The date it is expected to fall vacant cannot be in the past")
    ).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Associate medical director, quality and safety")
    assert_accessible(page)
    page.get_by_label("When it is expected to fall vacant (optional)").fill("")
    page.get_by_role("button", name="Save the post").click()
    expect(page.get_by_text("Associate medical director, quality and safety is saved.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Associate medical director, quality and safety")
    expect(row).to_contain_text("Not expected")
    assert Post.objects.get(title="Associate medical director, quality and safety").holder == holder

    # Removing a post someone stood forward for: the lead is told they keep their place for the level.
    deputy = Post.objects.filter(organisation=trust, portfolio="internal focus").get()
    standing = make_candidacy(UserFactory(), trust, deputy)
    page.get_by_role("row").filter(has_text="internal focus").get_by_role("link", name=re.compile("^Remove")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Deputy medical director?")
    expect(page.get_by_text("1 person stands forward for this post")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove the post").click()
    expect(
        page.get_by_text(
            "Deputy medical director is removed. The person who stood forward for it still stands forward for "
            f"deputy medical director at {trust.name}."
        )
    ).to_be_visible()
    expect(page.get_by_text("internal focus")).to_have_count(0)
    assert Candidacy.objects.get(pk=standing.pk).post is None

    sign_in(phone, lead.email)
    phone.goto("/succession/organisation/posts/")
    expect(phone.locator("strong", has_text="Associate medical director, quality and safety")).to_be_visible()
    assert_fits_the_screen(phone)


def test_an_administrator_grants_organisation_lead_for_an_organisation(page: Page) -> None:
    OrganisationFactory(ods_code="RXT", name="Birmingham and Solihull Mental Health NHS Foundation Trust")
    administrator = ProfileFactory(user__email="admin.grants@example.org").user
    RoleGrant.objects.create(user=administrator, role=Role.ADMINISTRATOR, granted_at=timezone.now())
    person = ProfileFactory(user__email="future.lead@example.org").user

    sign_in(page, administrator.email)
    page.goto("/people/?q=future.lead")
    page.get_by_label(f"Role for {person.email}").select_option(label="Organisation lead")
    page.get_by_role("button", name=f"Grant role to {person.email}").click()
    expect(page.get_by_text("Enter the ODS code of the organisation they are to lead.")).to_be_visible()
    assert not RoleGrant.objects.filter(user=person).exists()

    page.get_by_label(f"Role for {person.email}").select_option(label="Organisation lead")
    page.get_by_label(re.compile("ODS code, for an organisation lead")).fill("zzz99")
    page.get_by_role("button", name=f"Grant role to {person.email}").click()
    expect(page.get_by_text("No organisation has the ODS code ZZZ99")).to_be_visible()
    assert_accessible(page)

    page.get_by_label(f"Role for {person.email}").select_option(label="Organisation lead")
    page.get_by_label(re.compile("ODS code, for an organisation lead")).fill("rxt")
    page.get_by_role("button", name=f"Grant role to {person.email}").click()
    expect(page.get_by_text("is now organisation lead for Birmingham and Solihull")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=person.email)
    expect(row).to_contain_text(
        "Organisation lead for Birmingham and Solihull Mental Health NHS Foundation Trust (RXT)"
    )
    assert_accessible(page)
    assert RoleGrant.objects.get(user=person).organisation.ods_code == "RXT"  # type: ignore[union-attr]
