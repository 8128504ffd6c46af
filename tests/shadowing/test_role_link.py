"""Each offer on the list links to the explorer's profile of the offerer's rung, found in the list's one query."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.careers.selectors import shipped_roles
from apps.careers.services.profiles import role_profiles_load
from tests.conftest import signed_in

from .support import make_offer, person_in_role

pytestmark = pytest.mark.django_db


def test_an_offer_links_to_what_the_role_at_its_level_is_like(owner: User) -> None:
    role_profiles_load(specs=shipped_roles(), update=False, now=timezone.now())
    offer = make_offer(person_in_role("md@example.org"))
    assert offer.level == 5
    html = signed_in(owner).get(reverse("shadowing:browse")).content.decode()
    assert f'href="{reverse("careers:role", args=["medical-director"])}">What this role is like' in html


def test_an_offer_without_a_profile_for_its_level_has_no_link(owner: User) -> None:
    make_offer(person_in_role("md@example.org"))  # no role profiles loaded
    html = signed_in(owner).get(reverse("shadowing:browse")).content.decode()
    assert "A shadowing day with" in html and "What this role is like" not in html
