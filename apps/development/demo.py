"""Demo development plan: the demo aspiring leader has a plan built from their self-assessment's suggestions (two
goals tied to their weakest criteria, one suggested activity taken), so that `make run` shows a plan with its
suggestions and the per-page benchmarks (`page_bench`, the load benchmark) reach the plan page by links."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Criterion

from .models import Opportunity, Plan
from .selectors import latest_completed_assessment, plan_suggestions
from .services import goal_create, plan_create, suggestion_accept

OWNER = "aspiring@example.org"


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


@transaction.atomic
def _seed() -> None:
    owner = User.objects.filter(email=OWNER).first()
    if owner is None or Plan.objects.filter(owner=owner).exists():
        return
    assessment = latest_completed_assessment(owner=owner)
    if assessment is None:  # the assessments' demo did not run (no framework loaded): nothing to build on
        return
    now = timezone.now()
    today = timezone.localdate(now)
    plan = plan_create(
        owner=owner,
        title="Towards a deputy medical director role",
        target_level=assessment.target_level,
        starts_on=today,
        ends_on=today + timedelta(days=365),
        now=now,
    )
    _, suggested = plan_suggestions(owner=owner, now=now)
    for months, suggestion in enumerate(suggested[:2], start=3):
        goal_create(
            plan=plan,
            title=suggestion.title,
            description="",
            measure="Discussed at my appraisal, with an example I can point to.",
            target_date=today + timedelta(days=30 * months),
            criteria=list(Criterion.objects.filter(framework=assessment.framework_id, code__in=suggestion.criteria)),
            now=now,
        )
    taken = suggested[2:3]
    for suggestion in taken:
        opportunity = Opportunity.objects.filter(code=suggestion.opportunity).first()
        if opportunity is not None:
            suggestion_accept(plan=plan, opportunity=opportunity, now=now)
