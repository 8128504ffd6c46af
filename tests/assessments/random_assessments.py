"""Seeded random self-assessments with 360 answers, for the tests that compare a lean read with the full one.

Each person gets one to three self-assessments (some still drafts) against random frameworks and target roles, with
every kind of answer: unrated, any point of the scale, and the point that is not a rating where the framework has
one; some get a 360 round, open or closed (early or by date), with answers from random categories that rate, can't
say or had no chance to see, and comment."""

import random
from datetime import datetime, timedelta

from apps.accounts.models import User
from apps.assessments.models import (
    Assessment,
    AssessmentStatus,
    FeedbackRound,
    RaterCategory,
    RaterComment,
    RaterRating,
    RaterResponse,
    Rating,
)
from apps.competencies.models import Criterion, Framework


def _answer(rng: random.Random, scale: list[int]) -> int | None:
    return rng.choice([None, *scale, *scale])  # unrated a third of the time or less


def random_assessments(*, rng: random.Random, owner: User, frameworks: list[Framework], now: datetime) -> None:
    """One to three self-assessments for `owner`, each at a different time, with their ratings and 360 answers."""
    for index in range(rng.randint(1, 3)):
        framework = rng.choice(frameworks)
        criteria = list(Criterion.objects.filter(framework=framework))
        scale = list(framework.scale.values_list("value", flat=True))  # the point that is not a rating included
        started = now - timedelta(days=400 - 100 * index, hours=rng.randint(0, 23))
        submitted = rng.random() < 0.8
        assessment = Assessment.objects.create(
            owner=owner,
            framework=framework,
            target_level=rng.randint(1, 5),
            started_at=started,
            status=AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT,
            submitted_at=started + timedelta(days=1) if submitted else None,
        )
        Rating.objects.bulk_create(
            Rating(assessment=assessment, criterion=c, value=_answer(rng, scale))
            for c in criteria
            if rng.random() < 0.95  # now and then a criterion has no rating row at all
        )
        if rng.random() < 0.6:
            _feedback(rng, assessment, criteria, scale, now)


def _feedback(
    rng: random.Random, assessment: Assessment, criteria: list[Criterion], scale: list[int], now: datetime
) -> None:
    state = rng.choice(["open", "closed early", "closed by date"])
    feedback_round = FeedbackRound.objects.create(
        assessment=assessment,
        opened_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=5) if state != "closed by date" else now - timedelta(days=1),
        closed_early_at=now - timedelta(days=2) if state == "closed early" else None,
    )
    categories = rng.sample(list(RaterCategory.values), k=rng.randint(1, 3))
    for _ in range(rng.randint(0, 9)):
        response = RaterResponse.objects.create(round=feedback_round, category=rng.choice(categories))
        RaterRating.objects.bulk_create(
            RaterRating(response=response, criterion=c, value=_answer(rng, scale)) for c in criteria
        )
        if rng.random() < 0.5:
            RaterComment.objects.create(response=response, criterion=rng.choice([None, *criteria]), text="A comment")
