""" "No chance to demonstrate": the board framework's answer that is not a rating. Choosing it answers the criterion
(the self-assessment can be completed) and the results show it by name, but no figure counts it: no gap, no
readiness, no change since last time, no 360 mean; and a development plan suggests ways to get the chance."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.anonymity import visible_feedback
from apps.assessments.models import Assessment, FeedbackRound, RaterCategory, RaterRating, RaterResponse, Rating
from apps.assessments.report import results_context
from apps.assessments.selectors import all_entries, feedback_answers, ratings_by_code
from apps.assessments.services import assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, Framework
from apps.competencies.services import SHIPPED, framework_load
from tests.conftest import signed_in

BOARD = Path(SHIPPED) / "nhs-board-leadership-2024.yaml"
NO_CHANCE = 1  # the board framework's "No chance to demonstrate"


@pytest.fixture
def board(db: None) -> Framework:
    return framework_load(spec=parse(BOARD.read_text())).framework


def _rated(owner: User, board: Framework, *, no_chance: list[str], submit: bool = True) -> Assessment:
    """Every criterion "Frequently" (4) against a medical director's "Almost always" (5), except `no_chance`."""
    assessment = assessment_start(owner=owner, framework=board, target_level=5, now=timezone.now())
    Rating.objects.filter(assessment=assessment).update(value=4)
    Rating.objects.filter(assessment=assessment, criterion__code__in=no_chance).update(value=NO_CHANCE)
    return assessment_submit(assessment=assessment, now=timezone.now()) if submit else assessment


def test_choosing_it_counts_as_answered_so_the_assessment_can_be_completed(owner: User, board: Framework) -> None:
    assessment = _rated(owner, board, no_chance=["D2-1", "D5-3"], submit=False)
    response = signed_in(owner).post(reverse("assessments:complete", args=[assessment.pk]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert not assessment.is_draft


def test_results_show_it_by_name_with_no_gap_and_leave_it_out_of_readiness(owner: User, board: Framework) -> None:
    assessment = _rated(owner, board, no_chance=["D2-1"])
    context = results_context(assessment=assessment)
    result = next(r for r, _ in context["results"] if r.code == "D2-1")
    assert (result.self_rating, result.gap, result.not_rated_label) == (None, None, "No chance to demonstrate")
    others = [r for r, _ in context["results"] if r.code != "D2-1"]
    assert all(r.gap == 1 and r.not_rated_label == "" for r in others)
    summary = context["summary"]
    assert (summary.rated, summary.with_expectation, summary.meeting) == (23, 23, 0)
    assert "D2-1" not in summary.to_develop
    assert all("D2-1" not in row.to_develop for row in context["by_group"])
    assert context["top"] == 5

    page = signed_in(owner).get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    row = page[page.index('<strong class="app-criterion-code">D2-1</strong>') :]
    row = row[: row.index("</tr>")]
    assert "No chance to demonstrate" in row and "Not rated" not in row and "to grow" not in row


def test_no_change_is_counted_to_or_from_it(owner: User, board: Framework) -> None:
    first = _rated(owner, board, no_chance=["D2-1"])
    assert ratings_by_code(assessment=first)["D2-1"] is None
    second = _rated(owner, board, no_chance=["D3-1"])
    changes = {r.code: r.change for r, _ in results_context(assessment=second)["results"]}
    assert first.pk != second.pk
    assert changes["D2-1"] is None  # no chance last time: nothing to compare with
    assert changes["D3-1"] is None  # no chance this time
    assert changes["D1-1"] == 0


def test_a_raters_no_chance_is_left_out_of_the_mean_like_i_cant_say(owner: User, board: Framework) -> None:
    assessment = _rated(owner, board, no_chance=[])
    now = timezone.now()
    feedback_round = FeedbackRound.objects.create(
        assessment=assessment, opened_at=now - timedelta(days=10), closes_at=now - timedelta(days=1)
    )
    criterion = Criterion.objects.get(framework=board, code="D1-1")
    for value in (4, 4, 2, NO_CHANCE, None):
        response = RaterResponse.objects.create(round=feedback_round, category=RaterCategory.PEER)
        RaterRating.objects.create(response=response, criterion=criterion, value=value)
    answers = feedback_answers(assessment=assessment)
    assert sorted((a.ratings["D1-1"] for a in answers), key=lambda v: v or 0) == [None, None, 2, 4, 4]
    shown = visible_feedback(answers, labels=dict(RaterCategory.choices), criteria=["D1-1"]).criteria["D1-1"]
    assert (shown.others_mean, shown.others_count) == (3.3, 3)  # (4 + 4 + 2) / 3, counted once each


def test_the_plan_suggests_getting_the_chance(owner: User, board: Framework) -> None:
    assessment = _rated(owner, board, no_chance=["D4-2"])
    entry = next(e for e in all_entries(assessment=assessment) if e.criterion.code == "D4-2")
    assert (entry.rating_value, entry.not_rated_label) == (None, "No chance to demonstrate")
    assert entry.rating is not None and entry.rating.value == NO_CHANCE  # the answer itself is kept as chosen
