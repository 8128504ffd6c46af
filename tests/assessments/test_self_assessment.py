"""A person rates themself against the person specification: drafts save as they go, nothing typed is lost,
only the owner ever sees it, and the results put the widest gaps first."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment, AssessmentStatus, PromptAnswer, Rating
from apps.assessments.results import CriterionInput, criterion_results, readiness
from apps.assessments.services import assessment_start
from apps.competencies.models import Criterion, Framework
from apps.profiles.models import LeadershipLevel
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def start(owner: User, framework: Framework, level: int = LeadershipLevel.MEDICAL_DIRECTOR) -> Assessment:
    return assessment_start(owner=owner, framework=framework, target_level=level, now=timezone.now())


def group_url(assessment: Assessment, code: str) -> str:
    return reverse("assessments:group", args=[assessment.pk, code])


def rate_all(client: Client, assessment: Assessment, value: int = 3) -> None:
    for code in ("EXP", "KNO", "SKI", "DES"):
        data = {
            f"rating_{c.pk}": str(value)
            for c in Criterion.objects.filter(framework=assessment.framework, group__code=code)
        }
        assert client.post(group_url(assessment, code), data).status_code == 302


def test_starting_suggests_the_role_the_profile_aims_for_and_creates_a_draft(
    owner: User, person_spec: Framework
) -> None:
    client = signed_in(owner)
    page = client.get(reverse("assessments:new"))
    # The owner is a consultant aiming for MD: the MD role, not the next rung up.
    assert page.context["form"].initial["target_level"] == LeadershipLevel.MEDICAL_DIRECTOR
    response = client.post(reverse("assessments:new"), {"framework": person_spec.pk, "target_level": "5"})
    assessment = Assessment.objects.get(owner=owner)
    assert response.url == reverse("assessments:overview", args=[assessment.pk])
    assert assessment.ratings.count() == 22 and assessment.status == AssessmentStatus.DRAFT


def test_starting_with_bad_input_changes_nothing(owner: User, person_spec: Framework) -> None:
    response = signed_in(owner).post(reverse("assessments:new"), {"framework": "999999", "target_level": "9"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a framework from the list" in body and "Choose a role from the list" in body
    assert not Assessment.objects.exists()


def test_a_group_saves_ratings_notes_and_answers(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    client = signed_in(owner)
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    prompt = first.prompts.get()
    client.post(
        group_url(assessment, "EXP"),
        {
            f"rating_{first.pk}": "2",
            f"note_{first.pk}": "Led the crisis pathway redesign",
            f"answer_{prompt.pk}": "Yes",
        },
    )
    rating = Rating.objects.get(assessment=assessment, criterion=first)
    assert (rating.value, rating.note) == (2, "Led the crisis pathway redesign")
    assert PromptAnswer.objects.get(assessment=assessment, prompt=prompt).text == "Yes"
    page = client.get(group_url(assessment, "EXP")).content.decode()
    assert "Led the crisis pathway redesign" in page


def test_autosave_answers_with_a_status_line(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    response = signed_in(owner).post(group_url(assessment, "EXP"), {f"rating_{first.pk}": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content.decode().startswith("Saved at")
    assert Rating.objects.get(assessment=assessment, criterion=first).value == 4


def test_a_rating_off_the_scale_is_refused_and_what_was_typed_is_kept(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    response = signed_in(owner).post(
        group_url(assessment, "EXP"), {f"rating_{first.pk}": "7", f"note_{first.pk}": "My careful note"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a rating on the scale for EXP-1" in body and "My careful note" in body
    assert Rating.objects.get(assessment=assessment, criterion=first).value is None


def test_completing_needs_every_criterion_rated(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    client = signed_in(owner)
    response = client.post(reverse("assessments:complete", args=[assessment.pk]), follow=True)
    assert "Not yet rated: EXP-1" in response.content.decode()
    rate_all(client, assessment)
    response = client.post(reverse("assessments:complete", args=[assessment.pk]))
    assert response.url == reverse("assessments:results", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_completed_assessment_does_not_change(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    client = signed_in(owner)
    rate_all(client, assessment, value=3)
    client.post(reverse("assessments:complete", args=[assessment.pk]))
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    response = client.post(group_url(assessment, "EXP"), {f"rating_{first.pk}": "1"})
    assert response.status_code == 400 and "cannot change" in response.content.decode()
    assert Rating.objects.get(assessment=assessment, criterion=first).value == 3
    response = client.post(reverse("assessments:delete", args=[assessment.pk]), follow=True)
    assert "is kept" in response.content.decode() and Assessment.objects.filter(pk=assessment.pk).exists()


def test_results_put_the_widest_gap_first_and_show_change(owner: User, person_spec: Framework) -> None:
    client = signed_in(owner)
    earlier = start(owner, person_spec)
    rate_all(client, earlier, value=2)
    client.post(reverse("assessments:complete", args=[earlier.pk]))
    Assessment.objects.filter(pk=earlier.pk).update(started_at=timezone.now() - timedelta(days=200))
    later = start(owner, person_spec)
    rate_all(client, later, value=3)
    low = Criterion.objects.get(framework=person_spec, code="SKI-6")
    client.post(group_url(later, "SKI"), {f"rating_{low.pk}": "1"})
    client.post(reverse("assessments:complete", args=[later.pk]))
    response = client.get(reverse("assessments:results", args=[later.pk]))
    results = [result for result, _ in response.context["results"]]
    assert results[0].code == "SKI-6" and results[0].gap == 3
    assert next(r for r in results if r.code == "EXP-1").change == 1
    assert "Compared with your self-assessment" in response.content.decode()


def test_another_persons_assessment_is_404_everywhere(owner: User, colleague: User, person_spec: Framework) -> None:
    assessment = start(colleague, person_spec)
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    client = signed_in(owner)
    for url in (
        reverse("assessments:overview", args=[assessment.pk]),
        group_url(assessment, "EXP"),
        reverse("assessments:results", args=[assessment.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(group_url(assessment, "EXP"), {f"rating_{first.pk}": "4"}).status_code == 404
    assert client.post(reverse("assessments:complete", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("assessments:delete", args=[assessment.pk])).status_code == 404
    assert Rating.objects.get(assessment=assessment, criterion=first).value is None
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert "Medical director person specification" not in client.get(reverse("assessments:list")).content.decode()


def test_a_criterion_from_another_group_or_framework_is_ignored(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    other = Criterion.objects.get(framework=person_spec, code="KNO-1")
    signed_in(owner).post(group_url(assessment, "EXP"), {f"rating_{other.pk}": "4"})
    assert Rating.objects.get(assessment=assessment, criterion=other).value is None


def test_an_unknown_part_is_404(owner: User, person_spec: Framework) -> None:
    assert signed_in(owner).get(group_url(start(owner, person_spec), "NOPE")).status_code == 404


def test_pages_need_sign_in(client: Client, owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    for url in (reverse("assessments:list"), reverse("assessments:new"), group_url(assessment, "EXP")):
        assert client.get(url).status_code == 302


def test_wrong_methods(owner: User, person_spec: Framework) -> None:
    assessment = start(owner, person_spec)
    client = signed_in(owner)
    assert client.get(reverse("assessments:complete", args=[assessment.pk])).status_code == 405
    assert client.get(reverse("assessments:delete", args=[assessment.pk])).status_code == 405


def test_group_and_results_query_counts_are_constant(
    owner: User, person_spec: Framework, django_assert_num_queries: object
) -> None:
    client = signed_in(owner)
    assessment = start(owner, person_spec)
    rate_all(client, assessment)
    client.get(group_url(assessment, "SKI"))
    # 1. the session  2. the user  3. the assessment  4. the group  5. its criteria  6. prompts  7. expectations
    # 8. ratings  9. answers  10. evidence  11. the scale  12. roles and 13. unread count for the layout
    with django_assert_num_queries(13):  # type: ignore[operator]
        assert client.get(group_url(assessment, "SKI")).status_code == 200
    # 1. the session  2. the user  3. the assessment  4. the previous one  5. each criterion with its group,
    # rating and expectation (`criterion_figures`)  6. the feedback round (none here)  7. the scale  8. the
    # crosswalk's links (none here)  9. roles and 10. unread count for the layout. No prompts, answers or
    # evidence: the results do not show them; no rater responses: there is no closed round.
    with django_assert_num_queries(10):  # type: ignore[operator]
        assert client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 200


def test_results_order_and_readiness_are_pure() -> None:
    inputs = [
        CriterionInput("A", "a", "g", self_rating=4, expected=3, previous=None),
        CriterionInput("B", "b", "g", self_rating=1, expected=4, previous=2),
        CriterionInput("C", "c", "g", self_rating=2, expected=3, previous=None),
        CriterionInput("D", "d", "g", self_rating=None, expected=3, previous=None),
    ]
    results = criterion_results(inputs)
    assert [r.code for r in results] == ["B", "C", "A", "D"]
    assert results[0].change == -1
    summary = readiness(results)
    assert (summary.rated, summary.with_expectation, summary.meeting, summary.to_develop) == (3, 3, 1, ["B", "C"])
