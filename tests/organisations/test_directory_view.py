"""The administrator's organisation directory."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.conftest import signed_in
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_administrator_searches_the_directory(administrator: User) -> None:
    OrganisationFactory(name="Tees, Esk and Wear Valleys NHS Foundation Trust", ods_code="RX3")
    OrganisationFactory(name="Closed Old Trust", ods_code="ZZC", closed_on="2020-03-31", opened_on="2001-04-01")
    client = signed_in(administrator)
    body = client.get(reverse("organisations:list"), {"q": "rx3"}).content.decode()
    assert "Tees, Esk and Wear Valleys" in body
    assert "Closed Old Trust" not in client.get(reverse("organisations:list")).content.decode()
    assert "Closed Old Trust" in client.get(reverse("organisations:list"), {"closed": "on"}).content.decode()


def test_directory_is_refused_to_members_and_organisers(owner: User, organiser: User, client: Client) -> None:
    assert signed_in(owner).get(reverse("organisations:list")).status_code == 403
    assert signed_in(organiser).get(reverse("organisations:list")).status_code == 403
    assert client.get(reverse("organisations:list")).status_code == 302


def test_directory_query_count_is_constant(administrator: User, django_assert_num_queries: object) -> None:
    OrganisationFactory.create_batch(60)
    client = signed_in(administrator)
    client.get(reverse("organisations:list"))
    # 1. the session  2. the user  3. roles  4. the count of open organisations  5. unread notifications
    # 6. the page of organisations, with their regions  7. their sectors
    with django_assert_num_queries(7):  # type: ignore[operator]
        assert client.get(reverse("organisations:list"), {"page": "2"}).status_code == 200


def test_a_silly_page_number_shows_the_last_page(administrator: User) -> None:
    assert signed_in(administrator).get(reverse("organisations:list"), {"page": "abc"}).status_code == 200
