"""Demo self-assessment and 360 feedback: the demo aspiring leader has completed a self-assessment against the
person specification and asked five colleagues; three peers have answered (so their scores show) and two answers
are still coming, so `make run` shows results with others' views and a round still open."""

import random
from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Framework

from .feedback import feedback_round_open, rater_invite, rater_link_mint, rater_respond
from .models import Assessment
from .services import assessment_save_group, assessment_start, assessment_submit

OWNER = "aspiring@example.org"
RATERS = [
    ("demo.peer.1@example.org", "peer", True),
    ("demo.peer.2@example.org", "peer", True),
    ("demo.peer.3@example.org", "peer", True),
    ("demo.manager@example.org", "line_manager", False),
    ("demo.nurse.director@example.org", "other_profession", False),
]
COMMENTS = [
    "Calm and clear when the ward was under pressure; people follow her lead.",
    "Brings the data to every discussion. Could delegate more.",
    "Would benefit from more time with the board and its committees.",
]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


@transaction.atomic
def _seed() -> None:
    owner = User.objects.filter(email=OWNER).first()
    framework = Framework.objects.filter(slug="md-person-spec").order_by("-loaded_at").first()
    if owner is None or framework is None or Assessment.objects.filter(owner=owner).exists():
        return
    now = timezone.now()
    rng = random.Random(2026)  # the same demo every time
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=now - timedelta(days=10))
    for group in framework.groups.all():
        ratings: dict[int, int | None] = {
            c.pk: rng.choice([1, 2, 2, 3, 3, 4]) for c in framework.criteria.filter(group=group)
        }
        assessment_save_group(assessment=assessment, group=group, ratings=ratings, notes={}, answers={})
    assessment_submit(assessment=assessment, now=now - timedelta(days=9))
    feedback_round = feedback_round_open(
        assessment=assessment,
        closes_on=timezone.localdate(now) + timedelta(days=14),
        message="I am applying for deputy medical director roles next year and would value your honest view.",
        now=now - timedelta(days=7),
    )
    criteria = list(framework.criteria.values_list("pk", flat=True))
    for index, (email, category, answers) in enumerate(RATERS):
        invitation = rater_invite(feedback_round=feedback_round, email=email, category=category, now=now)
        if not answers:
            continue
        link = rater_link_mint(invitation_id=invitation.pk, now=now)  # as the e-mail would carry it
        assert link is not None
        token = link.rstrip("/").rsplit("/", 1)[-1]
        choices: list[int | None] = [None, 2, 3, 3, 4]  # None: "I can't say"
        answered: dict[int, int | None] = {pk: rng.choice(choices) for pk in criteria}
        rater_respond(token=token, ratings=answered, comments={None: COMMENTS[index]}, now=now)
