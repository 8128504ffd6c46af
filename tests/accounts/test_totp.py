"""Authenticator-app codes with the clock frozen: a code typed at the end of its 30 seconds still works when it
arrives in the next step, one from two steps ago does not, and a code once used never works again while it would
still be accepted, at sign-in or when confirming who you are before a sensitive change."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PERIOD = 30
# Two seconds into a 30-second step: the step before ended two seconds ago.
STEP_START = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
NOW = STEP_START + timedelta(seconds=2)
STEP = int(STEP_START.timestamp()) // PERIOD


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # rate limits and used codes


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def secret() -> str:
    return generate_totp_secret()


@pytest.fixture
def person(secret: str) -> User:
    user = UserFactory(email="mfa@example.org")
    TOTP.activate(user, secret)
    return user


def code(secret: str, step: int) -> str:
    return format_hotp_value(hotp_value(secret, step))


def at_code_prompt(person: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("core:dashboard")).status_code == 200


def test_settings_accept_one_step_either_side() -> None:
    assert settings.MFA_TOTP_TOLERANCE == 1


def test_a_code_of_the_previous_30_seconds_is_accepted(clock: object, secret: str, person: User) -> None:
    client = at_code_prompt(person)
    response = client.post(reverse("mfa_authenticate"), {"code": code(secret, STEP - 1)})
    assert response.status_code == 302
    assert signed_in(client)


def test_the_current_code_is_accepted(clock: object, secret: str, person: User) -> None:
    client = at_code_prompt(person)
    assert client.post(reverse("mfa_authenticate"), {"code": code(secret, STEP)}).status_code == 302
    assert signed_in(client)


def test_a_code_from_two_steps_ago_is_refused(clock: object, secret: str, person: User) -> None:
    client = at_code_prompt(person)
    response = client.post(reverse("mfa_authenticate"), {"code": code(secret, STEP - 2)})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(client)


def test_a_used_code_is_refused_for_as_long_as_it_would_be_accepted(
    clock: time_machine.Traveller, secret: str, person: User
) -> None:
    used = code(secret, STEP)
    first = at_code_prompt(person)
    assert first.post(reverse("mfa_authenticate"), {"code": used}).status_code == 302

    # At once (allauth's own check), then 31 seconds on, in the next step, where the tolerance would still accept
    # it: allauth forgets a used code after one period, these forms remember it for all three.
    for later in (timedelta(seconds=1), timedelta(seconds=31), timedelta(seconds=57)):
        clock.move_to(NOW + later)
        replay = at_code_prompt(person)
        response = replay.post(reverse("mfa_authenticate"), {"code": used})
        assert "Incorrect code" in response.content.decode(), later
        assert not signed_in(replay)

    # A fresh code still works.
    fresh = at_code_prompt(person)
    assert fresh.post(reverse("mfa_authenticate"), {"code": code(secret, STEP + 2)}).status_code == 302


def test_a_code_used_to_sign_in_cannot_confirm_a_sensitive_change(
    clock: time_machine.Traveller, secret: str, person: User
) -> None:
    client = at_code_prompt(person)
    used = code(secret, STEP)
    client.post(reverse("mfa_authenticate"), {"code": used})
    clock.move_to(NOW + timedelta(seconds=31))
    response = client.post(reverse("mfa_reauthenticate"), {"code": used})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    response = client.post(reverse("mfa_reauthenticate"), {"code": code(secret, STEP + 1)})
    assert response.status_code == 302
