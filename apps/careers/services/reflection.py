"""The private "Is now the right time?" reflection (seed 003's four questions), and copying it into a plan."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.development.models import Plan, Reflection
from apps.development.records import Anchor, reflection_add
from apps.development.services import PlanError

from ..models import RightTimeReflection
from . import CareersError

TITLE = "Is now the right time?"


@transaction.atomic
def right_time_save(
    *, owner: User, attracts: str, experience: str, timing: str, support: str, now: datetime
) -> RightTimeReflection:
    answers = {"attracts": attracts.strip(), "experience": experience.strip(), "timing": timing.strip()}
    answers["support"] = support.strip()
    if not any(answers.values()):
        raise CareersError("Answer at least one of the questions before saving.")
    reflection, _ = RightTimeReflection.objects.update_or_create(owner=owner, defaults={**answers, "updated_at": now})
    return reflection


@transaction.atomic
def right_time_to_plan(*, reflection: RightTimeReflection, plan: Plan, now: datetime) -> Reflection:
    """Adds the answers to the plan as a structured reflection: the first two questions are what happened so far,
    the timing what it means, the support what comes next."""
    if plan.owner_id != reflection.owner_id:
        raise CareersError("Choose one of your own plans.")
    what_happened = "\n\n".join(
        f"{label}\n{text}"
        for label, text in (
            ("What attracts me to the role", reflection.attracts),
            ("My experience", reflection.experience),
        )
        if text
    )
    try:
        return reflection_add(
            plan=plan,
            anchor=Anchor(),
            title=TITLE,
            what_happened=what_happened or "—",
            so_what=reflection.timing or "—",
            now_what=reflection.support or "—",
            written_on=timezone.localdate(now),
            now=now,
        )
    except PlanError as exc:
        raise CareersError(str(exc)) from exc
