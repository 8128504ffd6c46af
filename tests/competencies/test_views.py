"""Browsing the frameworks."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

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


def test_the_framework_page_says_what_each_level_expects(owner: User, person_spec: object) -> None:
    spec = parse(PERSON_SPEC.read_text())
    body = signed_in(owner).get(reverse("competencies:detail", args=[person_spec.pk])).content.decode()  # type: ignore[attr-defined]
    # The ladder, once for the framework.
    assert "The levels" in body
    assert (
        '<dt class="nhsuk-summary-list__key">Deputy medical director</dt>\n'
        f'        <dd class="nhsuk-summary-list__value">{escape(dict(spec.level_descriptions)["deputy_md"])}</dd>'
    ) in body
    # Each criterion's expectations as a table with headers: level, expected point with its label, the words.
    assert body.count('<table class="nhsuk-table-responsive') == 22
    assert '<th scope="col" class="nhsuk-table__header">What to show</th>' in body
    assert "What is expected at each level for EXP-3" in body
    assert ">4: Ready for the role<" in body
    assert escape(dict(spec.criteria[2].level_descriptions)["medical_director"]) in body


def test_a_framework_without_words_has_no_column_for_them(owner: User) -> None:
    framework = framework_load(spec=parse(PERSON_SPEC.parent.joinpath("mlcf-2010.yaml").read_text())).framework
    body = signed_in(owner).get(reverse("competencies:detail", args=[framework.pk])).content.decode()
    assert "Expected rating" in body and "What to show" not in body
    assert "The levels" in body  # the framework still describes its levels


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
