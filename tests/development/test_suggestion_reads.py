"""The plan's suggestions read only the owner's latest completed self-assessment, as plain values (its figures in
one query, its raters' answers only once the round has closed, the catalogue in one query). On seeded random
people, answers, 360 rounds and catalogues they are exactly what building them from every entry of the assessment
gives (the way they were built before, kept here as the reference), and another person's records never count."""

import random
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.anonymity import visible_feedback
from apps.assessments.models import Assessment, RaterCategory
from apps.assessments.selectors import all_entries, feedback_answers
from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, Framework
from apps.competencies.services import SHIPPED, framework_load
from apps.development.models import Opportunity, OpportunityCriterion
from apps.development.selectors import plan_suggestions
from apps.development.suggest import CriterionState, OpportunityOption, Suggestion, suggestions
from tests.assessments.random_assessments import random_assessments
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(db: None) -> list[Framework]:
    """The shipped frameworks (the board framework's "No chance to demonstrate" is not a rating) with the shipped
    catalogue, and links from each opportunity to two board criteria (the shipped catalogue has none yet)."""
    loaded = [framework_load(spec=parse(path.read_text())).framework for path in sorted(Path(SHIPPED).glob("*.yaml"))]
    call_command("load_opportunities", stdout=StringIO())
    rng = random.Random(0)
    board = list(Criterion.objects.filter(framework__slug="nhs-board-leadership").values_list("code", flat=True))
    OpportunityCriterion.objects.bulk_create(
        OpportunityCriterion(opportunity=o, framework_slug="nhs-board-leadership", criterion_code=code)
        for o in Opportunity.objects.all()
        for code in rng.sample(board, k=2)
    )
    return loaded


def reference(owner: User, now: datetime) -> tuple[Assessment | None, list[Suggestion]]:
    """Suggestions built from every entry of the latest completed assessment and the catalogue's model rows."""
    assessment = (
        Assessment.objects.filter(owner=owner, submitted_at__isnull=False)
        .select_related("framework")
        .order_by("-submitted_at")
        .first()
    )
    if assessment is None:
        return None, []
    entries = all_entries(assessment=assessment)
    feedback = visible_feedback(
        feedback_answers(assessment=assessment, now=now),
        labels=dict(RaterCategory.choices),
        criteria=[e.criterion.code for e in entries],
    )
    states = [
        CriterionState(
            code=e.criterion.code,
            title=e.criterion.title,
            own=e.rating_value,
            others=feedback.criteria[e.criterion.code].others_mean,
            expected=e.expected,
            no_chance=bool(e.not_rated_label),
        )
        for e in entries
    ]
    links: dict[int, set[str]] = {}
    for opportunity_id, code in OpportunityCriterion.objects.filter(
        framework_slug=assessment.framework.slug, opportunity__is_active=True
    ).values_list("opportunity_id", "criterion_code"):
        links.setdefault(opportunity_id, set()).add(code)
    options = [
        OpportunityOption(code=o.code, title=o.title, develops=frozenset(links[o.pk]))
        for o in Opportunity.objects.filter(pk__in=links)
    ]
    return assessment, suggestions(states, options)


def test_the_suggestions_equal_those_built_from_every_entry(frameworks: list[Framework]) -> None:
    now = timezone.now()
    reasons: list[str] = []
    for seed in range(12):
        rng = random.Random(seed)
        people = [ProfileFactory(user__email=f"person{seed}.{i}@example.org").user for i in range(4)]
        for person in people:
            random_assessments(rng=rng, owner=person, frameworks=frameworks, now=now)
        # Some opportunities withdrawn from the catalogue (and some back): withdrawn ones are never suggested.
        Opportunity.objects.update(is_active=True)
        withdrawn = rng.sample(list(Opportunity.objects.values_list("pk", flat=True)), k=10)
        Opportunity.objects.filter(pk__in=withdrawn).update(is_active=False)
        for person in people:
            assessment, found = plan_suggestions(owner=person, now=now)
            expected_assessment, expected = reference(person, now)
            assert assessment == expected_assessment
            assert found == expected
            reasons.extend(r for s in found for r in s.reasons)
    # The instances reach every kind of reason: raters' scores shown, no chance to show, the gap to the target.
    assert any("your raters" in r for r in reasons)
    assert any("not had the chance" in r for r in reasons)
    assert any("the suggested level for your target role" in r for r in reasons)


def test_the_work_does_not_grow_with_other_peoples_records(frameworks: list[Framework]) -> None:
    """Three queries without closed feedback and six with it, whatever everyone else has; their answers unread."""
    rng = random.Random(7)
    now = timezone.now()
    me = ProfileFactory(user__email="me@example.org").user
    while not Assessment.objects.filter(owner=me, submitted_at__isnull=False).exists():
        random_assessments(rng=rng, owner=me, frameworks=frameworks, now=now)

    def queries() -> tuple[int, list[Suggestion]]:
        with CaptureQueriesContext(connection) as captured:
            _, found = plan_suggestions(owner=me, now=now)
        return len(captured), found

    before = queries()
    for i in range(6):
        other = ProfileFactory(user__email=f"other{i}@example.org").user
        random_assessments(rng=rng, owner=other, frameworks=frameworks, now=now)
    assert queries() == before
    latest = Assessment.objects.filter(owner=me, submitted_at__isnull=False).order_by("-submitted_at").first()
    assert latest is not None
    shown = hasattr(latest, "feedback_round") and not latest.feedback_round.is_open(now)
    assert before[0] == (6 if shown else 3)
