"""`criterion_figures` reads in one query what the results and the plan's suggestions take from `all_entries` (six
queries with prompts, answers and evidence): on seeded random assessments of every framework, target role and kind
of answer, it gives exactly the same figures, criterion by criterion, for anyone's assessment, and one query."""

import random
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assessments.models import Assessment
from apps.assessments.selectors import CriterionFigures, all_entries, criterion_figures
from apps.assessments.services import assessment_start
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import SHIPPED, framework_load
from tests.assessments.random_assessments import random_assessments
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(db: None) -> list[Framework]:
    """The person specification and the board framework, whose "No chance to demonstrate" is not a rating."""
    names = ["md-person-spec-2017.yaml", "nhs-board-leadership-2024.yaml"]
    return [framework_load(spec=parse((Path(SHIPPED) / name).read_text())).framework for name in names]


def from_entries(assessment: Assessment) -> list[CriterionFigures]:
    """The independent way: every entry as the answering pages read it, reduced to the same figures."""
    return [
        CriterionFigures(
            code=e.criterion.code,
            title=e.criterion.title,
            group=e.criterion.group.title,
            rating=e.rating_value,
            not_rated_label=e.not_rated_label,
            expected=e.expected,
            expected_description=e.expected_description,
        )
        for e in all_entries(assessment=assessment)
    ]


@pytest.mark.parametrize("seed", range(8))
def test_the_figures_equal_those_of_the_full_entries(seed: int, frameworks: list[Framework]) -> None:
    rng = random.Random(seed)
    for i in range(3):
        person = ProfileFactory(user__email=f"person{i}@example.org").user
        random_assessments(rng=rng, owner=person, frameworks=frameworks, now=timezone.now())
    assessments = list(Assessment.objects.select_related("framework"))
    assert len(assessments) >= 3
    for assessment in assessments:
        with CaptureQueriesContext(connection) as queries:
            figures = criterion_figures(assessment=assessment)
        assert len(queries) == 1
        assert figures == from_entries(assessment)


def test_no_chance_reads_as_no_figure_with_its_label(frameworks: list[Framework]) -> None:
    person = ProfileFactory(user__email="person@example.org").user
    assessment = assessment_start(owner=person, framework=frameworks[1], target_level=5, now=timezone.now())
    assessment.ratings.update(value=1)  # the board framework's "No chance to demonstrate"
    figures = criterion_figures(assessment=assessment)
    assert len(figures) == 24 and {(f.rating, f.not_rated_label) for f in figures} == {
        (None, "No chance to demonstrate")
    }
    assert {f.expected for f in figures} != {None}  # the board framework suggests levels for a medical director
