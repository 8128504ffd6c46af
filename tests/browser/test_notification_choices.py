"""Choosing which e-mails you get, as a person does it: each kind of reminder is a group of three radios (built in
Python since issue 20, `{% nhsuk_choices %}`); the person turns one off and moves another to the daily summary by
clicking the labels, saves, and sees the choices kept. Checked with axe-core and on a 375 px phone."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.notifications.models import NotificationPreference
from apps.notifications.selectors import preferences_for_user
from tests.factories import ProfileFactory

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


def test_a_person_turns_one_reminder_off_and_another_into_the_daily_summary(page: Page, phone: Page) -> None:
    person = ProfileFactory(user__email="choosy@example.org").user
    (first, mode), (second, other) = preferences_for_user(user=person)[:2]
    assert mode != "off" and other != "digest"  # each click below changes something

    sign_in(page, person.email)
    page.goto("/notifications/choices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose which e-mails you get")
    assert_accessible(page)
    first_group = page.get_by_role("group", name=re.compile(re.escape(first.label)))
    second_group = page.get_by_role("group", name=re.compile(re.escape(second.label)))
    expect(first_group.get_by_text(first.description)).to_be_visible()  # the hint, under the legend
    first_group.get_by_text("Off", exact=True).click()  # the label, as a person clicks it
    second_group.get_by_text("In a daily summary", exact=True).click()
    page.get_by_role("button", name="Save your choices").click()

    expect(page.get_by_text("Your e-mail choices are saved.")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(re.escape(first.label))).get_by_label("Off")).to_be_checked()
    expect(
        page.get_by_role("group", name=re.compile(re.escape(second.label))).get_by_label("In a daily summary")
    ).to_be_checked()
    chosen = dict(NotificationPreference.objects.filter(user=person).values_list("kind", "mode"))
    assert (chosen[first.code], chosen[second.code]) == ("off", "digest")
    assert_accessible(page)

    phone.context.add_cookies(page.context.cookies())
    phone.goto("/notifications/choices/")
    expect(phone.get_by_role("group", name=re.compile(re.escape(first.label))).get_by_label("Off")).to_be_checked()
    assert_fits_the_screen(phone)
