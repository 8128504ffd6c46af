"""Closing one's own account in Chromium: a wrong password first (a clear message, nothing changed), then the right
one, the confirmation page, and a sign-in that no longer works. Every page checked by axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, User
from tests.factories import PASSWORD, ProfileFactory, grant

from .conftest import assert_accessible
from .test_journeys import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "closing@example.org"


def sign_in(page: Page) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").first.fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()


def test_a_person_closes_their_account_after_mistyping_their_password(page: Page) -> None:
    ProfileFactory(user__email=EMAIL, user__first_name="Amara", user__last_name="Okafor")
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto("/account-and-security/")
    page.get_by_role("link", name="Close your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close your account")
    expect(page.get_by_role("heading", name="What is erased")).to_be_visible()
    expect(page.get_by_role("heading", name="What is kept for other people")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your password").fill("not-my-password-at-all")
    page.get_by_role("button", name="Close my account").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The password is not right. Your account has not been closed.")
    expect(page.get_by_label("Your password")).to_have_value("")  # a password is never sent back to the page
    assert_accessible(page)
    assert User.objects.filter(email=EMAIL).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is closed")
    assert_accessible(page)
    assert not User.objects.filter(email=EMAIL).exists()

    # Signed out, and the old password opens nothing.
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/account/login/"))
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_an_administrator_closes_an_account_on_request(page: Page) -> None:
    admin = ProfileFactory(user__email="admin.closes@example.org").user
    grant(admin, Role.ADMINISTRATOR)
    leaving = ProfileFactory(user__email="asked.to.leave@example.org").user
    sign_in_as(page, "admin.closes@example.org")
    page.goto("/people/")
    page.get_by_role("link", name=re.compile("Close account of asked.to.leave@example.org")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Close the account of")
    assert_accessible(page)
    page.get_by_role("button", name="Close their account").click()  # not confirmed: refused, nothing changed
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert User.objects.filter(pk=leaving.pk).exists()
    page.get_by_label("They asked us to close their account").check()
    page.get_by_role("button", name="Close their account").click()
    expect(page.get_by_text(re.compile("is closed. They have been sent an e-mail"))).to_be_visible()
    assert not User.objects.filter(pk=leaving.pk).exists()
