"""Applying to a programme: a member applies with their weekly availability, changes the application or withdraws
it, while the programme's window is open. Each write locks the programme's row, so an early close cannot slip
between the check and the write."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Organisation, Sector

from ..models import (
    PROFESSIONS_ADMITTED,
    Application,
    ApplicationStatus,
    OpenTo,
    Profession,
    Programme,
    ProgrammeInvitation,
)
from ..selectors import refusal_to_apply
from ..slots import ALL_SLOTS, is_valid_slot
from . import LearningSetError
from .checks import valid


@dataclass(frozen=True)
class ApplicationDetails:
    organisation: Organisation
    sector: Sector
    career_stage: str
    profession: str
    slots: list[str]
    hopes: str = ""


def _taking_applications(programme: Programme, now: datetime) -> None:
    refusal = refusal_to_apply(programme, today=timezone.localdate(now))
    if refusal:
        raise LearningSetError(refusal)


def _admitted(programme: Programme, person: User, details: ApplicationDetails) -> None:
    """In-house programmes take people from their organisation only, invitation-only ones the people invited; each
    programme takes the professions it is open to."""
    if programme.organisation_id is not None and details.organisation.pk != programme.organisation_id:
        raise LearningSetError(
            f"“{programme.name}” is an in-house programme for people who work at {programme.organisation}: "
            "choose that organisation if you work there."
        )
    if programme.invited_only and not ProgrammeInvitation.objects.filter(programme=programme, person=person).exists():
        raise LearningSetError(f"“{programme.name}” is open only to the people invited to it.")
    admitted = PROFESSIONS_ADMITTED[programme.open_to]
    if admitted is not None and details.profession not in admitted:
        raise LearningSetError(
            f"“{programme.name}” is open to {OpenTo(programme.open_to).label[0].lower()}"
            f"{OpenTo(programme.open_to).label[1:]}, so it cannot take an application from "
            f"{Profession(details.profession).label.lower()}."
        )


def _clean_slots(slots: list[str]) -> list[str]:
    bad = [slot for slot in slots if not is_valid_slot(slot)]
    if bad:
        raise LearningSetError(
            f"“{bad[0]}” is not one of the weekly times offered: choose your times from the boxes on the page."
        )
    if not slots:
        raise LearningSetError("Choose at least one weekly time you can make.")
    chosen = set(slots)
    return [slot for slot in ALL_SLOTS if slot in chosen]


@transaction.atomic
def application_save(*, programme: Programme, person: User, details: ApplicationDetails, now: datetime) -> Application:
    """Apply, or change an application (a withdrawn one is made live again), while the window is open."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _taking_applications(programme, now)
    _admitted(programme, person, details)
    slots = _clean_slots(details.slots)
    application = Application.objects.filter(programme=programme, person=person).first() or Application(
        programme=programme, person=person, created_at=now
    )
    application.organisation = details.organisation
    application.sector = details.sector
    application.career_stage = details.career_stage
    application.profession = details.profession
    application.slots = slots
    application.hopes = details.hopes.strip()
    application.status = ApplicationStatus.APPLIED
    application.unplaced_reason = ""
    application.updated_at = now
    valid(application)
    application.save()
    return application


@transaction.atomic
def application_withdraw(*, application: Application, person: User, now: datetime) -> Application:
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    application = Application.objects.get(pk=application.pk)
    if application.person_id != person.pk:
        raise LearningSetError("Only the person who applied can withdraw an application.")
    if application.status == ApplicationStatus.WITHDRAWN:
        raise LearningSetError("You have already withdrawn this application.")
    if refusal_to_apply(programme, today=timezone.localdate(now)):
        raise LearningSetError(
            f"Applications for “{programme.name}” have closed, so the application can no longer be withdrawn "
            "here: write to the programme's organisers instead."
        )
    application.status, application.updated_at = ApplicationStatus.WITHDRAWN, now
    application.save(update_fields=["status", "updated_at"])
    return application
