"""Putting yourself forward, as a person does it: choose an organisation, then a post, say how ready you are and
see the preview of what the leads would see; change it, say the readiness still holds, withdraw. Every page
reached is checked with axe-core, and the two steps and the page of candidacies fit a 375 px phone."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Readiness, ShowChoice
from tests.factories import OrganisationFactory, ProfileFactory, year_plan
from tests.support.succession import make_lead, make_post

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


def test_putting_yourself_forward_then_changing_confirming_and_withdrawing(page: Page, phone: Page) -> None:
    trust = OrganisationFactory(name="Northshire NHS Foundation Trust")
    make_lead(trust)
    make_post(trust, title="Associate medical director for quality", level=LeadershipLevel.ASSOCIATE_MD)
    person = ProfileFactory(user__email="aspiring.forward@example.org").user
    year_plan(person)

    sign_in(page, person.email)
    page.goto("/succession/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Succession: putting yourself forward")
    expect(page.locator("main")).to_contain_text("35 respondents had no plans")
    expect(page.locator("main")).to_contain_text("You do not stand forward anywhere at the moment.")
    assert_accessible(page)
    page.get_by_role("link", name="Put yourself forward").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Put yourself forward: choose an organisation")
    assert_accessible(page)
    page.get_by_label("Organisation").select_option(label="Northshire NHS Foundation Trust")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Put yourself forward at Northshire NHS Foundation Trust")
    main = page.locator("main")
    # The preview: exactly what the leads would see of the summary, here the current plan and nothing else yet.
    expect(main).to_contain_text("No completed self-assessment yet.")
    expect(main).to_contain_text("0 of 0 goals done")
    expect(main).to_contain_text("Never shown: notes, prompt answers, evidence, reflections")
    assert_accessible(page)
    page.get_by_label("Associate medical director for quality (associate medical director)").check()
    page.get_by_label("What do you aim for? (optional)").fill("Associate medical director for quality, then deputy.")
    page.get_by_label("In 1 to 2 years", exact=True).check()
    page.get_by_label("Ready in 1 to 2 years").check()
    page.get_by_label("I could act up at short notice").check()
    page.get_by_label(ShowChoice.SUMMARY.label).check()
    page.get_by_role("button", name="Put yourself forward").click()

    expect(
        page.get_by_text("You stand forward at Northshire NHS Foundation Trust. Its leads can see it now.")
    ).to_be_visible()
    card = page.locator(".nhsuk-card").filter(has_text="Associate medical director for quality at Northshire")
    expect(card).to_contain_text("Ready in 1 to 2 years")
    expect(card).to_contain_text("You could")
    expect(page.get_by_role("heading", name="Your readiness summary, as the leads see it")).to_be_visible()
    assert_accessible(page)
    candidacy = Candidacy.objects.get(person=person)
    assert (candidacy.level, candidacy.emergency_cover) == (LeadershipLevel.ASSOCIATE_MD, True)

    card.get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change what you said")
    assert_accessible(page)
    page.get_by_label("Ready now", exact=True).check()
    page.get_by_label(ShowChoice.NAME_ONLY.label).check()
    page.get_by_role("button", name="Save your changes").click()
    expect(page.get_by_text("Your changes are saved. The leads see them now.")).to_be_visible()
    card = page.locator(".nhsuk-card").filter(has_text="Associate medical director for quality at Northshire")
    expect(card).to_contain_text("Ready now")
    expect(card).to_contain_text(ShowChoice.NAME_ONLY.label)
    expect(page.get_by_role("heading", name="Your readiness summary, as the leads see it")).to_have_count(0)
    candidacy.refresh_from_db()
    assert (candidacy.readiness, candidacy.show) == (Readiness.READY_NOW, ShowChoice.NAME_ONLY)

    card.get_by_role("button", name="My readiness still holds").click()
    expect(page.get_by_text("Thank you: your readiness still holds.")).to_be_visible()
    assert_accessible(page)

    sign_in(phone, person.email)
    for path in ("/succession/", "/succession/forward/", f"/succession/forward/?organisation={trust.pk}"):
        phone.goto(path)
        assert_fits_the_screen(phone)

    page.locator(".nhsuk-card").get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw from Northshire NHS Foundation Trust?")
    expect(page.locator("main")).to_contain_text("these go at once")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw").click()
    expect(
        page.get_by_text("You have withdrawn. Northshire NHS Foundation Trust's leads no longer see anything of it.")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("You do not stand forward anywhere at the moment.")
    assert_accessible(page)
    assert not Candidacy.objects.filter(person=person).exists()


def test_a_mistake_is_shown_and_what_was_typed_is_kept(page: Page) -> None:
    trust = OrganisationFactory(name="Southshire NHS Trust")
    make_lead(trust)
    person = ProfileFactory(user__email="aspiring.mistake@example.org").user

    sign_in(page, person.email)
    page.goto(f"/succession/forward/?organisation={trust.pk}")
    page.get_by_label("What do you aim for? (optional)").fill("Medical director one day.")
    page.get_by_role("button", name="Put yourself forward").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose how ready you are")
    expect(page.get_by_label("What do you aim for? (optional)")).to_have_value("Medical director one day.")
    assert_accessible(page)
    page.get_by_label("Any medical director post, or one to come").check()
    page.get_by_label("Not sure yet").check()
    page.get_by_label("Ready in 3 to 5 years").check()
    page.get_by_label(ShowChoice.NAME_ONLY.label).check()
    page.get_by_role("button", name="Put yourself forward").click()
    expect(page.get_by_text("You stand forward at Southshire NHS Trust.")).to_be_visible()
    expect(page.locator(".nhsuk-card")).to_contain_text("Medical director (any post) at Southshire NHS Trust")
    assert Candidacy.objects.get(person=person).level == LeadershipLevel.MEDICAL_DIRECTOR
