"""What the target role expects, in words: beside the suggested rating on the pages where a person rates themself
and sees their results, and the role's scope on the overview. No page needs a query more for them (their query
counts are asserted in test_self_assessment.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_start
from apps.competencies.fileformat import FrameworkSpec, parse
from apps.competencies.models import Framework
from apps.competencies.services import framework_load
from apps.profiles.models import LeadershipLevel
from tests.conftest import signed_in

from .conftest import PERSON_SPEC

pytestmark = pytest.mark.django_db


def start(owner: User, framework: Framework, level: int) -> Assessment:
    return assessment_start(owner=owner, framework=framework, target_level=level, now=timezone.now())


def words(spec: FrameworkSpec, code: str, level: str) -> str:
    criterion = next(c for c in spec.criteria if c.code == code)
    return escape(dict(criterion.level_descriptions)[level])


def test_rating_a_criterion_shows_what_the_target_role_should_show(owner: User, person_spec: Framework) -> None:
    spec = parse(PERSON_SPEC.read_text())
    assessment = start(owner, person_spec, LeadershipLevel.DEPUTY_MD)
    body = signed_in(owner).get(reverse("assessments:group", args=[assessment.pk, "EXP"])).content.decode()
    assert f"Expected of a deputy medical director: 3, Established</strong> — {words(spec, 'EXP-3', 'deputy_md')}" in (
        body
    )
    assert words(spec, "EXP-3", "medical_director") not in body  # only the target role's words


def test_the_role_is_named_as_people_say_it(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec, LeadershipLevel.ASSOCIATE_MD)
    body = signed_in(owner).get(reverse("assessments:group", args=[assessment.pk, "SKI"])).content.decode()
    assert "Expected of an associate medical director: 3, Established" in body


def test_the_overview_says_what_the_target_role_looks_like(owner: User, person_spec: Framework) -> None:
    spec = parse(PERSON_SPEC.read_text())
    assessment = start(owner, person_spec, LeadershipLevel.CLINICAL_DIRECTOR)
    body = signed_in(owner).get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "Expected of a clinical director" in body
    assert escape(dict(spec.level_descriptions)["clinical_director"]) in body


def test_the_results_show_the_words_beside_the_suggested_rating(owner: User, completed_assessment: Assessment) -> None:
    spec = parse(PERSON_SPEC.read_text())
    response = signed_in(owner).get(reverse("assessments:results", args=[completed_assessment.pk]))
    results = {result.code: result for result, _ in response.context["results"]}
    assert results["EXP-3"].expected == 4 and results["EXP-3"].expected_label == "Ready for the role"
    assert results["EXP-3"].expected_description == dict(spec.criteria[2].level_descriptions)["medical_director"]
    body = response.content.decode()
    assert f"Expected of a medical director: 4, Ready for the role — {words(spec, 'EXP-3', 'medical_director')}" in body


def test_a_framework_without_words_shows_the_rating_alone(owner: User) -> None:
    mlcf = framework_load(spec=parse(PERSON_SPEC.parent.joinpath("mlcf-2010.yaml").read_text())).framework
    assessment = start(owner, mlcf, LeadershipLevel.DEPUTY_MD)
    group = mlcf.groups.order_by("position").first()
    assert group is not None
    body = signed_in(owner).get(reverse("assessments:group", args=[assessment.pk, group.code])).content.decode()
    assert "Expected of a deputy medical director: " in body and "</strong> — " not in body
    overview = signed_in(owner).get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert escape(mlcf.level_description(LeadershipLevel.DEPUTY_MD)) in overview


def test_another_persons_words_are_behind_the_same_404(owner: User, colleague: User, person_spec: Framework) -> None:
    assessment = start(colleague, person_spec, LeadershipLevel.DEPUTY_MD)
    client = signed_in(owner)
    for name in ("assessments:overview", "assessments:results"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:group", args=[assessment.pk, "EXP"])).status_code == 404


def test_the_overview_needs_no_query_for_the_words(
    owner: User, person_spec: Framework, django_assert_num_queries: object
) -> None:
    assessment = start(owner, person_spec, LeadershipLevel.DEPUTY_MD)
    client = signed_in(owner)
    url = reverse("assessments:overview", args=[assessment.pk])
    client.get(url)
    # 1. the session  2. the user  3. the assessment with its framework (and the level descriptions on its row)
    # 4. the groups  5. ratings counted by group  6. roles and 7. unread count for the layout
    with django_assert_num_queries(7):  # type: ignore[operator]
        assert "Expected of a deputy medical director" in client.get(url).content.decode()
