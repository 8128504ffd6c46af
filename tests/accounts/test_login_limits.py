"""Sign-in limits stop guessing one account and spraying many from one address, without locking out a trust whose
staff all sign in from one NAT address on a busy morning."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TRUST_NAT = "10.20.30.40"  # a made-up address, used only as REMOTE_ADDR in the test client


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def sign_in(email: str, password: str = PASSWORD) -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=TRUST_NAT)
    page = client.post(reverse("account_login"), {"login": email, "password": password}, follow=True)
    return client, page.content.decode()


def test_a_hundred_colleagues_behind_one_address_all_sign_in() -> None:
    people = [UserFactory(email=f"doctor{i}@trust.example") for i in range(100)]
    for person in people:
        client, _ = sign_in(person.email)
        assert client.get(reverse("core:dashboard")).status_code == 200, person.email


def test_a_few_typos_behind_one_address_lock_nobody_else_out() -> None:
    typists = [UserFactory(email=f"typo{i}@trust.example") for i in range(12)]
    for person in typists:
        sign_in(person.email, "wrong-password")
    colleague = UserFactory(email="colleague@trust.example")
    client, _ = sign_in(colleague.email)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_guessing_one_account_is_stopped_even_with_the_right_password_next() -> None:
    target = UserFactory(email="target@trust.example")
    for _ in range(5):
        sign_in(target.email, "guess")
    client, page = sign_in(target.email)
    assert "Too many failed login attempts" in page
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_spraying_many_accounts_from_one_address_is_stopped() -> None:
    """Sixty wrong passwords in a minute across sixty accounts: the address is paused (a trust's staff make nowhere
    near that many typos a minute), while the same people elsewhere are unaffected."""
    for i in range(60):
        _, page = sign_in(f"sprayed{i}@trust.example", "Summer2026!")
        assert "Too many failed login attempts" not in page
    _, page = sign_in("sprayed60@trust.example", "Summer2026!")
    assert "Too many failed login attempts" in page
    elsewhere = Client(REMOTE_ADDR="10.99.0.1")
    real = UserFactory(email="real@trust.example")
    elsewhere.post(reverse("account_login"), {"login": real.email, "password": PASSWORD})
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200
