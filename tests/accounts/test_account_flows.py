"""Sign-up with mandatory e-mail verification, sign-in with TOTP, password reset, rate limits, sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.outbox import send_outbox

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-17"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def sign_up(client: Client, email: str = "new.doctor@example.org", password: str = STRONG) -> object:
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def confirmation_path() -> str:
    send_outbox()
    match = re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_sign_up_verify_and_complete_profile(client: Client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    send_outbox()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.doctor@example.org"]
    # Not signed in until the address is verified.
    assert client.get(reverse("core:dashboard")).status_code == 302

    path = confirmation_path()
    assert client.get(path).status_code == 200
    response = client.post(path)

    assert response.status_code == 302
    assert response.url == reverse("profiles:edit")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_sign_in_is_refused_until_the_address_is_verified(client: Client) -> None:
    sign_up(client)
    other = Client()
    response = other.post(reverse("account_login"), {"login": "new.doctor@example.org", "password": STRONG})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert other.get(reverse("core:dashboard")).status_code == 302


def test_duplicate_email_creates_no_second_account(client: Client) -> None:
    UserFactory(email="taken@example.org")
    sign_up(client, email="TAKEN@example.org")
    # allauth does not reveal that the address is taken (enumeration): it mails the owner instead.
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_weak_password_is_refused_with_a_message(client: Client) -> None:
    response = sign_up(client, password="password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "too common" in body or "too short" in body
    assert 'value="new.doctor@example.org"' in body  # what was typed is kept
    assert not User.objects.exists()


def test_expired_verification_link_is_refused(client: Client) -> None:
    sign_up(client)
    path = confirmation_path()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        shown = client.get(path)
        posted = client.post(path)
    assert "expired or is invalid" in shown.content.decode()
    assert posted.status_code == 404
    assert not User.objects.get().emailaddress_set.get().verified


def test_tampered_verification_link_is_refused(client: Client) -> None:
    sign_up(client)
    path = confirmation_path().replace(":", "x", 1)
    assert "expired or is invalid" in client.get(path).content.decode()
    assert client.post(path).status_code == 404
    assert not User.objects.get().emailaddress_set.get().verified


def test_reused_verification_link_changes_nothing(client: Client) -> None:
    sign_up(client)
    path = confirmation_path()
    client.post(path)
    second = Client().post(path)
    assert second.status_code in (200, 302, 404)
    assert User.objects.get().emailaddress_set.filter(verified=True).count() == 1


def test_sign_in_with_totp_refuses_a_wrong_code_and_accepts_the_right_one(client: Client) -> None:
    user = UserFactory(email="mfa@example.org")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = client.post(reverse("account_login"), {"login": "mfa@example.org", "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302

    counter = int(timezone.now().timestamp()) // 30
    response = client.post(reverse("mfa_authenticate"), {"code": format_hotp_value(hotp_value(secret, counter))})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_recovery_codes_are_offered_with_totp() -> None:
    assert Authenticator.Type.RECOVERY_CODES in [t for t, _ in Authenticator.Type.choices]


def test_repeated_failed_sign_ins_are_rate_limited(client: Client) -> None:
    UserFactory(email="target@example.org")
    for _ in range(6):
        response = client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
    assert "Too many failed login attempts" in response.content.decode()
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()  # the right password waits too
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_password_reset_mail_and_unknown_address(client: Client) -> None:
    UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    send_outbox()
    recipients = [m.to[0] for m in mail.outbox]
    assert "forgot@example.org" in recipients
    # An unknown address gets a note, not a reset link, and the page looks the same (no enumeration).
    unknown = [m for m in mail.outbox if m.to == ["nobody@example.org"]]
    assert all("password/reset/key" not in m.body for m in unknown)


def test_sign_out_everywhere_ends_other_sessions() -> None:
    user = UserFactory(email="many@example.org")
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("account_login"), {"login": "many@example.org", "password": PASSWORD})
        assert device.get(reverse("core:dashboard")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 2

    response = laptop.post(reverse("usersessions_list"), {"action": "sign_out_other"})
    assert response.status_code in (200, 302)
    assert laptop.get(reverse("core:dashboard")).status_code == 200
    assert phone.get(reverse("core:dashboard")).status_code == 302
