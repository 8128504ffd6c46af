"""Writes to self-assessments. Only a draft changes; a completed assessment is a record to compare against.

Completing one against a framework that is meant to be repeated (`Framework.repeat_every_months`: the board
framework, yearly for the fit and proper person test) schedules a reminder a month before the next is due, one per
person and framework: a later completion replaces it.
"""

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.common.dates import months_after
from apps.competencies.models import Criterion, CriterionGroup, Framework
from apps.notifications.services import cancel_all, schedule
from apps.profiles.models import LeadershipLevel

from .models import Assessment, AssessmentStatus, Evidence, PromptAnswer, Rating


class AssessmentError(Exception):
    """A change that cannot be made as asked; the message is shown to the person, and nothing was written."""


@transaction.atomic
def assessment_start(*, owner: User, framework: Framework, target_level: int, now: datetime) -> Assessment:
    if target_level not in LeadershipLevel.values:
        raise AssessmentError("Choose the role you are aiming for.")
    assessment = Assessment(owner=owner, framework=framework, target_level=target_level, started_at=now)
    assessment.full_clean()
    assessment.save()
    Rating.objects.bulk_create(
        Rating(assessment=assessment, criterion=criterion)
        for criterion in Criterion.objects.filter(framework=framework)
    )
    return assessment


@transaction.atomic
def assessment_save_group(
    *,
    assessment: Assessment,
    group: CriterionGroup,
    ratings: dict[int, int | None],
    notes: dict[int, str],
    answers: dict[int, str],
) -> int:
    """Save what the person entered for one group's criteria. Returns how many of them are now rated."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentError("This self-assessment is completed and cannot change. Start a new one to compare.")
    if group.framework_id != locked.framework_id:
        raise AssessmentError("That part belongs to another framework.")
    scale = set(locked.framework.scale.values_list("value", flat=True))
    criteria = {c.pk: c for c in Criterion.objects.filter(group=group).prefetch_related("prompts")}
    if not set(ratings) | set(notes) <= criteria.keys():
        raise AssessmentError("Some ratings are for criteria outside this part of the framework.")
    bad = [criteria[pk].code for pk, value in ratings.items() if value is not None and value not in scale]
    if bad:
        raise AssessmentError(f"Ratings must be on the framework's scale ({', '.join(bad)}).")
    prompts = {p.pk for c in criteria.values() for p in c.prompts.all()}
    if not set(answers) <= prompts:
        raise AssessmentError("Some answers are for questions outside this part of the framework.")
    rows = {r.criterion_id: r for r in Rating.objects.filter(assessment=locked, criterion__in=criteria)}
    for pk in criteria:
        row = rows.get(pk) or Rating(assessment=locked, criterion_id=pk)
        row.value = ratings.get(pk, row.value)
        row.note = notes.get(pk, row.note).strip()
        rows[pk] = row
    Rating.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["assessment", "criterion"],
        update_fields=["value", "note"],
    )
    _save_answers(locked, answers)
    locked.save(update_fields=["updated_at"])
    return sum(1 for row in rows.values() if row.value is not None)


def _save_answers(assessment: Assessment, answers: dict[int, str]) -> None:
    keep = {pk: text.strip() for pk, text in answers.items() if text.strip()}
    PromptAnswer.objects.filter(assessment=assessment, prompt_id__in=[pk for pk in answers if pk not in keep]).delete()
    PromptAnswer.objects.bulk_create(
        [PromptAnswer(assessment=assessment, prompt_id=pk, text=text) for pk, text in keep.items()],
        update_conflicts=True,
        unique_fields=["assessment", "prompt"],
        update_fields=["text"],
    )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, now: datetime) -> Assessment:
    # The framework comes in the same query (locking only the assessment's row): it says whether to remind.
    locked = Assessment.objects.select_for_update(of=("self",)).select_related("framework").get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentError("This self-assessment is already completed.")
    unrated = list(
        Rating.objects.filter(assessment=locked, value__isnull=True)
        .order_by("criterion__position")
        .values_list("criterion__code", flat=True)
    )
    if unrated:
        raise AssessmentError(f"Rate every criterion before you complete it. Not yet rated: {', '.join(unrated)}.")
    locked.status, locked.submitted_at = AssessmentStatus.SUBMITTED, now
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    _schedule_next(locked, now)
    return locked


# The reminder goes a month before the next self-assessment is due, in time to ask for 360 feedback first.
REMIND_MONTHS_BEFORE = 1


def next_due(assessment: Assessment) -> datetime | None:
    """When the next self-assessment against this framework is due, for a completed one of a framework that is
    meant to be repeated; else None."""
    months = assessment.framework.repeat_every_months
    if not months or assessment.submitted_at is None:
        return None
    return months_after(assessment.submitted_at, months)


def repeat_reminder_prefix(*, owner_id: int, slug: str) -> str:
    """Every repeat reminder of one person and framework (any version) starts so; the trailing colon keeps one
    slug from matching another that begins the same way."""
    return f"assessment-repeat:{owner_id}:{slug}:"


def _schedule_next(assessment: Assessment, now: datetime) -> None:
    """Replace the person's reminder for this framework with one for the assessment just completed. The key names
    the assessment, so a reminder already sent for an earlier one never stops the new one (a sent key is not
    sent again)."""
    due = next_due(assessment)
    if due is None:
        return
    framework = assessment.framework
    prefix = repeat_reminder_prefix(owner_id=assessment.owner_id, slug=framework.slug)
    cancel_all(prefix=prefix)
    months = framework.repeat_every_months or 0
    schedule(
        recipient=assessment.owner,
        kind="self_assessment_due",
        due_at=months_after(now, max(months - REMIND_MONTHS_BEFORE, 0)),
        dedupe_key=f"{prefix}{assessment.pk}",
        context={
            "framework_name": framework.name,
            "due_on": timezone.localdate(due).isoformat(),
            "repeat_every_months": months,
            "url": reverse("assessments:new"),
        },
    )


@transaction.atomic
def assessment_delete_draft(*, assessment: Assessment) -> None:
    if not assessment.is_draft:
        raise AssessmentError("A completed self-assessment is kept, so that you can compare against it.")
    files = list(Evidence.objects.filter(assessment=assessment).exclude(file="").values_list("file", flat=True))
    assessment.delete()
    # Uploaded documents go once the rows are gone for good, not before: a rollback must find them still there.
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
