"""Setting up a programme of learning sets: an organiser creates or changes one (until its sets are published),
opens it to applications, and may close applications early so the sets can be formed at once."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import User
from apps.organisations.models import Organisation

from ..models import (
    PROFESSIONS_ADMITTED,
    Application,
    ApplicationStatus,
    LearningSet,
    Membership,
    OpenTo,
    Programme,
    ProgrammeInvitation,
    ProgrammeStatus,
)
from ..selectors import EDITABLE, LIVE_APPLICATIONS, close_refusal
from . import LearningSetError
from .checks import organiser, runs, valid

SIZE_LOWEST, SIZE_HIGHEST = 2, 12


def _day(value: date) -> str:
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class ProgrammeDetails:
    """What an organiser sets for a programme (everything but its organisers and status)."""

    name: str
    audience: str
    description: str
    set_size_min: int
    set_size_max: int
    sessions_count: int
    cadence_weeks: int
    session_minutes: int
    applications_open_on: date
    applications_close_on: date
    first_sessions_from: date
    default_venue: str = ""
    default_video_url: str = ""
    facilitator_emails: list[str] = field(default_factory=list)
    open_to: str = OpenTo.DOCTORS
    organisation: Organisation | None = None  # in-house for this organisation; None: across organisations


def details_problem(details: ProgrammeDetails) -> str | None:
    """The first rule these settings break, in words for the organiser, or None. The form checks the same rules
    field by field; the database has them as constraints too."""
    for size in (details.set_size_min, details.set_size_max):
        if not SIZE_LOWEST <= size <= SIZE_HIGHEST:
            return f"Set sizes must be between {SIZE_LOWEST} and {SIZE_HIGHEST} members."
    if details.set_size_min > details.set_size_max:
        return "The smallest set size cannot be bigger than the largest."
    if details.applications_close_on < details.applications_open_on:
        return "Applications cannot close before they open."
    if details.first_sessions_from <= details.applications_close_on:
        return "The first sessions must start after applications close."
    return None


def _facilitators(emails: list[str]) -> list[User]:
    """The people behind these addresses, whose accounts are active. Those that cannot be used are named, so that
    a typo can be put right, but not why: no account and a closed one get the same answer."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    found = list(User.objects.filter(email__in=wanted, is_active=True))
    unusable = wanted - {user.email.lower() for user in found}
    if unusable:
        raise LearningSetError(
            f"Check these addresses: {', '.join(sorted(unusable))}. Facilitators need an account on the portal, "
            "under the address given here."
        )
    return found


def _still_fits_applicants(programme: Programme, details: ProgrammeDetails) -> None:
    """Refuse a change of who may apply that would leave people who already applied outside it: the organiser
    asks them to withdraw first, rather than the portal dropping them without a word. Once sets are formed it
    cannot change at all: they were formed under the old rule."""
    changed = details.organisation != programme.organisation or details.open_to != programme.open_to
    if changed and LearningSet.objects.filter(programme=programme).exists():
        raise LearningSetError(
            "The sets have been formed, so who may apply and whether the programme is in-house can no longer change."
        )
    live = Application.objects.filter(programme=programme, status__in=LIVE_APPLICATIONS)
    if details.organisation is not None:
        elsewhere = live.exclude(organisation=details.organisation).count()
        if elsewhere:
            raise LearningSetError(
                f"{elsewhere} {'person has' if elsewhere == 1 else 'people have'} applied from other organisations, "
                f"so the programme cannot become in-house for {details.organisation.name}."
            )
    admitted = PROFESSIONS_ADMITTED[details.open_to]
    if admitted is not None:
        outside = live.exclude(profession__in=admitted).count()
        if outside:
            raise LearningSetError(
                f"{outside} {'person has' if outside == 1 else 'people have'} applied whose profession the "
                f"programme would no longer admit ({OpenTo(details.open_to).label.lower()})."
            )


@transaction.atomic
def programme_save(
    *, actor: User, programme: Programme | None, details: ProgrammeDetails, now: datetime, invited_only: bool = False
) -> Programme:
    """Create a programme (in draft, run by `actor`) or change one that is not yet published. `invited_only` is
    for a new programme only (a network opening sets for its members): it never changes afterwards."""
    organiser(actor)
    if programme is not None:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        runs(programme, actor)
        if programme.status not in EDITABLE:
            raise LearningSetError("This programme's sets are published: its settings can no longer be changed.")
    problem = details_problem(details)
    if problem:
        raise LearningSetError(problem)
    facilitators = _facilitators(details.facilitator_emails)
    if programme is not None:
        _still_fits_applicants(programme, details)
    if programme is not None and details.applications_close_on != programme.applications_close_on:
        # A new closing date undoes an early close: the window is the dates as now set.
        programme.applications_closed_at, programme.applications_closed_by = None, None
    programme = programme or Programme(created_at=now, invited_only=invited_only)
    for name in (
        "audience", "open_to", "organisation", "set_size_min", "set_size_max", "sessions_count", "cadence_weeks",
        "session_minutes",
        "applications_open_on", "applications_close_on", "first_sessions_from", "default_video_url",
    ):  # fmt: skip
        setattr(programme, name, getattr(details, name))
    programme.name = details.name.strip()
    programme.description = details.description.strip()
    programme.default_venue = details.default_venue.strip()
    valid(programme)
    programme.save()
    programme.organisers.add(actor)
    programme.facilitators.set(facilitators)
    # Someone taken off the list no longer facilitates the draft set they were given: the organiser chooses again.
    LearningSet.objects.filter(programme=programme, facilitator__isnull=False).exclude(
        facilitator__in=facilitators
    ).update(facilitator=None)
    return programme


@transaction.atomic
def programme_open(*, programme: Programme, actor: User, now: datetime) -> Programme:
    """Open a programme being set up: members see it and can apply once its window opens."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    organiser(actor)
    runs(programme, actor)
    if programme.status != ProgrammeStatus.DRAFT:
        raise LearningSetError(f"“{programme.name}” is already open.")
    if programme.applications_close_on < timezone.localdate(now):
        raise LearningSetError(
            f"Applications were to close on {_day(programme.applications_close_on)}, which has passed: "
            "change the dates before opening the programme."
        )
    programme.status = ProgrammeStatus.OPEN
    programme.save(update_fields=["status"])
    return programme


@transaction.atomic
def programme_close_applications(*, programme: Programme, actor: User, now: datetime) -> Programme:
    """Close applications today, before the planned last day, so that the sets can be formed at once. From now
    nobody can apply, change or withdraw an application. The programme keeps who closed them and when, and today
    becomes the closing date that pages show."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    organiser(actor)
    runs(programme, actor)
    today = timezone.localdate(now)
    refusal = close_refusal(programme, today=today)
    if refusal:
        raise LearningSetError(refusal)
    programme.applications_close_on = today
    programme.applications_closed_at, programme.applications_closed_by = now, actor
    valid(programme)
    programme.save(update_fields=["applications_close_on", "applications_closed_at", "applications_closed_by"])
    return programme


@transaction.atomic
def programme_invitations_set(*, programme: Programme, people: Iterable[User], now: datetime) -> None:
    """Make the invitation list of an invitation-only programme exactly these people: those added are invited now,
    those no longer on it lose sight of the programme (an application they made stays visible to them and, until
    the sets are published, is withdrawn, taking them out of a draft set). The caller (the networks app, for a
    network's members) decides who belongs."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not programme.invited_only:
        raise LearningSetError(f"“{programme.name}” is open to everyone it admits, so it has no invitation list.")
    wanted = {person.pk for person in people}
    ProgrammeInvitation.objects.filter(programme=programme).exclude(person_id__in=wanted).delete()
    if programme.status in (ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING):
        # Someone taken off the list is not placed in a set of people they no longer belong with: their
        # application is withdrawn (they still see it, and cannot make it live again), and while the sets are
        # drafts they leave the one they were put in (the review and publishing check the sizes as ever). Once
        # the sets are published, a set's members rely on each other: nobody is taken out of a running set here.
        leaving = Application.objects.filter(programme=programme, status__in=LIVE_APPLICATIONS).exclude(
            person_id__in=wanted
        )
        Membership.objects.filter(application__in=leaving).delete()
        leaving.update(status=ApplicationStatus.WITHDRAWN, unplaced_reason="", updated_at=now)
    have = set(ProgrammeInvitation.objects.filter(programme=programme).values_list("person_id", flat=True))
    ProgrammeInvitation.objects.bulk_create(
        [ProgrammeInvitation(programme=programme, person_id=pk, invited_at=now) for pk in sorted(wanted - have)]
    )
