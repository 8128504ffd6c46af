"""Readiness domain by domain: an aspiring medical director who self-assesses against NHS England's framework for
board members (or any framework with groups) sees, for each domain, how many of its criteria are at the level the
target role is expected to show and which to develop, on the results page and in the PDF."""

from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment, Rating
from apps.assessments.results import CriterionInput, criterion_results, readiness_by_group
from apps.assessments.services import assessment_start
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import SHIPPED, framework_load
from tests.conftest import signed_in

BOARD = Path(SHIPPED) / "nhs-board-leadership-2024.yaml"


def test_readiness_by_group_is_pure_and_keeps_the_frameworks_order() -> None:
    inputs = [
        CriterionInput("A1", "a", "Strategy", self_rating=5, expected=5, previous=None),
        CriterionInput("A2", "b", "Strategy", self_rating=2, expected=5, previous=None),
        CriterionInput("B1", "c", "Culture", self_rating=1, expected=4, previous=None),
        CriterionInput("B2", "d", "Culture", self_rating=3, expected=4, previous=None),
        CriterionInput("C1", "e", "Unexpected", self_rating=3, expected=None, previous=None),
    ]
    rows = readiness_by_group(criterion_results(inputs), groups=["Strategy", "Culture", "Unexpected"])
    assert [(r.group, r.meeting, r.with_expectation, r.to_develop) for r in rows] == [
        ("Strategy", 1, 2, ["A2"]),
        ("Culture", 0, 2, ["B1", "B2"]),  # widest gap first
    ]


def _board_assessment(owner: User) -> Assessment:
    board = framework_load(spec=parse(BOARD.read_text())).framework
    assessment = assessment_start(owner=owner, framework=board, target_level=5, now=timezone.now())
    Rating.objects.filter(assessment=assessment).update(value=5)
    Rating.objects.filter(assessment=assessment, criterion__code__in=["D2-1", "D5-3"]).update(value=3)
    return assessment


def test_the_results_show_board_readiness_domain_by_domain(owner: User) -> None:
    assessment = _board_assessment(owner)
    response = signed_in(owner).get(reverse("assessments:results", args=[assessment.pk]))
    page = response.content.decode()
    assert "Domain by domain" in page
    rows = response.context["by_group"]
    framework = Framework.objects.get(slug="nhs-board-leadership")
    assert [r.group for r in rows] == list(framework.groups.order_by("position").values_list("title", flat=True))
    assert len(rows) == 6
    assert [(r.meeting, r.with_expectation, r.to_develop) for r in rows if r.to_develop] == [
        (3, 4, ["D2-1"]),
        (3, 4, ["D5-3"]),
    ]
    assert "D2-1" in page and "3 of 4" in page


def test_a_framework_with_one_group_shows_no_domain_table(owner: User) -> None:
    minimal = """
format: stepping-up-framework/1
framework: {slug: tiny, version: "1", name: Tiny, source: Us, licence: MIT}
scale: [{value: 1, label: Low}, {value: 2, label: High}]
groups: [{code: G, title: Only group}]
criteria:
  - {code: C1, group: G, title: One, levels: {medical_director: 2}}
  - {code: C2, group: G, title: Two, levels: {medical_director: 2}}
"""
    framework = framework_load(spec=parse(minimal)).framework
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    page = signed_in(owner).get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "Domain by domain" not in page


def test_another_person_sees_no_readiness_of_someone_elses_assessment(owner: User, colleague: User) -> None:
    assessment = _board_assessment(owner)
    response = signed_in(colleague).get(reverse("assessments:results", args=[assessment.pk]))
    assert response.status_code == 404 and b"Domain by domain" not in response.content
