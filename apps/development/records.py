"""Evidence and reflections in a plan, each hung on a goal, an activity, a criterion or the plan as a whole, so
that what a person records counts towards the framework. Documents are checked exactly as self-assessment
evidence is (apps.assessments.evidence)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from apps.assessments.evidence import fill_and_save
from apps.competencies.models import Criterion

from .models import Activity, Goal, Plan, PlanEvidence, Reflection
from .services import PlanError


@dataclass(frozen=True)
class Anchor:
    goal: Goal | None = None
    activity: Activity | None = None
    criterion: Criterion | None = None


def anchor_from_choice(*, plan: Plan, choice: str, criteria: list[Criterion]) -> Anchor:
    """'plan', 'goal:<id>', 'activity:<id>' or 'criterion:<id>', checked against this plan and its criteria."""
    kind, _, key = choice.partition(":")
    if kind == "plan" or not choice:
        return Anchor()
    if not key.isdigit():
        raise PlanError("Choose what this is about from the list.")
    if kind == "goal" and (goal := plan.goals.filter(pk=int(key)).first()):
        return Anchor(goal=goal)
    if kind == "activity" and (activity := plan.activities.filter(pk=int(key)).first()):
        return Anchor(activity=activity)
    if kind == "criterion" and (criterion := next((c for c in criteria if c.pk == int(key)), None)):
        return Anchor(criterion=criterion)
    raise PlanError("Choose what this is about from the list.")


@transaction.atomic
def reflection_add(
    *,
    plan: Plan,
    anchor: Anchor,
    title: str,
    what_happened: str,
    so_what: str,
    now_what: str,
    written_on: date,
    now: datetime,
) -> Reflection:
    if written_on > timezone.localdate(now):
        raise PlanError("A reflection is about something that has happened: the date cannot be in the future.")
    reflection = Reflection(
        plan=plan,
        goal=anchor.goal,
        activity=anchor.activity,
        criterion=anchor.criterion,
        title=title.strip(),
        what_happened=what_happened.strip(),
        so_what=so_what.strip(),
        now_what=now_what.strip(),
        written_on=written_on,
        created_at=now,
    )
    reflection.full_clean()
    reflection.save()
    return reflection


@transaction.atomic
def plan_evidence_add(
    *,
    plan: Plan,
    anchor: Anchor,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    now: datetime,
) -> PlanEvidence:
    evidence = PlanEvidence(
        plan=plan,
        goal=anchor.goal,
        activity=anchor.activity,
        criterion=anchor.criterion,
        kind=kind,
        title=title.strip(),
        added_at=now,
    )
    fill_and_save(evidence, kind=kind, text=text, url=url, upload=upload)
    return evidence


@transaction.atomic
def plan_evidence_remove(*, plan: Plan, evidence_id: int) -> None:
    evidence = PlanEvidence.objects.filter(plan=plan, pk=evidence_id).first()
    if evidence is None:
        raise PlanError("That evidence is not in your plan.")
    name = evidence.file.name if evidence.file else ""
    evidence.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def reflection_delete(*, plan: Plan, reflection_id: int) -> None:
    if not Reflection.objects.filter(plan=plan, pk=reflection_id).delete()[0]:
        raise PlanError("That reflection is not in your plan.")
