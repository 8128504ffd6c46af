"""Signing in and up in the portal's own words: "Create an account" rather than "Sign Up", e-mails that greet
from Stepping Up rather than from a host name, and a real address wherever a page says to contact us."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.support.outbox import send_outbox

pytestmark = pytest.mark.django_db
STRONG = "a-long-and-unusual-passphrase-17"
CONTACT = "leadership.support@example.nhs.uk"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def text(html: str) -> str:
    """The words a person reads in the page's main part."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_sign_up_page_says_create_an_account(client: Client) -> None:
    html = client.get(reverse("account_signup")).content.decode()
    assert "<title>Create an account" in html
    assert '<h1 class="nhsuk-heading-l">Create an account</h1>' in html
    assert re.search(r"<button[^>]*>\s*Create an account\s*</button>", html)
    assert "Sign Up" not in html and "Signup" not in html


def test_the_sign_in_page_speaks_in_sentence_case(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert '<h1 class="nhsuk-heading-l">Sign in</h1>' in html
    assert "Sign In" not in html and "sign up" not in html.lower()
    assert f'href="{reverse("account_signup")}">Create an account</a>' in html


@override_settings(PORTAL_CONTACT_EMAIL=CONTACT)
@pytest.mark.parametrize(
    "name", ["account_reset_password", "account_reset_password_done", "account_email_verification_sent"]
)
def test_pages_that_say_contact_us_give_an_address(client: Client, name: str) -> None:
    html = client.get(reverse(name)).content.decode()
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
    assert "contact us" not in text(html).lower()


@override_settings(PORTAL_CONTACT_EMAIL=CONTACT)
@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy"])
def test_the_footer_and_the_accessibility_and_privacy_pages_give_the_address(client: Client, name: str) -> None:
    html = client.get(reverse(name)).content.decode()
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html  # in the page itself
    assert f'href="mailto:{CONTACT}">Contact us' in html  # in the footer


@override_settings(PORTAL_CONTACT_EMAIL=CONTACT)
def test_the_confirmation_email_greets_from_the_portal_not_the_host(client: Client) -> None:
    client.post(
        reverse("account_signup"), {"email": "new.doctor@example.org", "password1": STRONG, "password2": STRONG}
    )
    send_outbox()
    message = mail.outbox[-1]
    assert message.subject == "[Stepping Up] Confirm your e-mail address"
    assert message.body.startswith("Hello from Stepping Up,")
    assert "testserver" not in message.body.split("http")[0]  # no host name before the link
    assert re.search(r"https?://\S+/account/confirm-email/\S+/", message.body)
    assert f"If you need help, e-mail us at {CONTACT}." in message.body


def test_the_password_reset_email_greets_from_the_portal(client: Client) -> None:
    UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    send_outbox()
    message = mail.outbox[-1]
    assert message.subject == "[Stepping Up] Reset your password"
    assert message.body.startswith("Hello from Stepping Up,")
    assert "/account/password/reset/key/" in message.body
    assert "Hello from testserver" not in message.body and "example.com" not in message.body


def test_emails_about_unknown_and_existing_accounts_speak_plainly(client: Client) -> None:
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    send_outbox()
    unknown = mail.outbox[-1]
    assert unknown.subject == "[Stepping Up] There is no account with this address"
    assert "you can create an account here" in unknown.body and "sign up" not in unknown.body.lower()
    UserFactory(email="taken@example.org")
    client.post(reverse("account_signup"), {"email": "taken@example.org", "password1": STRONG, "password2": STRONG})
    send_outbox()
    existing = mail.outbox[-1]
    assert existing.subject == "[Stepping Up] You already have an account"
    assert existing.body.startswith("Hello from Stepping Up,") and "/account/password/reset/" in existing.body
