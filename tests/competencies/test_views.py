"""Browsing the frameworks."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.competencies.fileformat import parse
from apps.competencies.services import framework_load
from tests.conftest import signed_in

from .test_fileformat import PERSON_SPEC

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_spec() -> object:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework


def test_members_browse_a_framework_with_its_prompts(owner: User, person_spec: object) -> None:
    client = signed_in(owner)
    assert "Medical director person specification" in client.get(reverse("competencies:list")).content.decode()
    body = client.get(reverse("competencies:detail", args=[person_spec.pk])).content.decode()  # type: ignore[attr-defined]
    assert "Can you show you have led change and improvement projects" in body
    assert "Skills and competencies" in body and "Medical leadership" in body


def test_an_unknown_framework_is_404(owner: User) -> None:
    assert signed_in(owner).get(reverse("competencies:detail", args=[999999])).status_code == 404


def test_frameworks_need_sign_in(client: Client, person_spec: object) -> None:
    assert client.get(reverse("competencies:list")).status_code == 302
    assert client.get(reverse("competencies:detail", args=[person_spec.pk])).status_code == 302  # type: ignore[attr-defined]


def test_detail_query_count_is_constant(owner: User, person_spec: object, django_assert_num_queries: object) -> None:
    client = signed_in(owner)
    url = reverse("competencies:detail", args=[person_spec.pk])  # type: ignore[attr-defined]
    client.get(url)
    # 1. the session  2. the user  3. the framework  4. its scale  5. groups  6. criteria  7. prompts
    # 8. expectations  9. roles and 10. unread count for the layout
    with django_assert_num_queries(10):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_wrong_method(owner: User) -> None:
    assert signed_in(owner).post(reverse("competencies:list")).status_code == 405
