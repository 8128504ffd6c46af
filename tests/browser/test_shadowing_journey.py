"""Talk to someone in the role, in headless Chromium: a medical director offers a shadowing day through the form,
an aspiring leader finds it from the dashboard and asks, the medical director accepts with a date, and only then
does each see how to reach the other. Every page is checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.profiles.models import CareerRole
from apps.shadowing.models import ShadowingRequest
from tests.factories import ProfileFactory

from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_offer_a_request_an_acceptance_and_contact_details(page: Page) -> None:
    md = ProfileFactory(
        user__email="md.browser@example.org", career_role=CareerRole.MEDICAL_DIRECTOR, job_title="Medical Director"
    ).user
    aspiring = ProfileFactory(user__email="aspiring.browser@example.org").user

    # The medical director makes an offer through the form.
    sign_in(page, md.email)
    page.locator("main").get_by_role("link", name="Talk to someone in the role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talk to someone in the role")
    assert_accessible(page)
    page.get_by_role("link", name="Your offers, and requests to you").click()
    assert_accessible(page)
    page.get_by_role("link", name="Make an offer").click()
    page.get_by_label("A shadowing day").check()
    page.get_by_label("How many a year?").fill("500")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Anyone").check()
    page.get_by_role("button", name="Save your offer").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Offer no more than 50 a year")
    assert_accessible(page)
    page.get_by_label("How many a year?").fill("4")
    page.get_by_label("A short note (optional)").fill("Board day and the executive meeting.")
    page.get_by_role("button", name="Save your offer").click()
    expect(page.get_by_text("Your offer is listed.")).to_be_visible()
    assert_accessible(page)

    # The aspiring leader finds it, sees no address, and asks.
    page.context.clear_cookies()
    sign_in(page, aspiring.email)
    page.locator("main").get_by_role("link", name="Talk to someone in the role").click()
    expect(page.get_by_role("heading", name=f"A shadowing day with {md}")).to_be_visible()
    expect(page.get_by_text(md.email)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^Ask {re.escape(str(md))}")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send your request").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why you would like to")
    page.get_by_label("Why would you like to?").fill("I want to see a board day before I apply for deputy MD.")
    page.get_by_role("button", name="Send your request").click()
    expect(page.get_by_text(f"Your request is with {md}")).to_be_visible()
    expect(page.get_by_text(md.email)).to_have_count(0)
    assert_accessible(page)
    request = ShadowingRequest.objects.get()

    # The medical director accepts with a date, and sees how to reach the aspiring leader.
    page.context.clear_cookies()
    sign_in(page, md.email)
    page.get_by_role("link", name=re.compile("request to talk to you or shadow you waiting")).click()
    page.get_by_role("link", name=f"{aspiring} asks for a shadowing day").click()
    expect(page.get_by_text(aspiring.email)).to_have_count(0)
    assert_accessible(page)
    day = timezone.localdate() + timedelta(days=21)
    page.get_by_label("The date (optional)").fill(day.isoformat())
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text(re.compile("You said yes"))).to_be_visible()
    expect(page.get_by_role("link", name=aspiring.email)).to_be_visible()
    assert_accessible(page)

    # The aspiring leader now sees the medical director's address and the date.
    page.context.clear_cookies()
    sign_in(page, aspiring.email)
    page.goto(f"/talk-to-someone/requests/{request.pk}/")
    expect(page.get_by_role("heading", name=f"How to reach {md}")).to_be_visible()
    expect(page.get_by_role("link", name=md.email)).to_be_visible()
    expect(page.get_by_text(day.strftime("%-d %B %Y"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your requests").first.click()
    expect(page.get_by_role("cell", name=re.compile("Accepted"))).to_be_visible()
    assert_accessible(page)
