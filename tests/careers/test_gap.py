"""My gap to the next rung: the criteria of the latest completed self-assessment rated below what the framework
expects at the rung the person is aiming for; theirs alone; the same queries whatever the framework's size."""

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework, LevelExpectation
from apps.competencies.services import framework_load
from apps.profiles.selectors import target_level_for
from tests.assessments.conftest import PERSON_SPEC
from tests.conftest import signed_in
from tests.factories import year_plan

pytestmark = pytest.mark.django_db
URL = "/careers/my-gap/"


@pytest.fixture
def framework(db: None) -> Framework:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework


def completed(owner: User, framework: Framework, rating: int) -> Assessment:
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    assessment.ratings.update(value=rating)
    return assessment_submit(assessment=assessment, now=timezone.now())


def test_without_a_completed_self_assessment_the_page_says_how_to_start(owner: User) -> None:
    assert "You have no completed self-assessment yet" in signed_in(owner).get(URL).content.decode()


def test_the_criteria_below_the_next_rungs_expectation_are_listed_with_a_link_to_suggestions(
    owner: User, framework: Framework
) -> None:
    completed(owner, framework, rating=1)
    plan = year_plan(owner)
    level = target_level_for(user=owner)
    expected = LevelExpectation.objects.filter(criterion__framework=framework, level=level, expected__gt=1)
    assert expected.exists()
    html = signed_in(owner).get(URL).content.decode()
    for e in expected.select_related("criterion"):
        assert e.criterion.code in html
    assert f'href="/plans/{plan.pk}/"' in html


def test_at_or_above_every_expectation_there_is_no_gap(owner: User, framework: Framework) -> None:
    completed(owner, framework, rating=5)
    assert "at or above the suggested level on all" in signed_in(owner).get(URL).content.decode()


def test_another_persons_assessment_never_shows(owner: User, colleague: User, framework: Framework) -> None:
    completed(owner, framework, rating=1)
    assert "You have no completed self-assessment yet" in signed_in(colleague).get(URL).content.decode()
    assert Client().get(URL).status_code == 302


def test_the_page_takes_nine_queries(owner: User, framework: Framework, django_assert_num_queries: object) -> None:
    completed(owner, framework, rating=1)
    client = signed_in(owner)
    # session, user, the target level (profile), the latest completed assessment, the latest plan, the ratings by
    # code, the expectations with their criteria, the roles (header), the unread count (header).
    with django_assert_num_queries(9):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
