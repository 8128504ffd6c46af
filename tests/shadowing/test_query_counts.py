"""The list of offers and "your requests" make the same few queries however many offers and requests there are."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.shadowing.models import ShadowingOffer
from tests.conftest import signed_in

from .support import accepted, ask, make_offer, person_in_role

pytestmark = pytest.mark.django_db


def offers(count: int, start: int = 0) -> list[ShadowingOffer]:
    return [make_offer(person_in_role(f"md{i}@example.org"), per_year=2) for i in range(start, start + count)]


def test_the_list_of_offers_makes_the_same_queries_as_it_grows(owner: User, django_assert_num_queries: object) -> None:
    for offer in offers(2):
        ask(offer, owner)
    client = signed_in(owner)
    client.get(reverse("shadowing:browse"))  # warm the session

    def count() -> str:
        # 1 session, 2 user, 3 the person's profile (their organisation decides who may be asked), 4 the offers
        # with their people, organisations, regions and places taken, 5 the regions of the filter; the header's
        # 6 roles and 7 unread reminders
        with django_assert_num_queries(7):  # type: ignore[operator]
            response = client.get(reverse("shadowing:browse"), {"kind": "shadowing"})
        return response.content.decode()

    assert count().count("A shadowing day with") == 2
    for offer in offers(6, start=2):
        ask(offer, person_in_role(f"other{offer.pk}@example.org", title="Clinical Director"))
    assert count().count("A shadowing day with") == 8


def test_your_requests_makes_the_same_queries_as_they_grow(owner: User, django_assert_num_queries: object) -> None:
    for offer in offers(2):
        accepted(offer, owner)
    client = signed_in(owner)
    client.get(reverse("shadowing:requests"))  # warm the session

    def count() -> str:
        # 1 session, 2 user, 3 the requests with their offers, both people and their profiles, and reflections;
        # the header's 4 roles and 5 unread reminders
        with django_assert_num_queries(5):  # type: ignore[operator]
            response = client.get(reverse("shadowing:requests"))
        return response.content.decode()

    assert count().count('<tr class="nhsuk-table__row">') == 3
    for offer in offers(6, start=2):
        ask(offer, owner)
    assert count().count('<tr class="nhsuk-table__row">') == 9
